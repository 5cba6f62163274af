import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DisplayWriter } from '../../src-main/display/gateway/display-writer';
import { GuacSocket } from '../../src-main/display/gateway/guac-socket';
import { GuacamoleParser } from '../../src-main/display/guacamole/protocol';
import { encodePngNow, pngBody } from '../../src-main/display/image/png-encoder';

/** A GuacSocket stand-in that records writes and flushes. */
function fakeSocket(): { socket: GuacSocket; log: string[]; opcodes: () => string[] } {
  const log: string[] = [];
  let text = '';
  const socket = {
    open: true,
    needsDrain: false,
    write(t: string): boolean {
      log.push('write');
      text += t;
      return true;
    },
    flush(): void {
      log.push('flush');
    },
    drained: () => Promise.resolve(),
  } as unknown as GuacSocket;
  const opcodes = (): string[] => new GuacamoleParser().push(text).map((i) => (i[0] === 'img' ? `img@${i[5]},${i[6]}` : i[0]!));
  return { socket, log, opcodes };
}

const pixels = (width: number, height: number): { data: Buffer; width: number; height: number } => ({
  data: Buffer.alloc(width * height * 4, 0x7f),
  width,
  height,
});

describe('DisplayWriter', () => {
  it('writes a small frame at once and flushes it with its sync', async () => {
    const { socket, log, opcodes } = fakeSocket();
    const w = new DisplayWriter(socket, (err) => assert.fail(err));
    const png = encodePngNow(pixels(12, 13));
    assert.ok(png);
    w.png(10, 20, png);
    w.copy(0, 0, 8, 8, 100, 100);
    const written = w.sync(1, 1);
    // Before any promise settles: everything is on the socket and flushed.
    assert.deepEqual(opcodes(), ['img@10,20', 'blob', 'end', 'copy', 'sync']);
    assert.equal(log.at(-1), 'flush');
    await written;
  });

  it('keeps the order behind an image that is still encoding', async () => {
    const { socket, opcodes } = fakeSocket();
    const w = new DisplayWriter(socket, (err) => assert.fail(err));
    let release!: (b: Buffer) => void;
    const slow = new Promise<Buffer>((resolve) => (release = resolve));
    w.png(0, 0, slow);
    w.copy(0, 0, 8, 8, 100, 100);
    w.png(30, 40, encodePngNow(pixels(4, 4))!);
    const written = w.sync(2, 3);
    assert.deepEqual(opcodes(), []);
    release(encodePngNow(pixels(2, 2))!);
    await written;
    assert.deepEqual(opcodes(), ['img@0,0', 'blob', 'end', 'copy', 'img@30,40', 'blob', 'end', 'sync']);
    // Nothing queued any more: the next frame goes out at once again.
    w.copy(1, 1, 2, 2, 3, 3);
    assert.equal(opcodes().at(-1), 'copy');
  });

  it('encodes large images off the event loop', async () => {
    assert.equal(encodePngNow(pixels(256, 256)), null);
    const body = pngBody(pixels(256, 256));
    assert.ok(body instanceof Promise);
    assert.equal((await body).toString('latin1', 1, 4), 'PNG');
  });
});
