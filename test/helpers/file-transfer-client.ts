// A lean Guacamole viewer for big transfers (the 1 GiB memory test, bench:files): it keeps no
// instruction log, answers `sync` and keeps the tunnel alive, sends an upload as the viewer does
// (a window of blobs ahead of the acks, the viewer's sizes) and reads a download acking each blob, handing
// the bytes to a callback instead of holding them. With `lane`, the bytes take the transfer lane
// the gateway offers (as the viewer does), the rest stays on the Guacamole stream.
import { WebSocket } from 'ws';
import { encodeInstruction, GuacamoleParser, type Instruction } from '../../src-main/display/guacamole/protocol';
import {
  fileMimetype,
  LANE_PIECE_BYTES,
  LANE_WINDOW,
  laneOf,
  laneUrl,
  UPLOAD_BLOB_BYTES,
  UPLOAD_WINDOW,
} from '../../src-shared/file-transfer';

/**
 * The lane a test connects (opened), or why not (the upgrade's HTTP status). `onMessage` listens
 * from the start, as the viewer does: the gateway may send with its upgrade answer, and a listener
 * added once the promise resolves missed that first piece (a CI run's download lacked 32 KiB).
 */
export function openLane(tunnelUrl: string, token: string, onMessage?: (data: Buffer, isBinary: boolean) => void): Promise<WebSocket> {
  const ws = new WebSocket(laneUrl(tunnelUrl, token));
  if (onMessage) ws.on('message', onMessage);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`lane refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** `n` bytes of `pattern` repeated endlessly, from `offset`: blobs need not divide the pattern. */
export function repeatedPiece(pattern: Buffer, offset: number, n: number): Buffer {
  const start = offset % pattern.length;
  if (start + n <= pattern.length) return pattern.subarray(start, start + n);
  return Buffer.concat([pattern.subarray(start), repeatedPiece(pattern, 0, start + n - pattern.length)]);
}

export interface UploadOptions {
  lane?: boolean;
  announce?: boolean | number;
  /** The lane once open, and its token (tests close it, or present the token again). */
  onLane?: (ws: WebSocket, token: string) => void;
}

export class TransferClient {
  private readonly parser = new GuacamoleParser({ maxElementLength: 1 << 20, maxElements: 128, maxInstructionLength: 2 << 20 });
  private handler: ((ins: Instruction) => void) | null = null;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly ws: WebSocket,
    private readonly tunnelUrl: string,
  ) {
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
    const client = new TransferClient(ws, tunnelUrl);
    await client.until((i) => i[0] === 'sync');
    return client;
  }

  send(opcode: string, ...args: (string | number)[]): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeInstruction(opcode, ...args));
  }

  /**
   * Sends `size` bytes made by `fill(offset, length)` as file `name`; resolves with the final
   * ack's message. `lane`: on the transfer lane the gateway offers (an error if none is offered);
   * `announce`: false sends no size in the mimetype (as guacamole-common-js), a number announces that one.
   */
  upload(stream: number, name: string, size: number, fill: (offset: number, length: number) => Buffer, options: UploadOptions = {}): Promise<string> {
    const index = String(stream);
    const piece = options.lane ? LANE_PIECE_BYTES : UPLOAD_BLOB_BYTES;
    const window = options.lane ? LANE_WINDOW : UPLOAD_WINDOW;
    let lane: WebSocket | null = null;
    let sent = 0;
    let acked = 0;
    let outstanding = 0;
    let begun = false;
    return new Promise((resolve, reject) => {
      const pump = () => {
        while (outstanding < window && sent < size) {
          const n = Math.min(piece, size - sent);
          const data = fill(sent, n);
          if (data.length !== n) return reject(new Error(`fill gave ${data.length} bytes for ${n}`));
          if (lane) lane.send(data);
          else this.send('blob', index, data.toString('base64'));
          sent += n;
          outstanding++;
        }
      };
      this.handler = (ins) => {
        if (ins[0] !== 'ack' || ins[1] !== index) return;
        if (ins[3] !== '0') {
          lane?.close();
          return reject(new Error(`upload refused: ${ins[2]} (${ins[3]})`));
        }
        if (!begun) {
          begun = true;
          const token = laneOf(ins[2]!);
          if (options.lane) {
            if (token === null) return reject(new Error(`no lane offered: ${ins[2]}`));
            return void openLane(this.tunnelUrl, token).then((ws) => {
              lane = ws;
              options.onLane?.(ws, token);
              pump();
            }, reject);
          }
        } else if (acked < size) {
          acked += Math.min(piece, size - acked);
          outstanding--;
        } else {
          lane?.close();
          return resolve(ins[2]!); // the ack of `end`: the name the file got
        }
        if (acked >= size) this.send('end', index);
        else pump();
      };
      // The size announced, as the viewer does (the gateway may take a faster way into the desktop).
      const announced = options.announce === false ? null : typeof options.announce === 'number' ? options.announce : size;
      this.send('file', index, fileMimetype(announced, null), name);
    });
  }

  /**
   * Reads `name` from filesystem object `object`; `onData` gets the bytes. Resolves with the byte
   * count. `lane`: on the transfer lane the body offers (done when it closes normally; a text
   * message on it is the reason it failed).
   */
  download(object: number, name: string, onData: (data: Buffer) => void, options: { lane?: boolean } = {}): Promise<number> {
    let index: string | null = null;
    let bytes = 0;
    return new Promise((resolve, reject) => {
      this.handler = (ins) => {
        if (ins[0] === 'body' && ins[4] === name && index === null) {
          index = ins[2]!;
          const token = laneOf(ins[3]!);
          if (!options.lane) return this.send('ack', index, 'Ready', 0);
          if (token === null) return reject(new Error(`no lane offered: ${ins[3]}`));
          let failure: string | null = null;
          const onMessage = (data: Buffer, isBinary: boolean): void => {
            if (!isBinary) failure = data.toString('utf8');
            else {
              bytes += data.length;
              onData(data);
            }
          };
          openLane(this.tunnelUrl, token, onMessage).then((ws) => {
            ws.once('close', (code) => (failure === null && code === 1000 ? resolve(bytes) : reject(new Error(`download failed: ${failure ?? code}`))));
          }, reject);
        } else if (index !== null && ins[1] === index) {
          if (ins[0] === 'blob') {
            const data = Buffer.from(ins[2]!, 'base64');
            bytes += data.length;
            onData(data);
            this.send('ack', index, 'OK', 0);
          } else if (ins[0] === 'end') {
            if (!options.lane) resolve(bytes); // on a lane, its close says the bytes are all there
          }
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
