// Settings in real Chromium against the headless host: a policy endpoint shows as managed
// with no edit or delete, and an ssh:// endpoint to an unknown server shows the server's
// fingerprint with a button that trusts (pins) it, after which the test connects.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright';
import type { DockerEndpointView } from '../../src-shared/contract';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, startAppInChromium } from '../helpers/app-in-chromium';
import { callCore, tempDataDir } from '../helpers/core';
import { startSshServer, type SshFixture } from '../helpers/ssh-server';

let dir: string;
let browser: Browser;
let core: Core;
let host: HeadlessHost;
let ssh: SshFixture;
const saved = { HOME: process.env.HOME, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };

before(async () => {
  dir = await tempDataDir();
  process.env.HOME = path.join(dir, 'home'); // an empty known_hosts: the server is unknown
  ssh = await startSshServer();
  process.env.SSH_AUTH_SOCK = ssh.agentSocket;
  const policy = path.join(dir, 'policy.json');
  await fs.writeFile(policy, JSON.stringify({ version: 1, dockerEndpoints: [{ id: 'lab', name: 'Lab engine', url: 'unix:///var/run/docker.sock' }] }));
  ({ core, host, browser } = await startAppInChromium({ open: () => Core.open(loadSettings(path.join(dir, 'data'), { DAAS_POLICY_FILE: policy })) }));
});
after(async () => {
  await closeAppInChromium({ core, host, browser });
  await ssh?.close();
  process.env.HOME = saved.HOME;
  process.env.SSH_AUTH_SOCK = saved.SSH_AUTH_SOCK;
  await fs.rm(dir, { recursive: true, force: true });
});

test('a managed endpoint has no edit or delete; an unknown ssh host is trusted from its fingerprint', async () => {
  const endpoint = await callCore<DockerEndpointView>(core, 'docker.endpoints.save', { name: 'Over SSH', url: `ssh://${ssh.user}@127.0.0.1:${ssh.port}` });
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(host.loginUrl);
  await page.locator('[data-testid="settings-open"]').click();

  const lab = page.locator('[data-testid="endpoint-row"][data-endpoint-id="lab"]');
  await lab.locator('[data-testid="endpoint-managed"]', { hasText: 'Managed' }).waitFor();
  assert.equal(await lab.locator('[data-testid="edit-endpoint"], [data-testid="delete-endpoint"]').count(), 0);
  assert.equal(await page.locator('[data-testid="endpoint-row"][data-endpoint-id="local"] [data-testid="edit-endpoint"]').count(), 1);

  const row = page.locator(`[data-testid="endpoint-row"][data-endpoint-id="${endpoint.id}"]`);
  await row.locator('[data-testid="test-endpoint"]').click();
  const failed = row.locator('[data-testid="endpoint-test-result"][data-outcome="failed"]');
  await failed.waitFor();
  const [, blob] = ssh.hostKey.split(' ');
  const fingerprint = `SHA256:${createHash('sha256').update(Buffer.from(blob!, 'base64')).digest('base64').replace(/=+$/, '')}`;
  assert.match(await failed.innerText(), new RegExp(`is not known: its key has the fingerprint ${fingerprint.replace(/[+/]/g, '\\$&')}`));
  await row.locator('[data-testid="trust-host-key"]', { hasText: fingerprint }).click();
  await row.locator('[data-testid="endpoint-test-result"][data-outcome="ok"]').waitFor();
  await row.locator('[data-testid="endpoint-host-key-pinned"]').waitFor();
  await context.close();
});
