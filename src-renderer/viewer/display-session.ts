// One viewer's link to a remote desktop: ticket -> tunnel -> Guacamole client -> display.
// Each connect() asks for a fresh ticket (single-use, valid 30 s) and never reuses one.

// guacamole-common-js 1.5.0 (npm) is one concatenated script. Its ESM build
// (exports["."].import -> dist/esm/guacamole-common.js) ends in `export default Guacamole`,
// and @types/guacamole-common-js describes that namespace, so a default import fits both
// (esModuleInterop lets the types be imported that way).
import Guacamole from 'guacamole-common-js';
import type { DisplayTicket } from '../../src-shared/contract';
import { laneUrl } from '../../src-shared/file-transfer';
import { toErrorInfo, type ErrorCode } from '../../src-shared/errors';
import { t } from '../i18n/i18n';
import { explainStatus, formatCode } from './status-text';
import { errorAction, errorMessage } from '../i18n/error-text';
import type { FileStreamPort } from './file-uploads';
import type { FileDownloads, RemoteFolder } from './file-downloads';
import type { AudioStreamPort } from './viewer-audio';

export type ViewerState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'error';

export interface ViewerSnapshot {
  state: ViewerState;
  /** Short headline for the overlay, e.g. "Authentication failed". */
  title: string;
  detail: string | null;
  action: string | null;
  /** Guacamole status code, if the failure came from the display path. */
  code: string | null;
  /** While reconnecting: seconds until the next attempt. */
  retryIn?: number;
  /** The desktop hangs: restarting its instance may help. */
  offerRestart?: boolean;
}

export interface ViewerStats {
  /** Frames (syncs) drawn per second, over the last second. */
  fps: number;
  /** Bytes received per second on the tunnel, over the last second. */
  bytesPerSecond: number;
  /** Time from a frame's server timestamp to our drawing it, as a rough latency (ms). */
  latencyMs: number | null;
  width: number;
  height: number;
  /** The tunnel has been silent for a while (Guacamole's "unstable" state). */
  unstable: boolean;
}

/** Status codes after which trying again cannot help (credentials, gone, unsupported). */
const FINAL_CODES = new Set([0x0100, 0x0204, 0x0301, 0x0303]);
const BACKOFF_S = [1, 2, 4, 8, 15, 30];
/** Ticket errors that pass while a desktop comes back (its engine restarting, say). */
const PASSING_TICKET_ERRORS = new Set<ErrorCode>(['DISPLAY_UNAVAILABLE', 'DOCKER_UNREACHABLE', 'DESKTOP_NOT_READY']);

/** X11 keysyms for the special-keys menu. */
export const KEYSYM = {
  Control_L: 0xffe3,
  Alt_L: 0xffe9,
  Delete: 0xffff,
  Super_L: 0xffeb,
  F1: 0xffbe,
} as const;

/** How the remote screen is drawn: scaled to fit the window, or at a fixed zoom (1 = 100 %). */
export type ScaleMode = { kind: 'fit' } | { kind: 'fixed'; scale: number };

/** Whether this window may use the system clipboard ('unknown' until a read or write was tried). */
export type SystemClipboardAccess = 'unknown' | 'granted' | 'denied';

export interface ClipboardSnapshot {
  /** The desktop's clipboard as last seen (received or sent), or '' before either. */
  text: string;
  systemAccess: SystemClipboardAccess;
}

export interface DisplaySize {
  width: number;
  height: number;
}

export type RequestTicket = (size: DisplaySize) => Promise<DisplayTicket>;

const MIN_SIZE = 64;
const MAX_SIZE = 8192;
const RESIZE_DEBOUNCE_MS = 250;

function clampSize(value: number): number {
  return Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(value)));
}

export class DisplaySession {
  private snapshot: ViewerSnapshot = {
    state: 'connecting',
    title: t('viewer.connecting'),
    detail: null,
    action: null,
    code: null,
  };
  private readonly listeners = new Set<(snapshot: ViewerSnapshot) => void>();
  private readonly keyboard: Guacamole.Keyboard;

