// VM apps' display options through the core, against the Proxmox emulator backed by real QEMU:
// direct VNC to a VNC display the VM host exposes (real QEMU pixels), RDP to the guest agent's
// address through guacd (a STAND-IN guacd that checks the connect arguments: no guacd and no
// RDP server can run here), the display password sealed and never shown, and two installations
// on one cluster leaving each other's clones alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DisplayTicket, ProxmoxEndpointView } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { Core } from '../../src-main/core';
import { DATABASE_FILE } from '../../src-main/store/database';
import { startTestCluster, TEMPLATE_VMID, TOKEN_ID, type TestCluster } from '../fixtures/proxmox/setup';
import { callCore, tempDataDir, testSettings, waitForState } from '../helpers/core';
import { GuacTestClient, litPixels } from '../helpers/guac-client';
import { GUACD_RDP_ARGS, StandInGuacd } from '../helpers/standin-guacd';
import { standInKeychain } from '../helpers/stand-in-keychain';
import { freePort } from '../helpers/xvnc';

const VNC_PASSWORD = 'Dv-pass1';
const RDP_PASSWORD = 'Rdp-Secret-7731';
const DIRECT_VMID = 130;
const RDP_VMID = 131;
const GUEST_ADDRESS = '192.0.2.41';

let cluster: TestCluster;
let guacd: StandInGuacd;
let dataDir: string;
let core: Core;
let endpoint: ProxmoxEndpointView;
let vncPort: number;
const extraCores: Core[] = [];

const call = <T>(channel: string, payload: unknown, on: Core = core) => callCore<T>(on, channel, payload);

before(async () => {
  cluster = await startTestCluster();
  guacd = await StandInGuacd.start();
  // What a Proxmox admin sets as root for a direct VNC display (`qm set 130 --args ...`):
  // a second VNC server with its own password next to the console's. The emulator binds the
  // 0.0.0.0 display to loopback (see emulatedArgs); QEMU itself serves it.
  vncPort = await freePort();
  cluster.emu.addVm({
    vmid: DIRECT_VMID,
    node: 'pve2',
    name: 'direct-vnc',
    args: `-object secret,id=vncpw,data=${VNC_PASSWORD} -vnc 0.0.0.0:${vncPort - 5900},password-secret=vncpw`,
  });
  // A guest whose agent reports its LAN address (a Windows VM with RDP enabled).
  cluster.emu.addVm({ vmid: RDP_VMID, node: 'pve1', name: 'windows-rdp', guestNetwork: [{ name: 'Ethernet', ipv4: GUEST_ADDRESS }] });
  dataDir = await tempDataDir();
  core = await Core.open(testSettings(dataDir), { secrets: standInKeychain });
  endpoint = await call<ProxmoxEndpointView>('proxmox.endpoints.save', {
    name: 'Lab',
    url: cluster.emu.url,
    authKind: 'token',
    principal: TOKEN_ID,
    secret: cluster.secret,
    tls: 'pinned',
    fingerprint: cluster.emu.fingerprint256,
  });
});

after(async () => {
  await core?.close();
  for (const c of extraCores) await c.close();
  await guacd?.close();
  await cluster?.emu.close();
});

