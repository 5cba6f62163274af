// One gateway connection: the guacd handshake with the client, then a VNC connection whose
// screen updates become Guacamole drawing instructions and whose input comes from the client.
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { Instruction } from '../guacamole/protocol';
import { DecodedRect } from '../rfb/decoders';
import { RfbClient } from '../rfb/rfb-client';
import { DisplayWriter } from './display-writer';
import { toClientError } from './error-status';
import { FramePacer } from './frame-pacer';
import { Framebuffer } from './framebuffer';
import { GuacdHandshake } from './handshake';
import { GuacSocket, GuacSocketOptions } from './guac-socket';
import { GuacStatus, GuacStatusError } from './status';
import { parseVncSettings, VNC_ARG_NAMES, VncSettings } from './vnc-settings';

export interface VncSessionOptions extends GuacSocketOptions {
  /** Time allowed for the client's handshake (guacd: 15 s). */
  handshakeTimeoutMs?: number;
  /** Covers TCP connect plus the RFB handshake. */
  vncTimeoutMs?: number;
  /** Pause between `autoretry` attempts (guacd: 1 s). */
  retryDelayMs?: number;
  onClose?: (session: VncSession) => void;
  log?: (message: string) => void;
}

type Phase = 'handshake' | 'connecting' | 'running' | 'closed';

// Opcodes that open a client-to-server stream we do not accept; guacd answers them with `ack`.
const INBOUND_STREAMS = new Set(['clipboard', 'file', 'pipe', 'audio', 'argv']);

