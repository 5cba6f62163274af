// The Extended Clipboard (UTF-8, any size) through the embedded gateway against a real
// Xtigervnc, both ways, checked with xclip in the X display: a 1 MiB text and non-Latin text
// ("Grüße, 東京, 🙂", which Latin-1 cut text would turn into '?'). The policy settings hold
// on this path too: a viewer without paste (clipboardToDesktop off) is refused, one without
// copy (clipboardFromDesktop off) gets nothing. A server without the extension (a scripted
// RFB server that never sends caps) still gets classic Latin-1 cut text.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { cutTextHeader, HostileConnection, HostileRfbServer } from '../helpers/hostile-rfb-server';
import { setXClipboard, waitUntil, xOutput, XApp } from '../helpers/x-apps';
import { startXvnc, XvncServer } from '../helpers/xvnc';

const PASSWORD = 'clip-pw1';
const NON_LATIN = 'Grüße, 東京, 🙂';

/**
 * 1 MB of UTF-8 text in lines, with non-Latin characters in every line. Not more: xclip hands
 * a selection over 1 MiB out in INCR chunks, which Xtigervnc's selection code does not read.
 */
function bigText(): string {
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 999_900; i++) {
    lines.push(`${String(i).padStart(6, '0')} ${NON_LATIN} ${'x'.repeat(40)}`);
    size += Buffer.byteLength(lines.at(-1)!) + 1;
  }
  return lines.join('\n');
}

/** The text of the viewer's next complete `clipboard` stream after instruction `from`. */
async function nextClipboard(c: GuacdWireClient, from: number, timeoutMs = 15_000): Promise<string> {
  return waitUntil(async () => {
    const idx = c.instructions.findIndex((i, n) => n >= from && i[0] === 'clipboard');
    if (idx < 0) return undefined;
    const stream = c.instructions[idx]![1];
    const end = c.instructions.findIndex((i, n) => n > idx && i[0] === 'end' && i[1] === stream);
    if (end < 0) return undefined;
    const blobs = c.instructions.slice(idx, end).filter((i) => i[0] === 'blob' && i[1] === stream);
    return Buffer.concat(blobs.map((b) => Buffer.from(b[2]!, 'base64'))).toString('utf8');
  }, timeoutMs, 'a clipboard stream');
}

/** Pastes `text` as guacamole-common-js does (a `clipboard` stream, blobs, `end`); resolves once every blob is acknowledged. */
async function paste(c: GuacdWireClient, stream: number, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const acks = (): string[][] => c.instructions.filter((i) => i[0] === 'ack' && i[1] === String(stream));
  c.send('clipboard', stream, 'text/plain');
  let blobs = 0;
  for (let off = 0; off < bytes.length; off += 45_000, blobs++) c.send('blob', stream, bytes.subarray(off, off + 45_000).toString('base64'));
  c.send('end', stream);
  await waitUntil(async () => acks().length >= blobs, 10_000, 'the acks of the paste');
  assert.ok(acks().every((a) => a[3] === '0'), `the paste was taken: ${JSON.stringify(acks().find((a) => a[3] !== '0'))}`);
}

