// The Proxmox provider against the API emulator, with a real QEMU behind every running VM:
// clone -> start -> the SeaBIOS screen through the embedded gateway -> stop -> deleted; and
// what goes wrong: failing tasks, ID races, locks, stops during a start, crashes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DisplayService } from '../../src-main/display/display-service';
import { vncAuthResponse } from '../../src-main/rfb/vnc-auth';
import type { LaunchSpec, ResourceEvent } from '../../src-main/providers/provider';
import { ProxmoxError } from '../../src-main/providers/proxmox/proxmox-errors';
import { ProxmoxProgress, ProxmoxProvider, ProxmoxProviderOptions } from '../../src-main/providers/proxmox/proxmox-provider';
import type { ProxmoxAppConfig } from '../../src-main/providers/proxmox/proxmox-settings';
import { GuacCanvas } from '../helpers/guac-canvas';
import { GuacTestClient } from '../helpers/guac-client';
import { ALL_VM_PRIVILEGES } from '../fixtures/proxmox/emulator';
import { EXISTING_VMID, pidAlive, POOL, startTestCluster, TEMPLATE_VMID, TestCluster } from '../fixtures/proxmox/setup';

const LINKED: ProxmoxAppConfig = {
  mode: 'clone',
  templateVmid: TEMPLATE_VMID,
  node: 'least-loaded',
  full: false,
  namePattern: 'daas-{app}-{instance}',
  onStop: 'delete',
};

function spec(config: ProxmoxAppConfig, password = 'Pw-12345'): LaunchSpec {
  const instanceId = randomUUID();
  return { instanceId, appId: 'win-desk', name: `daas-${instanceId}`, config, vncPassword: password, desktopWidth: 1024, desktopHeight: 768 };
}

