// Apache guacd run by the app itself, as a container on the local Docker engine, for users
// who have the image (e.g. guacamole/guacd) but no guacd running.
//
// On its own bridge network, its port published on the host's 127.0.0.1 at a port Docker
// picks (read back from the container, so no port is picked, released and bound later).
// guacd reaches a desktop container over that network: the desktop joins it and guacd dials
// its VNC port directly, so every listener on the host stays on 127.0.0.1 (publishing the
// desktops on the bridge gateway's address, or host-gateway, would open host listeners
// every container on that bridge reaches). What only this process can reach (a Proxmox
// console bridge on loopback) is not guacd's: the caller shows it through the embedded
// gateway. RDP guests are dialled by address, out through the bridge. Works on any engine
// that publishes ports (Linux, Docker Desktop), unlike host networking.
import { Socket } from 'node:net';
import type Docker from 'dockerode';
import { errorText } from '../../../src-shared/error-texts';
import { DaasError } from '../../../src-shared/errors';
import { LABEL_AUDIO_PORT, LABEL_OWNER, LABEL_VNC_PORT } from './docker-labels';
import { fromDockerError, isNotFound } from './docker-errors';

/** Marks the guacd container (it is not a desktop, so reconcile leaves it alone). */
export const LABEL_GUACD = 'io.daas-desktop.guacd';

/**
 * Where guacd lives differs between image versions (/opt/guacamole in the Alpine-based
 * images, /usr/local/guacamole before); the first executable one is started in the
 * foreground, bound to loopback.
 */
const GUACD_PATHS = ['/opt/guacamole/sbin/guacd', '/usr/local/guacamole/sbin/guacd', '/usr/local/sbin/guacd', '/usr/sbin/guacd', '/usr/bin/guacd'];

/** guacd's port inside its container (its own network namespace). */
export const GUACD_PORT = 4822;

export function guacdStartScript(): string {
  return [
    `for g in ${GUACD_PATHS.join(' ')}; do`,
    // All addresses of its own namespace: the published port and the desktops' network reach it there.
    `  if [ -x "$g" ]; then exec "$g" -b 0.0.0.0 -l ${GUACD_PORT} -f; fi`,
    'done',
    `echo "no guacd executable in this image (looked in ${GUACD_PATHS.join(', ')})" >&2`,
    'exit 127',
  ].join('\n');
}

export interface GuacdContainerOptions {
  /** The local engine: its published port must be this machine's 127.0.0.1. */
  docker: Docker;
  image: string;
  /** The installation id: one guacd container per data folder. */
  owner: string;
  /** How long guacd may take to answer (default 20 s). */
  readyTimeoutMs?: number;
}

export class GuacdContainer {
  private constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
    private readonly network: Docker.Network,
    readonly host: string,
    readonly port: number,
    private readonly owner: string,
    /** guacd's own address on its network: where its connections to the desktops come from. */
    readonly networkAddress: string | undefined,
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

  /** The bridge network guacd shares with the desktops it shows. */
  static networkName(owner: string): string {
    return `${GuacdContainer.containerName(owner)}-net`;
  }

