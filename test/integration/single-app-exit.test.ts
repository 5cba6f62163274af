// A single-app container (the base image's xterm as the one application; real dockerd): quitting
// the application stops the instance for good. The engine itself does not start the container
// again (its restart policy is "on-failure" and the image exits 0), whether or not DaaS Desktop
// is there to remove it; a stop from outside exits 143, which that policy restarts after an
// engine restart (test/hostile/docker-engine-restart.test.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import type Docker from 'dockerode';
import type { Core } from '../../src-main/core';
import type { App, Instance } from '../../src-shared/model';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, docker, dockerExec, removeOwnedBy } from '../helpers/docker';
import { waitUntil } from '../helpers/x-apps';

const IMAGE = 'daas/base:latest';
const missing = !execFileSync('docker', ['images', '-q', IMAGE], { encoding: 'utf8' }).trim();

let core: Core;
let dataDir: string;
let app: App;

before(async () => {
  if (missing) return;
  dataDir = await tempDataDir();
  core = await openCore(dataDir);
  app = await callCore<App>(core, 'apps.create', { app: { name: 'One xterm', provider: 'docker', docker: { image: IMAGE, singleApp: true } } });
});

after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
});

async function startRunning(): Promise<{ instance: Instance; container: Docker.ContainerInfo }> {
  const instance = await callCore<Instance>(core, 'instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running');
  const [container] = await containersOf(instance.id);
  assert.ok(container);
  return { instance, container };
}

/**
 * Quits the one application inside, as closing its last window does. The instance is "running"
 * once the VNC server greets, which can be before the session has started the application.
 */
async function quitApp(containerId: string): Promise<void> {
  await waitUntil(async () => (await dockerExec(containerId, ['pgrep', '-x', 'xterm'], 'desktop')).exitCode === 0, 10_000, 'xterm to start');
  const quit = await dockerExec(containerId, ['pkill', '-x', 'xterm'], 'desktop');
  assert.equal(quit.exitCode, 0, quit.output);
}

/** The engine's actions on one container from now on. */
async function engineEvents(containerId: string): Promise<{ actions: string[]; stop(): void }> {
  const stream = (await docker.getEvents({ filters: { type: ['container'], container: [containerId] } })) as NodeJS.ReadableStream & { destroy(): void };
  const actions: string[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) actions.push((JSON.parse(line) as { Action: string }).Action);
  });
  return { actions, stop: () => stream.destroy() };
}

test('quitting the application stops the instance, and the engine does not start it again', { skip: missing && `${IMAGE} is missing: run scripts/ensure-app-images.sh` }, async () => {
  const { instance, container } = await startRunning();
  assert.equal((await docker.getContainer(container.Id).inspect()).HostConfig.RestartPolicy?.Name, 'on-failure');
  const events = await engineEvents(container.Id);
  try {
    await quitApp(container.Id);
    const stopped = await waitForState(core, instance.id, 'stopped');
    assert.match(stopped.stateReason ?? '', /stopped outside DaaS Desktop \(exit code 0\)/);
    assert.deepEqual(await containersOf(instance.id), [], 'its container is removed');
    await waitUntil(async () => events.actions.includes('destroy'), 10_000, 'the removal to be reported');
  } finally {
    events.stop(); // an open event stream would keep the test process alive
  }
  assert.deepEqual(
    events.actions.filter((a) => ['die', 'start', 'destroy'].includes(a)),
    ['die', 'destroy'],
    'died once and was removed, never started again in between',
  );
});

test('with DaaS Desktop closed, the quit application stays down: exited 0, no restart pending', { skip: missing && `${IMAGE} is missing` }, async () => {
  const { container } = await startRunning();
  await core.close();
  try {
    const events = await engineEvents(container.Id);
    try {
      await quitApp(container.Id);
      await waitUntil(async () => events.actions.includes('die'), 20_000, 'the container to die');
    } finally {
      events.stop();
    }
    // The engine decides before it reports `die`: a restart would show as "restarting" now.
    const { State, RestartCount } = await docker.getContainer(container.Id).inspect();
    assert.deepEqual({ status: State.Status, exitCode: State.ExitCode, restarts: RestartCount }, { status: 'exited', exitCode: 0, restarts: 0 });
  } finally {
    await docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
    core = await openCore(dataDir);
  }
});
