// The app schema's display parts: defaults that keep older apps and catalogue files valid,
// the RDP/embedded rule, the provider's display from the app's (password from the store),
// and the owner tag that keeps two installations apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { appInputSchema, catalogueEntrySchema } from '../../src-shared/app-config';
import { toProxmoxAppConfig, toProxmoxDisplay } from '../../src-main/providers/proxmox/app-settings';
import { editTags, ownerFromTags, ownerTag } from '../../src-main/providers/proxmox/proxmox-tags';
import { TAG } from '../fixtures/proxmox/params';

const INSTALLATION = '5d1e0c4a-2f3b-4a5c-9d8e-7f6a5b4c3d2e';

describe('app display settings', () => {
  it('are optional: an app without them gets the console and the global gateway', () => {
    const app = appInputSchema.parse({ name: 'VM', provider: 'proxmox', proxmox: { endpointId: 'pve', templateVmid: 9000 } });
    assert.deepEqual(app.display, { gateway: 'default', guacd: null, microphone: false });
    assert.ok(app.provider === 'proxmox');
    assert.deepEqual(app.proxmox.display, { kind: 'vncproxy' });
  });

  it('keep the packaged catalogue valid', () => {
    const file = JSON.parse(fs.readFileSync(path.join(__dirname, '../../resources/defaults/apps.json'), 'utf8')) as { apps: unknown[] };
    for (const entry of file.apps) assert.ok(catalogueEntrySchema.safeParse(entry).success, JSON.stringify(entry));
  });

  it('fill RDP defaults and refuse RDP with the embedded gateway', () => {
    const rdp = appInputSchema.parse({
      name: 'Win',
      provider: 'proxmox',
      proxmox: { endpointId: 'pve', mode: 'existing', vmid: 120, node: 'pve1', display: { kind: 'rdp' } },
    });
    assert.ok(rdp.provider === 'proxmox');
    assert.deepEqual(rdp.proxmox.display, { kind: 'rdp', port: 3389, username: '', domain: '', security: 'any', ignoreCert: false, driveRedirection: true });
    const bad = appInputSchema.safeParse({
      name: 'Win',
      provider: 'proxmox',
      display: { gateway: 'embedded' },
      proxmox: { endpointId: 'pve', mode: 'existing', vmid: 120, node: 'pve1', display: { kind: 'rdp' } },
    });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error!.issues[0]!.path, ['display', 'gateway']);
    assert.equal(appInputSchema.safeParse({ name: 'x', provider: 'docker', docker: { image: 'a' }, display: { gateway: 'guacd', guacd: { host: 'h', port: 0 } } }).success, false);
  });

  it("become the provider's display with the password the store holds", () => {
    assert.deepEqual(toProxmoxDisplay({ kind: 'vnc', host: 'pve1', port: 5977 }, 'pw'), { kind: 'vnc', host: 'pve1', port: 5977, password: 'pw' });
    assert.deepEqual(toProxmoxDisplay({ kind: 'vnc', host: 'pve1', port: 5977 }, undefined), { kind: 'vnc', host: 'pve1', port: 5977, password: '' });
    const app = appInputSchema.parse({
      name: 'VM',
      provider: 'proxmox',
      proxmox: { endpointId: 'pve', templateVmid: 9000, display: { kind: 'rdp', port: 3390 } },
    });
    assert.ok(app.provider === 'proxmox');
    assert.deepEqual(toProxmoxAppConfig(app.proxmox).display, { kind: 'rdp', port: 3390 });
  });
});

describe('owner tag', () => {
  it('is a valid Proxmox tag naming the installation, read back case-insensitively', () => {
    const tags = editTags('template', ['daas-desktop', ownerTag(INSTALLATION)]);
    for (const t of tags.split(';')) assert.match(t, TAG);
    assert.equal(ownerFromTags(tags), INSTALLATION);
    assert.equal(ownerFromTags(tags.toUpperCase()), INSTALLATION);
    assert.equal(ownerFromTags('daas-desktop;daas-instance-x'), undefined);
  });
});