/** The database and its write-ahead log as bytes (what a thief copying the folder gets). */
function rawDatabase(): Buffer {
  const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`].map((f) => path.join(dataDir, f)).filter((f) => fs.existsSync(f));
  return Buffer.concat(files.map((f) => fs.readFileSync(f)));
}

describe('direct VNC', () => {
  let app: App;

  it('a VM app showing a VNC display the VM host exposes: real QEMU pixels, the password never handed out', async () => {
    app = await call<App>('apps.create', {
      app: {
        name: 'Direct VNC VM',
        provider: 'proxmox',
        proxmox: {
          endpointId: endpoint.id,
          mode: 'existing',
          vmid: DIRECT_VMID,
          node: 'pve2',
          display: { kind: 'vnc', host: '127.0.0.1', port: vncPort, password: VNC_PASSWORD },
        },
      },
    });
    assert.equal(app.displayPasswordSet, true);
    assert.ok(app.provider === 'proxmox' && app.proxmox.display.kind === 'vnc' && app.proxmox.display.password === undefined);
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 30_000);
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    assert.ok(!JSON.stringify(ticket).includes(VNC_PASSWORD), 'the ticket carries no readable password');
    assert.ok((await litPixels(ticket)) > 100, "the SeaBIOS screen arrives from QEMU's own VNC server");
    const tags = cluster.emu.vmList().find((vm) => vm.vmid === DIRECT_VMID)?.tags ?? '';
    assert.ok(tags.includes(`daas-owner-${core.installationId}`) && tags.includes(`daas-instance-${instance.id}`), tags);
    const connection = await core.instances.getConnection(instance.id);
    assert.notEqual(connection?.password, VNC_PASSWORD, "the app's password is not copied into the instance's connection row");
    // SeaBIOS ignores ACPI power-off, so a graceful stop of an existing VM would wait out the
    // 60 s shutdown timeout: stop it hard.
    await call('instances.forceStop', { instanceId: instance.id });
    await waitForState(core, instance.id, 'stopped', 60_000);
    assert.equal(cluster.emu.vmList().find((vm) => vm.vmid === DIRECT_VMID)?.running, false);
  });

  it('the password is write-only: not listed, not exported, sealed in SQLite; kept when not sent, removed with null', async () => {
    const listed = JSON.stringify(await call('apps.list', {}));
    assert.ok(!listed.includes(VNC_PASSWORD), 'apps.list never carries it');
    const exported = await call<{ json: string }>('catalogue.export', {});
    assert.ok(!exported.json.includes(VNC_PASSWORD), 'the exported catalogue never carries it');
    assert.ok(!exported.json.includes('displayPasswordSet'));
    assert.ok(!rawDatabase().includes(Buffer.from(VNC_PASSWORD)), 'not plain anywhere in the database file');
    assert.equal(await core.apps.displayPassword(app.id), VNC_PASSWORD);

    // An edit from the window sends no password: the stored one stays.
    const { id: _id, builtIn: _b, managed: _m, displayPasswordSet: _s, ...config } = app;
    const renamed = await call<App>('apps.update', { appId: app.id, app: { ...config, name: 'Direct VNC (renamed)' } });
    assert.equal(renamed.displayPasswordSet, true);
    assert.equal(await core.apps.displayPassword(app.id), VNC_PASSWORD);
    // null removes it.
    const proxmox = (config as Extract<App, { provider: 'proxmox' }>).proxmox;
    const cleared = await call<App>('apps.update', {
      appId: app.id,
      app: { ...config, proxmox: { ...proxmox, display: { ...proxmox.display, password: null } } },
    });
    assert.equal(cleared.displayPasswordSet, false);
    assert.equal(await core.apps.displayPassword(app.id), undefined);
  });
});

describe('RDP through guacd', () => {
  it("connects guacd to the guest agent's address with the app's RDP settings, by guacd's parameter names", async () => {
    const app = await call<App>('apps.create', {
      app: {
        name: 'Windows VM',
        provider: 'proxmox',
        display: { gateway: 'guacd', guacd: { host: guacd.host, port: guacd.port } },
        proxmox: {
          endpointId: endpoint.id,
          mode: 'existing',
          vmid: RDP_VMID,
          node: 'pve1',
          display: { kind: 'rdp', username: 'alice', domain: 'EXAMPLE', security: 'nla', ignoreCert: true, password: RDP_PASSWORD },
        },
      },
    });
    assert.ok(!JSON.stringify(await call('apps.list', {})).includes(RDP_PASSWORD));
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 30_000);
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id, width: 1024, height: 768 });
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=1024&height=768&dpi=96`);
    try {
      const [handshake] = await guacd.waitForHandshakes(1);
      assert.equal(handshake!.select, 'rdp');
      assert.deepEqual(handshake!.options.map((o) => o[0]).slice(0, 4), ['size', 'audio', 'video', 'image'], 'client options before connect');
      assert.match(handshake!.connectValues[0]!, /^VERSION_\d+_\d+_\d+$/, 'connect answers the version first');
      assert.equal(handshake!.connectValues.length, 1 + GUACD_RDP_ARGS.length, 'one value per announced name');
      const p = handshake!.parameters;
      assert.equal(p.hostname, GUEST_ADDRESS, "the address the guest agent reported (not loopback)");
      assert.equal(p.port, '3389');
      assert.equal(p.username, 'alice');
      assert.equal(p.domain, 'EXAMPLE');
      assert.equal(p.security, 'nla');
      assert.equal(p['ignore-cert'], 'true');
      assert.equal(p.password, RDP_PASSWORD);
      // Values sit at the positions args announced: check one by index too.
      assert.equal(handshake!.connectValues[1 + 4], 'alice', 'username is the 5th announced name');
      await viewer.waitForOpcode('ready').catch(() => undefined);
    } finally {
      await viewer.close();
    }
    await call('instances.forceStop', { instanceId: instance.id });
    await waitForState(core, instance.id, 'stopped', 60_000);
    const vm = cluster.emu.vmList().find((v) => v.vmid === RDP_VMID);
    assert.ok(vm && !vm.tags?.includes('daas-owner-'), 'an existing VM loses its owner and instance tags on stop');
  });

  it("guacd's RDP sound and microphone follow the settings audio and microphone and the app's microphone option", async () => {
    const input = {
      name: 'Windows VM with sound',
      provider: 'proxmox',
      display: { gateway: 'guacd', guacd: { host: guacd.host, port: guacd.port }, microphone: true },
      proxmox: { endpointId: endpoint.id, mode: 'existing', vmid: RDP_VMID, node: 'pve1', display: { kind: 'rdp' } },
    };
    const app = await call<App>('apps.create', { app: input });
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 30_000);
    /** What the stand-in guacd receives for one viewer under the given settings (and app option). */
    const handshakeWith = async (settings: { audio: boolean; microphone: boolean }, readOnly = false) => {
      await call('settings.update', settings);
      const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id, width: 800, height: 600, ...(readOnly ? { readOnly } : {}) });
      const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
      try {
        const all = await guacd.waitForHandshakes(guacd.handshakes.length + 1);
        const handshake = all.at(-1)!;
        // By guacd's own names, at the positions it announced them.
        const at = (name: string) => handshake.connectValues[1 + GUACD_RDP_ARGS.indexOf(name as (typeof GUACD_RDP_ARGS)[number])];
        return { disableAudio: at('disable-audio'), enableAudioInput: at('enable-audio-input') };
      } finally {
        await viewer.close();
      }
    };
    try {
      assert.deepEqual(await handshakeWith({ audio: true, microphone: false }), { disableAudio: '', enableAudioInput: '' }, 'sound on, no microphone (policy off)');
      assert.deepEqual(await handshakeWith({ audio: true, microphone: true }), { disableAudio: '', enableAudioInput: 'true' }, 'policy and app allow the microphone');
      assert.deepEqual(await handshakeWith({ audio: true, microphone: true }, true), { disableAudio: '', enableAudioInput: '' }, 'a watcher gets no microphone');
      assert.deepEqual(await handshakeWith({ audio: false, microphone: false }), { disableAudio: 'true', enableAudioInput: '' }, 'policy audio off');
      await call('apps.update', { appId: app.id, app: { ...input, display: { ...input.display, microphone: false } } });
      assert.deepEqual(await handshakeWith({ audio: true, microphone: true }), { disableAudio: '', enableAudioInput: '' }, "the app's option off");
    } finally {
      await call('settings.update', { audio: true, microphone: false });
      await call('instances.forceStop', { instanceId: instance.id });
      await waitForState(core, instance.id, 'stopped', 60_000);
    }
  });

  it('an RDP app cannot choose the embedded gateway', async () => {
    await assert.rejects(
      call('apps.create', {
        app: {
          name: 'Bad RDP',
          provider: 'proxmox',
          display: { gateway: 'embedded' },
          proxmox: { endpointId: endpoint.id, mode: 'existing', vmid: RDP_VMID, node: 'pve1', display: { kind: 'rdp' } },
        },
      }),
      /RDP needs guacd/,
    );
  });
});