/** Reads the bridge's RFB banner and tries VNC Authentication with `password`: 0 = accepted. */
function rfbLogin(port: number, password: string): Promise<{ banner: string; result: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    let stage = 0;
    let banner = '';
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 0 && buf.length >= 12) {
        banner = buf.subarray(0, 12).toString('latin1');
        buf = buf.subarray(12);
        socket.write('RFB 003.008\n');
        stage = 1;
      }
      if (stage === 1 && buf.length >= 1 && buf.length >= 1 + buf[0]!) {
        assert.ok([...buf.subarray(1, 1 + buf[0]!)].includes(2), 'VNC Authentication offered');
        buf = buf.subarray(1 + buf[0]!);
        socket.write(Buffer.from([2]));
        stage = 2;
      }
      if (stage === 2 && buf.length >= 16) {
        socket.write(vncAuthResponse(password, buf.subarray(0, 16)));
        buf = buf.subarray(16);
        stage = 3;
      }
      if (stage === 3 && buf.length >= 4) {
        socket.destroy();
        resolve({ banner, result: buf.readUInt32BE(0) });
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed at stage ${stage}`)));
  });
}

function nonBlackPixels(canvas: GuacCanvas): number {
  let n = 0;
  for (let i = 0; i < canvas.rgba.length; i += 4) if (canvas.rgba[i]! + canvas.rgba[i + 1]! + canvas.rgba[i + 2]! > 0) n++;
  return n;
}

describe('Proxmox provider against the emulator (real QEMU)', () => {
  let cluster: TestCluster;
  let display: DisplayService;
  const providers: ProxmoxProvider[] = [];
  const progress: ProxmoxProgress[] = [];

  const provider = (options: ProxmoxProviderOptions = {}, endpoint = cluster.tokenEndpoint()): ProxmoxProvider => {
    const p = new ProxmoxProvider(endpoint, {
      timeouts: { lockWaitMs: 1_000 },
      shutdownTimeoutSec: 1,
      onProgress: (e) => progress.push(e),
      ...options,
    });
    providers.push(p);
    return p;
  };
  const vmids = () => cluster.emu.vmList().map((v) => v.vmid).sort((a, b) => a - b);

  before(async () => {
    cluster = await startTestCluster();
    display = await DisplayService.start({ connectRetries: 0 });
  });

  after(async () => {
    await Promise.all(providers.map((p) => p.close()));
    await display?.close();
    const pids = cluster?.emu.qemuPids() ?? [];
    await cluster?.emu.close();
    for (const pid of pids) assert.equal(pidAlive(pid), false, `QEMU ${pid} outlived the emulator`);
  });

  it('clones, starts, shows the SeaBIOS screen through the gateway, stops and deletes the clone', async () => {
    const p = provider();
    const s = spec(LINKED);
    const created: string[] = [];
    const t0 = performance.now();
    const launched = await p.launch(s, async (resourceId) => void created.push(resourceId));
    const cloneToRunning = performance.now() - t0;

    // Linked clone on the idle node, named by the pattern, tagged so it is found again.
    const vm = cluster.emu.vmList().find((v) => v.vmid === launched.vmid)!;
    assert.equal(launched.node, 'pve2');
    assert.deepEqual(created, [`pve2/${launched.vmid}`]);
    assert.equal(vm.node, 'pve2');
    assert.equal(vm.linkedFrom, TEMPLATE_VMID);
    assert.equal(vm.name, `daas-win-desk-${s.instanceId.slice(0, 8)}`);
    assert.equal(vm.tags, ['daas-app-win-desk', 'daas-desktop', `daas-instance-${s.instanceId}`, 'template'].join(';'));
    assert.ok(vm.running && vm.pid && pidAlive(vm.pid), 'a real QEMU runs the clone');
    assert.deepEqual(await p.listOwned(), [{ resourceId: `pve2/${launched.vmid}`, instanceId: s.instanceId, appId: 'win-desk', running: true }]);
    assert.equal(launched.host, '127.0.0.1');
    assert.ok(progress.some((e) => e.instanceId === s.instanceId && e.step === 'clone' && /create linked clone of drive scsi0/.test(e.message)));

    // The bridge wants the instance's password, not Proxmox's one-time one.
    assert.equal((await rfbLogin(launched.port, 'wrong-pw')).result, 1);
    const ok = await rfbLogin(launched.port, s.vncPassword);
    assert.deepEqual(ok, { banner: 'RFB 003.008\n', result: 0 });

    const ticket = display.issueTicket(s.instanceId, { host: launched.host, port: launched.port, password: s.vncPassword });
    const t1 = performance.now();
    const client = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=1024&height=768&dpi=96`);
    const canvas = new GuacCanvas();
    let drawn = 0;
    await client.waitFor(
      () => {
        for (const ins of client.instructions.slice(drawn)) canvas.apply(ins);
        drawn = client.instructions.length;
        return client.images.length > 0 && nonBlackPixels(canvas) > 500;
      },
      20_000,
      'an img with the SeaBIOS text',
    );
    const firstFrame = performance.now() - t1;
    assert.ok(canvas.width >= 640 && canvas.height >= 400, `VGA text mode, got ${canvas.width}x${canvas.height}`);
    assert.ok(!client.instructions.some((i) => i[0] === 'error'), 'no Guacamole error');
    await client.close();
    console.log(`proxmox: clone -> running ${cloneToRunning.toFixed(0)} ms; connect -> first non-black frame ${firstFrame.toFixed(0)} ms`);

    const pid = vm.pid!;
    const t2 = performance.now();
    await p.remove(s.instanceId);
    console.log(`proxmox: stop + delete ${(performance.now() - t2).toFixed(0)} ms`);
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID], 'the clone is gone from the cluster');
    assert.equal(pidAlive(pid), false, 'its QEMU is gone');
    assert.deepEqual(await p.listOwned(), []);
    await assert.rejects(rfbLogin(launched.port, s.vncPassword), 'the bridge is closed');
  });

  it('a wrong token gives a readable error and creates nothing', async () => {
    const before = cluster.emu.requests.length;
    const p = provider({}, { ...cluster.tokenEndpoint(), auth: { tokenId: 'daas@pve!desktop', secret: randomUUID() } });
    await assert.rejects(p.preflight(), (err: ProxmoxError) => {
      assert.equal(err.code, 'PROVIDER_FAILED');
      assert.equal(err.kind, 'auth');
      const reason = cluster.emu.behaviour.uniformAuthFailure ? 'Authentication failed!' : 'invalid token value!';
      assert.equal(err.message, `Proxmox VE rejected the API token daas@pve!desktop (${reason}).`);
      assert.match(err.action, /token ID \(USER@REALM!TOKENID\) and its secret/);
      return true;
    });
    await assert.rejects(p.launch(spec(LINKED), async () => assert.fail('nothing may be created')), { kind: 'auth' });
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
    const calls = cluster.emu.requests.slice(before);
    assert.ok(calls.length > 0 && calls.every((r) => r.status === 401), JSON.stringify(calls));
  });

  it('a clone that fails after Proxmox left the VM on the target node: the provider deletes it', async () => {
    const p = provider();
    cluster.emu.faults.failNextTask('qmclone', { at: 'pool', message: "can't add VM to pool 'desktops'" });
    const before = cluster.emu.requests.length;
    await assert.rejects(
      p.launch(spec({ ...LINKED, node: 'pve2', pool: POOL }), async () => undefined),
      (err: ProxmoxError) => {
        assert.equal(err.kind, 'task');
        assert.equal(err.proxmoxMessage, "clone failed: can't add VM to pool 'desktops'");
        assert.match(err.message, /^Proxmox VE could not clone VM 9000 to \d+: clone failed: can't add VM to pool 'desktops'\.$/);
        return true;
      },
    );
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID], 'no orphan');
    assert.ok(
      cluster.emu.requests.slice(before).some((r) => r.method === 'DELETE' && /^\/nodes\/pve2\/qemu\/\d+$/.test(r.path) && r.status === 200),
      'the provider deleted what Proxmox left',
    );
  });

  it('a clone that fails while copying disks: Proxmox cleans up, the provider deletes nothing else', async () => {
    const p = provider();
    cluster.emu.faults.failNextTask('qmclone', { at: 'disk', message: 'storage ceph-vm: out of space' });
    const before = cluster.emu.requests.length;
    await assert.rejects(p.launch(spec({ ...LINKED, full: true }), async () => undefined), { proxmoxMessage: 'clone failed: storage ceph-vm: out of space' });
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
    assert.ok(!cluster.emu.requests.slice(before).some((r) => r.method === 'DELETE'));
  });

  it('a start that fails: the clone is deleted', async () => {
    const p = provider();
    cluster.emu.faults.failNextTask('qmstart', { message: 'start failed: QEMU exited with code 1' });
    const s = spec(LINKED);
    await assert.rejects(p.launch(s, async () => undefined), { kind: 'task', proxmoxMessage: 'start failed: QEMU exited with code 1' });
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
    assert.match(await p.tail(s.instanceId, 5), /TASK ERROR: start failed: QEMU exited with code 1/);
  });

  it('another client taking the next id: Proxmox says so, the provider retries, the other VM is untouched', async () => {
    const p = provider();
    cluster.emu.faults.raceNextId();
    const s = spec(LINKED);
    const launched = await p.launch(s, async () => undefined);
    const foreign = cluster.emu.vmList().find((v) => v.name === 'someone-elses-vm');
    assert.ok(foreign && foreign.vmid !== launched.vmid);
    assert.ok(
      cluster.emu.requests.some((r) => r.method === 'POST' && r.path.endsWith('/clone') && r.status === 500),
      'the first clone was refused with "already exists"',
    );
    await p.remove(s.instanceId);
    assert.ok(cluster.emu.vmList().some((v) => v.vmid === foreign.vmid), 'never deletes what is not its own');
    cluster.emu.cluster.vms.delete(foreign.vmid);
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });

  it('a clone on another node taking the id inside the clone task: the provider retries with a new id', async () => {
    const p = provider();
    cluster.emu.faults.raceCloneId();
    const s = spec(LINKED);
    const stored: string[] = [];
    const launched = await p.launch(s, async (resourceId) => void stored.push(resourceId));
    const foreign = cluster.emu.vmList().find((v) => v.name === 'someone-elses-clone')!;
    assert.ok(foreign && foreign.vmid !== launched.vmid);
    assert.deepEqual(stored.at(-1), `${launched.node}/${launched.vmid}`, 'the resource id stored last is the clone that worked');
    assert.equal(cluster.emu.vmList().find((v) => v.vmid === launched.vmid)!.running, true);
    await p.remove(s.instanceId);
    assert.ok(cluster.emu.vmList().some((v) => v.vmid === foreign.vmid), 'never deletes what is not its own');
    cluster.emu.cluster.vms.delete(foreign.vmid);
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });

  it('a clone worker that died leaves a locked VM: the error names it and says how to clear it', async () => {
    const p = provider();
    cluster.emu.faults.failNextTask('qmclone', { at: 'killed', message: '' });
    await assert.rejects(p.launch(spec(LINKED), async () => undefined), (err: ProxmoxError) => {
      assert.match(err.message, /unexpected status\. Then: VM (\d+) on pve1 is locked \(clone\), so DaaS Desktop cannot remove it\./);
      assert.match(err.action, /qm unlock \d+/);
      return true;
    });
    const locked = cluster.emu.vmList().find((v) => v.lock === 'clone')!;
    cluster.emu.cluster.vms.delete(locked.vmid);
  });

  it('a stop while the clone is still copying cancels the start and leaves nothing', async () => {
    const p = provider();
    cluster.emu.faults.slowTask('qmclone', 1_000);
    const s = spec(LINKED);
    const launching = p.launch(s, async () => undefined).then(
      () => assert.fail('the start must not succeed'),
      (err: Error) => err,
    );
    await new Promise((r) => setTimeout(r, 300));
    await p.remove(s.instanceId);
    assert.match((await launching).message, /stopped while it was starting/);
    cluster.emu.faults.slowTask('qmclone', 0);
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
    assert.deepEqual(cluster.emu.qemuPids(), []);
  });

  it('a clone asked to share the clipboard carries vga clipboard=vnc (the template type kept); one not asked does not', async () => {
    // Setting `vga` takes VM.Config.HWType, which the other tests' token lacks: it is refused by name, and nothing stays.
    const before = vmids();
    await assert.rejects(provider().launch(spec({ ...LINKED, clipboard: true }), async () => undefined), /VNC clipboard of VM \d+: .*VM\.Config\.HWType/);
    assert.deepEqual(vmids(), before);
    const secret = randomUUID();
    const acl = { '/': [...ALL_VM_PRIVILEGES, 'VM.Config.HWType'] };
    cluster.emu.addUser('clip@pve', randomUUID(), acl);
    cluster.emu.addToken('clip@pve!desktop', secret, acl);
    const p = provider({}, { ...cluster.tokenEndpoint(), auth: { tokenId: 'clip@pve!desktop', secret } });
    const shared = spec({ ...LINKED, clipboard: true });
    const plain = spec(LINKED);
    const a = await p.launch(shared, async () => undefined);
    const b = await p.launch(plain, async () => undefined);
    assert.equal(cluster.emu.cluster.vms.get(a.vmid)!.vga, 'std,clipboard=vnc');
    assert.equal(cluster.emu.cluster.vms.get(b.vmid)!.vga, undefined);
    await p.remove(shared.instanceId);
    await p.remove(plain.instanceId);
  });

  it('full clones report their progress; "keep" clones are shut down and kept, untagged', async () => {
    const p = provider();
    const s = spec({ ...LINKED, full: true, onStop: 'keep', node: undefined });
    const launched = await p.launch(s, async () => undefined);
    assert.equal(launched.node, 'pve1', "without a node, the template's node");
    const lines = progress.filter((e) => e.instanceId === s.instanceId && e.step === 'clone').map((e) => e.message);
    assert.ok(lines.some((l) => /^transferred .* of 4\.0 GiB \(\d+\.\d\d%\)$/.test(l)), lines.join('\n'));
    await p.remove(s.instanceId);
    const kept = cluster.emu.vmList().find((v) => v.vmid === launched.vmid)!;
    assert.equal(kept.running, false);
    assert.equal(kept.tags, 'daas-desktop;daas-keep;template');
    assert.deepEqual(await p.listOwned(), []);
    cluster.emu.cluster.vms.delete(kept.vmid);
  });

  it('an existing VM is started and stopped in place, and only lent the instance tag', async () => {
    const p = provider();
    const s = spec({ mode: 'existing', vmid: EXISTING_VMID, node: 'pve2' });
    const launched = await p.launch(s, async () => undefined);
    assert.equal(launched.vmid, EXISTING_VMID);
    assert.equal((await rfbLogin(launched.port, s.vncPassword)).result, 0);
    assert.deepEqual((await p.listOwned()).map((o) => o.instanceId), [s.instanceId]);
    await p.remove(s.instanceId);
    const vm = cluster.emu.vmList().find((v) => v.vmid === EXISTING_VMID)!;
    assert.equal(vm.running, false);
    assert.equal(vm.tags, 'office');
  });

  it('an existing VM the credentials may not tag is still started and stopped in place', async () => {
    const secret = randomUUID();
    cluster.emu.addToken('daas@pve!operator', secret, { '/vms': ['VM.Audit', 'VM.PowerMgmt', 'VM.Console'] });
    const p = provider({}, { ...cluster.tokenEndpoint(), auth: { tokenId: 'daas@pve!operator', secret } });
    const s = spec({ mode: 'existing', vmid: EXISTING_VMID, node: 'pve2' });
    const launched = await p.launch(s, async () => undefined);
    assert.equal((await rfbLogin(launched.port, s.vncPassword)).result, 0);
    assert.equal(cluster.emu.vmList().find((v) => v.vmid === EXISTING_VMID)!.tags, 'office', 'not tagged');
    assert.equal((await p.stats(s.instanceId)).memoryLimitBytes, 2048 * 1024 * 1024);
    await p.remove(s.instanceId);
    assert.equal(cluster.emu.vmList().find((v) => v.vmid === EXISTING_VMID)!.running, false);
  });

  it('after a crash a new provider finds the clone by its tag, shows it again and removes it', async () => {
    const first = provider();
    const s = spec(LINKED);
    await first.launch(s, async () => undefined);
    await first.close(); // the app dies: bridges gone, the VM lives on

    const second = provider();
    const owned = await second.listOwned();
    assert.deepEqual(owned.map((o) => [o.instanceId, o.appId, o.running]), [[s.instanceId, 'win-desk', true]]);
    const again = await second.ensureDisplay(s.instanceId, s.vncPassword);
    assert.equal((await rfbLogin(again.port, s.vncPassword)).result, 0);
    await second.remove(s.instanceId, { force: true });
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });

  it('finds an untagged clone a crash left behind by its stored resource id and description', async () => {
    const p = provider();
    const instanceId = randomUUID();
    cluster.emu.addVm({ vmid: 150, node: 'pve2', name: 'daas-x', description: `Created by DaaS Desktop for app win-desk, instance ${instanceId}. x` });
    cluster.emu.addVm({ vmid: 151, node: 'pve2', name: 'not-ours' });
    await p.remove(instanceId, { resourceId: 'pve2/151' });
    assert.ok(vmids().includes(151), 'a VM without the marker is left alone');
    await p.remove(instanceId, { resourceId: 'pve2/150' });
    assert.ok(!vmids().includes(150));
    cluster.emu.cluster.vms.delete(151);
  });

  it('watch() reports VMs stopped or deleted outside the app', async () => {
    const p = provider({ watchIntervalMs: 100 });
    const s = spec(LINKED);
    const launched = await p.launch(s, async () => undefined);
    const events: ResourceEvent[] = [];
    let reconnects = 0;
    const stop = p.watch((e) => events.push(e), () => reconnects++);
    const waitFor = async (n: number) => {
      for (let i = 0; i < 100 && events.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    await new Promise((r) => setTimeout(r, 250));
    await cluster.emu.cluster.stopQemu(cluster.emu.cluster.vms.get(launched.vmid)!);
    await waitFor(1);
    cluster.emu.cluster.vms.delete(launched.vmid);
    await waitFor(2);
    stop();
    assert.equal(reconnects, 1);
    assert.deepEqual(events, [
      { instanceId: s.instanceId, kind: 'died', exitCode: null },
      { instanceId: s.instanceId, kind: 'removed', exitCode: null },
    ]);
    await p.remove(s.instanceId);
  });

  it('reports stats, guest addresses and Proxmox 500s in plain words', async () => {
    const p = provider();
    const s = spec(LINKED);
    const launched = await p.launch(s, async () => undefined);
    const stats = await p.stats(s.instanceId);
    assert.equal(stats.memoryLimitBytes, 2048 * 1024 * 1024);
    assert.ok(stats.memoryBytes > 0);
    const addresses = await p.guestAddresses(launched.node, launched.vmid);
    assert.deepEqual(addresses.map((a) => a.address), ['127.0.0.1', '::1']);

    // A read is tried five times (a passing burst of 500s is survived): fail all five.
    cluster.emu.faults.failRequests({ method: 'GET', path: /^\/cluster\/resources$/ }, 500, 'cfs-lock timeout on cluster', 5);
    await assert.rejects(p.listOwned(), (err: ProxmoxError) => {
      assert.equal(err.kind, 'api');
      assert.equal(err.message, 'Proxmox VE could not list the cluster resources: cfs-lock timeout on cluster.');
      return true;
    });
    await p.remove(s.instanceId);
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });
});
