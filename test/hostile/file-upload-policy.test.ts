// Files into desktops against a client that does not play along (issue 12): with a locked
// policy fileUpload off, a `file` stream is refused by the gateway itself, even when the client
// sends its blobs and end without waiting; and a connection made straight to the embedded
// gateway with a made-up file grant reaches no desktop's files. Real core, dockerd, desktop image.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import { FILE_GRANT_ARG } from '../../src-main/display/files/file-grants';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { callCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, dockerExec, removeOwnedBy } from '../helpers/docker';
import { GuacTestClient } from '../helpers/guac-client';
import { GuacdWireClient } from '../helpers/guacd-wire-client';

describe('file upload refused', () => {
  let core: Core;
  let instance: Instance;
  let containerId: string;
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
  /** Names in the desktop user's home and Desktop folder (hidden ones too). */
  // ~/Desktop's entries, and anything named like the sneaked file anywhere in the home (the
  // home itself gains ~/Outbox and sound-server state when a viewer connects).
  const files = async () => (await dockerExec(containerId, ['sh', '-c', 'ls -A ~/Desktop 2>/dev/null; find ~ -name "sneaky*" 2>/dev/null'], 'desktop')).output;

  before(async () => {
    const dir = await tempDataDir();
    const policy = path.join(dir, 'policy.json');
    await fs.writeFile(policy, JSON.stringify({ version: 1, locked: { fileUpload: false } }));
    core = await Core.open(loadSettings(path.join(dir, 'data'), { DAAS_POLICY_FILE: policy, DAAS_READINESS_TIMEOUT_MS: '20000' }));
    const app = await call<App>('apps.create', {
      app: { name: 'No files', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } },
    });
    instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    containerId = (await containersOf(instance.id))[0]!.Id;
  });

  after(async () => {
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
  });

  it('locked off: the user cannot turn it on, and a hand-made file stream is refused at the protocol level', async () => {
    const settings = await call<{ fileUpload: boolean; managed: string[] }>('settings.get', {});
    assert.equal(settings.fileUpload, false);
    assert.ok(settings.managed.includes('fileUpload'));
    await assert.rejects(call('settings.update', { fileUpload: true }), /managed by your administrator/);

    const before = await files();
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600`);
    try {
      await viewer.waitForOpcode('sync', 20_000);
      // Everything at once, as a client that ignores the refusal would.
      viewer.send('file', 3, 'text/plain', 'sneaky.txt');
      for (let i = 0; i < 20; i++) viewer.send('blob', 3, Buffer.from(`line ${i}\n`).toString('base64'));
      viewer.send('end', 3);
      const refusal = await viewer.waitFor((i) => i[0] === 'ack' && i[1] === '3', 10_000);
      assert.deepEqual(refusal.slice(2), ['Sending files to desktops is turned off.', String(0x0303)]);
      // The viewer is still served, and nothing else was said about stream 3.
      viewer.send('size', 700, 500);
      await viewer.waitForNext((i) => i[0] === 'sync', 10_000);
      assert.equal(viewer.instructions.filter((i) => i[0] === 'ack' && i[1] === '3').length, 1);
    } finally {
      await viewer.close();
    }
    assert.equal(await files(), before, 'nothing was written in the desktop');
  });

  it('a connection straight to the embedded gateway with a made-up file grant reaches no files', async () => {
    const { host, port } = core.display.embedded;
    const [container] = await containersOf(instance.id);
    const vnc = container!.Ports.find((p) => p.PrivatePort === 5901)!;
    const password = (await core.instances.getConnection(instance.id))!.password;
    const c = await GuacdWireClient.open(host, port);
    try {
      const args = await c.handshake({ hostname: '127.0.0.1', port: String(vnc.PublicPort), password, [FILE_GRANT_ARG]: 'made-up-grant' });
      assert.ok(args.includes(FILE_GRANT_ARG), 'the gateway announces the grant parameter');
      await c.waitFor((i) => i[0] === 'sync', 20_000);
      c.send('file', 1, 'text/plain', 'forged.txt');
      const refusal = await c.waitFor((i) => i[0] === 'ack' && i[1] === '1', 10_000);
      assert.equal(refusal[3], String(0x0100));
      assert.match(refusal[2]!, /cannot receive files/);
    } finally {
      c.close();
    }
  });
});