  /** Bumped on every connect/teardown; callbacks from older clients are ignored. */
  private generation = 0;
  private client: Guacamole.Client | null = null;
  private tunnel: Guacamole.Tunnel | null = null;
  /** What the current ticket allows with the desktop's files, and the folders the gateway lets it read. */
  private files: { upload: boolean; download: boolean } = { upload: false, download: false };
  /** The tunnel of the current connection: transfer lanes are on its listener. */
  private tunnelUrl = '';
  private folders: readonly RemoteFolder[] = [];
  /** Whether the current ticket lets the viewer hear the desktop and send it the microphone. */
  private sound: { playback: boolean; microphone: boolean } = { playback: false, microphone: false };
  private downloads: FileDownloads | null = null;
  private resizeTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private retryTimer: ReturnType<typeof setInterval> | null = null;
  private attempt = 0;
  private autoReconnect = true;
  private remoteClipboard: string | null = null;
  private clipboard: ClipboardSnapshot = { text: '', systemAccess: 'unknown' };
  private readonly clipboardListeners = new Set<(snapshot: ClipboardSnapshot) => void>();
  /** False while the viewer's own controls (menu, text input) take the keys. */
  private keyboardEnabled = true;
  private scaleMode: ScaleMode = { kind: 'fit' };
  private readonly resizeObserver: ResizeObserver;
  private frames = 0;
  private bytes = 0;
  private latency: number | null = null;
  private unstable = false;
  private stats: ViewerStats = { fps: 0, bytesPerSecond: 0, latencyMs: null, width: 0, height: 0, unstable: false };
  private readonly statsTimer: ReturnType<typeof setInterval>;
  private readonly statsListeners = new Set<(stats: ViewerStats) => void>();

  constructor(
    private readonly container: HTMLElement,
    private readonly requestTicket: RequestTicket,
  ) {
    this.keyboard = new Guacamole.Keyboard(document);
    // The container, not the window: a pinned toolbar or the on-screen keyboard takes space.
    this.resizeObserver = new ResizeObserver(this.onContainerResize);
    this.resizeObserver.observe(container);
    window.addEventListener('blur', this.onWindowBlur);
    window.addEventListener('focus', this.onWindowFocus);
    this.statsTimer = setInterval(() => this.sampleStats(), 1_000);
  }

  /** Stops automatic reconnection (e.g. the instance was stopped). */
  setAutoReconnect(enabled: boolean): void {
    this.autoReconnect = enabled;
    if (enabled) return;
    this.cancelRetry();
    // A retry that was counting down will not happen: the state must not say it will.
    if (this.snapshot.state === 'reconnecting') {
      this.showDisconnected();
    }
  }

  getStats = (): ViewerStats => this.stats;

  subscribeStats = (listener: (stats: ViewerStats) => void): (() => void) => {
    this.statsListeners.add(listener);
    return () => {
      this.statsListeners.delete(listener);
    };
  };

  /** What this connection may do with the desktop's files (the policy, as its ticket says). */
  fileAccess(): { upload: boolean; download: boolean } {
    return this.snapshot.state === 'connected' ? this.files : { upload: false, download: false };
  }

  /** Whether this connection plays the desktop's sound and takes the microphone (the policy, as its ticket says). */
  soundAccess(): { playback: boolean; microphone: boolean } {
    return this.snapshot.state === 'connected' ? this.sound : { playback: false, microphone: false };
  }

  /** The desktop's folders this connection may read (Guacamole filesystem objects). */
  remoteFolders(): readonly RemoteFolder[] {
    return this.snapshot.state === 'connected' ? this.folders : [];
  }

  /** Where files the desktop offers go, and who hears of a download that failed half-way. */
  setDownloads(downloads: FileDownloads | null): void {
    this.downloads = downloads;
  }

  /** The connection's file streams while connected, for uploads into the desktop. */
  fileStreams(): FileStreamPort | null {
    const client = this.client;
    const tunnel = this.tunnel;
    if (!client || !tunnel || this.snapshot.state !== 'connected') return null;
    return {
      open: (mimetype, filename) => client.createFileStream(mimetype, filename),
      // `end` straight on the tunnel: Client.endStream forgets the stream, and with it the
      // final ack that carries the name the file got.
      end: (index) => tunnel.sendMessage('end', index),
      cancel: (index) => client.sendAck(index, 'Cancelled', Guacamole.Status.Code.RESOURCE_CLOSED),
      laneUrl: (token) => laneUrl(this.tunnelUrl, token),
    };
  }

