// `clipboard=vnc` goes into a VM's `vga` property string without losing its type or memory.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { withVncClipboard } from '../../src-main/providers/proxmox/proxmox-vga';

it('adds clipboard=vnc to vga, keeping type and memory', () => {
  assert.equal(withVncClipboard(undefined), 'std,clipboard=vnc');
  assert.equal(withVncClipboard('qxl'), 'qxl,clipboard=vnc');
  assert.equal(withVncClipboard('type=virtio,memory=64'), 'type=virtio,memory=64,clipboard=vnc');
  assert.equal(withVncClipboard('memory=32'), 'std,memory=32,clipboard=vnc');
  assert.equal(withVncClipboard('std,clipboard=vnc'), 'std,clipboard=vnc');
});
