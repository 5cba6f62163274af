// Files to and from a VM console through its QEMU guest agent (issue 12), against the Proxmox
// emulator (real QEMU behind the console; the guest's files in the emulator's memory, as
// agent/file-write and agent/file-read reach them): the viewer's upload and download streams
// of the embedded gateway, a file round trip with its checksum, a name clash, the agent's size
// limit and a VM without an agent refused with a message that says what would make it work.
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Core } from '../../src-main/core';
import { AGENT_WRITE_MAX_BYTES } from '../../src-main/providers/proxmox/proxmox-agent-files';
import type { DisplayTicket, ProxmoxEndpointView } from '../../src-shared/contract';
import { STREAM_INDEX_MIMETYPE, TRANSFER_ERROR_MIMETYPE } from '../../src-shared/file-transfer';
import type { App, Instance } from '../../src-shared/model';
import { ALL_VM_PRIVILEGES } from '../fixtures/proxmox/emulator';
import { startTestCluster, type TestCluster } from '../fixtures/proxmox/setup';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { getFromDesktop } from '../helpers/file-download-client';
import { uploadFile } from '../helpers/file-upload-client';
import { GuacTestClient } from '../helpers/guac-client';

const AGENT_VMID = 150;
const NO_AGENT_VMID = 151;
const GUEST_FOLDER = '/home/user/Desktop';
const FILES_TOKEN = 'files@pve!desktop';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('files through the guest agent of a VM console', () => {
  let cluster: TestCluster;
  let core: Core;
  let endpoint: ProxmoxEndpointView;
  /** The viewer of the VM with an agent (an existing VM serves one instance at a time). */
  let agentViewer: GuacTestClient;
  const viewers: GuacTestClient[] = [];
  const started: Instance[] = [];
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

  /** Starts an app on an existing VM and opens a viewer on it (the console through the embedded gateway). */
  const view = async (vmid: number): Promise<GuacTestClient> => {
    const app = await call<App>('apps.create', {
      app: {
        name: `VM ${vmid}`,
        provider: 'proxmox',
        display: { gateway: 'embedded' },
        proxmox: { endpointId: endpoint.id, mode: 'existing', vmid, node: 'pve1', guestFolder: GUEST_FOLDER },
      },
    });
    const instance = await call<Instance>('instances.start', { appId: app.id });
    started.push(instance);
    await waitForState(core, instance.id, 'running', 30_000);
    const ticket = await call<DisplayTicket & { files?: { upload: boolean } }>('display.connect', { instanceId: instance.id });
    assert.equal(ticket.files?.upload, true, 'the viewer is told it may send files');
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
    viewers.push(viewer);
    await viewer.waitForOpcode('sync', 20_000);
    return viewer;
  };

  before(async () => {
    cluster = await startTestCluster();
    // Credentials that may move files through the agent (9.0+: VM.GuestAgent.File*; before: VM.Monitor).
    const agentPrivileges = cluster.emu.behaviour.guestAgentPrivileges ? ['VM.GuestAgent.FileRead', 'VM.GuestAgent.FileWrite'] : ['VM.Monitor'];
    const acl = { '/': [...ALL_VM_PRIVILEGES, ...agentPrivileges] };
    const secret = randomUUID();
    cluster.emu.addUser(FILES_TOKEN.split('!')[0]!, randomUUID(), acl);
    cluster.emu.addToken(FILES_TOKEN, secret, acl);
    cluster.emu.addVm({ vmid: AGENT_VMID, node: 'pve1', name: 'linux-with-agent' });
    cluster.emu.addVm({ vmid: NO_AGENT_VMID, node: 'pve1', name: 'no-agent', agent: false });
    core = await openCore(await tempDataDir());
    endpoint = await call<ProxmoxEndpointView>('proxmox.endpoints.save', {
      name: 'Lab',
      url: cluster.emu.url,
      authKind: 'token',
      principal: FILES_TOKEN,
      secret,
      tls: 'pinned',
      fingerprint: cluster.emu.fingerprint256,
    });
  });

  after(async () => {
    for (const v of viewers) await v.close();
    for (const i of started) await call('instances.forceStop', { instanceId: i.id }).catch(() => undefined);
    await core?.close();
    await cluster?.emu.close();
  });

  it('a file goes into the guest folder and comes back byte for byte; a second one of that name gets "name (1)"', async () => {
    const viewer = (agentViewer = await view(AGENT_VMID));
    const data = randomBytes(20_000);
    const sent = await uploadFile(viewer, 1, 'notes.bin', data);
    assert.deepEqual([sent.status, sent.message], [0, 'notes.bin']);
    const inGuest = cluster.emu.guestFile(AGENT_VMID, `${GUEST_FOLDER}/notes.bin`);
    assert.equal(inGuest && sha256(inGuest), sha256(data), 'the guest holds the same bytes');

    const again = await uploadFile(viewer, 2, 'notes.bin', Buffer.from('second'));
    assert.deepEqual([again.status, again.message], [0, 'notes (1).bin'], 'no overwrite: a free name');
    assert.equal(sha256(cluster.emu.guestFile(AGENT_VMID, `${GUEST_FOLDER}/notes.bin`)!), sha256(data));

    // The agent cannot list folders: the transfer folder lists what was sent from here.
    const listing = await getFromDesktop(viewer, 0, '/');
    assert.equal(listing.mimetype, STREAM_INDEX_MIMETYPE);
    assert.deepEqual(Object.keys(JSON.parse(listing.data.toString('utf8'))).sort(), ['/notes (1).bin', '/notes.bin']);

    // Edited in the guest, fetched back: the guest's bytes now, not what was sent.
    const edited = Buffer.concat([data, randomBytes(999)]);
    cluster.emu.putGuestFile(AGENT_VMID, `${GUEST_FOLDER}/notes.bin`, edited);
    const fetched = await getFromDesktop(viewer, 0, '/notes.bin');
    assert.equal(fetched.failed, undefined);
    assert.equal(sha256(fetched.data), sha256(edited));
  });

  it("a file above the agent's limit is refused with the reason and what to use instead; nothing lands in the guest", async () => {
    const viewer = agentViewer;
    const sent = await uploadFile(viewer, 3, 'big.bin', randomBytes(AGENT_WRITE_MAX_BYTES + 1));
    assert.notEqual(sent.status, 0);
    assert.match(sent.message, /"big\.bin" is larger than 45 KiB, the most the VM's guest agent takes in one piece.*RDP app with drive redirection/);
    assert.equal(cluster.emu.guestFile(AGENT_VMID, `${GUEST_FOLDER}/big.bin`), undefined);

    const folder = await getFromDesktop(viewer, 0, 'tar:/');
    assert.equal(folder.mimetype, TRANSFER_ERROR_MIMETYPE);
    assert.match(folder.data.toString('utf8'), /moves single files only/);
  });

  it('a VM without a running guest agent: the upload is refused saying how to install and enable it', async () => {
    const viewer = await view(NO_AGENT_VMID);
    const sent = await uploadFile(viewer, 1, 'notes.txt', Buffer.from('hello'));
    assert.notEqual(sent.status, 0);
    assert.match(sent.message, /Files cannot reach VM 151: its QEMU guest agent does not answer \(No QEMU guest agent configured\)/);
    assert.match(sent.message, /Install qemu-guest-agent in the VM.*"QEMU Guest Agent" in the VM's Options/);
  });
});
