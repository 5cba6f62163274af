// An app folder laid out as the installer packs it: package.json and dist/main with the
// main-process code, no src-main/ beside them, and resources/ (defaults, admin) next to
// it. The code is this checkout's, copied as TypeScript (tsx runs it, sparing a minute
// of tsc); what makes it "packaged" to the app is the layout, exactly as installed.
import fs from 'node:fs/promises';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');

export async function packagedLayout(root: string, admin: Record<string, unknown>): Promise<{ cwd: string; entry: string }> {
  await fs.mkdir(path.join(root, 'dist', 'main'), { recursive: true });
  await fs.copyFile(path.join(REPO, 'package.json'), path.join(root, 'package.json'));
  for (const folder of ['src-main', 'src-shared']) await fs.cp(path.join(REPO, folder), path.join(root, 'dist', 'main', folder), { recursive: true });
  await fs.symlink(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  await fs.cp(path.join(REPO, 'resources', 'defaults'), path.join(root, 'resources', 'defaults'), { recursive: true });
  await fs.mkdir(path.join(root, 'resources', 'admin'), { recursive: true });
  for (const [name, value] of Object.entries(admin)) await fs.writeFile(path.join(root, 'resources', 'admin', name), JSON.stringify(value));
  return { cwd: root, entry: 'dist/main/src-main/host/serve-cli.ts' };
}
