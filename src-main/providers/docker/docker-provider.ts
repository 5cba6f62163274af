// Docker backend: one labelled container per instance, VNC published on 127.0.0.1 only.
import Docker from 'dockerode';
import type { LaunchSpec, Launched, OwnedResource, Provider } from '../provider';
import { dockerUnreachable, fromDockerError, imageMissing, isNotFound } from './docker-errors';
import { demuxLogs } from './docker-logs';

export const LABEL_MANAGED = 'io.daas-desktop.managed';
export const LABEL_INSTANCE = 'io.daas-desktop.instance';
export const LABEL_APP = 'io.daas-desktop.app';

export interface DockerEndpoint {
  /** Unix socket path; the local engine by default. */
  socketPath?: string;
}

export class DockerProvider implements Provider {
  private readonly docker: Docker;
  readonly endpoint: string;

  constructor(endpoint: DockerEndpoint = {}) {
    const socketPath = endpoint.socketPath ?? '/var/run/docker.sock';
    this.docker = new Docker({ socketPath });
    this.endpoint = socketPath;
  }

  async preflight(image: string): Promise<void> {
    try {
      await this.docker.ping();
    } catch (err) {
      throw dockerUnreachable(this.endpoint, err);
    }
    try {
      await this.docker.getImage(image).inspect();
    } catch (err) {
      if (isNotFound(err)) throw imageMissing(image);
      throw fromDockerError(err, this.endpoint, `inspect the image ${image}`);
    }
  }

  async launch(spec: LaunchSpec, onCreated: (resourceId: string) => Promise<void>): Promise<Launched> {
    const portKey = `${spec.vncPort}/tcp`;
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        name: spec.name,
        Image: spec.image,
        Env: [
          `VNC_PASSWORD=${spec.vncPassword}`,
          `DESKTOP_WIDTH=${spec.desktopWidth}`,
          `DESKTOP_HEIGHT=${spec.desktopHeight}`,
        ],
        Labels: { [LABEL_MANAGED]: 'true', [LABEL_INSTANCE]: spec.instanceId, [LABEL_APP]: spec.appId },
        ExposedPorts: { [portKey]: {} },
        HostConfig: {
          // A tiny init as PID 1 reaps the desktop's orphaned processes and forwards
          // SIGTERM to the VNC server, so stop stays fast.
          Init: true,
          // Loopback only, on a port the engine picks: nothing else on the network can reach it.
          PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
        },
      });
    } catch (err) {
      if (isNotFound(err)) throw imageMissing(spec.image);
      throw fromDockerError(err, this.endpoint, 'create the container');
    }
    await onCreated(container.id);
    try {
      await container.start();
      const info = await container.inspect();
      const binding = info.NetworkSettings.Ports?.[portKey]?.find((b) => b.HostIp === '127.0.0.1');
      if (!binding) throw new Error(`port ${portKey} was not published`);
      return { resourceId: container.id, host: '127.0.0.1', port: Number(binding.HostPort) };
    } catch (err) {
      throw fromDockerError(err, this.endpoint, 'start the container');
    }
  }

  async tail(resourceId: string, lines: number): Promise<string> {
    try {
      const raw = await this.docker.getContainer(resourceId).logs({ stdout: true, stderr: true, tail: lines, follow: false });
      return demuxLogs(raw).trimEnd();
    } catch {
      return '';
    }
  }

  async remove(instanceId: string): Promise<void> {
    let containers: Docker.ContainerInfo[];
    try {
      containers = await this.docker.listContainers({
        all: true,
        filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] },
      });
    } catch (err) {
      throw fromDockerError(err, this.endpoint, 'list containers');
    }
    for (const info of containers) {
      const container = this.docker.getContainer(info.Id);
      try {
        if (info.State === 'running') await container.stop({ t: 5 });
      } catch (err) {
        // 304: already stopped; 404: already gone. Both are fine.
        const status = (err as { statusCode?: number }).statusCode;
        if (status !== 304 && status !== 404) throw fromDockerError(err, this.endpoint, 'stop the container');
      }
      try {
        await container.remove({ force: true, v: true });
      } catch (err) {
        if (!isNotFound(err)) throw fromDockerError(err, this.endpoint, 'remove the container');
      }
    }
  }

  async listOwned(): Promise<OwnedResource[]> {
    try {
      const containers = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
      return containers.map((c) => ({
        resourceId: c.Id,
        instanceId: c.Labels[LABEL_INSTANCE] ?? '',
        running: c.State === 'running',
      }));
    } catch (err) {
      throw fromDockerError(err, this.endpoint, 'list containers');
    }
  }
}