  /** The connection's outbound audio streams while connected (the microphone). */
  audioStreams(): AudioStreamPort | null {
    const client = this.client;
    if (!client || this.snapshot.state !== 'connected') return null;
    return { open: (mimetype) => client.createAudioStream(mimetype) };
  }

  /** Presses the keys in order, then releases them in reverse (e.g. Ctrl+Alt+Del). */
  sendKeys(keysyms: readonly number[]): void {
    const client = this.client;
    if (!client || this.snapshot.state !== 'connected') return;
    for (const k of keysyms) client.sendKeyEvent(1, k);
    for (const k of [...keysyms].reverse()) client.sendKeyEvent(0, k);
  }

  /** Presses (1) or releases (0) one key on the remote desktop (on-screen keyboard, text input). */
  sendKeyEvent(pressed: 0 | 1, keysym: number): void {
    if (this.client && this.snapshot.state === 'connected') this.client.sendKeyEvent(pressed, keysym);
  }

  /**
   * Lets the viewer's own controls have the keyboard (false) or gives it back to the desktop.
   * Keys held when it is taken are released on the desktop, so none stays stuck.
   */
  setKeyboardEnabled(enabled: boolean): void {
    if (enabled === this.keyboardEnabled) return;
    this.keyboardEnabled = enabled;
    if (!enabled) this.detachKeyboard();
    else if (this.client && this.snapshot.state === 'connected') this.attachKeyboard(this.client);
  }

  getScaleMode = (): ScaleMode => this.scaleMode;

  setScaleMode(mode: ScaleMode): void {
    this.scaleMode = mode;
    this.fit();
  }

  /** Ends the connection at the user's wish: no retry; Reconnect (connect()) starts a new one. */
  disconnect(): void {
    if (this.disposed) return;
    this.cancelRetry();
    this.teardown();
    this.update({
      state: 'disconnected',
      title: t('viewer.disconnected'),
      detail: t('viewer.disconnectedByUser'),
      action: t('viewer.clickReconnectAgain'),
      code: null,
    });
  }

  getClipboard = (): ClipboardSnapshot => this.clipboard;

  subscribeClipboard = (listener: (snapshot: ClipboardSnapshot) => void): (() => void) => {
    this.clipboardListeners.add(listener);
    return () => {
      this.clipboardListeners.delete(listener);
    };
  };

  /** Sends text to the remote clipboard. */
  sendClipboard(text: string): void {
    const client = this.client;
    if (!client || this.snapshot.state !== 'connected') return;
    this.remoteClipboard = text;
    this.updateClipboard({ text });
    const writer = new Guacamole.StringWriter(client.createClipboardStream('text/plain'));
    writer.sendText(text);
    writer.sendEnd();
  }

  /** The remote display as a PNG blob. */
  screenshot(): Promise<Blob | null> {
    const client = this.client;
    if (!client) return Promise.resolve(null);
    const canvas = client.getDisplay().flatten();
    return new Promise((resolve) => canvas.toBlob((b) => resolve(b), 'image/png'));
  }

  getSnapshot = (): ViewerSnapshot => this.snapshot;

