// The packaged catalogue (resources/defaults/apps.json), validated before it is seeded.
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { App } from '../../src-shared/model';

const appSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    description: z.string(),
    provider: z.literal('docker'),
    image: z.string().min(1),
    vncPort: z.number().int().min(1).max(65535),
    desktopWidth: z.number().int().min(64).max(8192),
    desktopHeight: z.number().int().min(64).max(8192),
    builtIn: z.boolean(),
  })
  .strict();

export async function loadBuiltInApps(defaultsDir: string): Promise<App[]> {
  const file = path.join(defaultsDir, 'apps.json');
  const parsed = z.array(appSchema).safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is invalid: ${parsed.error.message}`);
  return parsed.data;
}
