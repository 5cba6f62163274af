// The container a desktop runs in, as `docker create` takes it: one function, so the launch and
// the start bench's floor measurement (bench/start-floor.ts) create exactly the same container.
import type Docker from 'dockerode';
import { DEFAULT_CONTAINER_SECURITY, parseByteSize, type DockerAppConfig } from '../../../src-shared/app-config';
import type { LaunchSpec } from '../provider';
import { LABEL_APP, LABEL_AUDIO_PORT, LABEL_INSTANCE, LABEL_MANAGED, LABEL_OWNER, LABEL_VNC_PORT } from './docker-labels';
import { localeEnv, type HostLocale } from './host-locale';

/**
 * Back after an engine restart (reconcile re-attaches it); a stop by the app or the user
 * (`docker stop`) stays a stop. A single-app container also stays down when its application
 * ends: the image then exits 0, and nonzero (143) when stopped from outside, engine included
 * (resources/images/base/start-session.sh), so "on-failure" tells the two apart where
 * "unless-stopped" would start the application the user just quit again.
 */
export function restartPolicyOf(app: DockerAppConfig): 'on-failure' | 'unless-stopped' {
  return app.singleApp ? 'on-failure' : 'unless-stopped';
}

/**
 * PulseAudio's usual TCP port: the desktop image listens there when AUDIO_TCP_PORT says so
 * (resources/images/desktop/start-desktop.sh), for the addresses AUDIO_TCP_ALLOW names and the
 * container's gateway (where its published port's connections come from).
 */
const AUDIO_PORT = 4713;

/** A container's sound server for a guacd: its env, exposed port, loopback binding and label. */
function guacdSoundOptions(sound: LaunchSpec['guacdSound']): {
  env: string[];
  exposed: Record<string, object>;
  bindings: Record<string, { HostIp: string; HostPort: string }[]>;
  labels: Record<string, string>;
} {
  if (!sound) return { env: [], exposed: {}, bindings: {}, labels: {} };
  const key = `${AUDIO_PORT}/tcp`;
  return {
    env: [`AUDIO_TCP_PORT=${AUDIO_PORT}`, ...(sound.allowFrom.length ? [`AUDIO_TCP_ALLOW=${sound.allowFrom.join(';')}`] : [])],
    exposed: { [key]: {} },
    bindings: { [key]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
    labels: { [LABEL_AUDIO_PORT]: String(AUDIO_PORT) },
  };
}

/** `docker create`'s options for one launch of a container app. */
export function createOptions(spec: LaunchSpec, app: DockerAppConfig, owner: string, locale: HostLocale): Docker.ContainerCreateOptions {
  const portKey = `${app.vncPort}/tcp`;
  // An image that serves SFTP has that port published on loopback too (for a guacd on this machine).
  const sftpKey = app.sftp ? `${app.sftp.port}/tcp` : null;
  const security = app.security ?? DEFAULT_CONTAINER_SECURITY;
  const sound = guacdSoundOptions(spec.guacdSound);
  return {
    name: spec.name,
    Image: app.image,
    ...(app.command.length ? { Cmd: app.command } : {}),
    Env: [
      ...localeEnv(locale, app.env),
      ...Object.entries(app.env).map(([k, v]) => `${k}=${v}`),
      // The built-in app images read it (resources/images/base/start-session.sh).
      ...(app.singleApp ? ['DAAS_SINGLE_APP=1'] : []),
      `VNC_PASSWORD=${spec.vncPassword}`,
      `DESKTOP_WIDTH=${spec.desktopWidth}`,
      `DESKTOP_HEIGHT=${spec.desktopHeight}`,
      ...sound.env,
    ],
    Labels: {
      [LABEL_MANAGED]: 'true',
      [LABEL_OWNER]: owner,
      [LABEL_INSTANCE]: spec.instanceId,
      [LABEL_APP]: spec.appId,
      [LABEL_VNC_PORT]: String(app.vncPort),
      ...sound.labels,
    },
    ExposedPorts: { [portKey]: {}, ...(sftpKey ? { [sftpKey]: {} } : {}), ...sound.exposed },
    HostConfig: {
      // Loopback only, on a port the engine picks: nothing else on the network can reach it.
      PortBindings: {
        [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }],
        ...(sftpKey ? { [sftpKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] } : {}),
        ...sound.bindings,
      },
      // A tiny init as PID 1 reaps the desktop's orphaned processes and forwards
      // SIGTERM to the VNC server, so stop stays fast.
      Init: true,
      // Confined: only the capabilities the app keeps (the desktop user needs none; a
      // start script run as root needs SETUID/SETGID to drop to its user), no privilege
      // gain through setuid binaries, and a bound on processes (a fork bomb stays inside).
      ...(security.capabilities ? { CapDrop: ['ALL'], CapAdd: security.capabilities } : {}),
      ...(security.noNewPrivileges ? { SecurityOpt: ['no-new-privileges'] } : {}),
      ...(security.pidsLimit ? { PidsLimit: security.pidsLimit } : {}),
      RestartPolicy: { Name: restartPolicyOf(app) },
      ...(app.cpus ? { NanoCpus: Math.round(app.cpus * 1e9) } : {}),
      ...(app.memory ? { Memory: parseByteSize(app.memory) } : {}),
      ...(app.shmSize ? { ShmSize: parseByteSize(app.shmSize) } : {}),
      ...(app.homeVolume ? { Binds: [`${app.homeVolume.name}:${app.homeVolume.mountPath}`] } : {}),
    },
  };
}
