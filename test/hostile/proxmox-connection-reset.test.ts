// pveproxy ends a kept-alive connection after 5 s idle (and after every answer >= 400) without
// a Keep-Alive header announcing it: a request sent on such a connection as it closes meets a
// reset. Reads and the writes that are safe to repeat must survive that; a POST must not be
// sent twice; and idle sockets are dropped by the client before pveproxy drops them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProxmoxClient } from '../../src-main/providers/proxmox/proxmox-client';
import { ProxmoxError } from '../../src-main/providers/proxmox/proxmox-errors';
import { IDLE_SOCKET_MS } from '../../src-main/providers/proxmox/proxmox-http';
import { WATCH_INTERVAL_MS } from '../../src-main/providers/proxmox/proxmox-provider';
import { EXISTING_VMID, startTestCluster, TestCluster } from '../fixtures/proxmox/setup';

describe('Proxmox: connections pveproxy closes under the client', () => {
  let cluster: TestCluster;
  let client: ProxmoxClient;
  const vm = (vmid: number) => cluster.emu.vmList().find((v) => v.vmid === vmid);

  before(async () => {
    cluster = await startTestCluster();
    client = new ProxmoxClient(cluster.tokenEndpoint());
  });

  after(async () => {
    client?.close();
    await cluster?.emu.close();
  });

  it('a read, a PUT and a DELETE met by a reset are sent again once and done', async () => {
    cluster.emu.faults.resetRequests({ method: 'GET' });
    assert.equal((await client.get<{ version: string }>('/version')).version, cluster.emu.version.version);

    cluster.emu.faults.resetRequests({ method: 'PUT' });
    await client.put(`/nodes/pve2/qemu/${EXISTING_VMID}/config`, { description: 'after a reset' });
    assert.equal(vm(EXISTING_VMID)!.description, 'after a reset');

    cluster.emu.addVm({ vmid: 130, node: 'pve1', name: 'to-delete' });
    cluster.emu.faults.resetRequests({ method: 'DELETE' });
    const upid = await client.delete<string>('/nodes/pve1/qemu/130', { purge: true });
    await client.waitForTask(upid, { timeoutMs: 30_000 });
    assert.equal(vm(130), undefined);
    assert.equal(client.stats.retries, 3);
  });

  it('a PUT reset twice in a row is not sent a third time', async () => {
    cluster.emu.faults.resetRequests({ method: 'PUT' }, 2);
    await assert.rejects(client.put(`/nodes/pve2/qemu/${EXISTING_VMID}/config`, { description: 'never' }), { kind: 'unreachable' });
    assert.equal(vm(EXISTING_VMID)!.description, 'after a reset');
  });

  it('a POST met by a reset is not sent again: it may have run', async () => {
    const before = cluster.emu.requests.length;
    cluster.emu.faults.resetRequests({ method: 'POST' });
    await assert.rejects(client.post(`/nodes/pve2/qemu/${EXISTING_VMID}/status/start`), (err: ProxmoxError) => err.kind === 'unreachable');
    assert.equal(cluster.emu.requests.slice(before).filter((r) => r.method === 'POST').length, 1);
    assert.equal(vm(EXISTING_VMID)!.running, false);
  });

  it('drops an idle socket before pveproxy would, and watch() does not poll at its 5 s', async () => {
    assert.ok(IDLE_SOCKET_MS < 5_000);
    assert.notEqual(WATCH_INTERVAL_MS % 5_000, 0, 'a poll every 5 s meets every idle close');
    await client.get('/version');
    const opened = cluster.emu.connectionsOpened;
    await client.get('/version');
    assert.equal(cluster.emu.connectionsOpened, opened, 'a busy socket is reused');
    await new Promise((r) => setTimeout(r, IDLE_SOCKET_MS + 300));
    await client.get('/version');
    assert.equal(cluster.emu.connectionsOpened, opened + 1, 'an idle one was closed by the client, not left for pveproxy to close');
  });
});
