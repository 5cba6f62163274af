// One VNC connection shared by every viewer of the same desktop (same server, credentials
// and connection options). Why shared rather than one RFB connection per viewer: the server
// encodes each change once and we decode it once; a viewer that joins gets the current
// picture from our framebuffer at once instead of waiting for a new handshake and a full
// update; and all viewers see the same pointer, clipboard and desktop size. Per-viewer
// settings (read-only, disable-copy, disable-paste) apply to that viewer only.
//
// Pacing: each viewer acknowledges frames (`sync`). A viewer with fewer than two frames
// unacknowledged (see FramePacer) and nothing pending is "live" for the next update: its
// rects are streamed to it in order (PNG, or JPEG for photographic rects when it announced
// JPEG, or `rect` + `cfill` for one colour; each encoded once and shared; CopyRect as `copy`):
// large rects as they arrive, small ones merged at the end of the update (or before a copy),
// so what one update touches goes out as few images. A viewer that is
// further behind collects the changed areas instead (merged, see DirtyRegion) and gets them
// from our framebuffer as one frame once it acknowledges. The next update is requested from
// the server while some viewer can take it, one request outstanding at most: at the end of a
// small update, while a large one is still arriving (see requestEarly).
//
// Lossy pixels do not stay: each viewer's JPEG areas (see LossyAreas) are redrawn as PNG from
// our framebuffer once they have been still for LOSSY_STILL_MS, so a still screen ends
// pixel-exact even with JPEG on; an area that keeps changing keeps getting JPEG meanwhile.
//
// Missing credentials (guacd 1.6.0's behaviour, in the standalone drop-in): a server that asks
// for a VNC password when the connection has none makes the gateway send `required,password` to
// the viewer that opened the connection, if it speaks protocol 1.1.0+, and wait for its `argv` stream with the value;
// such a connection is its own viewer's (never joined by others, who gave no password). Older
// clients get the authentication failure, as from guacd.
//
// A hung server (see UpstreamWatchdog) fails every viewer with "the desktop is not
// responding". A viewer that joins a running connection first waits for the server to answer
// a probe, so a hung desktop never shows it a stale picture that looks alive.
//
// Held connections (see hold): a prepared desktop's connection is opened before anyone views
// it and kept without viewers, its framebuffer current (one incremental request outstanding)
// and, once the picture is still, already encoded as the catch-up frame a joining viewer
// gets: its first frame comes from memory, not from a new handshake and a full update. Nobody
// watches a held connection for hangs (its desktop may be paused); the first viewer ends the hold.
import { encodeInstruction } from '../guacamole/protocol';
import { pixelBuffers } from '../image/buffer-pool';
import { jpegAvailable } from '../image/jpeg-encoder';
import type { PixelSource } from '../image/png-encoder';
import { RegionEncoder } from '../image/region-encoder';
import { RfbAuthError } from '../../rfb/errors';
import { ServerInit } from '../../rfb/handshake';
import { RfbClient, RfbRect } from '../../rfb/rfb-client';
import { DirtyRegion, Rect } from '../gateway/dirty-region';
import { DisplayWriter } from '../gateway/display-writer';
import { FramePacer } from '../gateway/frame-pacer';
import { Framebuffer } from '../gateway/framebuffer';
import { LossyAreas } from '../gateway/lossy-areas';
import { SharedEncodes } from '../gateway/shared-encodes';
import { GuacStatus, GuacStatusError } from '../gateway/status';
import { UpstreamWatchdog, WatchdogTiming } from '../gateway/upstream-watchdog';
import { VncClipboard } from './clipboard';
import { VncSettings } from './vnc-settings';

/** What the connection needs from a viewer. */
export interface ViewerEndpoint {
  readonly settings: VncSettings;
  readonly writer: DisplayWriter;
  /**
   * From the handshake: the `name` it gave, whether it takes `msg` (protocol 1.5.0+) and
   * `required` (1.1.0+), and the size it asked for (`size` instruction).
   */
  readonly user?: { name?: string; takesMessages: boolean; takesRequired?: boolean; optimalSize?: { width: number; height: number } };
  /** The connection failed: tell the viewer and end it. */
  fail(err: unknown): void;
  log?(message: string): void;
}