export class VncSession {
  readonly id = `$${randomUUID()}`;
  private phase: Phase = 'handshake';
  private readonly guac: GuacSocket;
  private readonly handshake = new GuacdHandshake('vnc', VNC_ARG_NAMES);
  private readonly writer: DisplayWriter;
  private readonly pacer: FramePacer;
  private rfb: RfbClient | null = null;
  private framebuffer: Framebuffer | null = null;
  private settings: VncSettings | null = null;
  private needFullUpdate = false;
  private handshakeTimer: NodeJS.Timeout | null;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    socket: Socket,
    private readonly options: VncSessionOptions = {},
  ) {
    this.guac = new GuacSocket(
      socket,
      {
        onInstruction: (ins) => this.onInstruction(ins),
        onProtocolError: (err, kind) =>
          this.fail(
            kind === 'timeout'
              ? new GuacStatusError(err.message, GuacStatus.CLIENT_TIMEOUT)
              : new GuacStatusError(`Malformed instruction: ${err.message}`, GuacStatus.CLIENT_BAD_REQUEST),
          ),
        onClose: () => this.shutdown(),
      },
      options,
    );
    this.writer = new DisplayWriter(this.guac, (err) => this.fail(err));
    this.pacer = new FramePacer(() => this.requestUpdate());
    this.handshakeTimer = setTimeout(
      () => this.fail(new GuacStatusError('Handshake timed out', GuacStatus.CLIENT_TIMEOUT)),
      options.handshakeTimeoutMs ?? 15_000,
    );
  }

  /** Ends the session from our side (gateway shutdown). */
  close(): void {
    if (this.phase === 'closed') return;
    this.guac.send('disconnect');
    this.shutdown();
  }

  private onInstruction(ins: Instruction): void {
    if (this.phase === 'handshake') return this.onHandshakeInstruction(ins);
    const [opcode, ...args] = ins;
    switch (opcode) {
      case 'sync':
        this.pacer.acknowledge(Number(args[0]));
        return;
      case 'mouse':
        if (this.rfb && this.phase === 'running' && !this.settings?.readOnly) {
          this.rfb.sendPointer(Number(args[2]) | 0, Number(args[0]) | 0, Number(args[1]) | 0);
        }
        return;
      case 'key':
        if (this.rfb && this.phase === 'running' && !this.settings?.readOnly) {
          this.rfb.sendKey(args[1] === '1', Number(args[0]) >>> 0);
        }
        return;
      case 'disconnect':
        this.guac.send('disconnect');
        this.shutdown();
        return;
      default:
        if (INBOUND_STREAMS.has(opcode!) && args[0] !== undefined) {
          this.guac.send('ack', args[0], `${opcode} is not supported`, GuacStatus.UNSUPPORTED);
        }
      // nop, ack, size, internal pings ("" opcode) and anything newer: nothing to do.
    }
  }

  private onHandshakeInstruction(ins: Instruction): void {
    let result;
    try {
      result = this.handshake.receive(ins);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (result.kind === 'reply') {
      const [opcode, ...args] = result.instruction;
      this.guac.send(opcode!, ...args);
    } else if (result.kind === 'connect') {
      if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
      this.handshakeTimer = null;
      this.settings = parseVncSettings(result.values);
      // guacd acknowledges the connection before dialling the remote desktop.
      this.guac.send('ready', this.id);
      this.phase = 'connecting';
      if (!this.settings.hostname || Number.isNaN(this.settings.port)) {
        this.fail(new GuacStatusError('VNC hostname or port missing or invalid', GuacStatus.CLIENT_BAD_REQUEST));
        return;
      }
      this.dial(this.settings.autoretry);
    }
  }

  private dial(retriesLeft: number): void {
    const s = this.settings!;
    this.rfb = new RfbClient(
      { host: s.hostname, port: s.port, password: s.password, timeoutMs: this.options.vncTimeoutMs },
      {
        onReady: (init) => {
          this.phase = 'running';
          this.framebuffer = new Framebuffer(init.width, init.height);
          this.writer.size(init.width, init.height);
          this.options.log?.(`${this.id}: connected to VNC ${s.hostname}:${s.port} (${init.width}x${init.height})`);
        },
        onRect: (rect) => this.onRect(rect),
        onUpdateEnd: () => this.onUpdateEnd(),
        onClose: (err) => {
          if (!err || this.phase === 'closed') return;
          const refused = (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
          if (this.phase === 'connecting' && refused && retriesLeft > 0) {
            this.retryTimer = setTimeout(() => this.dial(retriesLeft - 1), this.options.retryDelayMs ?? 1_000);
            return;
          }
          this.fail(err);
        },
      },
    );
  }

  private onRect(rect: DecodedRect): void {
    const fb = this.framebuffer!;
    switch (rect.kind) {
      case 'pixels':
        fb.putRgbx(rect.x, rect.y, rect.width, rect.height, rect.data);
        // The rect's own bytes never change, so they can be encoded while later rects arrive.
        this.writer.image(rect.x, rect.y, { data: rect.data, width: rect.width, height: rect.height });
        break;
      case 'copy':
        fb.copy(rect.srcX, rect.srcY, rect.x, rect.y, rect.width, rect.height);
        this.writer.copy(rect.srcX, rect.srcY, rect.width, rect.height, rect.x, rect.y);
        break;
      case 'resize':
        fb.resize(rect.width, rect.height);
        this.writer.size(rect.width, rect.height);
        this.needFullUpdate = true; // contents after a resize are undefined until redrawn
        break;
    }
  }

  private onUpdateEnd(): void {
    const timestamp = this.pacer.nextTimestamp();
    void this.writer.sync(timestamp).then(() => {
      if (this.phase === 'running') this.pacer.frameSent();
    });
  }

  private requestUpdate(): void {
    if (this.phase !== 'running' || !this.rfb) return;
    this.rfb.requestUpdate(!this.needFullUpdate);
    this.needFullUpdate = false;
  }

  private fail(err: unknown): void {
    if (this.phase === 'closed') return;
    const { message, status } = toClientError(err);
    this.options.log?.(`${this.id}: ${message} (status 0x${status.toString(16).padStart(4, '0')})`);
    this.guac.send('error', message, status);
    this.guac.send('disconnect');
    this.shutdown();
  }

  private shutdown(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.pacer.stop();
    this.rfb?.close();
    this.guac.close();
    this.options.onClose?.(this);
  }
}
