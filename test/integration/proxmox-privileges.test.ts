// The least-privilege token from docs/proxmox.md, against the emulator's permission checks as
// a real PVE 8/9 cluster makes them: SDN.Use on the template's bridges, Datastore.AllocateSpace
// for linked clones too, and privilege separation (a token holds what both it and its user hold).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openConsole } from '../../src-main/providers/proxmox/proxmox-cluster';
import { ProxmoxError } from '../../src-main/providers/proxmox/proxmox-errors';
import type { LaunchSpec } from '../../src-main/providers/provider';
import { ProxmoxProvider } from '../../src-main/providers/proxmox/proxmox-provider';
import type { ProxmoxEndpoint } from '../../src-main/providers/proxmox/proxmox-settings';
import { ALL_VM_PRIVILEGES, type Acl } from '../fixtures/proxmox/emulator';
import { EXISTING_VMID, startTestCluster, TEMPLATE_VMID, TestCluster } from '../fixtures/proxmox/setup';

const DOCS = path.join(__dirname, '../../docs/proxmox.md');

interface Recipe {
  user: string;
  token: string;
  /** Each grant: path and the privileges of its role. */
  grants: Array<{ path: string; to: 'users' | 'tokens'; role: string }>;
  privsep: boolean;
}

/** The `pveum` lines of docs/proxmox.md's token recipe. */
function readRecipe(roles: Record<string, readonly string[]>): Recipe {
  const text = readFileSync(DOCS, 'utf8');
  const section = text.slice(text.indexOf('### A token for DaaS Desktop'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const recipe: Recipe = { user: '', token: '', grants: [], privsep: true };
  for (const line of block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^pveum user add (\S+)$/.exec(line))) recipe.user = m[1]!;
    else if ((m = /^pveum acl modify (\S+) --(users|tokens) (\S+) --roles (\S+)$/.exec(line))) {
      assert.ok(roles[m[4]!], `the emulator knows role ${m[4]}`);
      recipe.grants.push({ path: m[1]!, to: m[2] as 'users' | 'tokens', role: m[4]! });
    } else if ((m = /^pveum user token add (\S+) (\S+)(?: --privsep ([01]))?$/.exec(line))) {
      recipe.token = `${m[1]}!${m[2]}`;
      recipe.privsep = m[3] !== '0';
    } else assert.fail(`a recipe line this test does not understand: ${line}`);
  }
  assert.ok(recipe.user && recipe.token && recipe.grants.length > 0, 'the docs hold a complete recipe');
  return recipe;
}

function aclOf(grants: Recipe['grants'], to: 'users' | 'tokens', roles: Record<string, readonly string[]>): Acl {
  const acl: Record<string, string[]> = {};
  for (const g of grants.filter((x) => x.to === to)) acl[g.path] = [...(acl[g.path] ?? []), ...roles[g.role]!];
  return acl;
}

const LINKED = { mode: 'clone', templateVmid: TEMPLATE_VMID, node: 'least-loaded', full: false, namePattern: 'd-{instance}', onStop: 'delete' } as const;

function spec(): LaunchSpec {
  return { instanceId: randomUUID(), appId: 'desk', name: 'x', vncPassword: 'pw-12345', desktopWidth: 800, desktopHeight: 600, config: LINKED };
}

