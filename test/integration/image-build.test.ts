// Images: status per app, building from a recipe with progress, and readable refusals.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ImageStatus } from '../../src-shared/contract';
import type { App } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { DockerProvider } from '../../src-main/providers/docker/docker-provider';
import { BUILT_IN_RECIPES, baseImagesOf, ImageBuilder } from '../../src-main/providers/docker/image-builder';
import { docker } from '../helpers/docker';
import { openCore, tempDataDir, TEST_HOST as HOST } from '../helpers/core';

const TEST_IMAGE = 'daas/test-built:1';
const LAYER_BASE = 'daas/test-layer-base:1';
const LAYER_APP = 'daas/test-layer-app:1';
let core: Core;

before(async () => {
  core = await openCore(await tempDataDir());
});
after(async () => {
  await core?.close();
  for (const image of [TEST_IMAGE, LAYER_APP, LAYER_BASE]) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
});

test('images.status says which app images are present and which the app can build', async () => {
  const created = await core.handle('apps.create', { app: { name: 'Absent', provider: 'docker', docker: { image: 'example/absent:9' } } }, HOST);
  assert.ok(created.ok);
  const result = await core.handle('images.status', {}, HOST);
  assert.ok(result.ok);
  const status = result.result as ImageStatus[];
  assert.deepEqual(status.find((s) => s.appId === 'linux-desktop'), { appId: 'linux-desktop', image: 'daas/desktop:latest', present: true, buildable: true });
  const absent = status.find((s) => s.image === 'example/absent:9');
  assert.equal(absent?.present, false);
  assert.equal(absent?.buildable, false);

  const build = await core.handle('images.build', { appId: (created.result as App).id }, HOST);
  assert.equal(build.ok, false);
  if (!build.ok) {
    assert.equal(build.error.code, 'IMAGE_MISSING');
    assert.match(build.error.action, /docker pull example\/absent:9/);
  }
});

test('a recipe builds into an image, with progress lines', async () => {
  const recipes = await fs.mkdtemp(path.join(await tempDataDir(), 'recipes-'));
  await fs.mkdir(path.join(recipes, 'test'));
  await fs.writeFile(path.join(recipes, 'test', 'Dockerfile'), 'FROM daas/desktop:latest\nLABEL io.daas-desktop.test="built"\n');
  const builder = new ImageBuilder(recipes, { [TEST_IMAGE]: 'test' });
  const provider = new DockerProvider({ id: 'local', name: 'local', url: 'unix:///var/run/docker.sock', tls: null }, 'image-build-test');
  const lines: string[] = [];
  await builder.build(provider, TEST_IMAGE, (line) => lines.push(line));
  assert.ok(lines.some((l) => /Step 1\/2 : FROM daas\/desktop:latest/.test(l)), lines.join('\n'));
  const info = await docker.getImage(TEST_IMAGE).inspect();
  assert.equal(info.Config.Labels?.['io.daas-desktop.test'], 'built');
});

test('a failing recipe reports the build error and how to build offline', async () => {
  const recipes = await fs.mkdtemp(path.join(await tempDataDir(), 'recipes-'));
  await fs.mkdir(path.join(recipes, 'broken'));
  await fs.writeFile(path.join(recipes, 'broken', 'Dockerfile'), 'FROM daas/desktop:latest\nRUN exit 3\n');
  await fs.writeFile(path.join(recipes, 'broken', 'build-offline.sh'), '#!/bin/sh\n');
  const builder = new ImageBuilder(recipes, { 'daas/broken:1': 'broken' });
  const provider = new DockerProvider({ id: 'local', name: 'local', url: 'unix:///var/run/docker.sock', tls: null }, 'image-build-test');
  await assert.rejects(builder.build(provider, 'daas/broken:1', () => undefined), (err: { message: string; action: string }) => {
    assert.match(err.message, /Building daas\/broken:1 failed: .*returned a non-zero code: 3/);
    assert.match(err.action, /build-offline\.sh/);
    return true;
  });
});

test('a layered recipe builds its missing base first, in the same log', async () => {
  const recipes = await fs.mkdtemp(path.join(await tempDataDir(), 'recipes-'));
  await fs.mkdir(path.join(recipes, 'base'));
  await fs.mkdir(path.join(recipes, 'app'));
  await fs.writeFile(path.join(recipes, 'base', 'Dockerfile'), 'FROM daas/desktop:latest\nLABEL io.daas-desktop.test="base"\n');
  await fs.writeFile(path.join(recipes, 'app', 'Dockerfile'), `FROM ${LAYER_BASE}\nLABEL io.daas-desktop.test-app="app"\n`);
  const builder = new ImageBuilder(recipes, { [LAYER_BASE]: 'base', [LAYER_APP]: 'app' });
  const provider = new DockerProvider({ id: 'local', name: 'local', url: 'unix:///var/run/docker.sock', tls: null }, 'image-build-test');
  const lines: string[] = [];
  await builder.build(provider, LAYER_APP, (line) => lines.push(line));
  assert.ok(lines.some((l) => l === `Building ${LAYER_BASE} first (${LAYER_APP} builds on it)`), lines.join('\n'));
  const info = await docker.getImage(LAYER_APP).inspect();
  assert.equal(info.Config.Labels?.['io.daas-desktop.test'], 'base', 'the app image has the base layer');
  assert.equal(info.Config.Labels?.['io.daas-desktop.test-app'], 'app');
});

test('the built-in recipes name their base image, and each app recipe builds on daas/base', () => {
  assert.deepEqual(baseImagesOf('FROM daas/base:latest\nRUN true\n'), ['daas/base:latest']);
  assert.deepEqual(baseImagesOf('FROM --platform=linux/amd64 debian:bookworm AS build\nFROM build\nFROM scratch\n'), ['debian:bookworm', 'scratch']);
  for (const folder of ['editor', 'xfce', 'firefox', 'office']) {
    const dockerfile = readFileSync(path.join(__dirname, '../../resources/images', folder, 'Dockerfile'), 'utf8');
    assert.deepEqual(baseImagesOf(dockerfile), ['daas/base:latest'], folder);
    assert.equal(BUILT_IN_RECIPES[`daas/${folder}:latest`], folder);
  }
});

test('a failing layered recipe (no offline script of its own) says how to build it with its base', async () => {
  const recipes = await fs.mkdtemp(path.join(await tempDataDir(), 'recipes-'));
  await fs.mkdir(path.join(recipes, 'layered'));
  await fs.writeFile(path.join(recipes, 'layered', 'Dockerfile'), 'FROM daas/desktop:latest\nRUN exit 4\n');
  const builder = new ImageBuilder(recipes, { 'daas/broken-layered:1': 'layered' });
  const provider = new DockerProvider({ id: 'local', name: 'local', url: 'unix:///var/run/docker.sock', tls: null }, 'image-build-test');
  await assert.rejects(builder.build(provider, 'daas/broken-layered:1', () => undefined), (err: { message: string; action: string }) => {
    assert.match(err.message, /returned a non-zero code: 4/);
    assert.match(err.action, /sudo scripts\/ensure-app-images\.sh layered/);
    return true;
  });
});