  subscribe = (listener: (snapshot: ViewerSnapshot) => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Connects with a fresh ticket, replacing any previous connection. */
  async connect(): Promise<void> {
    if (this.disposed) return;
    this.cancelRetry();
    this.teardown();
    const generation = this.generation;
    this.update({ state: 'connecting', title: t('viewer.connecting'), detail: null, action: null, code: null });

    const size = this.windowSize();
    let ticket: DisplayTicket;
    try {
      ticket = await this.requestTicket(size);
    } catch (err) {
      if (generation !== this.generation) return;
      const info = toErrorInfo(err);
      // While reconnecting, an engine that is restarting, or a desktop it is still bringing
      // back, is worth another try, as a refused VNC connection is.
      if (this.attempt > 0 && PASSING_TICKET_ERRORS.has(info.code) && this.scheduleReconnect(errorMessage(info), null)) return;
      this.update({ state: 'error', title: t('viewer.couldNotConnect'), detail: errorMessage(info), action: errorAction(info), code: null });
      return;
    }
    if (generation !== this.generation) return;
    this.start(generation, ticket, size);
  }

  /**
   * Lets the desktop go away on purpose (a restart the user asked for): the drop that follows
   * is neither an error nor a reason to retry. `connect()` resumes.
   */
  suspend(): void {
    if (this.disposed) return;
    this.cancelRetry();
    this.teardown();
    this.update({ state: 'connecting', title: t('viewer.restarting'), detail: null, action: null, code: null });
  }

  /** Disconnects and releases everything; the session cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelRetry();
    this.teardown();
    clearInterval(this.statsTimer);
    this.resizeObserver.disconnect();
    window.removeEventListener('blur', this.onWindowBlur);
    window.removeEventListener('focus', this.onWindowFocus);
    this.listeners.clear();
    this.statsListeners.clear();
    this.clipboardListeners.clear();
  }

  private start(generation: number, ticket: DisplayTicket, size: DisplaySize): void {
    const tunnel = new Guacamole.WebSocketTunnel(ticket.tunnelUrl);
    this.tunnelUrl = ticket.tunnelUrl;
    const client = new Guacamole.Client(tunnel);
    const current0 = () => generation === this.generation;
    this.files = ticket.files ?? { upload: false, download: false };
    this.sound = ticket.sound ?? { playback: false, microphone: false };
    this.folders = [];
    client.onfilesystem = (object, name) => {
      const tunnelUrl = ticket.tunnelUrl;
      if (current0()) this.folders = [...this.folders, { object, name, laneUrl: (token) => laneUrl(tunnelUrl, token) }];
    };
    client.onfile = (stream, mimetype, name) => {
      if (current0() && this.downloads) this.downloads.offer(stream, mimetype, name);
      else stream.sendAck('Not wanted', Guacamole.Status.Code.RESOURCE_CLOSED);
    };
    // Count tunnel bytes for the statistics overlay without disturbing the client's handler.
    const clientHandler = tunnel.oninstruction;
    tunnel.oninstruction = (opcode, args) => {
      if (current0()) this.bytes += opcode.length + (args as string[]).reduce((n: number, a: string) => n + a.length + 2, 2);
      // The gateway's error ack for a download stream: it failed half-way (no `end` will come).
      if (opcode === 'ack' && this.downloads?.failStream(Number(args[0]), String(args[1]))) return;
      clientHandler?.(opcode, args);
    };
    client.onsync = (timestamp) => {
      if (!current0()) return;
      this.frames++;
      // Server clocks are close to ours on loopback; a rough figure is all the overlay needs.
      const lag = Date.now() - timestamp;
      if (lag >= 0 && lag < 60_000) this.latency = lag;
    };
    client.onclipboard = (stream, mimetype) => {
      if (!current0() || !/^text\//.test(mimetype)) return;
      const reader = new Guacamole.StringReader(stream);
      let text = '';
      reader.ontext = (t) => (text += t);
      reader.onend = () => {
        this.remoteClipboard = text;
        this.updateClipboard({ text });
        if (!document.hasFocus()) return;
        navigator.clipboard
          ?.writeText(text)
          .then(() => this.updateClipboard({ systemAccess: 'granted' }))
          .catch(() => this.updateClipboard({ systemAccess: 'denied' }));
      };
    };
    this.client = client;
    this.tunnel = tunnel;
    const display = client.getDisplay();
    const element = display.getElement();
    element.classList.add('guac-display');
    this.container.replaceChildren(element);

    const current = () => generation === this.generation;

    const mouse = new Guacamole.Mouse(element);
    mouse.onEach(['mousedown', 'mouseup', 'mousemove'], (event) => {
      if (current()) client.sendMouseState((event as Guacamole.Mouse.Event).state, true);
    });
    mouse.on('mouseout', () => {
      if (current()) display.showCursor(false);
    });
    // Show the remote cursor as the native cursor; draw it in the display if that fails.
    display.oncursor = (canvas, x, y) => {
      if (current()) display.showCursor(!mouse.setCursor(canvas, x, y));
    };
    display.onresize = () => {
      if (current()) this.fit();
    };

    client.onstatechange = (state) => {
      if (!current()) return;
      switch (state) {
        case Guacamole.Client.State.IDLE:
        case Guacamole.Client.State.CONNECTING:
        case Guacamole.Client.State.WAITING:
          this.update({ state: 'connecting', title: t('viewer.connecting'), detail: null, action: null, code: null });
          break;
        case Guacamole.Client.State.CONNECTED:
          this.attempt = 0;
          this.update({ state: 'connected', title: t('viewer.connected'), detail: null, action: null, code: null });
          this.attachKeyboard(client);
          this.fit();
          this.followWindowSize(client);
          void this.pushLocalClipboard();
          break;
        case Guacamole.Client.State.DISCONNECTING:
        case Guacamole.Client.State.DISCONNECTED:
          this.closed();
          break;
      }
    };
    client.onerror = (status) => {
      if (current()) this.failed(status);
    };
    // Guacamole.Client does not watch its tunnel: a dropped socket is only seen here.
    tunnel.onerror = (status) => {
      if (current()) this.failed(status);
    };
    tunnel.onstatechange = (state) => {
      if (!current()) return;
      this.unstable = state === Guacamole.Tunnel.State.UNSTABLE;
      if (state === Guacamole.Tunnel.State.CLOSED) this.closed();
    };

    try {
      client.connect(
        `token=${encodeURIComponent(ticket.token)}&width=${size.width}&height=${size.height}`,
      );
    } catch (status) {
      if (!current()) return;
      if (status instanceof Guacamole.Status) this.failed(status);
      else this.update({ state: 'error', title: t('viewer.couldNotConnect'), detail: t('viewer.tunnelFailed'), action: t('viewer.clickReconnect'), code: null });
    }
  }

  private failed(status: Guacamole.Status): void {
    if (this.snapshot.state === 'error' || this.snapshot.state === 'reconnecting') return;
    const words = explainStatus(status.code);
    this.detachKeyboard();
    this.stopClient();
    // The server's own message says more (e.g. "VNC authentication failed").
    const detail = status.message && status.message !== words.detail ? `${words.detail} (${status.message})` : words.detail;
    const offerRestart = words.offerRestart ?? false;
    // A hung desktop rarely comes back by reconnecting (each try waits for its timeout): the
    // user chooses between Reconnect and Restart instead.
    if (!FINAL_CODES.has(status.code) && !offerRestart && this.scheduleReconnect(words.title, formatCode(status.code))) return;
    // Stopping the client above reports a close, which schedules a retry: this error is final.
    this.cancelRetry();
    this.update({ state: 'error', title: words.title, detail, action: words.action, code: formatCode(status.code), offerRestart });
  }

  private closed(): void {
    // An error explains more than the close that follows it.
    const state = this.snapshot.state;
    if (state === 'error' || state === 'disconnected' || state === 'reconnecting') return;
    const wasConnected = state === 'connected';
    this.detachKeyboard();
    this.stopClient();
    if (wasConnected && this.scheduleReconnect(t('viewer.connectionLost'), null)) return;
    this.showDisconnected();
  }

  /** Tries again after 1, 2, 4, 8, 15, 30, 30 … s, counting down in the overlay. False if not allowed. */
  private scheduleReconnect(title: string, code: string | null): boolean {
    if (!this.autoReconnect || this.disposed) return false;
    this.cancelRetry();
    let left = BACKOFF_S[Math.min(this.attempt, BACKOFF_S.length - 1)]!;
    this.attempt++;
    const show = () =>
      this.update({
        state: 'reconnecting',
        title: t('viewer.reconnectingIn', { seconds: left }),
        detail: t('viewer.reconnectingDetail', { reason: title }),
        action: null,
        code,
        retryIn: left,
      });
    show();
    this.retryTimer = setInterval(() => {
      left -= 1;
      if (left > 0) return show();
      this.cancelRetry();
      void this.connect();
    }, 1_000);
    return true;
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) clearInterval(this.retryTimer);
    this.retryTimer = null;
  }

