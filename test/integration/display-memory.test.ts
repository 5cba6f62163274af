// Viewer churn against a real Xtigervnc through the real tunnel and gateway: every viewer
// makes a new VNC connection, a framebuffer and a full-screen picture, and leaves. The pixel
// memory for that comes from the display path's pool, so churn allocates none once warm
// (before the pool, each viewer left its framebuffer, its decoded full update and the PNG
// scanlines — ~8 MiB at 1024x768 — to the garbage collector).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DisplayService } from '../../src-main/display/display-service';
import { pixelBuffers } from '../../src-main/display/image/buffer-pool';
import { GuacTestClient } from '../helpers/guac-client';
import { startXvnc, type XvncServer } from '../helpers/xvnc';

let xvnc: XvncServer;
let display: DisplayService;

before(async () => {
  xvnc = await startXvnc({ width: 1024, height: 768 });
  await xvnc.x('xsetroot', '-solid', '#336699');
  display = await DisplayService.start();
});

after(async () => {
  await display?.close();
  await xvnc?.stop();
});

async function viewer(): Promise<void> {
  const ticket = display.issueTicket('churn', { host: '127.0.0.1', port: xvnc.port, password: xvnc.password! });
  const client = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}`);
  try {
    await client.waitForOpcode('img', 10_000);
    await client.waitForOpcode('sync', 10_000);
  } finally {
    await client.close();
  }
}

test('viewers coming and going reuse the pixel memory of those before them', async () => {
  for (let i = 0; i < 3; i++) await viewer();
  const warm = pixelBuffers.allocatedBytes;
  for (let i = 0; i < 15; i++) await viewer();
  const grown = pixelBuffers.allocatedBytes - warm;
  const frame = 1024 * 768 * 4;
  assert.ok(grown < frame, `15 viewers allocated ${(grown / 2 ** 20).toFixed(1)} MiB of new pixel memory (one framebuffer is 3 MiB)`);
  assert.equal(display.usage().viewers, 0, 'every viewer is gone');
  assert.equal(display.usage().vncConnections, 0, 'and so is every VNC connection');
});
