// A lean Guacamole viewer for big transfers (the 1 GiB memory test, bench:files): it keeps no
// instruction log, answers `sync` and keeps the tunnel alive, sends an upload as the viewer does
// (a window of blobs ahead of the acks, the viewer's sizes) and reads a download acking each blob, handing
// the bytes to a callback instead of holding them.
import { WebSocket } from 'ws';
import { encodeInstruction, GuacamoleParser, type Instruction } from '../../src-main/display/guacamole/protocol';
import { UPLOAD_BLOB_BYTES as BLOB, UPLOAD_WINDOW as WINDOW } from '../../src-shared/file-transfer';

/** `n` bytes of `pattern` repeated endlessly, from `offset`: blobs need not divide the pattern. */
export function repeatedPiece(pattern: Buffer, offset: number, n: number): Buffer {
  const start = offset % pattern.length;
  if (start + n <= pattern.length) return pattern.subarray(start, start + n);
  return Buffer.concat([pattern.subarray(start), repeatedPiece(pattern, 0, start + n - pattern.length)]);
}

export class TransferClient {
  private readonly parser = new GuacamoleParser({ maxElementLength: 1 << 20, maxElements: 128, maxInstructionLength: 2 << 20 });
  private handler: ((ins: Instruction) => void) | null = null;
  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      for (const ins of this.parser.push(data.toString())) {
        if (ins[0] === 'sync') this.send('sync', ins[1]!);
        this.handler?.(ins);
      }
    });
    this.timer = setInterval(() => this.send('nop'), 2_000);
  }

  static async connect(tunnelUrl: string, token: string): Promise<TransferClient> {
    const ws = new WebSocket(`${tunnelUrl}?token=${encodeURIComponent(token)}&width=800&height=600`, 'guacamole');
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const client = new TransferClient(ws);
    await client.until((i) => i[0] === 'sync');
    return client;
  }

  send(opcode: string, ...args: (string | number)[]): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeInstruction(opcode, ...args));
  }

  /** Sends `size` bytes made by `fill(offset, length)` as file `name`; resolves with the final ack's message. */
  upload(stream: number, name: string, size: number, fill: (offset: number, length: number) => Buffer): Promise<string> {
    const index = String(stream);
    let sent = 0;
    let acked = 0;
    let outstanding = 0;
    let begun = false;
    return new Promise((resolve, reject) => {
      const pump = () => {
        while (outstanding < WINDOW && sent < size) {
          const n = Math.min(BLOB, size - sent);
          const piece = fill(sent, n);
          if (piece.length !== n) return reject(new Error(`fill gave ${piece.length} bytes for ${n}`));
          this.send('blob', index, piece.toString('base64'));
          sent += n;
          outstanding++;
        }
      };
      this.handler = (ins) => {
        if (ins[0] !== 'ack' || ins[1] !== index) return;
        if (ins[3] !== '0') return reject(new Error(`upload refused: ${ins[2]} (${ins[3]})`));
        if (!begun) {
          begun = true;
        } else if (acked < size) {
          acked += Math.min(BLOB, size - acked);
          outstanding--;
        } else {
          return resolve(ins[2]!); // the ack of `end`: the name the file got
        }
        if (acked >= size) this.send('end', index);
        else pump();
      };
      this.send('file', index, 'application/octet-stream', name);
    });
  }

  /** Reads `name` from filesystem object `object`; `onData` gets the bytes. Resolves with the byte count. */
  download(object: number, name: string, onData: (data: Buffer) => void): Promise<number> {
    let index: string | null = null;
    let bytes = 0;
    return new Promise((resolve, reject) => {
      this.handler = (ins) => {
        if (ins[0] === 'body' && ins[4] === name && index === null) {
          index = ins[2]!;
          this.send('ack', index, 'Ready', 0);
        } else if (index !== null && ins[1] === index) {
          if (ins[0] === 'blob') {
            const data = Buffer.from(ins[2]!, 'base64');
            bytes += data.length;
            onData(data);
            this.send('ack', index, 'OK', 0);
          } else if (ins[0] === 'end') resolve(bytes);
          else if (ins[0] === 'ack') reject(new Error(`download failed: ${ins[2]}`));
        }
      };
      this.send('get', object, name);
    });
  }

  private until(match: (ins: Instruction) => boolean): Promise<Instruction> {
    return new Promise((resolve) => {
      this.handler = (ins) => {
        if (match(ins)) resolve(ins);
      };
    });
  }

  close(): void {
    clearInterval(this.timer);
    this.send('disconnect');
    this.ws.close();
  }
}
