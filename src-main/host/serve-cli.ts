// `npm run serve`: the app without a display server, in any browser on this machine.
import os from 'node:os';
import path from 'node:path';
import { loadSettings } from '../config/settings';
import { isPackagedBuild, rendererDir } from '../config/paths';
import { Core } from '../core';
import { installProcessGuard } from '../process-guard';
import { startHeadlessHost } from './headless-host';

function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'daas-desktop');
}

async function main(): Promise<void> {
  installProcessGuard();
  const settings = loadSettings(defaultDataDir(), process.env, { packaged: isPackagedBuild() });
  for (const problem of settings.problems) console.warn(`policy: ${problem}`);
  if (settings.ignoredEnv?.length) console.warn(`packaged: ignored ${settings.ignoredEnv.join(', ')} (development only)`);
  // No OS keychain here: credentials are sealed with the data folder's key file (secrets.key, 0600).
  const core = await Core.open(settings);
  const port = process.env.DAAS_PORT ? Number(process.env.DAAS_PORT) : 0;
  const host = await startHeadlessHost(core, { rendererDir: rendererDir(), port });
  console.log(`DaaS Desktop is serving at ${host.loginUrl}`);
  console.log(`Data folder: ${settings.dataDir}`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err) => {
  console.error(`DaaS Desktop could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
