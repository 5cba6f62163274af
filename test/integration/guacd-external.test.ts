// The external-guacd path: DisplayService routes tickets through "a guacd" at host:port. No
// guacd exists on these machines, so the peer is our gateway run on its own (the standalone
// CLI), which speaks the same protocol: this proves the guacd client path (guacamole-lite
// dialling an external address, parameters by guacd's names), and the CLI itself.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { DisplayService } from '../../src-main/display/display-service';
import { GuacTestClient } from '../helpers/guac-client';
import { freePort, startXvnc, XvncServer } from '../helpers/xvnc';

describe('display service through an external guacd (the standalone gateway)', () => {
  let xvnc: XvncServer;
  let cli: ChildProcess;
  let display: DisplayService;
  let port = 0;
  const clients: GuacTestClient[] = [];

  before(async () => {
    xvnc = await startXvnc({ password: 'ext-pw12', width: 300, height: 200 });
    port = await freePort();
    cli = spawn(process.execPath, ['--import', 'tsx', 'src-main/display/gateway-cli.ts', '--listen', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      cli.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('listening')) resolve();
      });
      cli.once('exit', (code) => reject(new Error(`gateway-cli exited ${code}: ${err}`)));
    });
    display = await DisplayService.start({ guacd: { host: '127.0.0.1', port }, connectRetries: 0 });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close(false)));
    await display?.close();
    if (cli && cli.exitCode === null) {
      const exited = new Promise((r) => cli.once('exit', r));
      cli.kill('SIGTERM');
      await exited;
    }
    await xvnc?.stop();
  });

  it('routes a ticket to the configured guacd and draws the desktop', async () => {
    assert.deepEqual(display.backend, { kind: 'guacd', host: '127.0.0.1', port });
    const ticket = display.issueTicket('i-1', { host: '127.0.0.1', port: xvnc.port, password: 'ext-pw12' });
    const c = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
    clients.push(c);
    assert.deepEqual(await c.waitForOpcode('size'), ['size', '0', '300', '200']);
    await c.waitForOpcode('sync');
    assert.ok(c.images.some((i) => i.layer === 0));
  });

  it('a wrong password comes back as CLIENT_UNAUTHORIZED through guacd', async () => {
    const ticket = display.issueTicket('i-1', { host: '127.0.0.1', port: xvnc.port, password: 'nope' });
    const c = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}`);
    clients.push(c);
    const error = await c.waitForOpcode('error');
    assert.equal(Number(error[2]), 0x0301);
  });

  it('the CLI stops on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    cli.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