  /**
   * Where guacd reaches a desktop container of the same engine: the container joins guacd's
   * network (once) and is dialled there on its own VNC port (and sound server's, if it listens
   * for guacd). Undefined when it is not on this engine (another endpoint) or has no address there.
   */
  async reach(containerId: string): Promise<{ host: string; port: number; audioPort?: number } | undefined> {
    const desktop = this.docker.getContainer(containerId);
    let info = await desktop.inspect().catch(() => undefined);
    if (!info) return undefined;
    const name = GuacdContainer.networkName(this.owner);
    if (!info.NetworkSettings.Networks[name]) {
      await this.network.connect({ Container: containerId }).catch((err: unknown) => {
        // 403: already connected (a concurrent viewer).
        if ((err as { statusCode?: number }).statusCode !== 403) throw fromDockerError(err, ENGINE, 'op.docker.joinNetwork');
      });
      info = await desktop.inspect();
    }
    const address = info.NetworkSettings.Networks[name]?.IPAddress;
    if (!address) return undefined;
    const audioPort = info.Config.Labels?.[LABEL_AUDIO_PORT];
    return { host: address, port: Number(info.Config.Labels?.[LABEL_VNC_PORT] ?? 5901), ...(audioPort ? { audioPort: Number(audioPort) } : {}) };
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
    const network = await ensureNetwork(docker, GuacdContainer.networkName(owner), owner);
    const portKey = `${GUACD_PORT}/tcp`;
    const container = await docker
      .createContainer({
        name,
        Image: image,
        Entrypoint: ['/bin/sh', '-c'],
        Cmd: [guacdStartScript()],
        Labels: { [LABEL_GUACD]: 'true', [LABEL_OWNER]: owner },
        ExposedPorts: { [portKey]: {} },
        HostConfig: {
          NetworkMode: GuacdContainer.networkName(owner),
          // The host's loopback only, on a port the engine picks and holds.
          PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
        },
      })
      .catch((err: unknown) => {
        throw fromDockerError(err, ENGINE, 'op.docker.createContainer');
      });
    try {
      await container.start().catch((err: unknown) => {
        throw fromDockerError(err, ENGINE, 'op.docker.startContainer');
      });
      // Absent when guacd already exited (an image without it): waitForGuacd says why.
      const started = await container.inspect();
      const published = started.NetworkSettings.Ports?.[portKey]?.find((b) => b.HostIp === '127.0.0.1');
      const port = published ? Number(published.HostPort) : undefined;
      await waitForGuacd(container, port, options.readyTimeoutMs ?? 20_000);
      const address = started.NetworkSettings.Networks[GuacdContainer.networkName(owner)]?.IPAddress || undefined;
      return new GuacdContainer(docker, container, network, '127.0.0.1', port!, owner, address);
    } catch (err) {
      await container.remove({ force: true }).catch(() => undefined);
      await removeNetwork(network);
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.container.remove({ force: true }).catch(() => undefined);
    await removeNetwork(this.network);
  }
}

/** guacd's network: made once per installation, labelled so it is found again. */
async function ensureNetwork(docker: Docker, name: string, owner: string): Promise<Docker.Network> {
  const [existing] = await docker.listNetworks({ filters: { name: [name] } }).then((all) => all.filter((n) => n.Name === name));
  if (existing) return docker.getNetwork(existing.Id);
  return docker
    .createNetwork({
      Name: name,
      Driver: 'bridge',
      Labels: { [LABEL_GUACD]: 'true', [LABEL_OWNER]: owner },
      // Anything published on this network binds the host's loopback unless told otherwise.
      Options: { 'com.docker.network.bridge.host_binding_ipv4': '127.0.0.1' },
    })
    .catch((err: unknown) => {
      throw fromDockerError(err, ENGINE, 'op.docker.createNetwork');
    });
}

/** Desktops that joined the network leave it (they keep running); then it goes. */
async function removeNetwork(network: Docker.Network): Promise<void> {
  const info = (await network.inspect().catch(() => undefined)) as { Containers?: Record<string, unknown> } | undefined;
  for (const id of Object.keys(info?.Containers ?? {})) await network.disconnect({ Container: id, Force: true }).catch(() => undefined);
  await network.remove().catch(() => undefined);
}

const ENGINE = "this computer's Docker engine";

/** Polls until guacd answers `select vnc` with its `args`; fails early if the container exits. */
async function waitForGuacd(container: Docker.Container, port: number | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (port !== undefined && (await answersGuacdHandshake(port))) return;
    const state = await container.inspect().then((c) => c.State);
    if (!state.Running || Date.now() > deadline) {
      const logs = await lastLogLines(container);
      throw new DaasError(
        'DISPLAY_UNAVAILABLE',
        state.Running
          ? errorText('error.guacd.noAnswer', { port: port ?? GUACD_PORT, seconds: Math.round(timeoutMs / 1000), output: logs })
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
    // The published port accepts at once and closes again while guacd does not listen yet.
    socket.once('close', () => done(false));
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
