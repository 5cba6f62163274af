// Docker backend: one labelled container per instance, VNC published on 127.0.0.1 only.
import http from 'node:http';
import https from 'node:https';
import Docker from 'dockerode';
import type { InstanceInspect, InstanceStats } from '../../../src-shared/contract';
import type { App } from '../../../src-shared/model';
import { managedDockerConfigSchema, type DockerAppConfig } from '../../../src-shared/app-config';
import { DaasError } from '../../../src-shared/errors';
import { errorText } from '../../../src-shared/error-texts';
import type { DisplayRequest, DisplayTarget, LaunchSpec, Launched, OwnedResource, Provider, ResourceEvent, SaveRequest, ShellSession } from '../provider';
import { dockerOptions, type DockerEndpointConfig } from './docker-endpoint';
import { dockerUnreachable, fromDockerError, imageMissing, isNotFound, type DockerOperation } from './docker-errors';
import { watchDockerEvents } from './docker-events';
import { HostKeyCheck } from './ssh-host-key';
import { DockerDesktopAudio } from './docker-audio';
import { DockerDesktopFiles } from './docker-files';
import { DockerHomeArchive } from './docker-home-archive';
import { demuxLogs } from './docker-logs';
import { describeContainer } from './docker-inspect';
import { pullImage, type PullProgress } from './docker-pull';
import { openContainerShell } from './docker-shell';
import { LABEL_APP, LABEL_AUDIO_PORT, LABEL_INSTANCE, LABEL_OWNER, LABEL_VNC_PORT } from './docker-labels';
import { createOptions } from './docker-create-options';
import { hostLocale } from './host-locale';

/** The launch's configuration as a container app's docker section (what the Docker backend's launchConfig gives). */
function dockerConfigOf(spec: LaunchSpec): DockerAppConfig {
  const parsed = managedDockerConfigSchema.safeParse(spec.config);
  if (!parsed.success) throw new Error(`a container launch needs the docker configuration: ${parsed.error.message}`);
  return parsed.data;
}

export class DockerProvider implements Provider {
  readonly docker: Docker;
  readonly endpoint: DockerEndpointConfig;

  constructor(
    endpoint: DockerEndpointConfig,
    /** The installation id: this app finds, reconciles and removes only its own containers. */
    readonly owner: string,
  ) {
    this.endpoint = endpoint;
    this.hostKeys = endpoint.url.startsWith('ssh://') ? new HostKeyCheck(endpoint) : null;
    this.docker = new Docker(dockerOptions(endpoint, this.hostKeys ?? undefined));
  }

  /** ssh:// endpoints: the server's host key check, and the key it last offered. */
  readonly hostKeys: HostKeyCheck | null;

  /** A viewer's uploads, into the instance's container. */
  readonly files = new DockerDesktopFiles((instanceId) => this.containerOf(instanceId));

  /** The home folder as a .tar.gz, out and in (instance tools: Export home, Import home). */
  readonly homeArchive = new DockerHomeArchive((instanceId) => this.containerOf(instanceId));

  /** Sound out of, and a microphone into, the instance's container (its PulseAudio). */
  readonly audio = new DockerDesktopAudio((instanceId) => this.containerOf(instanceId));

  private fail(err: unknown, doing: DockerOperation, params: { image?: string } = {}) {
    // A refused host key explains the failure better than ssh2's "Host denied".
    return this.hostKeys?.refusal ?? fromDockerError(err, this.endpoint.url, doing, params);
  }

  async preflight(app: App): Promise<void> {
    if (app.provider !== 'docker') throw new Error(`${app.name} is not a container app`);
    await this.preflightImage(app.docker.image);
  }

  async preflightImage(image: string): Promise<void> {
    // Both asked at once (a Start waits for this); an engine that does not answer the ping
    // is reported as such, whatever the image question met.
    const found = this.hasImage(image);
    found.catch(() => undefined);
    try {
      await this.docker.ping();
    } catch (err) {
      const mapped = this.fail(err, 'op.docker.answer');
      throw mapped.code === 'DOCKER_UNREACHABLE' ? mapped : dockerUnreachable(this.endpoint.url, err);
    }
    if (!(await found)) throw imageMissing(image);
  }