interface ViewerState {
  endpoint: ViewerEndpoint;
  pacer: FramePacer;
  dirty: DirtyRegion;
  /** Streamed the current update directly. */
  live: boolean;
  /** Something was drawn for it in the current update (else no `sync` is needed). */
  drawn: boolean;
  /** The framebuffer size changed while this viewer was behind. */
  sizeChanged: boolean;
  /** Joined a running connection: gets the picture once the server has shown it is alive. */
  joining: boolean;
  frames: number;
  /** Server updates this viewer missed while behind: its next frame shows them all at once. */
  missedUpdates: number;
  /** Areas drawn as JPEG on this viewer, awaiting their lossless refresh. */
  lossy: LossyAreas;
  refreshTimer: NodeJS.Timeout | null;
}

/** guacd's `msg` codes (GUAC_MESSAGE_USER_JOINED / _LEFT). */
const USER_JOINED = 0x0001;
const USER_LEFT = 0x0002;

export interface VncConnectionOptions {
  /** Covers TCP connect plus the RFB handshake. */
  vncTimeoutMs?: number;
  /** Pause between `autoretry` attempts (guacd: 1 s). */
  retryDelayMs?: number;
  /** How long a viewer's `sync` answer may take before it gets the next frame anyway. */
  ackTimeoutMs?: number;
  /** When to probe a quiet server and how long it may leave a probe unanswered (tests shorten them). */
  watchdog?: WatchdogTiming;
  /** How long a JPEG area must stay unchanged before it is redrawn losslessly. */
  lossyStillMs?: number;
  /**
   * Resize the remote desktop to the size the opening viewer's handshake gave, as guacd 1.6.0
   * does (the standalone drop-in). The app's own viewer sends its window's size itself.
   */
  resizeToHandshake?: boolean;
  /**
   * Ask the opening viewer for a missing VNC password with `required` (protocol 1.1.0+), as
   * guacd 1.6.0 does (the standalone drop-in). The app's own viewer has no prompt for it: it
   * gets the authentication failure at once rather than waiting for an answer it cannot give.
   */
  promptForCredentials?: boolean;
  log?: (message: string) => void;
}

/** Largest desktop we ask a server for (and the smallest). */
const MAX_SIZE = 8192;
const MIN_SIZE = 64;
/**
 * A JPEG area unchanged this long is redrawn as PNG. Long enough that video or a scrolling
 * photo (updates every 15-100 ms) stays JPEG while it moves, short enough that a picture
 * that stopped is exact before the eye settles on it (guacd waits about as long).
 */
const LOSSY_STILL_MS = 400;
/**
 * Rects up to this area wait for the end of their update and go out merged with their
 * neighbours (a clock's hands, a line of text): fewer, better-compressed images. Larger ones
 * are encoded as they arrive, in parallel with the rest of the update.
 */
const MERGE_AREA = 128 * 128;
/**
 * Pixels an extra image is worth when merging them: more than the catch-up path's (32x32),
 * because a small image's fixed cost here includes its palette (up to 768 bytes), which
 * neighbours share once merged, while the unchanged pixels between them compress to little.
 * An idle desktop with a ticking clock: one image per second instead of two to six.
 */
const MERGE_IMAGE_COST = 64 * 64;
/** Merged rects held at most; past this they are drawn and collecting starts afresh. */
const MERGE_RECTS = 16;
/** A refresh that finds the viewer busy (behind, or mid-update) tries again this much later. */
const REFRESH_RETRY_MS = 50;
/**
 * A held connection encodes its catch-up frame once the picture has been still this long: a
 * desktop that keeps changing unviewed is not encoded again at every update.
 */
const CATCH_UP_STILL_MS = 50;

