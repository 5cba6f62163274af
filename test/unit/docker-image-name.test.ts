// Docker's image reference rule, as the editor and images.pull apply it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDockerImageName } from '../../src-shared/docker-image-name';

test('names Docker accepts', () => {
  for (const name of [
    'daas/desktop:latest',
    'ubuntu',
    'registry.example.com:5000/team/desktop:1.2',
    '127.0.0.1:5000/x',
    'localhost/app:v1',
    'a__b/c-d.e_f:T_a.g-1',
    `busybox@sha256:${'a'.repeat(64)}`,
    'Registry.Example.com/app', // a registry host may have upper case
  ]) {
    assert.equal(isDockerImageName(name), true, name);
  }
});

test('names Docker refuses (upper case, stray separators, bad tags)', () => {
  for (const name of ['Daas/Desktop:latest', 'daas/Desktop', 'Team/app', 'daas//desktop', '-daas/desktop', 'daas/desktop:', 'daas/desktop:-x', 'daas desktop', 'daas/desktop:latest:again', `x:${'t'.repeat(129)}`, 'a'.repeat(256), '']) {
    assert.equal(isDockerImageName(name), false, name);
  }
});
