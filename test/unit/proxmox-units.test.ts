// The Proxmox provider's pure parts: tags, names, UPIDs, settings, node choice, errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DaasError } from '../../src-shared/errors';
import { leastLoadedNode, pickGuestAddress, qemuVms } from '../../src-main/providers/proxmox/proxmox-cluster';
import { fromHttpError, ProxmoxError, proxmoxOp, proxmoxWho } from '../../src-main/providers/proxmox/proxmox-errors';
import { normaliseFingerprint, renderVmName, validateAppConfig, validateEndpoint } from '../../src-main/providers/proxmox/proxmox-settings';
import {
  appFromTags,
  appTag,
  cloneDescription,
  editTags,
  instanceFromDescription,
  instanceFromTags,
  instanceTag,
} from '../../src-main/providers/proxmox/proxmox-tags';
import { describeTaskFailure, isTaskOk, parseUpid } from '../../src-main/providers/proxmox/proxmox-tasks';
import { parseResourceId, resourceIdOf } from '../../src-main/providers/proxmox/proxmox-provider';
import { TAG } from '../fixtures/proxmox/params';

const ID = '3f2a9c1e-7b4d-4e21-9a0b-5c6d7e8f9012';

describe('tags', () => {
  it('are valid Proxmox tags and map back to the full instance id and the app', () => {
    const tags = editTags('template;Windows', ['daas-desktop', instanceTag(ID), appTag('win-11')]);
    for (const t of tags.split(';')) assert.match(t, TAG, `${t} must match pve-tag-list`);
    assert.equal(instanceFromTags(tags), ID);
    assert.equal(appFromTags(tags), 'win-11');
    assert.equal(instanceFromTags('template,daas-desktop windows'), undefined);
    assert.equal(instanceFromTags(`foo ${instanceTag(ID).toUpperCase()}`), ID, 'Proxmox tags are case-insensitive');
  });

  it('keep the template\'s own tags, drop duplicates case-insensitively, and remove only what is asked', () => {
    assert.equal(editTags('a;B', ['b', 'c']), 'a;B;c');
    assert.equal(editTags(`a;${instanceTag(ID)}`, [], (t) => t === instanceTag(ID)), 'a');
    assert.throws(() => editTags('', ['bad tag!']), /not a valid Proxmox tag/);
    assert.throws(() => instanceTag('not-a-uuid'), /not a UUID/);
  });

  it('recognise a clone by its description before it is tagged', () => {
    assert.equal(instanceFromDescription(cloneDescription(ID, 'win-11')), ID);
    assert.equal(instanceFromDescription('Some other VM'), undefined);
  });
});

describe('names and ids', () => {
  it('expands the name pattern into a DNS name', () => {
    assert.equal(renderVmName('daas-{app}-{instance}', { instanceId: ID, appId: 'Win 11', vmid: 105 }), 'daas-win-11-3f2a9c1e');
    assert.equal(renderVmName('desk{vmid}.lab', { instanceId: ID, appId: 'x', vmid: 105 }), 'desk105.lab');
    assert.throws(() => renderVmName('desk_{vmid}', { instanceId: ID, appId: 'x', vmid: 1 }), (err: DaasError) => {
      assert.equal(err.code, 'INVALID_REQUEST');
      assert.match(err.message, /does not accept as a VM name/);
      return true;
    });
  });

  it('parses real-format UPIDs', () => {
    const upid = 'UPID:pve2:000AB12C:0132F9D1:66A1B2C3:qmclone:9000:daas@pve!desk:';
    assert.deepEqual(parseUpid(upid), {
      node: 'pve2',
      pid: 0xab12c,
      pstart: 0x132f9d1,
      starttime: 0x66a1b2c3,
      type: 'qmclone',
      id: '9000',
      user: 'daas@pve!desk',
    });
    assert.throws(() => parseUpid('UPID:pve2:nothex'), ProxmoxError);
    assert.equal(isTaskOk('OK'), true);
    assert.equal(isTaskOk('WARNINGS: 2'), true);
    assert.equal(isTaskOk('clone failed: out of space'), false);
    assert.equal(isTaskOk(undefined), false);
  });

  it('round-trips resource ids', () => {
    assert.deepEqual(parseResourceId(resourceIdOf('pve-2', 105)), { node: 'pve-2', vmid: 105 });
    assert.equal(parseResourceId('abc'), undefined);
  });
});

