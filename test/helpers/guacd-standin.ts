// A STAND-IN for the guacamole/guacd image: no container registry is reachable here, so the
// real image cannot be pulled. The stand-in has guacd's layout and command line
// (/opt/guacamole/sbin/guacd -b HOST -l PORT -f) and speaks guacd's protocol for VNC, because
// behind that command line runs our own gateway (a drop-in for guacd's VNC support), bundled
// with the Node binary onto the desktop image. What it proves: the app starts the image it is
// given, on the right address, waits for the guacd handshake, and routes displays through it.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { docker } from './docker';

export const GUACD_STANDIN_IMAGE = 'daas/test-guacd-standin:latest';

/** guacd's own option parsing for the options the app passes (-b, -l, -f, -L). */
const GUACD_SCRIPT = `#!/bin/sh
# Stand-in for guacd: accepts guacd's options and serves guacd's protocol (VNC only).
bind=127.0.0.1; port=4822
while [ $# -gt 0 ]; do
  case "$1" in
    -b) bind="$2"; shift 2 ;;
    -l) port="$2"; shift 2 ;;
    -L) shift 2 ;;
    -f) shift ;;
    *) echo "guacd: unknown option $1" >&2; exit 2 ;;
  esac
done
echo "guacd[stand-in]: Guacamole proxy daemon (guacd) starting on $bind:$port" >&2
# guacd binds wherever -b says; inside the container's own network that is 0.0.0.0, and
# the app publishes it on the host's 127.0.0.1 only.
exec /usr/local/bin/node /opt/guacamole/lib/gateway.js --allow-remote --listen "$bind:$port"
`;

export async function buildGuacdStandinImage(): Promise<string> {
  const context = await fs.mkdtemp(path.join(os.tmpdir(), 'guacd-standin-'));
  try {
    await build({
      entryPoints: [path.join(__dirname, '../../src-main/display/gateway-cli.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: path.join(context, 'gateway.js'),
      // The JPEG encoder is a native module loaded on demand; without it the gateway sends PNG.
      external: ['sharp'],
      logLevel: 'error',
    });
    await fs.copyFile(process.execPath, path.join(context, 'node'));
    await fs.chmod(path.join(context, 'node'), 0o755);
    await fs.writeFile(path.join(context, 'guacd'), GUACD_SCRIPT, { mode: 0o755 });
    await fs.writeFile(
      path.join(context, 'Dockerfile'),
      [
        'FROM daas/desktop:latest',
        'COPY node /usr/local/bin/node',
        'COPY gateway.js /opt/guacamole/lib/gateway.js',
        'COPY guacd /opt/guacamole/sbin/guacd',
        'CMD ["/opt/guacamole/sbin/guacd", "-b", "0.0.0.0", "-f"]',
        '',
      ].join('\n'),
    );
    const stream = await docker.buildImage({ context, src: ['Dockerfile', 'node', 'gateway.js', 'guacd'] }, { t: GUACD_STANDIN_IMAGE, rm: true, forcerm: true });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
        const failure = err?.message ?? output?.find((o) => o.error)?.error;
        if (failure) reject(new Error(`building ${GUACD_STANDIN_IMAGE} failed: ${failure}`));
        else resolve();
      });
    });
    return GUACD_STANDIN_IMAGE;
  } finally {
    await fs.rm(context, { recursive: true, force: true });
  }
}
