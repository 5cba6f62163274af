// Remembers where windows were: the catalogue window's size and position, and each
// app's viewer geometry (a desktop of one app tends to want the same size every time).
// Persisted as JSON in the user-data folder; a missing or damaged file means defaults.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Rectangle } from 'electron';
import { z } from 'zod';

export const WINDOW_STATE_FILE = 'window-state.json';
const MAX_VIEWERS = 200;
const MIN_WIDTH = 320;
const MIN_HEIGHT = 200;
/** How much of the window's top strip must be on a screen to count as reachable. */
const GRIP = 48;

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(1).max(100_000);
const savedWindowSchema = z.object({
  x: coordinate.optional(),
  y: coordinate.optional(),
  width: size,
  height: size,
  maximized: z.boolean().optional(),
  fullScreen: z.boolean().optional(),
});
const fileSchema = z.object({
  version: z.literal(1),
  catalogue: savedWindowSchema.optional(),
  viewers: z.record(z.string().max(100), savedWindowSchema).default({}),
});

export type SavedWindow = z.infer<typeof savedWindowSchema>;
type StateFile = z.infer<typeof fileSchema>;

function intersectionArea(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Saved geometry made safe for today's screens: the size fits the largest work area, and
 * the position is kept only if the window's top strip (where it is dragged) is on a screen.
 * Otherwise the position is dropped and the window is centred.
 */
export function fitToDisplays(saved: SavedWindow | undefined, workAreas: readonly Rectangle[], fallback: { width: number; height: number }): SavedWindow {
  const base = saved ?? fallback;
  const maxWidth = Math.max(MIN_WIDTH, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(MIN_HEIGHT, ...workAreas.map((a) => a.height));
  const width = Math.min(Math.max(base.width, MIN_WIDTH), maxWidth);
  const height = Math.min(Math.max(base.height, MIN_HEIGHT), maxHeight);
  const result: SavedWindow = { width, height };
  if (saved?.maximized) result.maximized = true;
  if (saved?.fullScreen) result.fullScreen = true;
  if (saved?.x !== undefined && saved.y !== undefined) {
    const grip: Rectangle = { x: saved.x, y: saved.y, width, height: Math.min(GRIP, height) };
    const visible = workAreas.some((area) => intersectionArea(grip, area) >= Math.min(GRIP * GRIP, grip.width * grip.height) / 2);
    if (visible) Object.assign(result, { x: saved.x, y: saved.y });
  }
  return result;
}

export interface WindowStateStoreOptions {
  /** Delay before a change is written, so a drag is one write rather than hundreds. */
  debounceMs?: number;
}

export class WindowStateStore {
  private state: StateFile = { version: 1, viewers: {} };
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly file: string;
  private readonly debounceMs: number;

  constructor(userDataDir: string, options: WindowStateStoreOptions = {}) {
    this.file = path.join(userDataDir, WINDOW_STATE_FILE);
    this.debounceMs = options.debounceMs ?? 500;
  }

  /** Reads the file; anything wrong with it means starting from defaults. */
  async load(): Promise<void> {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      if (parsed.success) this.state = parsed.data;
    } catch {
      // Missing or damaged: defaults.
    }
  }

  catalogue(): SavedWindow | undefined {
    return this.state.catalogue;
  }

  viewer(appId: string): SavedWindow | undefined {
    return Object.prototype.hasOwnProperty.call(this.state.viewers, appId) ? this.state.viewers[appId] : undefined;
  }

  saveCatalogue(window: SavedWindow): void {
    this.state.catalogue = savedWindowSchema.parse(window);
    this.schedule();
  }

  saveViewer(appId: string, window: SavedWindow): void {
    const viewers = { ...this.state.viewers };
    delete viewers[appId];
    viewers[appId] = savedWindowSchema.parse(window);
    // Most recently used last; forget the oldest beyond the limit.
    const ids = Object.keys(viewers);
    for (const id of ids.slice(0, Math.max(0, ids.length - MAX_VIEWERS))) delete viewers[id];
    this.state.viewers = viewers;
    this.schedule();
  }

  /** Writes pending changes now (at quit). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.write();
    }
    await this.writing;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, this.debounceMs);
    this.timer.unref?.();
  }

  private write(): void {
    const text = JSON.stringify(this.state, null, 2) + '\n';
    // Write a temporary file and rename it over the old one: a crash never leaves half a file.
    this.writing = this.writing.then(async () => {
      const temp = `${this.file}.${process.pid}.tmp`;
      try {
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        await fs.writeFile(temp, text);
        await fs.rename(temp, this.file);
      } catch (err) {
        console.warn(`window positions not saved: ${(err as Error).message}`);
      }
    });
  }
}

/** Rounds a window's bounds into what is saved. */
export function toSavedWindow(bounds: Rectangle, flags: { maximized: boolean; fullScreen: boolean }): SavedWindow {
  const saved: SavedWindow = {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.max(1, Math.round(bounds.width)),
    height: Math.max(1, Math.round(bounds.height)),
  };
  if (flags.maximized) saved.maximized = true;
  if (flags.fullScreen) saved.fullScreen = true;
  return saved;
}
