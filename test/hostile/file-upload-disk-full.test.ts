// A full disk in the desktop (issue 12): the transfer folder is a 1 MiB tmpfs; a 2 MiB upload
// through the embedded gateway fails with a clear "disk is full" ack, the viewer keeps being
// served, nothing (not even the temporary file) is left, and the files already there are intact.
// The container is made here (the app cannot mount a tmpfs), from the real desktop image, and
// labelled with an owner of this test only; the upload goes through the Docker provider's files.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, it } from 'node:test';
import { FILE_GRANT_ARG, FileGrants } from '../../src-main/display/files/file-grants';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { DockerDesktopFiles } from '../../src-main/providers/docker/docker-files';
import { LABEL_OWNER } from '../../src-main/providers/docker/docker-labels';
import { waitForVncBanner } from '../../src-main/providers/vnc-readiness';
import { docker, dockerExec, removeOwnedBy } from '../helpers/docker';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import type Docker from 'dockerode';

const OWNER = `file-upload-disk-full-${randomUUID()}`;
let container: Docker.Container;
let gateway: Gateway;
const grants = new FileGrants(30_000);

before(async () => {
  container = await docker.createContainer({
    Image: 'daas/desktop:latest',
    Labels: { [LABEL_OWNER]: OWNER },
    ExposedPorts: { '5901/tcp': {} },
    HostConfig: {
      PortBindings: { '5901/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      Tmpfs: { '/home/desktop/Desktop': 'size=1m,uid=1000,gid=1000,mode=0755' },
    },
  });
  await container.start();
  gateway = await startGateway({ session: { log: () => undefined, files: grants } });
});

after(async () => {
  await gateway?.close();
  await removeOwnedBy(OWNER);
});

it('a full disk gives a clear error and leaves nothing behind', async () => {
  const info = await container.inspect();
  const port = info.NetworkSettings.Ports['5901/tcp']![0]!.HostPort;
  await waitForVncBanner('127.0.0.1', Number(port), 20_000);
  await dockerExec(info.Id, ['sh', '-c', 'echo kept > ~/Desktop/kept.txt'], 'desktop');
  const grant = grants.issue({ instanceId: 'disk-full', files: new DockerDesktopFiles(async () => container), upload: true, download: false, maxBytes: 1 << 30, folder: '~/Desktop' });
  const c = await GuacdWireClient.open(gateway.host, gateway.port);
  try {
    await c.handshake({ hostname: '127.0.0.1', port, [FILE_GRANT_ARG]: grant });
    await c.waitFor((i) => i[0] === 'sync', 20_000);
    // The size announced, as the app's viewer does: a tmpfs still takes the stream (Docker's archive endpoint would not see it).
    c.send('file', 1, 'application/octet-stream; size=2097152', 'too-big.bin');
    const begin = await c.waitFor((i) => i[0] === 'ack' && i[1] === '1', 10_000);
    assert.equal(begin[3], '0');
    // Blob by blob, each after its ack, as guacamole-common-js sends; then end.
    const data = randomBytes(2 * 1024 * 1024);
    let last = begin;
    const acks = () => c.instructions.filter((i) => i[0] === 'ack' && i[1] === '1');
    for (let at = 0; at < data.length && last[3] === '0'; at += 6048) {
      const seen = acks().length;
      c.send('blob', 1, data.subarray(at, at + 6048).toString('base64'));
      await c.waitFor(() => acks().length > seen, 10_000);
      last = acks()[seen]!;
    }
    if (last[3] === '0') {
      const seen = acks().length;
      c.send('end', 1);
      await c.waitFor(() => acks().length > seen, 20_000);
      last = acks()[seen]!;
    }
    assert.equal(last[3], String(0x0200));
    assert.equal(last[2], 'The desktop\'s disk is full: "too-big.bin" was not saved.');
    // Still served.
    c.send('size', 700, 500);
    await c.waitFor((i) => i[0] === 'sync' && c.instructions.indexOf(i) > c.instructions.indexOf(last), 10_000);
  } finally {
    c.close();
  }
  const { output } = await dockerExec(info.Id, ['sh', '-c', 'ls -A ~/Desktop; cat ~/Desktop/kept.txt'], 'desktop');
  assert.match(output, /kept\.txt/);
  assert.doesNotMatch(output, /daas-upload|too-big/);
});
