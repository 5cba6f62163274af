// DisplayService as the idle monitor's ActivitySource, against a real Xtigervnc through the real
// tunnel and embedded gateway: viewers are counted per instance, and lastActivityAt moves on
// viewer input (mouse, key, clipboard, size) and on a viewer leaving, never on keep-alives or
// sync answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DisplayService } from '../../src-main/display/display-service';
import type { ActivitySource } from '../../src-main/lifecycle/idle-monitor';
import { GuacTestClient } from '../helpers/guac-client';
import { waitUntil } from '../helpers/x-apps';
import { startXvnc, XvncServer } from '../helpers/xvnc';

const PASSWORD = 'act-pw12';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('display activity for idle auto-stop', () => {
  let xvnc: XvncServer;
  let display: DisplayService;
  const clients: GuacTestClient[] = [];

  const open = async (instanceId: string): Promise<GuacTestClient> => {
    const ticket = display.issueTicket(instanceId, { host: '127.0.0.1', port: xvnc.port, password: PASSWORD });
    const c = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=320&height=240`);
    clients.push(c);
    await c.waitForOpcode('sync', 10_000);
    return c;
  };

  /** Waits until lastActivityAt is later than `than` and returns it. */
  const movesPast = (instanceId: string, than: number, label: string): Promise<number> =>
    waitUntil(async () => {
      const t = display.lastActivityAt(instanceId);
      return t !== undefined && t > than ? t : undefined;
    }, 5_000, label);

  before(async () => {
    xvnc = await startXvnc({ password: PASSWORD, width: 320, height: 240 });
    display = await DisplayService.start({ connectRetries: 0 });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close(false)));
    await display?.close();
    await xvnc?.stop();
  });

  it('is an ActivitySource that knows nothing of an instance never viewed', () => {
    const source: ActivitySource = display;
    assert.equal(source.viewerCount('never'), 0);
    assert.equal(source.lastActivityAt('never'), undefined);
  });

  it('counts viewers 0 → 1 → 2 → 1 → 0, per instance, and stamps each disconnect', async () => {
    assert.equal(display.viewerCount('inst-a'), 0);
    const a1 = await open('inst-a');
    assert.equal(display.viewerCount('inst-a'), 1);
    assert.equal(display.viewerCount('inst-b'), 0, 'another instance is not counted');
    // Connected without input: nothing to report yet (keep-alives and sync answers are not input).
    await sleep(300);
    assert.equal(display.lastActivityAt('inst-a'), undefined);

    const a2 = await open('inst-a');
    assert.equal(display.viewerCount('inst-a'), 2);

    const beforeFirstClose = Date.now();
    await a1.close();
    await waitUntil(async () => display.viewerCount('inst-a') === 1, 5_000, 'one viewer left');
    const firstClose = display.lastActivityAt('inst-a');
    assert.ok(firstClose !== undefined && firstClose >= beforeFirstClose, 'a viewer leaving is activity');

    await sleep(20);
    await a2.close();
    await waitUntil(async () => display.viewerCount('inst-a') === 0, 5_000, 'no viewer left');
    assert.ok(display.lastActivityAt('inst-a')! > firstClose, 'the last disconnect moves lastActivityAt');
    assert.equal(display.lastActivityAt('inst-b'), undefined);
  });

  it('moves lastActivityAt on mouse, key, clipboard and size, not on nop or sync', async () => {
    const c = await open('inst-c');
    assert.equal(display.viewerCount('inst-c'), 1);
    assert.equal(display.lastActivityAt('inst-c'), undefined);

    c.send('mouse', 10, 10, 0);
    let last = await movesPast('inst-c', 0, 'mouse input');

    await sleep(15);
    c.send('key', 0x61, 1);
    c.send('key', 0x61, 0);
    last = await movesPast('inst-c', last, 'key input');

    await sleep(15);
    c.send('clipboard', 3, 'text/plain');
    c.send('blob', 3, Buffer.from('hello').toString('base64'));
    c.send('end', 3);
    last = await movesPast('inst-c', last, 'clipboard input');

    await sleep(15);
    c.send('size', 400, 300);
    last = await movesPast('inst-c', last, 'size input');

    // Keep-alives and frame acknowledgements are not someone using the desktop.
    await sleep(15);
    c.send('nop');
    c.send('sync', Date.now());
    await sleep(300);
    assert.equal(display.lastActivityAt('inst-c'), last);

    // A connection that drops (no close handshake) counts as a disconnect too.
    assert.equal(display.dropViewerConnections('inst-c'), 1);
    await c.closed;
    await waitUntil(async () => display.viewerCount('inst-c') === 0, 5_000, 'the dropped viewer to be gone');
    assert.ok(display.lastActivityAt('inst-c')! > last);
  });

  it('input of one instance does not move another', async () => {
    const b = await open('inst-b');
    const d = await open('inst-d');
    b.send('mouse', 5, 5, 0);
    await movesPast('inst-b', 0, 'input on inst-b');
    await sleep(200);
    assert.equal(display.lastActivityAt('inst-d'), undefined);
    assert.equal(display.viewerCount('inst-b'), 1);
    assert.equal(display.viewerCount('inst-d'), 1);
    await b.close();
    await d.close();
  });
});