describe('settings', () => {
  const base = { url: 'https://pve.example:8006/', auth: { tokenId: 'daas@pve!desk', secret: 'x' } };

  it('accepts tokens and users with realms, and normalises the URL and fingerprint', () => {
    const fp = 'ab'.repeat(32);
    const e = validateEndpoint({ ...base, tls: { fingerprintSha256: fp } });
    assert.equal(e.url, 'https://pve.example:8006');
    assert.equal(e.tls?.fingerprintSha256, Array(32).fill('AB').join(':'));
    assert.equal(normaliseFingerprint(Array(32).fill('cd').join(':')), Array(32).fill('CD').join(':'));
    validateEndpoint({ url: 'https://10.0.0.1:8006', auth: { username: 'alice@pve', password: 'p' } });
  });

  it('refuses what Proxmox would refuse, in plain words', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ ...base, url: 'http://pve:8006' }, /only served over HTTPS/],
      [{ ...base, auth: { tokenId: 'daas@pve', secret: 'x' } }, /not an API token ID/],
      [{ ...base, auth: { username: 'root', password: 'x' } }, /not a Proxmox user name/],
      [{ ...base, tls: { fingerprintSha256: 'abc' } }, /not a SHA-256 fingerprint/],
      [{ ...base, tls: { fingerprintSha256: 'ab'.repeat(32), insecure: true } }, /both pinned and turned off/],
    ];
    for (const [endpoint, message] of bad) {
      assert.throws(() => validateEndpoint(endpoint as never), (err: DaasError) => err.code === 'INVALID_REQUEST' && message.test(err.message));
    }
  });

  it('checks app configs', () => {
    const clone = { mode: 'clone', templateVmid: 9000, full: false, namePattern: 'daas-{instance}', onStop: 'delete' } as const;
    validateAppConfig(clone);
    validateAppConfig({ ...clone, node: 'least-loaded', pool: 'desktops' });
    validateAppConfig({ mode: 'existing', vmid: 120, node: 'pve1', display: { kind: 'rdp' } });
    assert.throws(() => validateAppConfig({ ...clone, templateVmid: 42 }), /between 100 and 999999999/);
    assert.throws(() => validateAppConfig({ ...clone, node: 'pve_1' }), /not a node name/);
    assert.throws(() => validateAppConfig({ ...clone, namePattern: 'a b' }), /does not accept/);
    assert.throws(() => validateAppConfig({ mode: 'existing', vmid: 120, node: 'pve1', display: { kind: 'vnc', host: 'h', port: 0, password: '' } }), /port/);
  });
});

describe('cluster', () => {
  const nodes = [
    { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online', cpu: 0.5, mem: 8, maxmem: 10 },
    { id: 'node/pve2', type: 'node', node: 'pve2', status: 'online', cpu: 0.1, mem: 2, maxmem: 10 },
    { id: 'node/pve3', type: 'node', node: 'pve3', status: 'offline', cpu: 0, mem: 0, maxmem: 10 },
    { id: 'qemu/100', type: 'qemu', node: 'pve1', vmid: 100 },
  ];

  it('picks the least-loaded online node, or none when loads are hidden (no Sys.Audit)', () => {
    assert.equal(leastLoadedNode(nodes), 'pve2');
    assert.equal(leastLoadedNode(nodes.map((n) => ({ id: n.id, type: n.type, node: n.node, status: n.status }))), undefined);
    assert.deepEqual(qemuVms(nodes).map((v) => v.vmid), [100]);
  });

  it('picks a routable guest address, never loopback or link-local', () => {
    const lo = [
      { interface: 'lo', family: 'ipv4' as const, address: '127.0.0.1', prefix: 8 },
      { interface: 'lo', family: 'ipv6' as const, address: '::1', prefix: 128 },
      { interface: 'eth0', family: 'ipv6' as const, address: 'fe80::1', prefix: 64 },
    ];
    assert.equal(pickGuestAddress(lo), undefined);
    assert.equal(pickGuestAddress([...lo, { interface: 'eth0', family: 'ipv6', address: '2001:db8::5', prefix: 64 }]), '2001:db8::5');
    assert.equal(pickGuestAddress([...lo, { interface: 'eth0', family: 'ipv4', address: '10.1.2.3', prefix: 24 }]), '10.1.2.3');
  });
});

describe('errors', () => {
  const ctx = { url: 'https://pve:8006', who: proxmoxWho({ tokenId: 'daas@pve!desk' }), doing: proxmoxOp('op.proxmox.cloneTemplate', { templateVmid: 9000 }) };

  it('says which privilege is missing and what it is for', () => {
    const err = fromHttpError(403, 'Permission check failed (/vms/9000, VM.Clone)', { message: 'Permission check failed (/vms/9000, VM.Clone)\n' }, ctx);
    assert.equal(err.kind, 'permission');
    assert.match(err.message, /did not allow the API token daas@pve!desk to clone VM 9000: Permission check failed \(\/vms\/9000, VM\.Clone\)/);
    assert.match(err.action, /VM\.Clone \(to clone the template\) on \/vms\/9000/);
  });

  it('keeps Proxmox\'s own message for failures, and lists parameter errors', () => {
    const e500 = fromHttpError(500, "VM 100 already exists on node 'pve1'", { message: "VM 100 already exists on node 'pve1'\n" }, ctx);
    assert.equal(e500.proxmoxMessage, "VM 100 already exists on node 'pve1'");
    assert.match(e500.message, /could not clone VM 9000: VM 100 already exists on node 'pve1'\./);
    const e400 = fromHttpError(400, 'Parameter verification failed.', { message: 'Parameter verification failed.\n', errors: { newid: 'type check failed' } }, ctx);
    assert.match(e400.message, /newid: type check failed/);
    assert.deepEqual(e400.paramErrors, { newid: 'type check failed' });
    const e401 = fromHttpError(401, 'Authentication failed!', null, ctx);
    assert.equal(e401.kind, 'auth');
    assert.match(e401.action, /token ID/);
  });

  it('turns failed tasks into errors with their exit status and a fitting action', () => {
    const err = describeTaskFailure('UPID:pve1:00000001:00000002:00000003:qmclone:9000:a@pve!t:', "clone failed: can't lock file", proxmoxOp('op.proxmox.cloneTemplate', { templateVmid: 9000 }), ['x'], proxmoxWho({ username: 'a@pve' }));
    assert.equal(err.kind, 'task');
    assert.equal(err.proxmoxMessage, "clone failed: can't lock file");
    assert.deepEqual(err.taskLog, ['x']);
    assert.match(describeTaskFailure('U', 'VM is locked (clone)', proxmoxOp('op.proxmox.startVm', { vmid: 1 }), [], proxmoxWho({ username: 'w@pve' })).action, /holds the VM/);
  });
});
