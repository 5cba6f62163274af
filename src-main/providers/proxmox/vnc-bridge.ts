// A loopback TCP endpoint in front of a Proxmox console. For every local VNC client (the
// gateway, or guacd) that answers its banner it asks Proxmox for a fresh console (vncproxy +
// vncwebsocket), answers that console's VNC Authentication with the password vncproxy
// generated, then offers the local client VNC Authentication with the bridge's own stable
// password, and from then on relays bytes both ways. The stable password is what the app
// stores for the instance; Proxmox's one-time passwords never leave this file.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { AwaitableQueue } from '../../rfb/awaitable-queue';
import { parseRfbBanner, RFB_BANNER_LENGTH, rfbBanner } from '../../rfb/banner';
import { RfbAuthError } from '../../rfb/errors';
import { RfbHandshake, SecurityType } from '../../rfb/handshake';
import { vncAuthResponse } from '../../rfb/vnc-auth';

export interface UpstreamConsole {
  /** A WebSocket carrying the VM's raw RFB stream. */
  ws: WebSocket;
  /** The VNC password for this console (vncproxy's generated password). */
  password: string;
}

export interface VncBridgeOptions {
  /** The password local clients must use (VNC Authentication, first 8 characters count). */
  password: string;
  /** Opens a new console on the VM; called once per local connection. */
  openUpstream: () => Promise<UpstreamConsole>;
  /** Upstream open plus both handshakes (default 15 s). */
  handshakeTimeoutMs?: number;
  /** Handshakes in progress at once; more connections are refused (default 4). */
  maxPending?: number;
  log?: (message: string) => void;
}

/**
 * Bytes either side may send before the relay starts. The handshake needs a few dozen; a client
 * may pipeline its ClientInit and first requests; anything beyond is a flood, not VNC.
 */
const HANDSHAKE_BUFFER_MAX = 64 * 1024;

class RfbRefused extends Error {}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

function rfbString(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(body.length), body]);
}

/** The client side of the RFB security handshake with the VM's VNC server (the RFB client's own). */
async function authenticateUpstream(reader: AwaitableQueue, send: (b: Buffer) => void, password: string): Promise<void> {
  const handshake = new RfbHandshake({ password, untilAuthenticated: true });
  try {
    await reader.until((q) => {
      for (const b of handshake.advance(q).send) send(b);
      return handshake.done || null;
    });
  } catch (err) {
    // Not the local client's password that failed: say whose.
    if (err instanceof RfbAuthError) throw new RfbRefused(`the console refused the generated password: ${err.reason || 'no reason given'}`);
    throw err;
  }
}

/** The local client's protocol version, answering our banner: 3 (3.3), 7 or 8. */
async function greetDownstream(reader: AwaitableQueue, send: (b: Buffer) => void): Promise<number> {
  send(rfbBanner(8));
  const parsed = parseRfbBanner(await reader.read(RFB_BANNER_LENGTH));
  if (parsed?.major !== 3) throw new RfbRefused('the local client did not speak RFB');
  const minor = parsed.minor;
  return minor >= 8 ? 8 : minor >= 7 ? 7 : 3;
}

/** Tells the local client why there is no screen (no security types, then the reason). */
function refuseDownstream(send: (b: Buffer) => void, minor: number, reason: string): void {
  send(minor === 3 ? u32(0) : Buffer.from([0]));
  send(rfbString(reason));
}

/** Offers VNC Authentication to the local client, up to (not including) the SecurityResult. */
async function challengeDownstream(reader: AwaitableQueue, send: (b: Buffer) => void, password: string, minor: number): Promise<boolean> {
  const challenge = randomBytes(16);
  if (minor === 3) {
    send(u32(SecurityType.VncAuth));
  } else {
    send(Buffer.from([1, SecurityType.VncAuth]));
    if ((await reader.readU8()) !== SecurityType.VncAuth) throw new RfbRefused('the local client did not choose VNC Authentication');
  }
  send(challenge);
  const response = await reader.read(16);
  return timingSafeEqual(response, vncAuthResponse(password, challenge));
}