export class VncConnection {
  private readonly viewers = new Map<ViewerEndpoint, ViewerState>();
  /** The viewer that opened the connection, while it stays: guacd tells it who joins and leaves. */
  private owner: ViewerEndpoint | undefined;
  private phase: 'connecting' | 'running' | 'closed' = 'connecting';
  private rfb: RfbClient | null = null;
  private fb: Framebuffer | null = null;
  /** A full (non-incremental) update has been received since the last resize. */
  private fbComplete = false;
  private updating = false;
  private requestOutstanding = false;
  private fullUpdatePending = true;
  private needFullUpdate = false;
  /** The current update carried pixels (Xvnc answers the first request with pseudo-rects only). */
  private updateHadPixels = false;
  /** Pixels the current update has drawn so far (see requestEarly). */
  private updateArea = 0;
  private cursor: Extract<RfbRect, { kind: 'cursor' }> | null = null;
  /** Catch-up and refresh frames' regions, encoded once for every viewer that needs them (see SharedEncodes). */
  private readonly encodes = new SharedEncodes();
  /** Small rects of the current update for the live viewers, drawn merged at its end (or before a copy). */
  private readonly merged = new DirtyRegion(MERGE_IMAGE_COST);
  readonly clipboard: VncClipboard;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: UpstreamWatchdog | null = null;
  /** A size a viewer asked for that the server has not been asked for yet (see resize). */
  private wantedSize: { width: number; height: number } | null = null;
  /** Parameters asked of the owner with `required` and not yet received by `argv`. */
  private readonly awaitedArgs = new Set<string>();
  /** Credentials came from the owner's `argv`: nobody else shares this connection. */
  private prompted = false;
  /** Kept open without viewers until the first one attaches or the hold is released (see hold). */
  private held = false;
  private catchUpTimer: NodeJS.Timeout | null = null;
  /** Callers of hold() waiting for the catch-up frame (false: the connection ended first). */
  private catchUpWaiters: ((ready: boolean) => void)[] = [];

