// /cluster/resources takes status, name and template from pvestatd, which reports every 10 s:
// a new VM shows 'unknown', a VM stopped a moment ago still 'running'. Here the emulator's
// pvestatd reports only when the test says so, and the provider must still stop before it
// deletes, start what is stopped, and shut down what runs.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ProxmoxClient } from '../../src-main/providers/proxmox/proxmox-client';
import { openConsole } from '../../src-main/providers/proxmox/proxmox-cluster';
import type { LaunchSpec } from '../../src-main/providers/provider';
import { ProxmoxProvider } from '../../src-main/providers/proxmox/proxmox-provider';
import type { ProxmoxAppConfig } from '../../src-main/providers/proxmox/proxmox-settings';
import { EXISTING_VMID, pidAlive, startTestCluster, TEMPLATE_VMID, TestCluster } from '../fixtures/proxmox/setup';

function spec(config: ProxmoxAppConfig): LaunchSpec {
  return { instanceId: randomUUID(), appId: 'desk', name: 'x', vncPassword: 'pw-12345', desktopWidth: 800, desktopHeight: 600, config: config };
}

describe('Proxmox: /cluster/resources lags behind the VMs', () => {
  let cluster: TestCluster;
  let api: ProxmoxClient;
  const providers: ProxmoxProvider[] = [];
  const provider = () => {
    const p = new ProxmoxProvider(cluster.tokenEndpoint(), { shutdownTimeoutSec: 1 });
    providers.push(p);
    return p;
  };
  const listed = async (vmid: number) =>
    (await api.get<Array<{ vmid: number; status: string }>>('/cluster/resources', { type: 'vm' })).find((r) => r.vmid === vmid)?.status;
  const vm = (vmid: number) => cluster.emu.vmList().find((v) => v.vmid === vmid);
  const waitTask = (upid: string) => api.waitForTask(upid, { timeoutMs: 30_000 });

  before(async () => {
    cluster = await startTestCluster({ statsIntervalMs: 0 });
    api = new ProxmoxClient(cluster.tokenEndpoint());
  });

  after(async () => {
    for (const p of providers) await p.close();
    api?.close();
    await cluster?.emu.close();
  });

  it("a clone that /cluster/resources still shows 'unknown' is stopped before it is deleted", async () => {
    const p = provider();
    const s = spec({ mode: 'clone', templateVmid: TEMPLATE_VMID, full: false, namePattern: 'd-{instance}', onStop: 'delete' });
    const launched = await p.launch(s, async () => undefined);
    const pid = vm(launched.vmid)!.pid!;
    assert.equal(await listed(launched.vmid), 'unknown', 'pvestatd has not reported the new VM yet');
    assert.deepEqual((await p.listOwned()).map((o) => o.running), [true], 'the provider asks the node');
    await p.remove(s.instanceId);
    assert.equal(vm(launched.vmid), undefined, 'deleted');
    assert.equal(pidAlive(pid), false, 'and its QEMU is gone');
  });

  it("an existing VM stopped a moment ago (still 'running' in the list) is started again", async () => {
    await waitTask(await api.post<string>(`/nodes/pve2/qemu/${EXISTING_VMID}/status/start`));
    cluster.emu.refreshStats();
    await waitTask(await api.post<string>(`/nodes/pve2/qemu/${EXISTING_VMID}/status/stop`));
    assert.equal(await listed(EXISTING_VMID), 'running', 'the list has not caught up');

    const p = provider();
    const s = spec({ mode: 'existing', vmid: EXISTING_VMID, node: 'pve2' });
    const launched = await p.launch(s, async () => undefined);
    assert.equal(vm(EXISTING_VMID)!.running, true);
    const screen = await openConsole(p.client, launched.node, launched.vmid, 5_000);
    const banner = await new Promise<string>((resolve) => screen.ws.once('message', (d: Buffer) => resolve(d.toString('latin1'))));
    screen.ws.close();
    assert.equal(banner, 'RFB 003.008\n');

    // Restarted while the list still says 'running' from before: shut down, then started.
    const before = vm(EXISTING_VMID)!.pid;
    await p.restart(s.instanceId);
    assert.equal(vm(EXISTING_VMID)!.running, true);
    assert.notEqual(vm(EXISTING_VMID)!.pid, before, 'a new QEMU');
    await p.remove(s.instanceId, { force: true });
    assert.equal(vm(EXISTING_VMID)!.running, false);
  });

  it("restarting a VM the list still shows 'stopped' shuts it down first", async () => {
    cluster.emu.refreshStats(); // 120 is stopped
    const p = provider();
    const s = spec({ mode: 'existing', vmid: EXISTING_VMID, node: 'pve2' });
    await p.launch(s, async () => undefined);
    assert.equal(await listed(EXISTING_VMID), 'stopped', 'the list has not caught up');
    const before = vm(EXISTING_VMID)!.pid;
    await p.restart(s.instanceId);
    assert.equal(vm(EXISTING_VMID)!.running, true);
    assert.notEqual(vm(EXISTING_VMID)!.pid, before, 'a new QEMU');
    await p.remove(s.instanceId, { force: true });
    assert.equal(vm(EXISTING_VMID)!.running, false);
  });
});
