// Proxmox credentials and trust: tickets that expire and are renewed without the caller
// noticing, wrong credentials, missing privileges in plain words, certificate checks.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openConsole } from '../../src-main/providers/proxmox/proxmox-cluster';
import { ProxmoxClient } from '../../src-main/providers/proxmox/proxmox-client';
import { ProxmoxError } from '../../src-main/providers/proxmox/proxmox-errors';
import { ProxmoxProvider } from '../../src-main/providers/proxmox/proxmox-provider';
import { freePort } from '../helpers/xvnc';
import { EXISTING_VMID, startTestCluster, TEMPLATE_VMID, TestCluster } from '../fixtures/proxmox/setup';

describe('Proxmox authentication and TLS', () => {
  let cluster: TestCluster;
  const closers: Array<{ close(): unknown }> = [];
  const track = <T extends { close(): unknown }>(x: T): T => {
    closers.push(x);
    return x;
  };
  const vmids = () => cluster.emu.vmList().map((v) => v.vmid).sort((a, b) => a - b);

  before(async () => {
    cluster = await startTestCluster();
  });

  after(async () => {
    for (const c of closers) await c.close();
    await cluster?.emu.close();
  });

  it('an expired ticket is renewed without the caller noticing, writes (CSRF) included', async () => {
    const provider = track(new ProxmoxProvider(cluster.passwordEndpoint(), { shutdownTimeoutSec: 1 }));
    const instanceId = randomUUID();
    const launched = await provider.launch(
      {
        instanceId,
        appId: 'desk',
        name: 'x',
        vncPassword: 'pw-12345',
        desktopWidth: 800,
        desktopHeight: 600,
        config: { mode: 'clone', templateVmid: TEMPLATE_VMID, full: false, namePattern: 'd-{instance}', onStop: 'delete' },
      },
      async () => undefined,
    );
    assert.deepEqual(provider.client.stats, { logins: 1, renewals: 0, reloginsAfter401: 0, retries: 0 });

    // Two hours pass on the server: every ticket issued so far is refused.
    cluster.emu.auth.expireIssuedTickets();
    await new Promise((r) => setTimeout(r, 1_100)); // the next ticket must be from a later second
    const before = cluster.emu.requests.length;
    assert.equal((await provider.listOwned()).length, 1);
    // The console WebSocket authenticates with the renewed ticket's cookie.
    const screen = await openConsole(provider.client, launched.node, launched.vmid, 5_000);
    const banner = await new Promise<string>((resolve) => screen.ws.once('message', (d: Buffer) => resolve(d.toString('latin1'))));
    screen.ws.close();
    assert.equal(banner, 'RFB 003.008\n');
    await provider.remove(instanceId); // POST stop + DELETE need a fresh ticket and CSRF token
    assert.ok(!vmids().includes(launched.vmid));

    const calls = cluster.emu.requests.slice(before);
    assert.equal(calls.filter((r) => r.status === 401).length, 1, 'one refused call, then a new login');
    assert.ok(calls.some((r) => r.path === '/access/ticket' && r.status === 200));
    assert.ok(calls.filter((r) => r.method !== 'GET' && r.path !== '/access/ticket').every((r) => r.status === 200 && r.auth === 'ticket'));
    assert.deepEqual(provider.client.stats, { logins: 2, renewals: 0, reloginsAfter401: 1, retries: 0 });
  });

  it('renews the ticket before it expires, with the ticket itself, so no call is refused', async () => {
    const client = track(new ProxmoxClient(cluster.passwordEndpoint(), { ticketRenewAfterMs: 300 }));
    await client.get('/version');
    const before = cluster.emu.requests.length;
    await new Promise((r) => setTimeout(r, 1_100));
    await client.get('/cluster/resources');
    await client.get('/version');
    assert.deepEqual(client.stats, { logins: 1, renewals: 1, reloginsAfter401: 0, retries: 0 });
    assert.ok(cluster.emu.requests.slice(before).every((r) => r.status === 200));
  });

  it('a wrong password is said plainly, after the 3 s Proxmox waits on every 401', async () => {
    const client = track(new ProxmoxClient({ ...cluster.passwordEndpoint(), auth: { username: 'alice@pve', password: 'nope' } }));
    cluster.emu.unauthorizedDelayMs = 3_000;
    const t0 = performance.now();
    try {
      await assert.rejects(client.get('/version'), (err: ProxmoxError) => {
        assert.equal(err.kind, 'auth');
        assert.equal(err.message, 'Proxmox VE rejected the user alice@pve (authentication failure).');
        assert.match(err.action, /user name \(with its realm, e\.g\. root@pam\) and the password/);
        return true;
      });
    } finally {
      cluster.emu.unauthorizedDelayMs = 50;
    }
    assert.ok(performance.now() - t0 >= 2_900);
  });

  it('an account with a second factor (NeedTFA, half a ticket) is told to use an API token', async () => {
    cluster.emu.addUser('bob@pve', 'bob-password', { '/': ['VM.Audit'] }, { tfa: true });
    const client = track(new ProxmoxClient({ ...cluster.passwordEndpoint(), auth: { username: 'bob@pve', password: 'bob-password' } }));
    const before = cluster.emu.requests.length;
    await assert.rejects(client.get('/cluster/resources'), (err: ProxmoxError) => {
      assert.equal(err.kind, 'auth');
      assert.equal(err.message, 'Proxmox VE asks the user bob@pve for a second factor (TFA), which DaaS Desktop cannot answer: accounts with a second factor need an API token.');
      assert.match(err.action, /Use an API token for DaaS Desktop instead/);
      return true;
    });
    // The half ticket is never used (it would only be refused with 401 "No ticket").
    assert.deepEqual(cluster.emu.requests.slice(before).map((r) => r.path), ['/access/ticket']);
  });

  it('reports the version and what missing privileges prevent, in plain words', async () => {
    const full = track(new ProxmoxClient(cluster.tokenEndpoint()));
    const ok = await full.testConnection();
    const version = cluster.emu.version.version;
    assert.equal(ok.version, version);
    assert.deepEqual(ok.missing, []);
    assert.deepEqual(ok.summary, [`Connected to Proxmox VE ${version} as API token daas@pve!desktop.`]);

    const secret = randomUUID();
    cluster.emu.addToken('daas@pve!viewer', secret, { '/vms': ['VM.Audit', 'VM.Console'], '/vms/9000': ['VM.PowerMgmt'] });
    const limited = track(new ProxmoxProvider({ ...cluster.tokenEndpoint(), auth: { tokenId: 'daas@pve!viewer', secret } }));
    const report = await limited.testConnection();
    assert.deepEqual(
      report.missing.map((m) => [m.privilege, m.required, m.grantedOn]),
      [
        ['VM.Clone', true, []],
        ['VM.Allocate', true, []],
        ['VM.Config.Options', true, []],
        ['VM.PowerMgmt', true, ['/vms/9000']],
        ['Datastore.AllocateSpace', true, []],
        ['SDN.Use', true, []],
        ['Sys.Audit', false, []],
        [cluster.emu.behaviour.guestAgentPrivileges ? 'VM.GuestAgent.Audit' : 'VM.Monitor', false, []],
      ],
    );
    assert.ok(report.summary.includes('Missing VM.Clone on /vms: DaaS Desktop cannot clone the template.'));
    assert.ok(report.summary.includes('VM.PowerMgmt is granted only on /vms/9000: DaaS Desktop can start and stop virtual machines only there.'));
    assert.ok(report.summary.includes('Missing Sys.Audit on /nodes: optional, needed to see the load of each node (to pick the least-loaded one).'));

    await assert.rejects(
      limited.launch(
        {
          instanceId: randomUUID(),
          appId: 'desk',
          name: 'x',
          vncPassword: 'pw',
          desktopWidth: 800,
          desktopHeight: 600,
          config: { mode: 'clone', templateVmid: TEMPLATE_VMID, node: 'least-loaded', full: false, namePattern: 'd-{instance}', onStop: 'delete' },
        },
        async () => assert.fail('nothing may be created'),
      ),
      (err: ProxmoxError) => {
        assert.equal(err.kind, 'permission');
        assert.equal(err.message, 'Proxmox VE did not allow the API token daas@pve!viewer to clone VM 9000: Permission check failed (/vms/9000, VM.Clone).');
        assert.match(err.action, /give the API token daas@pve!viewer VM\.Clone \(to clone the template\) on \/vms\/9000/);
        return true;
      },
    );
    assert.deepEqual(vmids(), [EXISTING_VMID, TEMPLATE_VMID]);
  });

  it('checks certificates: system CAs refuse the self-signed one and say its fingerprint', async () => {
    const client = track(new ProxmoxClient(cluster.tokenEndpoint({})));
    const before = cluster.emu.requests.length;
    await assert.rejects(client.get('/version'), (err: ProxmoxError) => {
      assert.equal(err.kind, 'tls');
      assert.equal(err.message, `The certificate of ${cluster.emu.url} is not trusted (it is self-signed). Its SHA-256 fingerprint is ${cluster.emu.fingerprint256}.`);
      assert.match(err.action, /pin it/);
      return true;
    });
    assert.equal(cluster.emu.requests.length, before, 'no request was sent');
  });

  it('checks certificates: a wrong pin stops the connection before any request is sent', async () => {
    const wrong = cluster.emu.fingerprint256.replace(/^../, (b) => (b === 'AA' ? 'BB' : 'AA'));
    const client = track(new ProxmoxClient(cluster.tokenEndpoint({ fingerprintSha256: wrong })));
    const before = cluster.emu.requests.length;
    await assert.rejects(client.get('/version'), (err: ProxmoxError) => {
      assert.equal(err.kind, 'tls');
      assert.equal(err.message, `The certificate of ${cluster.emu.url} does not match the pinned fingerprint; it presented ${cluster.emu.fingerprint256}.`);
      return true;
    });
    assert.equal(cluster.emu.requests.length, before, 'the token never left this process');
  });

  it('checks certificates: the pin and the explicit insecure opt-in both connect', async () => {
    assert.equal((await track(new ProxmoxClient(cluster.tokenEndpoint())).get<{ release: string }>('/version')).release, cluster.emu.version.release);
    assert.equal((await track(new ProxmoxClient(cluster.tokenEndpoint({ insecure: true }))).get<{ release: string }>('/version')).release, cluster.emu.version.release);
  });

  it('says plainly when nothing listens at the address', async () => {
    const port = await freePort();
    const client = track(new ProxmoxClient({ ...cluster.tokenEndpoint(), url: `https://127.0.0.1:${port}` }));
    await assert.rejects(client.get('/version'), (err: ProxmoxError) => {
      assert.equal(err.kind, 'unreachable');
      assert.equal(err.message, `Proxmox VE at https://127.0.0.1:${port} cannot be reached: the connection was refused.`);
      return true;
    });
  });
});
