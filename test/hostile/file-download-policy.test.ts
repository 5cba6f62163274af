// Files out of desktops against a client that does not play along (issue 12): with a locked
// policy fileDownload off, the gateway announces no filesystem, answers a hand-made `get` with
// the refusal and not one byte of the desktop, ignores acks for streams it never opened, and
// offers nothing from ~/Outbox. Real core, dockerd, desktop image.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import type { DisplayTicket } from '../../src-shared/contract';
import { TRANSFER_ERROR_MIMETYPE } from '../../src-shared/file-transfer';
import type { App, Instance } from '../../src-shared/model';
import { callCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, dockerExec, removeOwnedBy } from '../helpers/docker';
import { getFromDesktop } from '../helpers/file-download-client';
import { GuacTestClient } from '../helpers/guac-client';

describe('file download refused', () => {
  let core: Core;
  let instance: Instance;
  let containerId: string;
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

  before(async () => {
    const dir = await tempDataDir();
    const policy = path.join(dir, 'policy.json');
    await fs.writeFile(policy, JSON.stringify({ version: 1, locked: { fileDownload: false, fileUpload: false } }));
    core = await Core.open(loadSettings(path.join(dir, 'data'), { DAAS_POLICY_FILE: policy, DAAS_READINESS_TIMEOUT_MS: '20000' }));
    const app = await call<App>('apps.create', {
      app: { name: 'No files out', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } },
    });
    instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    containerId = (await containersOf(instance.id))[0]!.Id;
    const made = await dockerExec(containerId, ['sh', '-c', 'mkdir -p ~/Desktop ~/Outbox && echo secret > ~/Desktop/secret.txt'], 'desktop');
    assert.equal(made.exitCode, 0, made.output);
  });

  after(async () => {
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
  });

  it('locked off: no filesystem, a hand-made get is refused with the reason and no bytes, and nothing is offered', async () => {
    const settings = await call<{ fileDownload: boolean; managed: string[] }>('settings.get', {});
    assert.equal(settings.fileDownload, false);
    assert.ok(settings.managed.includes('fileDownload'));
    await assert.rejects(call('settings.update', { fileDownload: true }), /managed by your administrator/);

    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    assert.deepEqual(ticket.files, { upload: false, download: false }, 'the viewer is told to show neither control');
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600`);
    try {
      await viewer.waitForOpcode('sync', 20_000);
      for (const name of ['/secret.txt', '/', 'tar:/']) {
        const refused = await getFromDesktop(viewer, 0, name, 10_000);
        assert.equal(refused.mimetype, TRANSFER_ERROR_MIMETYPE, name);
        assert.equal(refused.data.toString('utf8'), 'Downloading files from desktops is turned off.');
      }
      // Acks for streams the gateway never opened (as if to start a download) change nothing.
      for (let i = 0; i < 200; i++) viewer.send('ack', i, 'OK', 0);
      // A file put into the outbox now is not offered: two looks of the outbox pass meanwhile.
      await dockerExec(containerId, ['sh', '-c', 'echo out > ~/Outbox/out.txt'], 'desktop');
      await new Promise((r) => setTimeout(r, 5_000));
      viewer.send('size', 700, 500);
      await viewer.waitForNext((i) => i[0] === 'sync', 10_000, 'a frame: the viewer is still served');
      assert.equal(viewer.instructions.filter((i) => i[0] === 'filesystem').length, 0, 'no folder is announced');
      assert.equal(viewer.instructions.filter((i) => i[0] === 'file').length, 0, 'nothing is offered');
      const secret = Buffer.from('secret\n').toString('base64');
      assert.equal(viewer.instructions.filter((i) => i[0] === 'blob' && i[2] === secret).length, 0, 'not one byte of the file left the desktop');
    } finally {
      await viewer.close();
    }
  });
});
