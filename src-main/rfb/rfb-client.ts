// An RFB (VNC) client over TCP: handshake, then a stream of decoded rects.
// It never requests updates by itself after the first: the owner paces them.
import { connect, Socket } from 'node:net';
import { ByteQueue } from './byte-queue';
import * as msg from './client-messages';
import { AllocatePixels, createDecoders, DecodedRect, RectDecoder, Screen } from './decoders';
import { DEFAULT_ENCODINGS, encodingList } from './encodings';
import { RfbClosedError } from './errors';
import { ExtendedClipboard } from './extended-clipboard';
import { RfbHandshake, ServerInit } from './handshake';
import { RGBX_FORMAT } from './pixel-format';
import { ServerEvent, ServerMessageReader } from './server-messages';

export interface RfbClientOptions {
  host: string;
  port: number;
  password?: string;
  shared?: boolean;
  /** Covers TCP connect plus handshake. */
  timeoutMs?: number;
  /** Preferred encodings, most preferred first (pseudo-encodings are added). */
  encodings?: readonly number[];
  /** Ask for the Cursor pseudo-encoding (the viewer draws the pointer). Default true. */
  localCursor?: boolean;
  decoders?: () => RectDecoder[];
  /** Where decoded pixel rects get their memory (default: a new zeroed buffer each). */
  allocatePixels?: AllocatePixels;
}

export type RfbRect = Exclude<DecodedRect, { kind: 'last-rect' }>;

export interface RfbClientHandlers {
  onReady(init: ServerInit): void;
  /** A FramebufferUpdate begins (its rects follow). */
  onUpdateStart?(): void;
  onRect(rect: RfbRect): void;
  onUpdateEnd(): void;
  onBell?(): void;
  /** ServerCutText bytes (Latin-1 by the standard; see clipboard-encoding). */
  onCutText?(bytes: Buffer): void;
  /** Clipboard text by the Extended Clipboard extension (UTF-8, any script). */
  onClipboardText?(text: string): void;
  /** Something about the clipboard worth a log line (a dropped oversized or corrupt transfer). */
  onClipboardNote?(message: string): void;
  /** Bytes arrived after the handshake (before they are parsed): the server is sending. */
  onReceive?(bytes: number): void;
  /** Called exactly once; `error` is absent only for a close we asked for. */
  onClose(error?: Error): void;
}

/** Connect timeout, distinguishable from a refused connection. */
export class RfbTimeoutError extends Error {
  override readonly name = 'RfbTimeoutError';
}

export class RfbClient {
  private readonly socket: Socket;
  private readonly queue = new ByteQueue();
  private readonly handshake: RfbHandshake;
  private reader: ServerMessageReader | null = null;
  private timer: NodeJS.Timeout | null;
  private closed = false;
  private size = { width: 0, height: 0 };
  private screens: Screen[] = [];
  private extendedDesktopSize = false;
  private readonly clipboard: ExtendedClipboard;

