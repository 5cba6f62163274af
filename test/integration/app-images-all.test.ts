// The heavy built-in app images (full desktop, web browser, office), built through the app's
// own "Build image" path and started: only with DAAS_TEST_ALL_IMAGES=1 (they take many minutes
// and about 1.5 GB; CI builds base and editor only, test/e2e/single-app-window.test.ts uses those).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, docker, dockerExec, removeOwnedBy } from '../helpers/docker';
import { waitUntil } from '../helpers/x-apps';

const ALL = process.env.DAAS_TEST_ALL_IMAGES === '1';
const SKIP = !ALL && 'set DAAS_TEST_ALL_IMAGES=1 to build and start the full desktop, web browser and office images (many minutes, ~1.5 GB)';
if (SKIP) console.log(`# SKIPPED app-images-all: ${SKIP}`);

let core: Core;
before(async () => {
  if (ALL) core = await openCore(await tempDataDir());
});
after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
});

const CASES = [
  { appId: 'full-desktop', image: 'daas/xfce:latest', process: 'xfce4-panel', singleApp: false },
  { appId: 'web-browser', image: 'daas/firefox:latest', process: 'firefox-esr', singleApp: true },
  { appId: 'office', image: 'daas/office:latest', process: 'soffice.bin', singleApp: true },
];

for (const c of CASES) {
  test(`${c.appId}: builds from the catalogue, starts, and runs ${c.process}`, { skip: SKIP, timeout: 60 * 60_000 }, async (t) => {
    const started = Date.now();
    // The build runs in the background; its progress lines end with one marked done.
    const lines: string[] = [];
    const finished = new Promise<unknown>((resolve) => {
      const unsubscribe = core.subscribe((event) => {
        if (event.event !== 'image.progress' || event.payload.image !== c.image) return;
        lines.push(event.payload.line);
        if (!event.payload.done) return;
        unsubscribe();
        resolve(event.payload.error);
      });
    });
    await callCore(core, 'images.build', { appId: c.appId });
    assert.equal(await finished, null, lines.slice(-20).join('\n'));
    assert.ok(lines.some((l) => /Step 1\/\d+ : FROM daas\/base:latest/.test(l)), 'progress lines from the build');
    const size = (await docker.getImage(c.image).inspect()).Size;
    t.diagnostic(`${c.image}: built (or found current) in ${((Date.now() - started) / 1000).toFixed(0)} s, ${(size / 1e6).toFixed(0)} MB`);

    const instance = await callCore<Instance>(core, 'instances.start', { appId: c.appId });
    await waitForState(core, instance.id, 'running', 120_000);
    const [container] = await containersOf(instance.id);
    assert.ok(container);
    await waitUntil(async () => (await dockerExec(container.Id, ['pgrep', '-x', c.process.slice(0, 15)])).exitCode === 0, 90_000, `${c.process} running`);

    if (c.singleApp) {
      // Closing the application ends the instance (as its user: root in the container has no CAP_KILL).
      const closed = await dockerExec(container.Id, ['pkill', '-x', c.process.slice(0, 15)], 'desktop');
      assert.equal(closed.exitCode, 0, closed.output);
      const stopped = await waitForState(core, instance.id, 'stopped', 60_000);
      assert.equal(stopped.state, 'stopped');
    } else {
      // A desktop outlives any one program: closing the panel does not end it.
      await callCore(core, 'instances.stop', { instanceId: instance.id });
      await waitForState(core, instance.id, 'stopped', 60_000);
    }
    assert.deepEqual(await containersOf(instance.id), []);
  });
}
