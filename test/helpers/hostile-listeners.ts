// Raw-socket tools for the listener hostile suite: HTTP requests and WebSocket frames exactly
// as written (malformed ones included), and the resident memory of a process.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';

/** Resident memory of a process, in MiB (from /proc). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

export interface RawExchange {
  /** Everything the server sent, as latin1. */
  text: string;
  /** First line's status code, or 0 when there was none. */
  status: number;
}

/** Opens a TCP connection to 127.0.0.1:port; errors end it quietly. */
export function openRaw(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Collects what the server sends until it closes or `quietMs` passes without data. */
export function collect(socket: Socket, quietMs = 500): Promise<RawExchange> {
  return new Promise((resolve) => {
    let text = '';
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: status ? Number(status[1]) : 0 });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    };
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      arm();
    });
    socket.on('error', () => undefined);
    socket.on('close', done);
    arm();
  });
}

/** Writes `data` (string as latin1, or bytes) and collects the answer. */
export async function rawRequest(port: number, data: string | Buffer, quietMs?: number): Promise<RawExchange> {
  const socket = await openRaw(port);
  socket.on('error', () => undefined);
  socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  return collect(socket, quietMs);
}

/** An HTTP/1.1 upgrade request to `target`, with `headers` (Host included by the caller). */
export function upgradeRequest(target: string, headers: Record<string, string>): string {
  const lines = [
    `GET ${target} HTTP/1.1`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return lines.join('\r\n') + '\r\n\r\n';
}

/**
 * Upgrades a raw socket and resolves once the 101 arrived (with whatever followed it), or
 * rejects with the status line the server answered instead.
 */
export async function rawUpgrade(port: number, target: string, headers: Record<string, string>): Promise<{ socket: Socket; after: Buffer }> {
  const socket = await openRaw(port);
  socket.on('error', () => undefined);
  socket.write(upgradeRequest(target, headers));
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d]);
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const head = got.subarray(0, end).toString('latin1');
      if (/^HTTP\/1\.1 101/.test(head)) resolve({ socket, after: got.subarray(end + 4) });
      else {
        socket.destroy();
        reject(new Error(head.split('\r\n')[0]));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`closed before answering: ${got.toString('latin1')}`)));
  });
}

export interface FrameOptions {
  fin?: boolean;
  rsv?: number;
  /** Clients must mask; false sends an unmasked (invalid) client frame. */
  mask?: boolean;
  /** Announce this length instead of the payload's (a header for more than is sent). */
  announcedLength?: number;
}

/** One WebSocket frame as a client would write it (masked unless told otherwise). */
export function wsFrame(opcode: number, payload: Buffer | string, options: FrameOptions = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const length = options.announcedLength ?? body.length;
  const mask = options.mask ?? true;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode;
  let head: Buffer;
  if (length < 126) head = Buffer.from([first, (mask ? 0x80 : 0) | length]);
  else if (length < 65536) {
    head = Buffer.alloc(4);
    head[0] = first;
    head[1] = (mask ? 0x80 : 0) | 126;
    head.writeUInt16BE(length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = (mask ? 0x80 : 0) | 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!mask) return Buffer.concat([head, body]);
  const key = randomBytes(4);
  const masked = Buffer.from(body);
  for (let i = 0; i < masked.length; i++) masked[i] = masked[i]! ^ key[i % 4]!;
  return Buffer.concat([head, key, masked]);
}
