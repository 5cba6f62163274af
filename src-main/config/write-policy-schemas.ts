// Writes resources/policy/*.schema.json from the zod schemas in code:
//   node --import tsx src-main/config/write-policy-schemas.ts
// test/unit/policy-schema.test.ts fails when the published files are stale.
import fs from 'node:fs';
import path from 'node:path';
import { publishedSchemas } from './policy-schema';
import { appRootDir } from './paths';

export function writePolicySchemas(root = appRootDir()): string[] {
  return Object.entries(publishedSchemas()).map(([relative, schema]) => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
    return relative;
  });
}

if (require.main === module) {
  for (const file of writePolicySchemas()) console.log(`wrote ${file}`);
}
