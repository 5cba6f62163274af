// Last line of defence for the long-running processes (serve, the standalone gateway, the
// Electron main process): an exception nobody caught is logged, and the process stays up so
// one bad connection does not end every window and tunnel. Each listener and parser handles
// its own faults; an entry in this log is a bug to fix where it arose.

/** Set to 1 to run without the guard (the hostile-input tests do, to prove the real fixes). */
export const GUARD_OFF_ENV = 'DAAS_NO_PROCESS_GUARD';

/** Tag every guard log line starts with, so logs (and tests) can find them. */
export const GUARD_TAG = 'uncaught';

export function installProcessGuard(log: (line: string) => void = (line) => console.error(line)): boolean {
  if (process.env[GUARD_OFF_ENV] === '1') return false;
  const describe = (err: unknown): string => (err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.on('uncaughtException', (err, origin) => log(`${GUARD_TAG} ${origin}: ${describe(err)}`));
  process.on('unhandledRejection', (reason) => log(`${GUARD_TAG} rejection: ${describe(reason)}`));
  return true;
}