describe('Extended Clipboard against Xtigervnc', () => {
  let xvnc: XvncServer;
  let gateway: Gateway;
  const clients: GuacdWireClient[] = [];
  const owners: XApp[] = [];

  const open = async (extra: Record<string, string> = {}): Promise<GuacdWireClient> => {
    const c = await GuacdWireClient.open(gateway.host, gateway.port);
    clients.push(c);
    c.answerSyncs();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port), password: PASSWORD, ...extra });
    await c.waitFor((i) => i[0] === 'sync');
    return c;
  };

  const xClipboard = (): Promise<string> => xOutput(xvnc.display, 'xclip', ['-selection', 'clipboard', '-o']);

  before(async () => {
    // Xtigervnc takes at most 256 KiB of clipboard by default; it announces this limit in its caps.
    xvnc = await startXvnc({ password: PASSWORD, width: 320, height: 240, extraArgs: ['-MaxCutText=8388608'] });
    gateway = await startGateway({ session: { log: () => undefined } });
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(owners.map((o) => o.stop()));
    await gateway?.close();
    await xvnc?.stop();
  });

  it('desktop to viewer: non-Latin text and a 1 MB text arrive exactly', async () => {
    const c = await open();
    let from = c.instructions.length;
    owners.push(await setXClipboard(xvnc.display, NON_LATIN));
    assert.equal(await nextClipboard(c, from), NON_LATIN);
    const big = bigText();
    from = c.instructions.length;
    owners.push(await setXClipboard(xvnc.display, big));
    const got = await nextClipboard(c, from);
    assert.equal(got.length, big.length);
    assert.ok(got === big, 'the 1 MB text arrived unchanged');
    c.send('disconnect');
    await c.closed;
  });

  it('viewer to desktop: non-Latin text and a 1 MB text arrive exactly', async () => {
    const c = await open();
    await paste(c, 7, NON_LATIN);
    assert.equal(await waitUntil(async () => ((await xClipboard()) === NON_LATIN ? NON_LATIN : undefined), 10_000, 'the X clipboard'), NON_LATIN);
    const big = bigText();
    await paste(c, 8, big);
    const got = await waitUntil(async () => {
      const out = await xClipboard();
      return out.length === big.length ? out : undefined;
    }, 20_000, 'the 1 MB X clipboard');
    assert.ok(got === big, 'the 1 MB text arrived unchanged');
    c.send('disconnect');
    await c.closed;
  });

  it('clipboardToDesktop off (disable-paste): the paste is refused and the desktop keeps its clipboard', async () => {
    const owner = await setXClipboard(xvnc.display, 'kept');
    owners.push(owner);
    const c = await open({ 'disable-paste': 'true' });
    const ack = await (async () => {
      c.send('clipboard', 3, 'text/plain');
      return c.waitFor((i) => i[0] === 'ack' && i[1] === '3');
    })();
    assert.equal(Number(ack[3]), GuacStatus.CLIENT_FORBIDDEN);
    c.send('blob', 3, Buffer.from(NON_LATIN).toString('base64'));
    c.send('end', 3);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await xClipboard(), 'kept');
    c.send('disconnect');
    await c.closed;
  });

  it('clipboardFromDesktop off (disable-copy): that viewer gets no clipboard, another one does', async () => {
    const blind = await open({ 'disable-copy': 'true' });
    const seeing = await open();
    const from = seeing.instructions.length;
    owners.push(await setXClipboard(xvnc.display, `copy ${NON_LATIN}`));
    assert.equal(await nextClipboard(seeing, from), `copy ${NON_LATIN}`);
    assert.equal(blind.instructions.filter((i) => i[0] === 'clipboard').length, 0);
    blind.send('disconnect');
    seeing.send('disconnect');
  });
});

describe('a VNC server without the Extended Clipboard', () => {
  it('gets classic Latin-1 cut text, and its Latin-1 cut text reaches the viewer', async () => {
    let conn: HostileConnection | null = null;
    const server = await HostileRfbServer.start({
      onFirstRequest: (c) => {
        conn = c;
        const text = Buffer.from('café\n', 'latin1');
        c.send(Buffer.concat([cutTextHeader(text.length), text]));
      },
    });
    const gateway = await startGateway({ session: { log: () => undefined } });
    const c = await GuacdWireClient.open(gateway.host, gateway.port);
    try {
      c.answerSyncs();
      await c.handshake({ hostname: '127.0.0.1', port: String(server.port) });
      assert.equal(await nextClipboard(c, 0), 'café\n');
      c.send('clipboard', 1, 'text/plain');
      c.send('blob', 1, Buffer.from(`naïve ${NON_LATIN}`, 'utf8').toString('base64'));
      c.send('end', 1);
      const got = await waitUntil(async () => conn?.cutTexts.at(-1), 5_000, 'the cut text at the server');
      assert.equal(got.extended, false);
      assert.equal(got.body.toString('latin1'), 'naïve Grüße, ??, ?');
    } finally {
      c.close();
      await gateway.close();
      await server.stop();
    }
  });
});
