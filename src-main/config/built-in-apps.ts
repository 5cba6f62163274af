// The packaged catalogue (resources/defaults/apps.json), validated before it is seeded. It is
// the administrator's, so its entries may set docker.security.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseCatalogue } from '../catalogue/catalogue-file';

export async function loadBuiltInApps(defaultsDir: string) {
  const file = path.join(defaultsDir, 'apps.json');
  const text = await fs.readFile(file, 'utf8');
  try {
    return parseCatalogue(text, { managed: true });
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}
