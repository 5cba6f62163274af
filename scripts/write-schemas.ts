// Writes the published JSON schemas (resources/schemas) from the zod schemas in code.
// A unit test fails when the published files are stale.
import fs from 'node:fs';
import path from 'node:path';
import { catalogueJsonSchema } from '../src-main/catalogue/catalogue-file';
import { writePolicySchemas } from '../src-main/config/write-policy-schemas';

const file = path.join(__dirname, '..', 'resources', 'schemas', 'catalogue.schema.json');
fs.writeFileSync(file, JSON.stringify(catalogueJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)}`);
for (const written of writePolicySchemas()) console.log(`wrote ${written}`);
