// One definition of "this machine's own address", used for listening (gateway --listen),
// for choosing encodings (a local VNC server gets Raw) and for import warnings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopbackHost } from '../../src-main/loopback';

test('loopback: 127.0.0.0/8, ::1 in any spelling, IPv4-mapped 127.x and localhost', () => {
  for (const host of ['127.0.0.1', '127.255.0.9', 'localhost', 'LocalHost', ' localhost ', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '[::ffff:7f00:1]']) {
    assert.equal(isLoopbackHost(host), true, host);
  }
});

test('not loopback: other machines, all-interfaces, names and malformed text', () => {
  for (const host of ['0.0.0.0', '::', '[::]', '10.0.0.1', '128.0.0.1', '::2', '::ffff:10.0.0.1', '127.0.0.256', '127.1', 'localhost.evil.example', 'pve.example', '', '[127.0.0.1']) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});
