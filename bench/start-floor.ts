// The part of a cold start Docker itself takes: `docker create` and `docker start` of the very
// container a launch creates (createOptions), against variants without one part each, so the
// bench shows which part of the engine's start costs what (and what is left when all are gone).
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { managedDockerConfigSchema } from '../src-shared/app-config';
import { createOptions } from '../src-main/providers/docker/docker-create-options';
import { hostLocale } from '../src-main/providers/docker/host-locale';
import { waitForVncBanner } from '../src-main/providers/vnc-readiness';
import { containerCpuMs, containerEngineCpuMs, containerIp, daemonsCpuMs, engineDaemons } from './engine-cpu';

type Options = Docker.ContainerCreateOptions;

/** Each variant drops one thing from the launch's options. */
const VARIANTS: Record<string, (o: Options) => Options> = {
  'as launched': (o) => o,
  'no init (docker-init)': (o) => ({ ...o, HostConfig: { ...o.HostConfig, Init: false } }),
  'no confinement (caps, no-new-privs, pids)': (o) => {
    const { CapDrop: _d, CapAdd: _a, SecurityOpt: _s, PidsLimit: _p, ...rest } = o.HostConfig!;
    return { ...o, HostConfig: rest };
  },
  'no published port (no docker-proxy)': (o) => ({ ...o, HostConfig: { ...o.HostConfig, PortBindings: {} } }),
  'network none (no sandbox, no veth)': (o) => ({ ...o, HostConfig: { ...o.HostConfig, PortBindings: {}, NetworkMode: 'none' } }),
  'bare (network none, no init, no confinement)': (o) => {
    const { CapDrop: _d, CapAdd: _a, SecurityOpt: _s, PidsLimit: _p, ShmSize: _m, ...rest } = o.HostConfig!;
    return { ...o, HostConfig: { ...rest, RestartPolicy: { Name: 'no' }, Init: false, PortBindings: {}, NetworkMode: 'none' } };
  },
};

export interface FloorSample {
  create: number;
  start: number;
  /** From start's return to the VNC banner, where the port is published. */
  banner?: number;
  /** CPU ms of the engine (daemons, the container's shim and proxy) for create + start. */
  engineCpu?: number;
  /** CPU ms of the container's processes until the banner. */
  containerCpu?: number;
}

/**
 * `rounds` rounds, each variant once per round (interleaved, so a busy minute hits all alike).
 * The containers carry `label` and are removed before this returns.
 */
export async function measureFloor(docker: Docker, image: string, label: string, rounds: number, only?: string[]): Promise<Record<string, FloorSample[]>> {
  const app = managedDockerConfigSchema.parse({ image, vncPort: 5901, shmSize: '256m' });
  const locale = await hostLocale();
  const variants = Object.entries(VARIANTS).filter(([name]) => !only || only.includes(name));
  const samples: Record<string, FloorSample[]> = Object.fromEntries(variants.map(([v]) => [v, []]));
  const daemons = await engineDaemons();
  for (let round = 0; round < rounds; round++) {
    for (const [variant, change] of variants) {
      const spec = { instanceId: `floor-${round}`, appId: 'floor', name: `${label}-${round}-${Object.keys(samples).indexOf(variant)}`, config: app, vncPassword: 'floor', desktopWidth: 1280, desktopHeight: 800 };
      const options = change(createOptions(spec, app, label, locale));
      const cpu0 = daemons && (await daemonsCpuMs(daemons));
      const t0 = performance.now();
      const container = await docker.createContainer({ ...options, Labels: { ...options.Labels, [label]: '1' } });
      const created = performance.now();
      try {
        await container.start();
        const started = performance.now();
        const cpu1 = daemons && (await daemonsCpuMs(daemons));
        const sample: FloorSample = { create: created - t0, start: started - created };
        const info = await container.inspect();
        const port = info.NetworkSettings.Ports?.['5901/tcp']?.[0]?.HostPort;
        // A banner that does not come (a machine far too busy) leaves the sample without one.
        if (port && (await waitForVncBanner('127.0.0.1', Number(port), 30_000).then(() => true, () => false))) {
          sample.banner = performance.now() - started;
          sample.containerCpu = (await containerCpuMs(container.id)) ?? undefined;
        }
        // Counted after the banner, out of its way; the shim and proxy are idle by then.
        if (cpu0 !== null && cpu1 !== null) sample.engineCpu = cpu1 - cpu0 + (await containerEngineCpuMs(container.id, containerIp(info)));
        samples[variant]!.push(sample);
      } finally {
        await container.remove({ force: true });
      }
    }
  }
  return samples;
}
