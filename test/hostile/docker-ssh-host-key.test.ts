// Finding 11 of issue 10: ssh:// Docker endpoints check the server's host key. A real
// OpenSSH server sits behind a TCP relay the test can switch to a second server with
// another host key: the man in the middle the check must catch.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { DockerEndpointTestResult, DockerEndpointView } from '../../src-shared/contract';
import type { Core } from '../../src-main/core';
import { checkKnownHosts } from '../../src-main/providers/docker/ssh-host-key';
import { docker } from '../helpers/docker';
import { callCore, openCore, tempDataDir } from '../helpers/core';
import { startSshServer, type SshFixture } from '../helpers/ssh-server';

const run = promisify(execFile);

let dir: string;
let core: Core;
let real: SshFixture;
let impostor: SshFixture;
let relay: net.Server;
let relayPort: number;
let target: number;
const saved = { HOME: process.env.HOME, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };

before(async () => {
  dir = await tempDataDir();
  // known_hosts is read from the user's home: a fresh one per test run.
  process.env.HOME = path.join(dir, 'home');
  await fs.mkdir(path.join(dir, 'home', '.ssh'), { recursive: true });
  real = await startSshServer();
  impostor = await startSshServer();
  process.env.SSH_AUTH_SOCK = real.agentSocket;
  target = real.port;
  relay = net.createServer((client) => {
    const server = net.connect(target, '127.0.0.1');
    client.pipe(server).pipe(client);
    client.on('error', () => server.destroy()).on('close', () => server.destroy());
    server.on('error', () => client.destroy()).on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayPort = (relay.address() as net.AddressInfo).port;
  core = await openCore(path.join(dir, 'data'));
});
after(async () => {
  await core?.close();
  relay?.close();
  await real?.close();
  await impostor?.close();
  process.env.HOME = saved.HOME;
  process.env.SSH_AUTH_SOCK = saved.SSH_AUTH_SOCK;
  await fs.rm(dir, { recursive: true, force: true });
});

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
type Refusal = { info: { code: string; message: string; action: string; messageText?: { key: string; params: Record<string, unknown> } } };

async function refusal(endpointId: string): Promise<Refusal['info']> {
  try {
    await call('docker.endpoints.test', { endpointId });
  } catch (err) {
    return (err as Refusal).info;
  }
  throw new Error('the connection was not refused');
}

async function fingerprintOf(hostKey: string): Promise<string> {
  const file = path.join(dir, `key-${Math.random()}.pub`);
  await fs.writeFile(file, `${hostKey}\n`);
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', file]);
  return stdout.split(' ')[1]!;
}

test('first use of an unknown host fails with its SHA256 fingerprint; trusting it pins the key; the impostor is refused loudly', async () => {
  target = real.port;
  const endpoint = await call<DockerEndpointView>('docker.endpoints.save', { name: 'Lab over SSH', url: `ssh://${real.user}@127.0.0.1:${relayPort}` });
  const unknown = await refusal(endpoint.id);
  const expected = await fingerprintOf(real.hostKey);
  assert.equal(unknown.code, 'DOCKER_UNREACHABLE');
  assert.equal(unknown.message, `The SSH host [127.0.0.1]:${relayPort} is not known: its key has the fingerprint ${expected}.`);
  assert.equal(unknown.messageText?.params.fingerprint, expected, 'as ssh-keygen -l prints it');

  // Only the key that test was offered can be trusted.
  await assert.rejects(call('docker.endpoints.trustHostKey', { endpointId: endpoint.id, fingerprint: await fingerprintOf(impostor.hostKey) }), /No connection test was offered/);
  const trusted = await call<DockerEndpointView>('docker.endpoints.trustHostKey', { endpointId: endpoint.id, fingerprint: expected });
  assert.equal(trusted.hostKeyFingerprint, expected);
  assert.equal((await call<DockerEndpointTestResult>('docker.endpoints.test', { endpointId: endpoint.id })).version, (await docker.version()).Version);

  // The relay now leads to another server: a man in the middle.
  target = impostor.port;
  const changed = await refusal(endpoint.id);
  assert.match(changed.message, new RegExp(`^THE SSH HOST KEY OF \\[127\\.0\\.0\\.1\\]:${relayPort} HAS CHANGED: it is now ${escape(await fingerprintOf(impostor.hostKey))}, the key trusted for this endpoint is ${escape(expected)}\\.`));
  assert.match(changed.action, /^Do not connect\./);
  // A changed key is never offered for trust.
  await assert.rejects(call('docker.endpoints.trustHostKey', { endpointId: endpoint.id, fingerprint: await fingerprintOf(impostor.hostKey) }), /No connection test was offered/);
  // An app on that endpoint does not start either: the engine is never reached.
  const app = await call<{ id: string }>('apps.create', { app: { name: 'Over SSH', provider: 'docker', docker: { image: 'daas/desktop:latest', endpointId: endpoint.id } } });
  await assert.rejects(call('instances.start', { appId: app.id }), /HAS CHANGED/);
  await call('apps.delete', { appId: app.id });
  await call('docker.endpoints.delete', { endpointId: endpoint.id });
});

test('~/.ssh/known_hosts: a listed key (plain or hashed) is accepted, another key for that host refused', async () => {
  const knownHosts = path.join(dir, 'home', '.ssh', 'known_hosts');
  const [type, blob] = real.hostKey.split(' ');
  await fs.writeFile(knownHosts, `# the lab\n[127.0.0.1]:${relayPort} ${type} ${blob}\n`);
  await run('ssh-keygen', ['-H', '-f', knownHosts]); // hashed names, as HashKnownHosts writes them
  assert.match(await fs.readFile(knownHosts, 'utf8'), /^\|1\|/m);

  target = real.port;
  const endpoint = await call<DockerEndpointView>('docker.endpoints.save', { name: 'Known', url: `ssh://${real.user}@127.0.0.1:${relayPort}` });
  assert.equal(endpoint.hostKeyFingerprint, null);
  assert.ok((await call<DockerEndpointTestResult>('docker.endpoints.test', { endpointId: endpoint.id })).version);

  target = impostor.port;
  const changed = await refusal(endpoint.id);
  assert.match(changed.message, /^THE SSH HOST KEY OF \[127\.0\.0\.1\]:\d+ DOES NOT MATCH .*known_hosts: the server offers SHA256:/);
  assert.match(changed.action, /ssh-keygen -R "\[127\.0\.0\.1\]:\d+"/);
  await call('docker.endpoints.delete', { endpointId: endpoint.id });
});

test('known_hosts reading: wildcards, negation, other ports, @revoked and @cert-authority lines', () => {
  const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIDummyKeyBytesForTheParserOnly0000000', 'base64');
  const b64 = key.toString('base64');
  assert.equal(checkKnownHosts(`*.lab.example ssh-ed25519 ${b64}`, 'docker.lab.example', key), 'match');
  assert.equal(checkKnownHosts(`*.lab.example,!docker.lab.example ssh-ed25519 ${b64}`, 'docker.lab.example', key), 'unknown');
  assert.equal(checkKnownHosts(`docker.lab.example ssh-ed25519 ${b64}`, '[docker.lab.example]:2222', key), 'unknown');
  assert.equal(checkKnownHosts(`docker.lab.example ssh-ed25519 AAAAother`, 'docker.lab.example', key), 'changed');
  assert.equal(checkKnownHosts(`@cert-authority * ssh-ed25519 ${b64}`, 'docker.lab.example', key), 'unknown');
  assert.equal(checkKnownHosts(`@revoked * ssh-ed25519 ${b64}\ndocker.lab.example ssh-ed25519 ${b64}`, 'docker.lab.example', key), 'revoked');
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
