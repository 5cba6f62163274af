// A container's configuration for the Inspect tab (secrets masked here, in the main
// process) and the instance list's summary of it: image, endpoint, start time, ports.
import type Docker from 'dockerode';
import type { InstanceInspect, InstancePort } from '../../../src-shared/contract';
import { isLoopbackHost } from '../../loopback';
import { maskSecrets } from '../secret-mask';
import { LABEL_VNC_PORT } from './docker-labels';

/** Container ports without their host port: where the desktop is published stays a connection detail. */
function portsOf(info: Docker.ContainerInspectInfo): InstancePort[] {
  const desktop = info.Config.Labels?.[LABEL_VNC_PORT] ?? '5901';
  const exposed = new Set([...Object.keys(info.Config.ExposedPorts ?? {}), ...Object.keys(info.NetworkSettings.Ports ?? {})]);
  return [...exposed].sort().map((key) => {
    const [port, protocol = 'tcp'] = key.split('/');
    const bindings = info.NetworkSettings.Ports?.[key] ?? [];
    return {
      port: Number(port),
      protocol,
      published: bindings.length > 0,
      loopbackOnly: bindings.length > 0 && bindings.every((b) => isLoopbackHost(b.HostIp)),
      desktop: port === desktop && protocol === 'tcp',
    };
  });
}

export function describeContainer(info: Docker.ContainerInspectInfo, endpointName: string): InstanceInspect {
  const { value, masked } = maskSecrets(info);
  const startedAt = info.State.Running && info.State.StartedAt && !info.State.StartedAt.startsWith('0001') ? info.State.StartedAt : null;
  return {
    summary: { image: info.Config.Image, endpoint: endpointName, startedAt, ports: portsOf(info) },
    config: JSON.stringify(value, null, 2),
    masked,
  };
}