  constructor(
    private readonly options: RfbClientOptions,
    private readonly handlers: RfbClientHandlers,
  ) {
    this.clipboard = new ExtendedClipboard({
      send: (b) => this.write(b),
      onText: (text) => {
        if (!this.closed) this.handlers.onClipboardText?.(text);
      },
      onDropped: (reason) => this.handlers.onClipboardNote?.(reason),
    });
    this.handshake = new RfbHandshake({ password: options.password, shared: options.shared ?? true });
    this.socket = connect({ host: options.host, port: options.port });
    this.socket.setNoDelay(true);
    this.timer = setTimeout(() => this.fail(new RfbTimeoutError('VNC server did not answer in time')), options.timeoutMs ?? 10_000);
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new RfbClosedError('VNC server closed the connection')));
  }

  get width(): number {
    return this.size.width;
  }

  get height(): number {
    return this.size.height;
  }

  /** Rects received so far per encoding number. */
  get rectCounts(): ReadonlyMap<number, number> {
    return this.reader?.rectCounts ?? new Map();
  }

  /** True once the server has shown it supports ExtendedDesktopSize (so SetDesktopSize). */
  get canResize(): boolean {
    return this.extendedDesktopSize;
  }

  /** Asks for the whole screen; `incremental` lets the server wait until something changes. */
  requestUpdate(incremental: boolean): void {
    this.write(msg.framebufferUpdateRequest(incremental, 0, 0, this.size.width, this.size.height));
  }

  /**
   * A request the server must answer at once: the first pixel, non-incremental (rfbproto:
   * sent "as soon as possible"), merged by servers with any request already outstanding.
   */
  probe(): void {
    this.write(msg.framebufferUpdateRequest(false, 0, 0, Math.min(1, this.size.width), Math.min(1, this.size.height)));
  }

  sendPointer(buttonMask: number, x: number, y: number): void {
    this.write(msg.pointerEvent(buttonMask, x, y));
  }

  sendKey(down: boolean, keysym: number): void {
    this.write(msg.keyEvent(down, keysym));
  }

  sendCutText(bytes: Buffer): void {
    this.write(msg.clientCutText(bytes));
  }

  /** True once the server announced the Extended Clipboard (then use sendClipboardText). */
  get extendedClipboard(): boolean {
    return this.clipboard.enabled;
  }

  /** Offers text by the Extended Clipboard; the server fetches it when it wants it. */
  sendClipboardText(text: string): void {
    this.clipboard.offer(text);
  }

  /** SetDesktopSize; false if the server cannot resize. The answer comes as a resize rect. */
  requestDesktopSize(width: number, height: number): boolean {
    if (!this.extendedDesktopSize) return false;
    const first = this.screens[0] ?? { id: 0, x: 0, y: 0, width, height, flags: 0 };
    // One screen covering the framebuffer, as desktop VNC servers (Xvnc) lay it out.
    this.write(msg.setDesktopSize(width, height, [{ ...first, x: 0, y: 0, width, height }]));
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.finish();
    this.socket.destroy();
    this.handlers.onClose();
  }

  private write(b: Buffer): void {
    if (!this.closed && this.reader) this.socket.write(b);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.queue.push(chunk);
    try {
      if (!this.reader) this.continueHandshake();
      else this.handlers.onReceive?.(chunk.length);
      if (this.reader) this.dispatch(this.reader);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private continueHandshake(): void {
    const progress = this.handshake.advance(this.queue);
    for (const b of progress.send) this.socket.write(b);
    const init = progress.serverInit;
    if (!init) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.size = { width: init.width, height: init.height };
    this.reader = new ServerMessageReader(this.options.decoders?.() ?? createDecoders(this.options.allocatePixels), {
      pixelFormat: RGBX_FORMAT,
      width: init.width,
      height: init.height,
    });
    // The server switches format before answering any later request, so every update is RGBX.
    this.socket.write(msg.setPixelFormat(RGBX_FORMAT));
    this.socket.write(
      msg.setEncodings(encodingList(this.options.encodings ?? DEFAULT_ENCODINGS, { cursor: this.options.localCursor ?? true })),
    );
    this.handlers.onReady(init);
    this.requestUpdate(false);
  }

  /** Hands out every event the buffered bytes complete; resumes itself after async rects. */
  private dispatch(reader: ServerMessageReader): void {
    if (reader.pending()) return; // the continuation below resumes once the rect is done
    for (const ev of reader.read(this.queue)) {
      if (this.closed) return;
      this.deliver(ev);
    }
    const pending = reader.pending();
    if (!pending) return;
    pending.then(
      () => {
        if (this.closed) return;
        try {
          this.dispatch(reader);
        } catch (err) {
          this.fail(err as Error);
        }
      },
      (err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private deliver(ev: ServerEvent): void {
    switch (ev.type) {
      case 'rect':
        if (ev.rect.kind === 'resize') {
          this.size = { width: ev.rect.width, height: ev.rect.height };
          if (ev.rect.extended) {
            this.extendedDesktopSize = true;
            if (ev.rect.extended.screens.length > 0) this.screens = ev.rect.extended.screens;
          }
        }
        this.handlers.onRect(ev.rect);
        break;
      case 'update-start':
        this.handlers.onUpdateStart?.();
        break;
      case 'update-end':
        this.handlers.onUpdateEnd();
        break;
      case 'bell':
        this.handlers.onBell?.();
        break;
      case 'cut-text':
        this.handlers.onCutText?.(ev.bytes);
        break;
      case 'extended-cut-text':
        this.clipboard.receive(ev.payload);
        break;
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.finish();
    this.socket.destroy();
    this.handlers.onClose(error);
  }

  private finish(): void {
    this.closed = true;
    this.clipboard.close();
    this.reader?.dispose();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
