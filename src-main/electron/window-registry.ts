// One catalogue window and at most one viewer window per instance. Electron-free, so
// its rules are tested under plain Node.
import type { FocusedWindow } from './notification-policy';
import type { WindowKind } from './permissions';

export interface WindowHandle {
  focus(): void;
  isDestroyed(): boolean;
  isFocused(): boolean;
  onClosed(listener: () => void): void;
  send(channel: string, ...args: unknown[]): void;
  /** The id of the web contents shown (to tell which window a request or permission comes from). */
  readonly contentsId: number;
}

export class WindowRegistry {
  private catalogue: WindowHandle | undefined;
  private readonly viewers = new Map<string, WindowHandle>();

  constructor(
    private readonly createCatalogue: () => WindowHandle,
    private readonly createViewer: (instanceId: string) => WindowHandle,
  ) {}

  showCatalogue(): void {
    if (this.catalogue && !this.catalogue.isDestroyed()) return this.catalogue.focus();
    const window = this.createCatalogue();
    this.catalogue = window;
    window.onClosed(() => {
      if (this.catalogue === window) this.catalogue = undefined;
    });
  }

  /** Opens the instance's viewer, or focuses it if it is already open. */
  openViewer(instanceId: string): 'opened' | 'focused' {
    const existing = this.viewers.get(instanceId);
    if (existing && !existing.isDestroyed()) {
      existing.focus();
      return 'focused';
    }
    const window = this.createViewer(instanceId);
    this.viewers.set(instanceId, window);
    window.onClosed(() => {
      if (this.viewers.get(instanceId) === window) this.viewers.delete(instanceId);
    });
    return 'opened';
  }

  openViewerCount(): number {
    return this.viewers.size;
  }

  /** Sends to every live window: events reach the catalogue and each viewer. */
  broadcast(channel: string, ...args: unknown[]): void {
    const all = [this.catalogue, ...this.viewers.values()];
    for (const window of all) if (window && !window.isDestroyed()) window.send(channel, ...args);
  }

  /** Which of our windows has focus, for notifications. */
  focused(): FocusedWindow {
    if (this.catalogue && !this.catalogue.isDestroyed() && this.catalogue.isFocused()) return { kind: 'catalogue' };
    for (const [instanceId, window] of this.viewers) {
      if (!window.isDestroyed() && window.isFocused()) return { kind: 'viewer', instanceId };
    }
    return { kind: 'none' };
  }

  /** What kind of window shows the given web contents: permissions and downloads depend on it. */
  kindOf(contentsId: number | undefined): WindowKind {
    if (contentsId === undefined) return 'unknown';
    if (this.catalogue && !this.catalogue.isDestroyed() && this.catalogue.contentsId === contentsId) return 'catalogue';
    for (const window of this.viewers.values()) if (!window.isDestroyed() && window.contentsId === contentsId) return 'viewer';
    return 'unknown';
  }

  /** The instance whose viewer shows the given web contents. */
  instanceOf(contentsId: number): string | undefined {
    for (const [instanceId, window] of this.viewers) if (!window.isDestroyed() && window.contentsId === contentsId) return instanceId;
    return undefined;
  }
}