  private sampleStats(): void {
    const display = this.client?.getDisplay();
    this.stats = {
      fps: this.frames,
      bytesPerSecond: this.bytes,
      latencyMs: this.latency,
      width: display?.getWidth() ?? 0,
      height: display?.getHeight() ?? 0,
      unstable: this.client !== null && this.unstable,
    };
    this.frames = 0;
    this.bytes = 0;
    for (const l of [...this.statsListeners]) l(this.stats);
  }

  /** Asks the desktop to take the window's size (servers that cannot resize are scaled). */
  private followWindowSize(client: Guacamole.Client): void {
    const size = this.windowSize();
    const display = client.getDisplay();
    if (display.getWidth() !== size.width || display.getHeight() !== size.height) client.sendSize(size.width, size.height);
  }

  /** Sends the system clipboard to the desktop when it changed since we last saw it. */
  private async pushLocalClipboard(): Promise<void> {
    let text: string;
    try {
      text = (await navigator.clipboard?.readText()) ?? '';
    } catch {
      // No permission: the viewer menu's clipboard panel is the way across.
      this.updateClipboard({ systemAccess: 'denied' });
      return;
    }
    this.updateClipboard({ systemAccess: 'granted' });
    if (text && text !== this.remoteClipboard) this.sendClipboard(text);
  }