describe('two installations on one cluster', () => {
  it("a clone tagged by installation B is left alone by installation A's reconcile", async () => {
    const dirB = await tempDataDir();
    const coreB = await Core.open(testSettings(dirB));
    extraCores.push(coreB);
    assert.notEqual(coreB.installationId, core.installationId);
    const endpointB = await call<ProxmoxEndpointView>(
      'proxmox.endpoints.save',
      { name: 'Lab', url: cluster.emu.url, authKind: 'token', principal: TOKEN_ID, secret: cluster.secret, tls: 'pinned', fingerprint: cluster.emu.fingerprint256 },
      coreB,
    );
    const appB = await call<App>(
      'apps.create',
      { app: { name: 'B desktop', provider: 'proxmox', proxmox: { endpointId: endpointB.id, mode: 'clone', templateVmid: TEMPLATE_VMID } } },
      coreB,
    );
    const instanceB = await call<Instance>('instances.start', { appId: appB.id }, coreB);
    await waitForState(coreB, instanceB.id, 'running', 30_000);
    const clone = cluster.emu.vmList().find((vm) => vm.tags?.includes(`daas-instance-${instanceB.id}`));
    assert.ok(clone, 'B cloned');
    assert.ok(clone.tags?.includes(`daas-owner-${coreB.installationId}`), 'the clone names its installation');
    assert.ok(clone.tags?.includes('daas-desktop'));

    // A, with orphan policy "remove" (the default) and also "adopt", reconciles the same cluster.
    for (const orphanPolicy of ['remove', 'adopt'] as const) {
      await call('settings.update', { orphanPolicy });
      for (const entry of core.providers.all().filter((e) => e.kind === 'proxmox')) await core.reconcileEndpoint(entry);
      assert.ok(cluster.emu.vmList().some((vm) => vm.vmid === clone.vmid && vm.running), `B's clone survives A's reconcile (${orphanPolicy})`);
      assert.ok(!(await core.instances.list()).some((i) => i.id === instanceB.id), 'A did not adopt it');
    }
    await call('settings.update', { orphanPolicy: 'remove' });
    assert.equal((await coreB.instances.get(instanceB.id))?.state, 'running');

    // A clone from a version before owner tags, with no row in A: also left alone.
    const legacyId = '0b7a3a52-6d1e-4d8e-9a53-3f1f7e0c0d11';
    cluster.emu.addVm({ vmid: 777, node: 'pve1', name: 'legacy', tags: `daas-desktop;daas-instance-${legacyId};daas-app-old` });
    for (const entry of core.providers.all().filter((e) => e.kind === 'proxmox')) await core.reconcileEndpoint(entry);
    assert.ok(cluster.emu.vmList().some((vm) => vm.vmid === 777), 'an unowned legacy clone is not deleted by an installation that has no row for it');

    await call('instances.stop', { instanceId: instanceB.id }, coreB);
    assert.ok(!cluster.emu.vmList().some((vm) => vm.vmid === clone.vmid), 'B deletes its own clone');
  });
});
