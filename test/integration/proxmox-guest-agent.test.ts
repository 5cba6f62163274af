// A real guest's QEMU guest agent starts 10-60 s after the VM boots; until then Proxmox answers
// `500 QEMU guest agent is not running`. An RDP app (which learns the guest's address from the
// agent) must wait for it, and say so plainly when it never comes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ProxmoxError } from '../../src-main/providers/proxmox/proxmox-errors';
import type { LaunchSpec } from '../../src-main/providers/provider';
import { ProxmoxProvider, ProxmoxProviderOptions } from '../../src-main/providers/proxmox/proxmox-provider';
import { startTestCluster, TestCluster } from '../fixtures/proxmox/setup';

const RDP_VMID = 140;
const GUEST_ADDRESS = '192.0.2.40';

function spec(): LaunchSpec {
  return {
    instanceId: randomUUID(),
    appId: 'rdp',
    name: 'x',
    vncPassword: 'pw-12345',
    desktopWidth: 800,
    desktopHeight: 600,
    config: { mode: 'existing', vmid: RDP_VMID, node: 'pve1', display: { kind: 'rdp' } },
  };
}

describe('Proxmox: the guest agent is not ready for a while after boot', () => {
  let cluster: TestCluster;
  const providers: ProxmoxProvider[] = [];
  const provider = (options: ProxmoxProviderOptions = {}) => {
    const p = new ProxmoxProvider(cluster.tokenEndpoint(), { shutdownTimeoutSec: 1, ...options });
    providers.push(p);
    return p;
  };
  const agentCalls = () => cluster.emu.requests.filter((r) => r.path.endsWith('/agent/network-get-interfaces'));

  before(async () => {
    cluster = await startTestCluster({ agentStartMs: 3_000 });
    cluster.emu.addVm({ vmid: RDP_VMID, node: 'pve1', name: 'windows-rdp', guestNetwork: [{ name: 'Ethernet', ipv4: GUEST_ADDRESS }] });
  });

  after(async () => {
    for (const p of providers) await p.close();
    await cluster?.emu.close();
  });

  it('an RDP app waits until the agent answers, then connects to the address it reports', async () => {
    const p = provider();
    const s = spec();
    const launched = await p.launch(s, async () => undefined);
    assert.deepEqual([launched.protocol, launched.host, launched.port], ['rdp', GUEST_ADDRESS, 3389]);
    assert.ok(agentCalls().some((r) => r.status === 500), 'the agent was not ready at first');
    assert.equal(agentCalls().at(-1)!.status, 200);
    await p.remove(s.instanceId, { force: true });
  });

  it('an agent that never answers in time is named in the error', async () => {
    cluster.emu.agentStartMs = 3_600_000;
    const p = provider({ timeouts: { startMs: 1_000 } });
    // Already running, so the short start timeout bounds only the wait for the agent.
    await p.client.waitForTask(await p.client.post<string>(`/nodes/pve1/qemu/${RDP_VMID}/status/start`), { timeoutMs: 30_000 });
    const s = spec();
    await assert.rejects(p.launch(s, async () => undefined), (err: ProxmoxError) => {
      assert.match(err.message, /could not ask the guest agent of VM 140 for its addresses: QEMU guest agent is not running/);
      assert.match(err.action, /starts some time after the VM boots: make sure it is installed and running/);
      return true;
    });
    await p.remove(s.instanceId, { force: true });
    assert.equal(cluster.emu.vmList().find((v) => v.vmid === RDP_VMID)!.running, false);
  });
});
