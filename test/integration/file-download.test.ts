// Files out of a container desktop (issue 12): the gateway shows the transfer folder and the
// outbox as Guacamole `filesystem` objects; a viewer lists folders, goes into sub-folders,
// downloads a file byte for byte and a folder as a tar archive, and is offered each new file
// the remote user puts into ~/Outbox. Real core, real dockerd, the real desktop image; the
// client reads as the viewer's Files panel does.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Core } from '../../src-main/core';
import { STREAM_INDEX_MIMETYPE, TRANSFER_ERROR_MIMETYPE } from '../../src-shared/file-transfer';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, dockerExec, removeOwnedBy } from '../helpers/docker';
import { acceptOffer, getFromDesktop } from '../helpers/file-download-client';
import { GuacTestClient } from '../helpers/guac-client';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('file download from a container desktop', () => {
  let core: Core;
  let instance: Instance;
  let containerId: string;
  const viewers: GuacTestClient[] = [];
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
  const inDesktop = async (script: string) => {
    const result = await dockerExec(containerId, ['sh', '-c', script], 'desktop');
    assert.equal(result.exitCode, 0, result.output);
    return result.output;
  };
  /** The SHA-256 the desktop computes for a file in its home. */
  const remoteSha = async (path: string) => /([0-9a-f]{64}) {2}/.exec(await inDesktop(`sha256sum "$HOME/${path}"`))![1];

  const view = async (): Promise<{ viewer: GuacTestClient; ticket: DisplayTicket }> => {
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
    viewers.push(viewer);
    await viewer.waitForOpcode('sync', 20_000);
    return { viewer, ticket };
  };

  before(async () => {
    core = await openCore(await tempDataDir());
    const app = await call<App>('apps.create', {
      app: { name: 'Files out', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } },
    });
    instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    containerId = (await containersOf(instance.id))[0]!.Id;
    await inDesktop(
      'mkdir -p ~/Desktop/sub/deeper && head -c 3000000 /dev/urandom > ~/Desktop/report.bin && printf inner > ~/Desktop/sub/inner.txt && printf deep > ~/Desktop/sub/deeper/deep.txt',
    );
  });

  after(async () => {
    await Promise.all(viewers.map((v) => v.close().catch(() => undefined)));
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
  });

  it('lists the transfer folder with sizes, goes into a sub-folder, and downloads a file byte for byte', async () => {
    const { viewer, ticket } = await view();
    assert.deepEqual(ticket.files, { upload: true, download: true }, 'the viewer is told what it may do');
    await viewer.waitFor((i) => i[0] === 'filesystem' && i[1] === '0' && i[2] === '~/Desktop', 10_000);
    await viewer.waitFor((i) => i[0] === 'filesystem' && i[1] === '1' && i[2] === '~/Outbox', 10_000);

    const root = await getFromDesktop(viewer, 0, '/');
    assert.equal(root.mimetype, STREAM_INDEX_MIMETYPE);
    const index = JSON.parse(root.data.toString('utf8')) as Record<string, string>;
    assert.equal(index['/sub'], STREAM_INDEX_MIMETYPE, 'a folder is a listing');
    assert.match(index['/report.bin']!, /^application\/octet-stream; size=3000000; modified=\d{13}$/);

    const sub = JSON.parse((await getFromDesktop(viewer, 0, '/sub')).data.toString('utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(sub).sort(), ['/sub/deeper', '/sub/inner.txt']);

    const file = await getFromDesktop(viewer, 0, '/report.bin');
    assert.equal(file.failed, undefined);
    assert.match(file.mimetype, /size=3000000/);
    assert.equal(sha256(file.data), await remoteSha('Desktop/report.bin'), 'the same bytes as in the desktop');
    // The viewer is still served after 3 MB of blobs.
    viewer.send('size', 640, 480);
    await viewer.waitForNext((i) => i[0] === 'sync', 10_000, 'a frame after the download');
  });

  it('downloads a folder as a tar archive holding its files', async (t) => {
    const { viewer } = await view();
    const archive = await getFromDesktop(viewer, 0, 'tar:/sub');
    assert.equal(archive.failed, undefined);
    const dir = await mkdtemp(join(tmpdir(), 'daas-download-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'sub.tar'), archive.data);
    await promisify(execFile)('tar', ['-xf', join(dir, 'sub.tar'), '-C', dir]);
    assert.equal(await readFile(join(dir, 'sub', 'inner.txt'), 'utf8'), 'inner');
    assert.equal(await readFile(join(dir, 'sub', 'deeper', 'deep.txt'), 'utf8'), 'deep');
  });

  it('a folder holding a file the desktop user cannot read is refused naming that file, not archived without it', async () => {
    await inDesktop('mkdir -p ~/Desktop/locked && printf ok > ~/Desktop/locked/open.txt && printf x > ~/Desktop/locked/.secret && chmod 000 ~/Desktop/locked/.secret');
    const { viewer } = await view();
    const archive = await getFromDesktop(viewer, 0, 'tar:/locked');
    assert.equal(archive.mimetype, TRANSFER_ERROR_MIMETYPE);
    assert.equal(
      archive.data.toString('utf8'),
      'The folder "/locked" was not downloaded: the desktop user cannot read ".secret". Change their permissions in the desktop (chmod) or move them out, then download again.',
    );
    await inDesktop('chmod 600 ~/Desktop/locked/.secret');
    const whole = await getFromDesktop(viewer, 0, 'tar:/locked');
    assert.equal(whole.failed, undefined);
    assert.notEqual(whole.mimetype, TRANSFER_ERROR_MIMETYPE);
  });

  it('a missing file or a path out of the folder gets a clear refusal, and the viewer keeps working', async () => {
    const { viewer } = await view();
    const missing = await getFromDesktop(viewer, 0, '/nope.txt');
    assert.equal(missing.mimetype, TRANSFER_ERROR_MIMETYPE);
    assert.equal(missing.data.toString('utf8'), '"/nope.txt" is not in the desktop (any more).');
    for (const name of ['/../.bashrc', 'relative', '/sub/../../x']) {
      const out = await getFromDesktop(viewer, 0, name);
      assert.equal(out.mimetype, TRANSFER_ERROR_MIMETYPE, name);
    }
    const unknownObject = await getFromDesktop(viewer, 7, '/');
    assert.equal(unknownObject.mimetype, TRANSFER_ERROR_MIMETYPE);
    viewer.send('size', 700, 500);
    await viewer.waitForNext((i) => i[0] === 'sync', 10_000, 'a frame after the refusals');
  });

  it('a file put into ~/Outbox offers itself; one that was there before the viewer came does not', async () => {
    await inDesktop('mkdir -p ~/Outbox && printf old > ~/Outbox/old.txt');
    const { viewer } = await view();
    // The outbox is watched from the start: let a look pass so "old.txt" counts as there before.
    await new Promise((r) => setTimeout(r, 2_500));
    await inDesktop('head -c 700000 /dev/urandom > ~/Outbox/.part && mv ~/Outbox/.part ~/Outbox/result.bin');
    const offered = await acceptOffer(viewer, 'result.bin');
    assert.match(offered.mimetype, /size=700000/);
    assert.equal(sha256(offered.data), await remoteSha('Outbox/result.bin'));
    assert.equal(viewer.instructions.filter((i) => i[0] === 'file' && i[3] === 'old.txt').length, 0, 'the old file is not offered');
  });
});
