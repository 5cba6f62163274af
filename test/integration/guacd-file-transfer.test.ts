// guacd's own file transfer (issue 12), through the core: an RDP VM app redirects a drive (a
// folder of its own under the data folder, there while the instance runs, gone with it), and a
// Docker app whose image serves SFTP has guacd's SFTP parameters point at its published port,
// logging in with the instance's password. guacd is a STAND-IN that records the `connect`
// values in the order it announced their names (no guacd, no RDP server can run here); the
// Proxmox VE emulator runs the VM (real QEMU), real dockerd the container.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Core } from '../../src-main/core';
import type { DisplayTicket, ProxmoxEndpointView } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { startTestCluster, TOKEN_ID, type TestCluster } from '../fixtures/proxmox/setup';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { GuacTestClient } from '../helpers/guac-client';
import { GUACD_RDP_ARGS, GUACD_VNC_ARGS, StandInGuacd } from '../helpers/standin-guacd';
import { waitUntil } from '../helpers/x-apps';

const RDP_VMID = 160;

describe("guacd's file transfer: RDP drive redirection and SFTP", () => {
  let cluster: TestCluster;
  let guacd: StandInGuacd;
  let dataDir: string;
  let core: Core;
  const viewers: GuacTestClient[] = [];
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
  const viewThrough = async (instance: Instance) => {
    const ticket = await call<DisplayTicket & { files?: unknown }>('display.connect', { instanceId: instance.id, width: 1024, height: 768 });
    // The viewer shows its upload and Files controls: guacd serves them (its drive, its SFTP).
    assert.deepEqual(ticket.files, { upload: true, download: true });
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=1024&height=768&dpi=96`);
    viewers.push(viewer);
    return guacd.waitForHandshakes(guacd.handshakes.length + 1).then((all) => all.at(-1)!);
  };

  before(async () => {
    [cluster, guacd, dataDir] = await Promise.all([startTestCluster(), StandInGuacd.start(), tempDataDir()]);
    cluster.emu.addVm({ vmid: RDP_VMID, node: 'pve1', name: 'windows-rdp', guestNetwork: [{ name: 'Ethernet', ipv4: '192.0.2.60' }] });
    core = await openCore(dataDir);
  });

  after(async () => {
    for (const v of viewers) await v.close();
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
    await guacd?.close();
    await cluster?.emu.close();
  });

  it('an RDP app redirects a drive: its folder is in the connect values where guacd announced them, exists while the instance runs, and goes with it', async () => {
    const endpoint = await call<ProxmoxEndpointView>('proxmox.endpoints.save', {
      name: 'Lab',
      url: cluster.emu.url,
      authKind: 'token',
      principal: TOKEN_ID,
      secret: cluster.secret,
      tls: 'pinned',
      fingerprint: cluster.emu.fingerprint256,
    });
    const app = await call<App>('apps.create', {
      app: {
        name: 'Windows VM',
        provider: 'proxmox',
        display: { gateway: 'guacd', guacd: { host: guacd.host, port: guacd.port } },
        proxmox: { endpointId: endpoint.id, mode: 'existing', vmid: RDP_VMID, node: 'pve1', display: { kind: 'rdp' } },
      },
    });
    assert.ok(app.provider === 'proxmox' && app.proxmox.display.kind === 'rdp' && app.proxmox.display.driveRedirection, 'on by default');
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 30_000);
    const folder = path.join(dataDir, 'drives', instance.id);
    await waitUntil(async () => existsSync(folder), 10_000, 'the drive folder to be made as the instance runs');
    const handshake = await viewThrough(instance);
    const at = (name: string) => handshake.connectValues[1 + GUACD_RDP_ARGS.indexOf(name as (typeof GUACD_RDP_ARGS)[number])];
    assert.deepEqual(
      ['enable-drive', 'drive-name', 'drive-path', 'create-drive-path'].map(at),
      ['true', 'DaaS Desktop', folder, 'true'],
      'by position, as guacd announced the names',
    );
    assert.equal(at('disable-upload'), '', 'uploads allowed (policy fileUpload)');
    assert.ok(statSync(folder).isDirectory(), 'the folder exists while the instance runs');
    assert.equal(statSync(folder).mode & 0o777, 0o700, "this user's only");

    await call('instances.forceStop', { instanceId: instance.id });
    await waitForState(core, instance.id, 'stopped', 60_000);
    await waitUntil(async () => !existsSync(folder), 10_000, 'the drive folder to be deleted with the instance');
  });

  it('a Docker app whose image serves SFTP: guacd gets sftp-* for its published port and the instance password, by position', async () => {
    const app = await call<App>('apps.create', {
      app: {
        name: 'SFTP desktop',
        provider: 'docker',
        display: { gateway: 'guacd', guacd: { host: guacd.host, port: guacd.port } },
        docker: { image: 'daas/desktop:latest', sftp: { port: 22, username: 'user', directory: '/home/user/Desktop' } },
      },
    });
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    const [container] = await containersOf(instance.id);
    const info = await docker.getContainer(container!.Id).inspect();
    const sftpPort = info.NetworkSettings.Ports['22/tcp']?.find((b) => b.HostIp === '127.0.0.1')?.HostPort;
    assert.ok(sftpPort, 'the SFTP port is published on loopback');
    const password = info.Config.Env.find((e) => e.startsWith('VNC_PASSWORD='))!.slice('VNC_PASSWORD='.length);

    const handshake = await viewThrough(instance);
    assert.equal(handshake.select, 'vnc');
    const at = (name: string) => handshake.connectValues[1 + GUACD_VNC_ARGS.indexOf(name as (typeof GUACD_VNC_ARGS)[number])];
    assert.deepEqual(
      ['enable-sftp', 'sftp-hostname', 'sftp-port', 'sftp-username', 'sftp-password', 'sftp-directory'].map(at),
      ['true', '127.0.0.1', sftpPort, 'user', password, '/home/user/Desktop'],
    );
    assert.equal(at('sftp-disable-upload'), '');

    await call('instances.stop', { instanceId: instance.id });
    await waitForState(core, instance.id, 'stopped', 60_000);
  });
});