describe('Proxmox privileges as a real cluster checks them', () => {
  let cluster: TestCluster;
  const providers: ProxmoxProvider[] = [];
  const vmids = () => cluster.emu.vmList().map((v) => v.vmid).sort((a, b) => a - b);

  /** A user and a token set up as `recipe` says, under fresh names. */
  const tokenFrom = (recipe: Recipe): ProxmoxEndpoint => {
    const name = randomUUID().slice(0, 8);
    const user = `u${name}@pve`;
    const secret = randomUUID();
    cluster.emu.addUser(user, randomUUID(), aclOf(recipe.grants, 'users', cluster.emu.roles));
    cluster.emu.addToken(`${user}!desktop`, secret, aclOf(recipe.grants, 'tokens', cluster.emu.roles), { privsep: recipe.privsep });
    return { ...cluster.tokenEndpoint(), auth: { tokenId: `${user}!desktop`, secret } };
  };
  const provider = (endpoint: ProxmoxEndpoint) => {
    const p = new ProxmoxProvider(endpoint, { shutdownTimeoutSec: 1 });
    providers.push(p);
    return p;
  };

  before(async () => {
    cluster = await startTestCluster();
  });

  after(async () => {
    for (const p of providers) await p.close();
    await cluster?.emu.close();
  });

  it("a token made by docs/proxmox.md's recipe clones, starts, shows the console, stops and deletes", async () => {
    const recipe = readRecipe(cluster.emu.roles);
    const p = provider(tokenFrom(recipe));
    const report = await p.testConnection();
    assert.deepEqual(report.missing, [], 'Test connection finds nothing missing');

    const s = spec();
    const launched = await p.launch(s, async () => undefined);
    const vm = cluster.emu.vmList().find((v) => v.vmid === launched.vmid)!;
    assert.equal(vm.running, true);
    const screen = await openConsole(p.client, launched.node, launched.vmid, 5_000);
    const banner = await new Promise<string>((resolve) => screen.ws.once('message', (d: Buffer) => resolve(d.toString('latin1'))));
    screen.ws.close();
    assert.equal(banner, 'RFB 003.008\n');
    await p.remove(s.instanceId);
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });

  it('without SDN.Use on the bridge the clone is refused (PVE 8+), and Test connection says so first', async () => {
    const recipe = readRecipe(cluster.emu.roles);
    const p = provider(tokenFrom({ ...recipe, grants: recipe.grants.filter((g) => !g.path.startsWith('/sdn')) }));
    const report = await p.testConnection();
    assert.deepEqual(report.missing.map((m) => [m.privilege, m.path, m.required]), [['SDN.Use', '/sdn/zones/localnetwork', true]]);
    assert.ok(report.summary.includes("Missing SDN.Use on /sdn/zones/localnetwork: DaaS Desktop cannot connect clones to the template's network bridges."));
    await assert.rejects(
      p.launch(spec(), async () => assert.fail('nothing may be created')),
      (err: ProxmoxError) => {
        assert.equal(err.kind, 'permission');
        assert.match(err.message, /to clone VM 9000: Permission check failed \(\/sdn\/zones\/localnetwork\/vmbr0, SDN\.Use\)\.$/);
        assert.match(err.action, /SDN\.Use \(to connect clones to the template's network bridges\) on \/sdn\/zones\/localnetwork\/vmbr0/);
        return true;
      },
    );
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });

  it('root@pam is exempt from the bridge check, its tokens are not', async () => {
    const noSdn = ALL_VM_PRIVILEGES.filter((p) => p !== 'SDN.Use');
    cluster.emu.addUser('root@pam', 'root-pw', { '/': noSdn });
    const root = provider({ ...cluster.passwordEndpoint(), auth: { username: 'root@pam', password: 'root-pw' } });
    const s = spec();
    await root.launch(s, async () => undefined);
    await root.remove(s.instanceId);
    const secret = randomUUID();
    cluster.emu.addToken('root@pam!auto', secret, { '/': noSdn }, { privsep: false });
    const token = provider({ ...cluster.tokenEndpoint(), auth: { tokenId: 'root@pam!auto', secret } });
    await assert.rejects(token.launch(spec(), async () => undefined), /\/sdn\/zones\/localnetwork\/vmbr0, SDN\.Use/);
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });

  it('a linked clone needs Datastore.AllocateSpace on the template disk\'s storage too', async () => {
    const recipe = readRecipe(cluster.emu.roles);
    const p = provider(tokenFrom({ ...recipe, grants: recipe.grants.filter((g) => g.path !== '/storage') }));
    assert.deepEqual((await p.testConnection()).missing.map((m) => [m.privilege, m.required]), [['Datastore.AllocateSpace', true]]);
    await assert.rejects(p.launch(spec(), async () => assert.fail('nothing may be created')), (err: ProxmoxError) => {
      assert.equal(err.kind, 'permission');
      assert.match(err.message, /Permission check failed \(\/storage\/ceph-vm, Datastore\.AllocateSpace\)/);
      return true;
    });
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });

  it('a token with privilege separation holds only what both it and its user are granted', async () => {
    const recipe = readRecipe(cluster.emu.roles);
    // The default of `pveum user token add`: the user's grants alone give the token nothing.
    const separated = provider(tokenFrom({ ...recipe, privsep: true }));
    const report = await separated.testConnection();
    assert.deepEqual(report.missing.filter((m) => m.required).map((m) => m.privilege), [
      'VM.Audit', 'VM.Clone', 'VM.Allocate', 'VM.Config.Options', 'VM.PowerMgmt', 'VM.Console', 'Datastore.AllocateSpace', 'SDN.Use',
    ]);
    // The same grants given to the token as well: it works.
    const both = recipe.grants.flatMap((g) => [g, { ...g, to: 'tokens' as const }]);
    const mirrored = provider(tokenFrom({ ...recipe, privsep: true, grants: both }));
    const ok = await mirrored.testConnection();
    assert.deepEqual(ok.missing, []);
    const s = spec();
    await mirrored.launch(s, async () => undefined);
    await mirrored.remove(s.instanceId);
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });
});

describe('Proxmox VE 8.x: the guest agent takes VM.Monitor (VM.GuestAgent.Audit exists from 9.0)', () => {
  let cluster: TestCluster;
  const providers: ProxmoxProvider[] = [];
  const tokenWith = (privileges: string[]): ProxmoxProvider => {
    const user = `u${randomUUID().slice(0, 8)}@pve`;
    const secret = randomUUID();
    cluster.emu.addUser(user, randomUUID(), { '/': privileges });
    cluster.emu.addToken(`${user}!desktop`, secret, {}, { privsep: false });
    const p = new ProxmoxProvider({ ...cluster.tokenEndpoint(), auth: { tokenId: `${user}!desktop`, secret } });
    providers.push(p);
    return p;
  };
  const without = (name: string) => ALL_VM_PRIVILEGES.filter((p) => p !== name);

  before(async () => {
    cluster = await startTestCluster({ pveVersion: '8.2.7' });
  });

  after(async () => {
    for (const p of providers) await p.close();
    await cluster?.emu.close();
  });

  it('Test connection accepts VM.Monitor on 8.x and names it when missing', async () => {
    const monitor = tokenWith([...without('VM.GuestAgent.Audit'), 'VM.Monitor']);
    const report = await monitor.testConnection();
    assert.equal(report.version, '8.2.7');
    assert.deepEqual(report.missing, []);
    // What the connection test promises: the agent answers that token.
    const upid = await monitor.client.post<string>(`/nodes/pve2/qemu/${EXISTING_VMID}/status/start`);
    await monitor.client.waitForTask(upid, { timeoutMs: 30_000 });
    const addresses = await monitor.guestAddresses('pve2', EXISTING_VMID);
    assert.ok(addresses.some((a) => a.address === '127.0.0.1'));
    await monitor.client.waitForTask(await monitor.client.post<string>(`/nodes/pve2/qemu/${EXISTING_VMID}/status/stop`), { timeoutMs: 30_000 });

    const neither = tokenWith(without('VM.GuestAgent.Audit'));
    assert.deepEqual((await neither.testConnection()).missing.map((m) => [m.privilege, m.required]), [['VM.Monitor', false]]);
  });
});