  async hasImage(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw this.fail(err, 'op.docker.inspectImage', { image });
    }
  }

  async launch(spec: LaunchSpec, onCreated: (resourceId: string) => Promise<void>): Promise<Launched> {
    const app = dockerConfigOf(spec);
    const options = createOptions(spec, app, this.owner, await hostLocale());
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(options);
    } catch (err) {
      if (isNotFound(err)) throw imageMissing(app.image);
      throw this.fail(err, 'op.docker.createContainer');
    }
    // The row learns the container's id while the engine starts it (a crash in between is
    // found by its labels all the same).
    const recorded = onCreated(container.id);
    const started = (async () => {
      await container.start();
      return this.address(container);
    })();
    started.catch(() => undefined);
    await recorded;
    try {
      const { resourceId, host, port } = await started;
      return { resourceId, host, port };
    } catch (err) {
      throw this.fail(err, 'op.docker.startContainer');
    }
  }

  /**
   * Commits the instance's container (running: paused for the moment it takes) to a new local
   * image named after the app. The image keeps no VNC password: each instance gets its own.
   */
  async saveAsApp(request: SaveRequest): Promise<Record<string, unknown>> {
    const [info] = await this.containersOf(request.instanceId);
    if (!info) throw new DaasError('INVALID_TRANSITION', errorText('error.save.noContainer', { name: request.name }), errorText('fix.save.whileRunning'));
    const slug = request.appName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'app';
    const repo = `daas/saved-${slug}`;
    const tag = new Date().toISOString().replace(/[^0-9]/g, '').slice(0, 14);
    const image = `${repo}:${tag}`;
    request.progress(errorText('progress.save.committing', { image }));
    try {
      await this.docker.getContainer(info.Id).commit({ repo, tag, comment: `Saved from ${request.name} by DaaS Desktop`, pause: true, changes: 'ENV VNC_PASSWORD=' });
    } catch (err) {
      throw this.fail(err, 'op.docker.commitContainer', { image });
    }
    return { image };
  }

  /** `docker pause`: a prepared desktop uses no CPU until it is handed out. */
  async holdWarm(instanceId: string): Promise<void> {
    try {
      await (await this.containerOf(instanceId)).pause();
    } catch (err) {
      throw this.fail(err, 'op.docker.pauseContainer');
    }
  }

  async releaseWarm(instanceId: string): Promise<void> {
    try {
      await (await this.containerOf(instanceId)).unpause();
    } catch (err) {
      // 409: not paused (its engine restarted it, say): it runs, which is what was asked.
      if ((err as { statusCode?: number }).statusCode !== 409) throw this.fail(err, 'op.docker.unpauseContainer');
    }
  }

  /** The VNC port as published on loopback, and (`ports`) every port published there. */
  /**
   * Where this machine reaches the container: its VNC port, every port published on loopback
   * (`ports`, "5901/tcp" -> host port) and its sound server's, if it has one for a guacd.
   */
  private async address(container: Docker.Container): Promise<Launched & { ports: Record<string, string>; audioPort?: number }> {
    const info = await container.inspect();
    const port = info.Config.Labels?.[LABEL_VNC_PORT] ?? '5901';
    const ports: Record<string, string> = {};
    for (const [key, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
      const loopback = bindings?.find((b) => b.HostIp === '127.0.0.1');
      if (loopback) ports[key] = loopback.HostPort;
    }
    const published = ports[`${port}/tcp`];
    if (!published) throw new Error(`port ${port}/tcp was not published`);
    const audio = info.Config.Labels?.[LABEL_AUDIO_PORT];
    const audioPort = audio ? ports[`${audio}/tcp`] : undefined;
    return { resourceId: container.id, host: '127.0.0.1', port: Number(published), ports, ...(audioPort ? { audioPort: Number(audioPort) } : {}) };
  }

  private async containersOf(instanceId: string): Promise<Docker.ContainerInfo[]> {
    try {
      return await this.docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] } });
    } catch (err) {
      throw this.fail(err, 'op.docker.listContainers');
    }
  }

  private async containerOf(instanceId: string): Promise<Docker.Container> {
    const [info] = await this.containersOf(instanceId);
    if (!info) throw this.fail({ message: 'the container no longer exists' }, 'op.docker.findContainer');
    return this.docker.getContainer(info.Id);
  }

  async currentAddress(instanceId: string): Promise<{ host: string; port: number }> {
    const { host, port } = await this.address(await this.containerOf(instanceId));
    return { host, port };
  }

  /**
   * The engine is asked every time: after it restarts its containers, each may be published
   * on a new port, even one another desktop had before.
   */
  async displayTarget({ instanceId, connection, app }: DisplayRequest): Promise<DisplayTarget> {
    const container = await this.containerOf(instanceId);
    let address: Awaited<ReturnType<DockerProvider['address']>>;
    try {
      address = await this.address(container);
    } catch {
      throw new DaasError('DISPLAY_UNAVAILABLE', errorText('error.display.notPublished'), errorText('fix.display.waitUntilRunning'));
    }
    const audio = address.audioPort ? { host: address.host, port: address.audioPort } : undefined;
    const target: DisplayTarget = { protocol: 'vnc', host: address.host, port: address.port, password: connection.password, ...(audio ? { audio } : {}) };
    // The image serves SFTP (the app says so) and its port was published when it started.
    const sftp = app?.provider === 'docker' ? app.docker.sftp : null;
    const sftpPort = sftp && address.ports[`${sftp.port}/tcp`];
    if (sftp && sftpPort) {
      target.sftp = { host: address.host, port: Number(sftpPort), internalPort: sftp.port, username: sftp.username, directory: sftp.directory };
    }
    return target;
  }

  async restart(instanceId: string): Promise<Launched> {
    const container = await this.containerOf(instanceId);
    try {
      await container.restart({ t: 5 });
      const { resourceId, host, port } = await this.address(container);
      return { resourceId, host, port };
    } catch (err) {
      throw this.fail(err, 'op.docker.restartContainer');
    }
  }

  async tail(instanceId: string, lines: number, options: { timestamps?: boolean } = {}): Promise<string> {
    const [info] = await this.containersOf(instanceId);
    if (!info) return '';
    try {
      const raw = await this.docker.getContainer(info.Id).logs({ stdout: true, stderr: true, tail: lines, follow: false, timestamps: options.timestamps === true });
      return demuxLogs(raw).trimEnd();
    } catch (err) {
      if (isNotFound(err)) return '';
      throw this.fail(err, 'op.docker.readLog');
    }
  }

  async stats(instanceId: string): Promise<InstanceStats> {
    const container = await this.containerOf(instanceId);
    let s: Docker.ContainerStats;
    try {
      s = await container.stats({ stream: false });
    } catch (err) {
      throw this.fail(err, 'op.docker.readStats');
    }
    const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
    const systemDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
    const cpus = s.cpu_stats.online_cpus || s.cpu_stats.cpu_usage.percpu_usage?.length || 1;
    const cache = (s.memory_stats.stats as { cache?: number; inactive_file?: number } | undefined)?.inactive_file ?? s.memory_stats.stats?.cache ?? 0;
    return {
      cpuPercent: systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0,
      memoryBytes: Math.max(0, (s.memory_stats.usage ?? 0) - cache),
      memoryLimitBytes: s.memory_stats.limit ?? 0,
    };
  }

  async inspect(instanceId: string): Promise<InstanceInspect> {
    const container = await this.containerOf(instanceId);
    try {
      return describeContainer(await container.inspect(), this.endpoint.name);
    } catch (err) {
      throw this.fail(err, 'op.docker.inspectContainer');
    }
  }

  async openShell(instanceId: string, size: { cols: number; rows: number }): Promise<ShellSession> {
    const container = await this.containerOf(instanceId);
    try {
      return await openContainerShell(container, size);
    } catch (err) {
      throw this.fail(err, 'op.docker.openShell');
    }
  }

  /** Pulls an image from its registry, reporting each layer's progress. */
  async pull(image: string, onProgress: PullProgress): Promise<void> {
    try {
      await this.docker.ping();
    } catch (err) {
      throw dockerUnreachable(this.endpoint.url, err);
    }
    await pullImage(this.docker, image, onProgress);
  }

  async remove(instanceId: string, options: { force?: boolean } = {}): Promise<void> {
    for (const info of await this.containersOf(instanceId)) {
      const container = this.docker.getContainer(info.Id);
      if (!options.force && info.State === 'running') {
        try {
          await container.stop({ t: 5 });
        } catch (err) {
          // 304: already stopped; 404: already gone. Both are fine.
          const status = (err as { statusCode?: number }).statusCode;
          if (status !== 304 && status !== 404) throw this.fail(err, 'op.docker.stopContainer');
        }
      }
      try {
        await container.remove({ force: true, v: true });
      } catch (err) {
        // 409: removal already in progress (e.g. a concurrent stop).
        const status = (err as { statusCode?: number }).statusCode;
        if (status !== 404 && status !== 409) throw this.fail(err, 'op.docker.removeContainer');
      }
    }
  }

  /** The names of the containers (running or not) that mount the named volume. */
  async volumeUsers(volume: string): Promise<string[]> {
    try {
      const users = await this.docker.listContainers({ all: true, filters: { volume: [volume] } });
      return users.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12));
    } catch (err) {
      throw this.fail(err, 'op.docker.listContainers');
    }
  }

  /** Removes the named volume; false when this engine has none of that name. */
  async removeVolume(volume: string): Promise<boolean> {
    try {
      await this.docker.getVolume(volume).remove();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw this.fail(err, 'op.docker.removeVolume');
    }
  }

  async listOwned(): Promise<OwnedResource[]> {
    try {
      const containers = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${this.owner}`] } });
      return containers.map((c) => ({
        resourceId: c.Id,
        instanceId: c.Labels[LABEL_INSTANCE] ?? '',
        appId: c.Labels[LABEL_APP] ?? '',
        // A paused container is a prepared (warm-pool) desktop: it holds its place as a running one.
        running: c.State === 'running' || c.State === 'paused',
      }));
    } catch (err) {
      throw this.fail(err, 'op.docker.listContainers');
    }
  }

  /** The VNC address and password of a labelled container (to adopt it after a crash). */
  async connectionOf(resourceId: string): Promise<{ host: string; port: number; password: string }> {
    const container = this.docker.getContainer(resourceId);
    const info = await container.inspect();
    const password = info.Config.Env.find((e) => e.startsWith('VNC_PASSWORD='))?.slice('VNC_PASSWORD='.length) ?? '';
    const { host, port } = await this.address(container);
    return { host, port, password };
  }

  async runningCount(): Promise<number> {
    return (await this.listOwned()).filter((r) => r.running).length;
  }

  async version(): Promise<{ version: string; apiVersion: string }> {
    try {
      const v = await this.docker.version();
      return { version: v.Version, apiVersion: v.ApiVersion };
    } catch (err) {
      throw this.fail(err, 'op.docker.answer');
    }
  }

  watch(onEvent: (event: ResourceEvent) => void, onReconnect: () => void): () => void {
    return watchDockerEvents(this.docker, this.owner, onEvent, onReconnect, () => this.acceptsConnections());
  }

  /**
   * Whether the engine takes a new connection. An engine that is shutting down closes its
   * API socket first and then stops the containers, whose `die` still arrives on the open
   * event stream: those containers stopped because the engine went away, not by a user.
   */
  async acceptsConnections(): Promise<boolean> {
    // A fresh connection: a pooled keep-alive one would still reach the closing engine.
    const agent = this.endpoint.tls ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
    // docker-modem passes `agent` on (its types do not list it).
    const options: Docker.DockerOptions & { agent: http.Agent } = { ...dockerOptions(this.endpoint), agent, timeout: 3000 };
    const probe = new Docker(options);
    try {
      await probe.ping();
      return true;
    } catch {
      return false;
    } finally {
      agent.destroy();
    }
  }
}
