// Apache guacd run by the app itself, as a container on the local Docker engine, for users
// who have the image (e.g. guacamole/guacd) but no guacd running.
//
// Host networking, so guacd reaches everything the embedded gateway reaches: desktops whose
// VNC is published on 127.0.0.1, the Proxmox console bridges this process opens on loopback,
// and guest addresses for RDP. guacd is told to bind 127.0.0.1 on a free port, never 0.0.0.0.
// Host networking means this runs only on a Linux engine (Docker Desktop's "host" is its VM).
import { createServer, Socket } from 'node:net';
import type Docker from 'dockerode';
import { errorText } from '../../../src-shared/error-texts';
import { DaasError } from '../../../src-shared/errors';
import { LABEL_OWNER } from '../../providers/docker/docker-labels';
import { fromDockerError, isNotFound } from '../../providers/docker/docker-errors';

/** Marks the guacd container (it is not a desktop, so reconcile leaves it alone). */
export const LABEL_GUACD = 'io.daas-desktop.guacd';

/**
 * Where guacd lives differs between image versions (/opt/guacamole in the Alpine-based
 * images, /usr/local/guacamole before); the first executable one is started in the
 * foreground, bound to loopback.
 */
const GUACD_PATHS = ['/opt/guacamole/sbin/guacd', '/usr/local/guacamole/sbin/guacd', '/usr/local/sbin/guacd', '/usr/sbin/guacd', '/usr/bin/guacd'];

export function guacdStartScript(port: number): string {
  return [
    `for g in ${GUACD_PATHS.join(' ')}; do`,
    `  if [ -x "$g" ]; then exec "$g" -b 127.0.0.1 -l ${port} -f; fi`,
    'done',
    `echo "no guacd executable in this image (looked in ${GUACD_PATHS.join(', ')})" >&2`,
    'exit 127',
  ].join('\n');
}

export interface GuacdContainerOptions {
  /** The local engine: host networking needs guacd beside this process. */
  docker: Docker;
  image: string;
  /** The installation id: one guacd container per data folder. */
  owner: string;
  /** How long guacd may take to answer (default 20 s). */
  readyTimeoutMs?: number;
}

export class GuacdContainer {
  private constructor(
    private readonly container: Docker.Container,
    readonly host: string,
    readonly port: number,
  ) {}

  get endpoint(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  get id(): string {
    return this.container.id;
  }

  static containerName(owner: string): string {
    return `daas-guacd-${owner.replace(/[^a-zA-Z0-9]/g, '').slice(0, 12)}`;
  }

  /** Starts guacd and waits until it answers the guacd handshake; removes what it made on failure. */
  static async start(options: GuacdContainerOptions): Promise<GuacdContainer> {
    const { docker, image, owner } = options;
    const name = GuacdContainer.containerName(owner);
    try {
      await docker.getImage(image).inspect();
    } catch (err) {
      if (!isNotFound(err)) throw fromDockerError(err, ENGINE, 'op.docker.inspectImage', { image });
      throw new DaasError('IMAGE_MISSING', errorText('error.guacd.imageMissing', { image }), errorText('fix.guacd.pullImage', { image }), { cause: err });
    }
    // A container left by a crash of this installation holds the name: replace it.
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => undefined);
    const port = await freeLoopbackPort();
    const container = await docker
      .createContainer({
        name,
        Image: image,
        Entrypoint: ['/bin/sh', '-c'],
        Cmd: [guacdStartScript(port)],
        Labels: { [LABEL_GUACD]: 'true', [LABEL_OWNER]: owner },
        HostConfig: { NetworkMode: 'host' },
      })
      .catch((err: unknown) => {
        throw fromDockerError(err, ENGINE, 'op.docker.createContainer');
      });
    try {
      await container.start().catch((err: unknown) => {
        throw fromDockerError(err, ENGINE, 'op.docker.startContainer');
      });
      await waitForGuacd(container, port, options.readyTimeoutMs ?? 20_000);
      return new GuacdContainer(container, '127.0.0.1', port);
    } catch (err) {
      await container.remove({ force: true }).catch(() => undefined);
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.container.remove({ force: true }).catch(() => undefined);
  }
}

const ENGINE = "this computer's Docker engine";

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls until guacd answers `select vnc` with its `args`; fails early if the container exits. */
async function waitForGuacd(container: Docker.Container, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await answersGuacdHandshake(port)) return;
    const state = await container.inspect().then((c) => c.State);
    if (!state.Running || Date.now() > deadline) {
      const logs = await lastLogLines(container);
      throw new DaasError(
        'DISPLAY_UNAVAILABLE',
        state.Running
          ? errorText('error.guacd.noAnswer', { port, seconds: Math.round(timeoutMs / 1000), output: logs })
          : errorText('error.guacd.stopped', { exitCode: state.ExitCode, output: logs }),
        errorText('fix.guacd.checkImage'),
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** True when something on the port speaks guacd's protocol: `select` is answered by `args`. */
function answersGuacdHandshake(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let received = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.includes(';')) done(/^4\.args,/.test(received));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('6.select,3.vnc;'));
  });
}

async function lastLogLines(container: Docker.Container): Promise<string> {
  try {
    const text = demultiplex(Buffer.from(await container.logs({ stdout: true, stderr: true, tail: 10, follow: false }))).trim();
    return text ? ` Its last output: ${text}` : '';
  } catch {
    return '';
  }
}

/** Docker's log stream without a TTY: frames of an 8-byte header (stream, 0, 0, 0, length) and text. */
function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const length = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}
