// One catalogue window and at most one viewer window per instance. Electron-free, so
// its rules are tested under plain Node.

export interface WindowHandle {
  focus(): void;
  isDestroyed(): boolean;
  onClosed(listener: () => void): void;
  send(channel: string, ...args: unknown[]): void;
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
}