  constructor(
    readonly settings: VncSettings,
    private readonly options: VncConnectionOptions,
    /** The last viewer left or the connection failed; forget this connection. */
    private readonly onEnd: (c: VncConnection) => void,
  ) {
    this.clipboard = new VncClipboard(settings.clipboardEncoding);
    this.dial(settings.autoretry);
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Another viewer with the same settings may share this connection. */
  get joinable(): boolean {
    return this.phase !== 'closed' && !this.prompted;
  }

  /**
   * Keeps the connection open with no viewer (a prepared desktop's, before anyone views it):
   * resolves true once the whole picture is in and encoded as a joining viewer's first frame,
   * false if the connection ends first. The first viewer to attach ends the hold.
   */
  hold(): Promise<boolean> {
    if (this.phase === 'closed') return Promise.resolve(false);
    if (this.viewers.size > 0) return Promise.resolve(true); // viewed already: nothing to prepare
    this.held = true;
    const ready = new Promise<boolean>((resolve) => this.catchUpWaiters.push(resolve));
    this.scheduleCatchUp();
    this.maybeRequest();
    return ready;
  }

  /** Ends the hold: with no viewer attached, the connection closes. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.viewers.size === 0) this.close();
  }

  /** Whether `endpoint` may send a value for `name` now (it was asked for it with `required`). */
  awaits(endpoint: ViewerEndpoint, name: string): boolean {
    return endpoint === this.owner && this.awaitedArgs.has(name);
  }

  /** A value the owner sent by `argv` for a parameter it was asked for. */
  argument(endpoint: ViewerEndpoint, name: string, value: string): void {
    if (!this.awaits(endpoint, name) || this.phase !== 'connecting') return;
    this.awaitedArgs.delete(name);
    if (name === 'password' && this.awaitedArgs.size === 0) this.rfb?.supplyPassword(value);
  }

  attach(endpoint: ViewerEndpoint): void {
    if (this.phase === 'closed') {
      endpoint.fail(new Error('VNC connection already closed'));
      return;
    }
    const state: ViewerState = {
      endpoint,
      pacer: new FramePacer(() => this.viewerReady(state), this.options.ackTimeoutMs),
      dirty: new DirtyRegion(),
      live: false,
      drawn: false,
      sizeChanged: false,
      joining: this.phase === 'running',
      frames: 0,
      missedUpdates: 0,
      lossy: new LossyAreas(),
      refreshTimer: null,
    };
    this.viewers.set(endpoint, state);
    this.endHold();
    if (this.phase === 'running') this.watch();
    if (this.viewers.size === 1) {
      this.owner = endpoint;
      // guacd 1.6.0: the remote desktop takes the size the opening viewer's handshake gave, if it can.
      const size = endpoint.user?.optimalSize;
      if (size && this.options.resizeToHandshake) this.resize(endpoint, size.width, size.height);
    } else this.tellOwner(USER_JOINED, endpoint);
    // Before the server answers, it gets everything anyway; after, once the probe is answered.
    if (state.joining) this.watchdog?.probeNow();
  }

  /** A viewer takes over from the hold: from now on the connection lives while it is viewed. */
  private endHold(): void {
    this.held = false;
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.catchUpTimer = null;
    for (const resolve of this.catchUpWaiters.splice(0)) resolve(true);
  }

  /** Watches the server for hangs while someone views it (see UpstreamWatchdog). */
  private watch(): void {
    this.watchdog ??= new UpstreamWatchdog(() => this.rfb?.probe(), (ms) => this.onHung(ms), this.options.watchdog);
  }

  /** A held connection's picture changed: it is encoded again once still (see CATCH_UP_STILL_MS). */
  private scheduleCatchUp(): void {
    if (!this.held || this.phase !== 'running' || !this.fbComplete) return;
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      void this.encodeCatchUp();
    }, CATCH_UP_STILL_MS);
  }

  /**
   * Encodes the whole picture as a joining viewer's flush will ask for it (see admit, flush):
   * once lossless, and for viewers that take JPEG only where it looks photographic (else the
   * same PNG serves them).
   */
  private async encodeCatchUp(): Promise<void> {
    if (!this.held || this.phase !== 'running' || this.updating || this.viewers.size > 0) return;
    const fb = this.fb!;
    const { width, height } = fb;
    const region = new RegionEncoder({ data: fb.region(0, 0, width, height), width, height });
    const plain = this.encodes.take(false, 0, 0, width, height, () => region.take(false));
    if (jpegAvailable()) this.encodes.take(true, 0, 0, width, height, () => region.take(true));
    region.release();
    if (plain.format !== 'fill') await Promise.resolve(plain.body).catch(() => undefined);
    for (const resolve of this.catchUpWaiters.splice(0)) resolve(this.phase === 'running');
  }

  detach(endpoint: ViewerEndpoint): void {
    const state = this.viewers.get(endpoint);
    if (!state) return;
    state.pacer.stop();
    this.cancelRefresh(state);
    this.viewers.delete(endpoint);
    if (endpoint === this.owner) this.owner = undefined;
    else this.tellOwner(USER_LEFT, endpoint);
    if (this.viewers.size === 0) this.close();
  }

  /** guacd 1.5+'s `msg` notice to the owner, if its protocol version takes it. */
  private tellOwner(code: number, user: ViewerEndpoint): void {
    if (!this.owner?.user?.takesMessages) return;
    this.owner.writer.text(encodeInstruction('msg', code, user.user?.name ?? 'anonymous'));
  }

  acknowledge(endpoint: ViewerEndpoint, timestamp: number): void {
    this.viewers.get(endpoint)?.pacer.acknowledge(timestamp);
  }

  pointer(endpoint: ViewerEndpoint, mask: number, x: number, y: number): void {
    if (this.canInput(endpoint)) this.rfb!.sendPointer(mask, x, y);
  }

  key(endpoint: ViewerEndpoint, down: boolean, keysym: number): void {
    if (this.canInput(endpoint)) this.rfb!.sendKey(down, keysym);
  }

  /** A viewer's pasted text (UTF-8) for the remote desktop; false if this viewer may not paste. */
  paste(endpoint: ViewerEndpoint, text: Buffer): boolean {
    if (!this.canInput(endpoint) || endpoint.settings.disablePaste) return false;
    const rfb = this.rfb!;
    if (rfb.extendedClipboard) rfb.sendClipboardText(text.toString('utf8'));
    else rfb.sendCutText(this.clipboard.toServer(text));
    return true;
  }

  /**
   * The viewer's size for the remote desktop: asked of the server (SetDesktopSize) once it has
   * shown it can resize (ExtendedDesktopSize) and sent its first complete picture; a size given
   * before that waits for it, the latest one wins. False if this viewer may not resize it.
   */
  resize(endpoint: ViewerEndpoint, width: number, height: number): boolean {
    const s = endpoint.settings;
    if (this.phase === 'closed' || !this.viewers.has(endpoint) || s.readOnly || s.disableDisplayResize) return false;
    const w = Math.max(MIN_SIZE, Math.min(MAX_SIZE, Math.round(width)));
    const h = Math.max(MIN_SIZE, Math.min(MAX_SIZE, Math.round(height)));
    this.wantedSize = { width: w, height: h };
    this.applyWantedSize();
    return true;
  }

  private applyWantedSize(): void {
    // After the first complete picture, as a viewer's own `size` has always been applied.
    if (!this.wantedSize || this.phase !== 'running' || this.updating || !this.fbComplete || !this.rfb?.canResize) return;
    const { width, height } = this.wantedSize;
    this.wantedSize = null;
    if (width === this.fb!.width && height === this.fb!.height) return;
    this.rfb.requestDesktopSize(width, height);
    this.maybeRequest(); // the answer arrives as an update
  }

  close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.held = false;
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    for (const resolve of this.catchUpWaiters.splice(0)) resolve(false);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watchdog?.stop();
    for (const s of this.viewers.values()) {
      s.pacer.stop();
      this.cancelRefresh(s);
    }
    this.rfb?.close();
    this.encodes.changed();
    this.fb?.release();
    this.onEnd(this);
  }

  private canInput(endpoint: ViewerEndpoint): boolean {
    return this.phase === 'running' && this.rfb !== null && !endpoint.settings.readOnly && this.viewers.has(endpoint);
  }

  private dial(retriesLeft: number): void {
    const s = this.settings;
    this.rfb = new RfbClient(
      {
        host: s.hostname,
        port: s.port,
        password: s.password,
        timeoutMs: this.options.vncTimeoutMs,
        encodings: s.encodings,
        localCursor: !s.remoteCursor,
        allocatePixels: (size) => pixelBuffers.takeZeroed(size), // back to the pool in recycleOnceEncoded
      },
      {
        onPasswordNeeded: () => this.askForPassword(),
        onReady: (init) => this.onReady(init),
        onUpdateStart: () => this.onUpdateStart(),
        onRect: (rect) => this.onRect(rect),
        onUpdateEnd: () => this.onUpdateEnd(),
        onCutText: (bytes) => this.onCutText(bytes),
        onClipboardText: (text) => this.onClipboardText(text),
        onClipboardNote: (message) => this.options.log?.(`VNC ${s.hostname}:${s.port}: ${message}`),
        onReceive: (bytes) => this.watchdog?.received(bytes),
        onClose: (err) => {
          if (!err || this.phase === 'closed') return;
          const refused = (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
          if (this.phase === 'connecting' && refused && retriesLeft > 0) {
            this.retryTimer = setTimeout(() => this.dial(retriesLeft - 1), this.options.retryDelayMs ?? 1_000);
            return;
          }
          this.failAll(err);
        },
      },
    );
  }

  /** guacd's prompt: `required,password` to an owner that understands it; else the failure guacd gives. */
  private askForPassword(): void {
    const owner = this.owner;
    if (!this.options.promptForCredentials || !owner?.user?.takesRequired) {
      this.failAll(new RfbAuthError('the VNC server requires a password'));
      return;
    }
    this.prompted = true;
    // Viewers that attached while we dialled gave no password: they do not get this desktop.
    for (const v of [...this.viewers.keys()]) if (v !== owner) v.fail(new RfbAuthError('the VNC server requires a password'));
    this.awaitedArgs.add('password');
    owner.writer.text(encodeInstruction('required', 'password'));
  }

  /** Ends the connection and tells every viewer why. */
  private failAll(err: Error): void {
    const viewers = [...this.viewers.keys()];
    this.close();
    for (const v of viewers) v.fail(err);
  }

  private onHung(silentMs: number): void {
    if (this.phase !== 'running') return;
    const seconds = Math.round(silentMs / 1000);
    this.options.log?.(`VNC ${this.settings.hostname}:${this.settings.port}: no answer for ${seconds} s, giving up`);
    this.failAll(new GuacStatusError(`The desktop is not responding (no answer from its VNC server for ${seconds} s)`, GuacStatus.UPSTREAM_TIMEOUT));
  }

  private onReady(init: ServerInit): void {
    this.phase = 'running';
    this.fb = new Framebuffer(init.width, init.height);
    if (this.viewers.size > 0) this.watch();
    this.requestOutstanding = true; // RfbClient asks for the first, full update
    this.fullUpdatePending = true;
    for (const s of this.viewers.values()) s.endpoint.writer.size(init.width, init.height);
    this.options.log?.(`VNC ${this.settings.hostname}:${this.settings.port}: connected (${init.width}x${init.height}, "${init.name}")`);
  }

  private onUpdateStart(): void {
    this.watchdog?.heard();
    this.updating = true;
    this.requestOutstanding = false;
    this.updateHadPixels = false;
    this.updateArea = 0;
    for (const s of this.viewers.values()) {
      s.live = !s.joining && s.pacer.ready && s.dirty.empty && !s.sizeChanged;
      s.drawn = false;
    }
  }

  /**
   * A large update (full motion) asks for the next one while it is still being received and
   * drawn, so the server prepares it meanwhile rather than after our encoding. A small one (a
   * typed key) asks at its end, once its frame is on the socket: woken earlier, the server can
   * take the CPU from the gateway before that frame leaves (see docs/display.md).
   */
  private requestEarly(): void {
    if (this.updateArea <= MERGE_AREA || this.requestOutstanding || this.needFullUpdate || this.fullUpdatePending || !this.rfb || !this.updateWanted) return;
    this.requestOutstanding = true;
    this.rfb.requestUpdate(true);
  }

  /**
   * Some viewer can take the next update, or has nothing pending (it will get it live or
   * merged); or the connection is held for a viewer to come, and keeps its picture current.
   */
  private get updateWanted(): boolean {
    if (this.held && this.viewers.size === 0) return true;
    for (const s of this.viewers.values()) if (s.pacer.ready || s.dirty.empty) return true;
    return false;
  }

  private onRect(rect: RfbRect): void {
    this.watchdog?.heard();
    const fb = this.fb!;
    switch (rect.kind) {
      case 'pixels': {
        // The answer to a watchdog probe, unchanged: nothing to draw (and no frame to send).
        if (rect.width === 1 && rect.height === 1 && rect.x === 0 && rect.y === 0 && fb.data.compare(rect.data, 0, 3, 0, 3) === 0) break;
        fb.putRgbx(rect.x, rect.y, rect.width, rect.height, rect.data);
        this.encodes.changed();
        this.updateHadPixels = true;
        this.updateArea += rect.width * rect.height;
        this.requestEarly();
        let live = false;
        for (const s of this.attached()) {
          s.drawn = true;
          if (s.live) live = true;
          else s.dirty.add(rect);
        }
        if (live && rect.width * rect.height <= MERGE_AREA) {
          // Small rects wait for the end of the update and go out merged (see drawMerged).
          if (this.merged.count >= MERGE_RECTS) this.drawMerged();
          this.merged.add(rect);
          pixelBuffers.give(rect.data);
        } else if (live) {
          // A large rect is encoded now, while later rects arrive (its bytes never change).
          this.drawLive(rect, { data: rect.data, width: rect.width, height: rect.height });
        } else {
          pixelBuffers.give(rect.data);
        }
        break;
      }
      case 'copy':
        this.drawMerged(); // what the client copies must be on it first
        fb.copy(rect.srcX, rect.srcY, rect.x, rect.y, rect.width, rect.height);
        this.encodes.changed();
        this.updateArea += rect.width * rect.height;
        this.requestEarly();
        for (const s of this.attached()) {
          s.drawn = true;
          if (s.live) {
            s.endpoint.writer.copy(rect.srcX, rect.srcY, rect.width, rect.height, rect.x, rect.y);
            s.lossy.copied({ x: rect.srcX, y: rect.srcY, width: rect.width, height: rect.height }, rect, Date.now());
          } else {
            s.dirty.add(rect);
          }
        }
        break;
      case 'resize': {
        if (rect.extended && rect.extended.reason === 1 && rect.extended.status !== 0) {
          this.options.log?.(`VNC server refused SetDesktopSize (status ${rect.extended.status})`);
        }
        if (rect.width === fb.width && rect.height === fb.height) break;
        this.merged.clear();
        fb.resize(rect.width, rect.height);
        this.encodes.changed();
        this.fbComplete = false;
        this.needFullUpdate = true; // contents after a resize are undefined until redrawn
        for (const s of this.attached()) {
          s.drawn = true;
          if (s.live) s.endpoint.writer.size(rect.width, rect.height);
          else s.sizeChanged = true;
          s.dirty.clear();
          s.lossy.clear();
          s.dirty.add({ x: 0, y: 0, width: rect.width, height: rect.height });
          if (s.live) s.dirty.clear(); // the live viewer follows the full update that comes next
        }
        break;
      }
      case 'cursor':
        this.cursor = rect;
        for (const s of this.attached()) this.sendCursor(s.endpoint.writer, rect);
        break;
    }
  }

  private onUpdateEnd(): void {
    if (!this.updating) this.onUpdateStart(); // an empty update
    this.drawMerged();
    this.updating = false;
    if (this.fullUpdatePending && this.updateHadPixels) {
      this.fullUpdatePending = false;
      this.fbComplete = true;
    }
    for (const s of this.viewers.values()) if (s.joining) this.admit(s);
    for (const s of this.viewers.values()) {
      if (s.live) {
        s.live = false;
        if (s.drawn) this.sendSync(s, 1);
      } else {
        if (s.drawn) s.missedUpdates++;
        if (s.pacer.ready && (!s.dirty.empty || s.sizeChanged)) this.flush(s);
      }
      this.scheduleRefresh(s);
    }
    this.applyWantedSize();
    this.scheduleCatchUp();
    this.maybeRequest();
  }

  private onCutText(bytes: Buffer): void {
    this.watchdog?.heard();
    this.clipboard.fromServer(bytes, [...this.attached()].map((s) => s.endpoint));
  }

  private onClipboardText(text: string): void {
    this.watchdog?.heard();
    this.clipboard.fromServerText(text, [...this.attached()].map((s) => s.endpoint));
  }

  /** Viewers that get the picture (not those still waiting to join). */
  private *attached(): IterableIterator<ViewerState> {
    for (const s of this.viewers.values()) if (!s.joining) yield s;
  }

  /** The server answered since this viewer joined: it gets size, cursor, clipboard, then the whole picture. */
  private admit(s: ViewerState): void {
    const fb = this.fb!;
    const w = s.endpoint.writer;
    s.joining = false;
    w.size(fb.width, fb.height);
    if (this.cursor) this.sendCursor(w, this.cursor);
    this.clipboard.show(s.endpoint);
    s.dirty.add({ x: 0, y: 0, width: fb.width, height: fb.height });
  }

  private viewerReady(s: ViewerState): void {
    if (this.phase !== 'running' || s.joining) return;
    if (!this.updating && this.fbComplete && (!s.dirty.empty || s.sizeChanged)) this.flush(s);
    this.maybeRequest();
  }

  /** Everything the viewer missed, from our framebuffer, as one frame. */
  private flush(s: ViewerState): void {
    const fb = this.fb!;
    const w = s.endpoint.writer;
    if (s.sizeChanged) {
      s.sizeChanged = false;
      w.size(fb.width, fb.height);
    }
    const now = Date.now();
    for (const r of s.dirty.take(fb.width, fb.height)) {
      const format = w.sharedImage(this.encodes, r.x, r.y, r.width, r.height, () => ({
        data: fb.region(r.x, r.y, r.width, r.height),
        width: r.width,
        height: r.height,
      }));
      if (format === 'jpeg') s.lossy.add(r, now);
      else s.lossy.drawnLosslessly(r);
    }
    this.sendSync(s, Math.max(1, s.missedUpdates));
    s.missedUpdates = 0;
    this.scheduleRefresh(s);
  }

  /** Arms the viewer's timer for its oldest lossy area (if any and not armed already). */
  private scheduleRefresh(s: ViewerState, delayMs?: number): void {
    if (s.refreshTimer || this.phase !== 'running') return;
    const stillMs = this.options.lossyStillMs ?? LOSSY_STILL_MS;
    const due = s.lossy.nextDue(stillMs);
    if (due === null) return;
    s.refreshTimer = setTimeout(() => {
      s.refreshTimer = null;
      this.refreshLossy(s);
    }, delayMs ?? Math.max(0, due - Date.now()));
  }

  private cancelRefresh(s: ViewerState): void {
    if (s.refreshTimer) clearTimeout(s.refreshTimer);
    s.refreshTimer = null;
  }

  /** Redraws the viewer's still JPEG areas losslessly from our framebuffer, as one frame. */
  private refreshLossy(s: ViewerState): void {
    if (this.phase !== 'running' || !this.viewers.has(s.endpoint)) return;
    // Behind, joining or mid-update: the viewer is not in step with our framebuffer yet.
    if (this.updating || s.joining || !s.pacer.ready || !s.dirty.empty || s.sizeChanged || !this.fbComplete) {
      this.scheduleRefresh(s, REFRESH_RETRY_MS);
      return;
    }
    const fb = this.fb!;
    const due = s.lossy.takeDue(Date.now(), this.options.lossyStillMs ?? LOSSY_STILL_MS);
    let drawn = false;
    for (const r of due) {
      const x = Math.min(r.x, fb.width);
      const y = Math.min(r.y, fb.height);
      const width = Math.min(r.width, fb.width - x);
      const height = Math.min(r.height, fb.height - y);
      if (width <= 0 || height <= 0) continue;
      const pixels = () => ({ data: fb.region(x, y, width, height), width, height });
      if (s.endpoint.writer.sharedImage(this.encodes, x, y, width, height, pixels, true)) drawn = true;
    }
    if (drawn) this.sendSync(s, 0); // the same picture, sharper: no new server frame
    this.scheduleRefresh(s);
  }

  /** Ends a frame; `logicalFrames`: the server updates it shows (guacd's second `sync` argument). */
  private sendSync(s: ViewerState, logicalFrames: number): void {
    const timestamp = s.pacer.nextTimestamp();
    s.pacer.frameQueued();
    s.frames++;
    void s.endpoint.writer.sync(timestamp, logicalFrames).then(() => s.pacer.frameWritten());
  }

  private maybeRequest(): void {
    if (this.phase !== 'running' || this.requestOutstanding || this.updating || !this.rfb) return;
    if (!this.updateWanted) return;
    this.requestOutstanding = true;
    if (this.needFullUpdate) this.fullUpdatePending = true;
    this.rfb.requestUpdate(!this.needFullUpdate);
    this.needFullUpdate = false;
  }

  /** The small rects of this update, merged, from the framebuffer: to the live viewers. */
  private drawMerged(): void {
    if (this.merged.empty) return;
    const fb = this.fb!;
    for (const r of this.merged.take(fb.width, fb.height)) {
      this.drawLive(r, { data: fb.region(r.x, r.y, r.width, r.height), width: r.width, height: r.height });
    }
  }

  /**
   * Draws pixels at `at` on every live viewer: one colour as `rect` + `cfill`, else PNG, or
   * JPEG for a photographic area to viewers that take it; each encoded once and shared. The
   * pixels go back to the buffer pool once encoded.
   */
  private drawLive(at: Rect, pixels: PixelSource): void {
    const region = new RegionEncoder(pixels);
    const now = Date.now();
    for (const s of this.attached()) {
      if (!s.live) continue;
      const e = region.take(s.endpoint.writer.lossy);
      s.endpoint.writer.draw(at.x, at.y, at.width, at.height, e);
      if (e.format === 'jpeg') s.lossy.add(at, now);
      else s.lossy.drawnLosslessly(at);
    }
    region.release();
  }

  private sendCursor(w: DisplayWriter, c: Extract<RfbRect, { kind: 'cursor' }>): void {
    w.cursor(c.hotX, c.hotY, c.width, c.height, c.rgba);
  }
}
