// Pull image against a real registry on loopback: the core pulls an app's image with
// per-layer progress (image.progress events), the image is then on the engine and the app
// starts; a tag the registry lacks fails with a clear text; names Docker refuses are refused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ImageProgress, ImageStatus } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { docker, removeOwnedBy } from '../helpers/docker';
import { pushWithFreshLayer, startRegistry, type TestRegistry } from '../helpers/image-registry';

let core: Core;
let registry: TestRegistry;
const images: string[] = [];

before(async () => {
  registry = await startRegistry();
  core = await openCore(await tempDataDir());
});

after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
  for (const image of images) await docker.getImage(image).remove({ force: true, noprune: true }).catch(() => undefined);
  await registry?.close();
});

/** Every image.progress event of one app until its outcome. */
function progressUntilDone(appId: string): Promise<ImageProgress[]> {
  const seen: ImageProgress[] = [];
  return new Promise((resolve) => {
    const unsubscribe = core.subscribe((event) => {
      if (event.event !== 'image.progress' || event.payload.appId !== appId) return;
      seen.push(event.payload);
      if (event.payload.done) {
        unsubscribe();
        resolve(seen);
      }
    });
  });
}

const present = async (image: string) => docker.getImage(image).inspect().then(() => true, () => false);

test('an app whose image is missing pulls it from the registry with per-layer progress, then starts', async () => {
  const image = `${registry.address}/daas-pull-test:${randomBytes(4).toString('hex')}`;
  images.push(image);
  await pushWithFreshLayer('daas/desktop:latest', image);
  assert.equal(await present(image), false, 'the local tag is gone before the pull');

  const app = await callCore<App>(core, 'apps.create', { app: { name: 'Pulled desktop', provider: 'docker', docker: { image } } });
  const before = await callCore<ImageStatus[]>(core, 'images.status', {});
  assert.equal(before.find((s) => s.appId === app.id)?.present, false);
  await assert.rejects(callCore(core, 'instances.start', { appId: app.id }), (err: Error & { info?: { code: string } }) => err.info?.code === 'IMAGE_MISSING');

  const events = progressUntilDone(app.id);
  assert.deepEqual(await callCore(core, 'images.pull', { appId: app.id }), { image });
  const seen = await events;
  const last = seen.at(-1)!;
  assert.equal(last.error, null, `the pull failed: ${last.line}`);
  const layers = last.layers ?? [];
  assert.ok(layers.length >= 1, 'the layers were reported');
  for (const layer of layers) assert.match(layer.status, /complete|Already exists/, `layer ${layer.id}: ${layer.status}`);
  // The fresh layer (3 MiB) was downloaded with byte progress: some event saw it part-way.
  const partWay = seen.flatMap((e) => e.layers ?? []).filter((l) => l.total > 0 && l.current < l.total);
  assert.ok(partWay.length > 0 || layers.some((l) => l.total >= 3 * 1024 * 1024), 'a layer reported its bytes');
  assert.ok(seen.some((e) => /daas-pull-test/.test(e.line) || /Pulling from/.test(e.line)), 'the pull said what it pulls');

  assert.equal(await present(image), true, 'the image is on the engine');
  const after = await callCore<ImageStatus[]>(core, 'images.status', {});
  assert.equal(after.find((s) => s.appId === app.id)?.present, true);
  const instance = await callCore<Instance>(core, 'instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running');
  await callCore(core, 'instances.stop', { instanceId: instance.id });
});

test('a tag the registry does not have fails the pull with what Docker said and what to check', async () => {
  const image = `${registry.address}/daas-pull-test:missing-${randomBytes(4).toString('hex')}`;
  const app = await callCore<App>(core, 'apps.create', { app: { name: 'Not in the registry', provider: 'docker', docker: { image } } });
  const events = progressUntilDone(app.id);
  await callCore(core, 'images.pull', { appId: app.id });
  const last = (await events).at(-1)!;
  assert.ok(last.error, 'the outcome is an error');
  assert.match(last.error.message, new RegExp(`^Pulling ${image.replace(/[.:]/g, '\\$&')} failed: .*(not found|unknown)`, 'i'));
  assert.match(last.error.action, /image name .* registry/);
  assert.equal(await present(image), false);
});

test('an image name Docker would refuse is refused before any pull, with the rule', async () => {
  const app = await callCore<App>(core, 'apps.create', { app: { name: 'Upper case', provider: 'docker', docker: { image: 'Daas/Desktop:latest' } } });
  await assert.rejects(callCore(core, 'images.pull', { appId: app.id }), /not an image name Docker accepts.*lower-case letters/);
});
