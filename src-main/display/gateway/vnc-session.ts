// One viewer's connection to the gateway: the guacd handshake, then this viewer's side of a
// (possibly shared) VNC connection: its input goes to the server, its frames come from it.
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { Instruction } from '../guacamole/protocol';
import { loadJpegEncoder } from '../image/jpeg-encoder';
import { DisplayWriter } from './display-writer';
import { toClientError } from './error-status';
import { GuacdHandshake } from './handshake';
import { GuacSocket, GuacSocketOptions } from './guac-socket';
import { GuacStatus, GuacStatusError } from './status';
import { CLIPBOARD_MAX, ViewerEndpoint, VncConnection } from './vnc-connection';
import { parseVncSettings, VNC_ARG_NAMES, VncSettings } from './vnc-settings';

export interface VncSessionOptions extends GuacSocketOptions {
  /** Time allowed for the client's handshake (guacd: 15 s). */
  handshakeTimeoutMs?: number;
  onClose?: (session: VncSession) => void;
  log?: (message: string) => void;
}

/** Where a session finds (or opens) the VNC connection for its settings. */
export type ConnectionBroker = (settings: VncSettings) => VncConnection;

type Phase = 'handshake' | 'attached' | 'closed';

// Opcodes that open a client-to-server stream we do not accept; guacd answers them with `ack`.
const INBOUND_STREAMS = new Set(['file', 'pipe', 'audio', 'argv']);

/**
 * Clipboard streams a viewer may have open at once. guacamole-common-js sends a paste as
 * `clipboard`, its blobs and `end` in one go, so one is open at a time; a few more allow
 * pastes that follow each other closely. Each open stream holds up to CLIPBOARD_MAX bytes.
 */
export const MAX_OPEN_CLIPBOARD_STREAMS = 4;

interface InboundClipboard {
  mimetype: string;
  parts: string[];
  length: number;
}

export class VncSession implements ViewerEndpoint {
  readonly id = `$${randomUUID()}`;
  readonly writer: DisplayWriter;
  private phase: Phase = 'handshake';
  private readonly guac: GuacSocket;
  private readonly handshake = new GuacdHandshake('vnc', VNC_ARG_NAMES);
  private connection: VncConnection | null = null;
  private current: VncSettings | null = null;
  private handshakeTimer: NodeJS.Timeout | null;
  private readonly clipboardIn = new Map<string, InboundClipboard>();

  constructor(
    socket: Socket,
    private readonly broker: ConnectionBroker,
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
    this.handshakeTimer = setTimeout(
      () => this.fail(new GuacStatusError('Handshake timed out', GuacStatus.CLIENT_TIMEOUT)),
      options.handshakeTimeoutMs ?? 15_000,
    );
  }

  get settings(): VncSettings {
    return this.current!;
  }

  /** Ends the session from our side (gateway shutdown). */
  close(): void {
    if (this.phase === 'closed') return;
    this.guac.send('disconnect');
    this.shutdown();
  }

  /** The shared VNC connection failed. */
  fail(err: unknown): void {
    if (this.phase === 'closed') return;
    const { message, status } = toClientError(err);
    this.options.log?.(`${this.id}: ${message} (status 0x${status.toString(16).padStart(4, '0')})`);
    this.guac.send('error', message, status);
    this.guac.send('disconnect');
    this.shutdown();
  }

  private onInstruction(ins: Instruction): void {
    if (this.phase === 'handshake') return this.onHandshakeInstruction(ins);
    if (this.phase !== 'attached') return;
    const c = this.connection!;
    const [opcode, ...args] = ins;
    switch (opcode) {
      case 'sync':
        c.acknowledge(this, Number(args[0]));
        return;
      case 'mouse':
        // mouse,x,y,mask — Guacamole's mask bits are RFB's (1 left, 2 middle, 4 right, 8/16 wheel).
        c.pointer(this, Number(args[2]) | 0, Number(args[0]) | 0, Number(args[1]) | 0);
        return;
      case 'key':
        // Keysyms are X11 keysyms on both sides: they pass straight through (AltGr, dead keys too).
        c.key(this, args[1] === '1', Number(args[0]) >>> 0);
        return;
      case 'size':
        c.resize(this, Number(args[0]) | 0, Number(args[1]) | 0);
        return;
      case 'clipboard':
        this.openClipboard(args[0], args[1]);
        return;
      case 'blob':
        this.clipboardBlob(args[0], args[1]);
        return;
      case 'end':
        this.clipboardEnd(args[0]);
        return;
      case 'disconnect':
        this.guac.send('disconnect');
        this.shutdown();
        return;
      default:
        if (INBOUND_STREAMS.has(opcode!) && args[0] !== undefined) {
          this.guac.send('ack', args[0], `${opcode} is not supported`, GuacStatus.UNSUPPORTED);
        }
      // nop, ack, internal pings ("" opcode) and anything newer: nothing to do.
    }
  }

  private openClipboard(stream: string | undefined, mimetype: string | undefined): void {
    if (stream === undefined) return;
    if (this.settings.readOnly || this.settings.disablePaste) {
      this.guac.send('ack', stream, 'Clipboard is read-only', GuacStatus.CLIENT_FORBIDDEN);
      return;
    }
    if (!/^text\//.test(mimetype ?? '')) {
      this.guac.send('ack', stream, 'Only text can be pasted', GuacStatus.CLIENT_BAD_TYPE);
      return;
    }
    if (!this.clipboardIn.has(stream) && this.clipboardIn.size >= MAX_OPEN_CLIPBOARD_STREAMS) {
      this.guac.send('ack', stream, 'Too many clipboard streams open', GuacStatus.CLIENT_TOO_MANY);
      return;
    }
    this.clipboardIn.set(stream, { mimetype: mimetype!, parts: [], length: 0 });
  }

  private clipboardBlob(stream: string | undefined, data: string | undefined): void {
    const c = stream === undefined ? undefined : this.clipboardIn.get(stream);
    if (!c || data === undefined) return;
    c.length += data.length;
    if (c.length > (CLIPBOARD_MAX * 4) / 3 + 4) {
      this.clipboardIn.delete(stream!);
      this.guac.send('ack', stream!, 'Clipboard text too long', GuacStatus.CLIENT_OVERRUN);
      return;
    }
    c.parts.push(data);
    this.guac.send('ack', stream!, 'OK', GuacStatus.SUCCESS);
  }

  private clipboardEnd(stream: string | undefined): void {
    const c = stream === undefined ? undefined : this.clipboardIn.get(stream);
    if (!c) return;
    this.clipboardIn.delete(stream!);
    // Blobs are base64 each on its own (a blob may end with padding), so decode them one by one.
    const text = Buffer.concat(c.parts.map((p) => Buffer.from(p, 'base64'))).toString('utf8');
    this.connection!.paste(this, text);
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
      this.current = parseVncSettings(result.values);
      // The client's `image` instruction lists the formats it draws; PNG is always allowed.
      if (result.client.image.includes('image/jpeg')) {
        this.writer.acceptsJpeg = true;
        void loadJpegEncoder();
      }
      // guacd acknowledges the connection before dialling the remote desktop.
      this.guac.send('ready', this.id);
      if (!this.current.hostname || Number.isNaN(this.current.port)) {
        this.fail(new GuacStatusError('VNC hostname or port missing or invalid', GuacStatus.CLIENT_BAD_REQUEST));
        return;
      }
      this.phase = 'attached';
      this.connection = this.broker(this.current);
      this.connection.attach(this);
    }
  }

  private shutdown(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.connection?.detach(this);
    this.guac.close();
    this.options.onClose?.(this);
  }
}
