// Direct Docker access for tests: what really exists, independent of the app's own view.
import Docker from 'dockerode';
import { LABEL_INSTANCE, LABEL_MANAGED, LABEL_OWNER } from '../../src-main/providers/docker/docker-labels';

export const docker = new Docker({ socketPath: process.env.DAAS_DOCKER_SOCKET || '/var/run/docker.sock' });

export async function containersOf(instanceId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] } });
}

/** Removes every container the app created: tests must leave nothing behind. */
export async function removeAllManaged(): Promise<void> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
  await Promise.all(all.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/**
 * Removes the containers one installation (data folder) created: for tests that share the
 * engine with others running at the same time.
 */
export async function removeOwnedBy(owner: string): Promise<void> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${owner}`] } });
  await Promise.all(all.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/** Runs a command in a container and returns its exit code and output. */
export async function dockerExec(containerId: string, cmd: string[], user = 'root'): Promise<{ exitCode: number; output: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, User: user });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}