export class VncBridge {
  readonly host = '127.0.0.1';
  private readonly sockets = new Set<Socket>();
  private readonly upstreams = new Set<WebSocket>();
  private pending = 0;
  /** The last reason a console could not be opened, for the instance's status line. */
  lastError: Error | undefined;
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: VncBridgeOptions,
  ) {
    server.on('connection', (socket) => void this.onConnection(socket));
  }

  static async start(options: VncBridgeOptions): Promise<VncBridge> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as { port: number };
    return new VncBridge(server, port, options);
  }

  /** Local connections currently relaying or handshaking. */
  get connections(): number {
    return this.sockets.size;
  }

  private async onConnection(socket: Socket): Promise<void> {
    if (this.closed || this.pending >= (this.options.maxPending ?? 4)) {
      socket.destroy();
      return;
    }
    this.pending++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const local = new AwaitableQueue(HANDSHAKE_BUFFER_MAX);
    const remote = new AwaitableQueue(HANDSHAKE_BUFFER_MAX);
    let ws: WebSocket | undefined;
    let relaying = false;
    const cleanup = () => {
      this.sockets.delete(socket);
      socket.destroy();
      if (ws) {
        this.upstreams.delete(ws);
        ws.terminate();
      }
    };
    socket.on('data', (chunk: Buffer) => {
      if (relaying) return;
      local.push(chunk);
      // Flooded past the cap: end it now, even while the console is still being opened.
      if (local.failed) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      local.fail(new Error('local client closed'));
      cleanup();
    });
    const timer = setTimeout(() => {
      const err = new Error('console handshake timed out');
      local.fail(err);
      remote.fail(err);
    }, this.options.handshakeTimeoutMs ?? 15_000);

    const toLocal = (b: Buffer) => void socket.write(b);
    let minor = 0;
    let challenged = false;
    try {
      // A console is a Proxmox task: open one only for a local client that answered our
      // banner (a port probe that reads the banner and leaves costs Proxmox nothing).
      minor = await greetDownstream(local, toLocal);
      const upstream = await this.options.openUpstream();
      ws = upstream.ws;
      if (this.closed || socket.destroyed) throw new Error('closed while opening the console');
      this.upstreams.add(ws);
      const upstreamWs = ws;
      upstreamWs.on('message', (data: Buffer) => (relaying ? undefined : remote.push(data)));
      upstreamWs.on('close', () => {
        remote.fail(new Error('the console closed'));
        cleanup();
      });
      upstreamWs.on('error', () => undefined);
      await authenticateUpstream(remote, (b) => upstreamWs.send(b), upstream.password);

      challenged = true;
      const ok = await challengeDownstream(local, toLocal, this.options.password, minor);
      if (!ok) {
        socket.write(u32(1));
        if (minor === 8) socket.write(rfbString('Authentication failed'));
        socket.end();
        throw new RfbRefused('a local client gave the wrong password');
      }
      socket.write(u32(0));
      clearTimeout(timer);
      this.pending--;
      relaying = true;
      this.relay(socket, upstreamWs, local.drain(), remote.drain());
    } catch (err) {
      clearTimeout(timer);
      this.pending--;
      // Greeted but no console: say why, rather than just hanging up.
      if (minor !== 0 && !challenged && !socket.destroyed) refuseDownstream(toLocal, minor, `Could not open the VM console: ${(err as Error).message}`);
      this.lastError = err as Error;
      this.options.log?.(`VNC bridge: ${(err as Error).message}`);
      cleanup();
    }
  }

  private relay(socket: Socket, ws: WebSocket, fromLocal: Buffer, fromRemote: Buffer): void {
    if (fromLocal.length > 0) ws.send(fromLocal);
    if (fromRemote.length > 0) socket.write(fromRemote);
    socket.on('data', (chunk: Buffer) => {
      ws.send(chunk, () => {
        if (socket.isPaused() && ws.bufferedAmount < 256 * 1024) socket.resume();
      });
      if (ws.bufferedAmount > 1024 * 1024) socket.pause();
    });
    ws.on('message', (data: Buffer) => {
      if (!socket.write(data)) {
        ws.pause();
        socket.once('drain', () => ws.resume());
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const ws of this.upstreams) ws.terminate();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
