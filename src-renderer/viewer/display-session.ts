// One viewer's link to a remote desktop: ticket -> tunnel -> Guacamole client -> display.
// Each connect() asks for a fresh ticket (single-use, valid 30 s) and never reuses one.

// guacamole-common-js 1.5.0 (npm) is one concatenated script. Its ESM build
// (exports["."].import -> dist/esm/guacamole-common.js) ends in `export default Guacamole`,
// and @types/guacamole-common-js describes that namespace, so a default import fits both
// (esModuleInterop lets the types be imported that way).
import Guacamole from 'guacamole-common-js';
import type { DisplayTicket } from '../../src-shared/contract';
import { toErrorInfo } from '../../src-shared/errors';
import { explainStatus, formatCode } from './status-text';

export type ViewerState = 'connecting' | 'connected' | 'disconnected' | 'error';

export interface ViewerSnapshot {
  state: ViewerState;
  /** Short headline for the overlay, e.g. "Authentication failed". */
  title: string;
  detail: string | null;
  action: string | null;
  /** Guacamole status code, if the failure came from the display path. */
  code: string | null;
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
    title: 'Connecting…',
    detail: null,
    action: null,
    code: null,
  };
  private readonly listeners = new Set<(snapshot: ViewerSnapshot) => void>();
  private readonly keyboard: Guacamole.Keyboard;

  /** Bumped on every connect/teardown; callbacks from older clients are ignored. */
  private generation = 0;
  private client: Guacamole.Client | null = null;
  private resizeTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly requestTicket: RequestTicket,
  ) {
    this.keyboard = new Guacamole.Keyboard(document);
    window.addEventListener('resize', this.onWindowResize);
    window.addEventListener('blur', this.onWindowBlur);
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
    this.teardown();
    const generation = this.generation;
    this.update({ state: 'connecting', title: 'Connecting…', detail: null, action: null, code: null });

    const size = this.windowSize();
    let ticket: DisplayTicket;
    try {
      ticket = await this.requestTicket(size);
    } catch (err) {
      if (generation !== this.generation) return;
      const info = toErrorInfo(err);
      this.update({ state: 'error', title: 'Could not connect', detail: info.message, action: info.action, code: null });
      return;
    }
    if (generation !== this.generation) return;
    this.start(generation, ticket, size);
  }

  /** Disconnects and releases everything; the session cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.teardown();
    window.removeEventListener('resize', this.onWindowResize);
    window.removeEventListener('blur', this.onWindowBlur);
    this.listeners.clear();
  }

  private start(generation: number, ticket: DisplayTicket, size: DisplaySize): void {
    const tunnel = new Guacamole.WebSocketTunnel(ticket.tunnelUrl);
    const client = new Guacamole.Client(tunnel);
    this.client = client;
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
          this.update({ state: 'connecting', title: 'Connecting…', detail: null, action: null, code: null });
          break;
        case Guacamole.Client.State.CONNECTED:
          this.update({ state: 'connected', title: 'Connected', detail: null, action: null, code: null });
          this.attachKeyboard(client);
          this.fit();
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
      if (current() && state === Guacamole.Tunnel.State.CLOSED) this.closed();
    };

    try {
      client.connect(
        `token=${encodeURIComponent(ticket.token)}&width=${size.width}&height=${size.height}`,
      );
    } catch (status) {
      if (!current()) return;
      if (status instanceof Guacamole.Status) this.failed(status);
      else this.update({ state: 'error', title: 'Could not connect', detail: 'The display tunnel could not be opened.', action: 'Click Reconnect to try again.', code: null });
    }
  }

  private failed(status: Guacamole.Status): void {
    if (this.snapshot.state === 'error') return;
    const words = explainStatus(status.code);
    this.detachKeyboard();
    this.update({
      state: 'error',
      title: words.title,
      detail: words.detail,
      action: words.action,
      code: formatCode(status.code),
    });
    this.stopClient();
  }

  private closed(): void {
    // An error explains more than the close that follows it.
    if (this.snapshot.state === 'error' || this.snapshot.state === 'disconnected') return;
    this.detachKeyboard();
    this.update({
      state: 'disconnected',
      title: 'Disconnected',
      detail: 'The connection to the desktop was closed.',
      action: 'Click Reconnect to connect again.',
      code: null,
    });
    this.stopClient();
  }

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
    if (!client) return;
    try {
      client.disconnect();
    } catch {
      // Already closed.
    }
  }

  private attachKeyboard(client: Guacamole.Client): void {
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

  /** Scales the remote display to fit the window, keeping its aspect ratio. */
  private fit(): void {
    const client = this.client;
    if (!client) return;
    const display = client.getDisplay();
    const width = display.getWidth();
    const height = display.getHeight();
    const boxWidth = this.container.clientWidth;
    const boxHeight = this.container.clientHeight;
    if (width <= 0 || height <= 0 || boxWidth <= 0 || boxHeight <= 0) return;
    display.scale(Math.min(boxWidth / width, boxHeight / height));
  }

  private windowSize(): DisplaySize {
    return { width: clampSize(window.innerWidth), height: clampSize(window.innerHeight) };
  }

  private readonly onWindowResize = (): void => {
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

  private update(snapshot: ViewerSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener(snapshot);
  }
}
