// Files sent into a container desktop (issue 12): a viewer's Guacamole `file` stream, through the
// tunnel and the embedded gateway, lands in the desktop user's ~/Desktop. Real core, real
// dockerd, the real desktop image (Xtigervnc); the client sends as guacamole-common-js does.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Core } from '../../src-main/core';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { folderUploadMimetype } from '../../src-shared/file-transfer';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { uploadFile } from '../helpers/file-upload-client';
import { GuacTestClient } from '../helpers/guac-client';

const DESKTOP = '/home/desktop/Desktop';

/** Runs a shell script in the container; resolves with its stdout (demultiplexed). */
async function execText(containerId: string, script: string, user: string): Promise<{ exitCode: number; output: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true, User: user });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const sink = new PassThrough().on('data', (c: Buffer) => out.push(c));
  docker.modem.demuxStream(stream, sink, new PassThrough().resume());
  await new Promise((resolve) => stream.on('end', resolve));
  return { exitCode: (await exec.inspect()).ExitCode ?? -1, output: Buffer.concat(out).toString('utf8') };
}

describe('file upload into a container desktop', () => {
  let core: Core;
  let app: App;
  let instance: Instance;
  let containerId: string;
  const viewers: GuacTestClient[] = [];
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

  /** A viewer through the tunnel, past its first frame. */
  const view = async (): Promise<GuacTestClient> => {
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
    viewers.push(viewer);
    await viewer.waitForOpcode('sync', 20_000);
    return viewer;
  };
  const inDesktop = (script: string, user = 'desktop') => execText(containerId, script, user);
  /** The transfer folder's entries, hidden ones (a temporary upload) included. */
  const listing = async () => (await inDesktop(`ls -A1 ${DESKTOP} 2>/dev/null`)).output.split('\n').filter(Boolean).sort();

  before(async () => {
    core = await openCore(await tempDataDir());
    app = await call<App>('apps.create', {
      app: { name: 'Files', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } },
    });
    instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    const [container] = await containersOf(instance.id);
    containerId = container!.Id;
  });

  after(async () => {
    await Promise.all(viewers.map((v) => v.close().catch(() => undefined)));
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
  });

  it('a 5 MB random file arrives byte for byte, owned by the desktop user', async () => {
    const data = randomBytes(5 * 1024 * 1024);
    const viewer = await view();
    const started = Date.now();
    const result = await uploadFile(viewer, 1, 'random.bin', data);
    // Sending a file is using the desktop: idle auto-stop does not take it away mid-upload.
    assert.ok((core.display.lastActivityAt(instance.id) ?? 0) >= started, 'the upload counts as activity');
    assert.deepEqual([result.status, result.message], [0, 'random.bin']);
    const sum = await inDesktop(`sha256sum ${DESKTOP}/random.bin | cut -d' ' -f1; stat -c %U ${DESKTOP}/random.bin`);
    assert.equal(sum.output.trim(), `${createHash('sha256').update(data).digest('hex')}\ndesktop`);
    assert.deepEqual(await listing(), ['random.bin'], 'no temporary file is left');
  });

  it('a name clash gives "name (1).ext", and the first file is kept', async () => {
    const viewer = await view();
    const first = await uploadFile(viewer, 2, 'notes.txt', Buffer.from('first\n'));
    const second = await uploadFile(viewer, 2, 'notes.txt', Buffer.from('second\n'));
    const third = await uploadFile(viewer, 3, 'notes.txt', Buffer.from('third\n'));
    assert.deepEqual([first.message, second.message, third.message], ['notes.txt', 'notes (1).txt', 'notes (2).txt']);
    const { output } = await inDesktop(`cat ${DESKTOP}/notes.txt "${DESKTOP}/notes (1).txt" "${DESKTOP}/notes (2).txt"`);
    assert.equal(output, 'first\nsecond\nthird\n');
  });

  it('a cancelled upload and one whose viewer drops half-way leave no file behind', async () => {
    const data = randomBytes(1024 * 1024);
    const before = await listing();
    const viewer = await view();
    const cancelled = await uploadFile(viewer, 4, 'cancelled.bin', data, { after: data.length / 2, how: 'cancel' });
    assert.ok(cancelled.sent >= data.length / 2, 'half of it went through first');
    // The same stream index is free again: a new upload on it works (the viewer is still served).
    const next = await uploadFile(viewer, 4, 'after-cancel.txt', Buffer.from('ok'));
    assert.equal(next.message, 'after-cancel.txt');

    const dropped = await view();
    await uploadFile(dropped, 5, 'dropped.bin', data, { after: data.length / 2, how: 'hang' });
    dropped.ws.terminate();
    await dropped.closed;
    // The gateway removes the temporary file once it sees the viewer gone (an exec: give a busy machine time).
    let now: string[] = [];
    for (let i = 0; i < 300; i++) {
      now = await listing();
      if (!now.some((n) => n.startsWith('.daas-upload.'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(now, [...before, 'after-cancel.txt'].sort());
  });

  it('a file over maxTransferSizeMiB is refused with the limit in the message, and nothing is kept', async () => {
    await call('settings.update', { maxTransferSizeMiB: 1 });
    try {
      const before = await listing();
      const viewer = await view();
      const result = await uploadFile(viewer, 6, 'big.bin', randomBytes(1024 * 1024 + 6048));
      assert.equal(result.status, 0x030d);
      assert.match(result.message, /"big\.bin" is larger than the transfer limit of 1 MiB/);
      assert.ok(result.sent <= 1024 * 1024);
      assert.deepEqual(await listing(), before);
    } finally {
      await call('settings.update', { maxTransferSizeMiB: 4096 });
    }
  });

  it('a read-only transfer folder gives a clear error, and the viewer keeps working', async () => {
    // Its owner takes the write permission away (root in the container has no CAP_CHOWN here).
    assert.equal((await inDesktop(`mkdir -p ${DESKTOP} && chmod 555 ${DESKTOP}`)).exitCode, 0);
    try {
      const viewer = await view();
      const result = await uploadFile(viewer, 7, 'report.pdf', Buffer.from('%PDF-1.4'));
      assert.equal(result.status, 0x0303);
      assert.match(result.message, /transfer folder ~\/Desktop cannot be written \(read-only or no permission\): "report\.pdf" was not saved/);
      assert.equal(result.sent, 0, 'refused before any data was taken');
      viewer.send('size', 640, 480);
      await viewer.waitForNext((i) => i[0] === 'sync', 10_000, 'a frame after the refusal');
    } finally {
      await inDesktop(`chmod 755 ${DESKTOP}`);
    }
    assert.ok(!(await listing()).includes('report.pdf'));
  });

  it("the app's transfer folder setting sends uploads there instead of ~/Desktop", async () => {
    const { id: _id, builtIn: _b, managed: _m, displayPasswordSet: _p, ...config } = app;
    assert.equal(config.provider, 'docker');
    // Read at each connection: the next viewer of the running instance uses it.
    await call('apps.update', { appId: app.id, app: { ...config, docker: { ...config.docker, transferFolder: '~/Inbox/today' } } });
    try {
      const viewer = await view();
      const result = await uploadFile(viewer, 8, 'routed.txt', Buffer.from('here\n'));
      assert.deepEqual([result.status, result.message], [0, 'routed.txt']);
      const { output } = await inDesktop('cat /home/desktop/Inbox/today/routed.txt; stat -c %U /home/desktop/Inbox/today/routed.txt');
      assert.equal(output, 'here\ndesktop\n');
      assert.ok(!(await listing()).includes('routed.txt'), 'not in ~/Desktop');
    } finally {
      await call('apps.update', { appId: app.id, app: config });
    }
  });

  it('a transfer folder outside the rules is refused when the app is saved', async () => {
    const { id: _id, builtIn: _b, managed: _m, displayPasswordSet: _p, ...config } = app;
    assert.equal(config.provider, 'docker');
    for (const transferFolder of ['~/../etc', 'Desktop', '/tmp/a\0b']) {
      await assert.rejects(call('apps.update', { appId: app.id, app: { ...config, docker: { ...config.docker, transferFolder } } }), /INVALID_REQUEST|transfer folder/);
    }
  });

  it('a dropped folder arrives as its tree under a new folder; a second drop of it gets "name (1)"', async () => {
    const viewer = await view();
    const tree = { 'project/readme.txt': 'read me', 'project/src/main.c': 'int main;', 'project/src/lib/deep.h': '#pragma once' };
    const dropped = async (drop: string) => {
      const names: string[] = [];
      let stream = 20;
      for (const [path, text] of Object.entries(tree)) {
        const result = await uploadFile(viewer, stream++, path, Buffer.from(text), undefined, folderUploadMimetype('text/plain', drop));
        assert.equal(result.status, 0, result.message);
        names.push(result.message);
      }
      return names;
    };
    assert.deepEqual(await dropped('drop-a'), ['project/readme.txt', 'project/src/main.c', 'project/src/lib/deep.h']);
    assert.deepEqual(await dropped('drop-b'), ['project (1)/readme.txt', 'project (1)/src/main.c', 'project (1)/src/lib/deep.h']);
    const files = await inDesktop(`cd ${DESKTOP} && find 'project' 'project (1)' -type f -exec sh -c 'printf "%s=%s\\n" "$1" "$(cat "$1")"' _ {} \\; | sort`);
    assert.deepEqual(files.output.trim().split('\n'), [
      'project (1)/readme.txt=read me',
      'project (1)/src/lib/deep.h=#pragma once',
      'project (1)/src/main.c=int main;',
      'project/readme.txt=read me',
      'project/src/lib/deep.h=#pragma once',
      'project/src/main.c=int main;',
    ]);
    const owners = await inDesktop(`stat -c %U ${DESKTOP}/project/src/lib ${DESKTOP}/project/src/lib/deep.h`);
    assert.deepEqual(owners.output.trim().split('\n'), ['desktop', 'desktop']);
    const escape = await uploadFile(viewer, 40, 'project/../../x.txt', Buffer.from('x'), undefined, folderUploadMimetype('text/plain', 'drop-c'));
    assert.equal(escape.status, GuacStatus.CLIENT_BAD_REQUEST, 'a path out of the drop is refused');
  });
});