  private updateClipboard(change: Partial<ClipboardSnapshot>): void {
    this.clipboard = { ...this.clipboard, ...change };
    for (const l of [...this.clipboardListeners]) l(this.clipboard);
  }

  private readonly onWindowFocus = (): void => {
    void this.pushLocalClipboard();
  };

  /** Ends the current client (if any) and ignores everything it reports afterwards. */
  private teardown(): void {
    this.generation += 1;
    this.detachKeyboard();
    this.stopClient();
    this.container.replaceChildren();
    if (this.resizeTimer !== null) clearTimeout(this.resizeTimer);
    this.resizeTimer = null;
  }

  private stopClient(): void {
    const client = this.client;
    this.client = null;
    this.tunnel = null;
    if (!client) return;
    try {
      client.disconnect();
    } catch {
      // Already closed.
    }
  }

  private attachKeyboard(client: Guacamole.Client): void {
    if (!this.keyboardEnabled) return;
    this.keyboard.onkeydown = (keysym) => {
      client.sendKeyEvent(1, keysym);
      return false; // handled: keep it from the browser
    };
    this.keyboard.onkeyup = (keysym) => {
      client.sendKeyEvent(0, keysym);
    };
  }

  private detachKeyboard(): void {
    // Release anything held down while the handlers still point at the client.
    this.keyboard.reset();
    // Without handlers Guacamole.Keyboard lets key events through (overlay buttons work).
    this.keyboard.onkeydown = null;
    this.keyboard.onkeyup = null;
  }

  /** Scales the remote display to fit the window (keeping its aspect ratio), or to the chosen zoom. */
  private fit(): void {
    const client = this.client;
    if (!client) return;
    const display = client.getDisplay();
    const width = display.getWidth();
    const height = display.getHeight();
    const boxWidth = this.container.clientWidth;
    const boxHeight = this.container.clientHeight;
    if (width <= 0 || height <= 0 || boxWidth <= 0 || boxHeight <= 0) return;
    if (this.scaleMode.kind === 'fixed') return display.scale(this.scaleMode.scale);
    display.scale(Math.min(boxWidth / width, boxHeight / height));
  }

  /** The space the desktop has in the window (the window minus a pinned toolbar and the like). */
  private windowSize(): DisplaySize {
    return { width: clampSize(this.container.clientWidth), height: clampSize(this.container.clientHeight) };
  }

  private readonly onContainerResize = (): void => {
    this.fit();
    // Ask the desktop to follow the window; servers that cannot resize ignore it.
    if (this.resizeTimer !== null) clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = null;
      if (this.client && this.snapshot.state === 'connected') {
        const size = this.windowSize();
        this.client.sendSize(size.width, size.height);
      }
    }, RESIZE_DEBOUNCE_MS);
  };

  private readonly onWindowBlur = (): void => {
    // Keys released while another window had focus would otherwise stay pressed.
    this.keyboard.reset();
  };

  /** Disconnected for good: the user reconnects by hand. */
  private showDisconnected(): void {
    this.update({
      state: 'disconnected',
      title: t('viewer.disconnected'),
      detail: t('viewer.disconnectedDetail'),
      action: t('viewer.clickReconnectAgain'),
      code: null,
    });
  }

  private update(snapshot: ViewerSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener(snapshot);
  }
}
