// Files sent from this computer into the remote desktop: one Guacamole `file` stream per file,
// read from disk a blob at a time, with at most a window of blobs sent ahead of the gateway's
// acks (one ack per blob, as guacd gives them), so a large file never sits in memory and the
// link is not idle waiting for each ack. A few run at once (the gateway takes four streams per
// viewer), the rest wait their turn: a dropped folder may hold thousands of files. The list is an
// external store for React. Where the gateway offers a transfer lane (the app's embedded gateway),
// the bytes go there as binary WebSocket messages of 512 KiB instead of base64 blobs; acks,
// `end` and cancel stay on the Guacamole stream.
import Guacamole from 'guacamole-common-js';
import {
  folderUploadMimetype,
  LANE_PIECE_BYTES,
  LANE_WINDOW,
  laneOf,
  UPLOAD_BLOB_BYTES,
  UPLOAD_WINDOW,
} from '../../src-shared/file-transfer';
import { t } from '../i18n/i18n';

/** Uploads sent at once; the gateway refuses a fifth stream of a viewer. */
const MAX_RUNNING = 3;

/** What an upload needs from the connection (see DisplaySession.fileStreams). */
export interface FileStreamPort {
  open(mimetype: string, filename: string): Guacamole.OutputStream;
  end(index: number): void;
  cancel(index: number): void;
  /** The address of the transfer lane a token names (on the tunnel's listener). */
  laneUrl(token: string): string;
}

export type UploadState = 'queued' | 'opening' | 'sending' | 'finishing' | 'done' | 'failed' | 'cancelled';

export interface Upload {
  id: number;
  /** The file's name, or its path in a dropped folder ("project/src/main.c"). */
  name: string;
  size: number;
  sent: number;
  bytesPerSecond: number;
  state: UploadState;
  /** The name the file got in the desktop (done), or the gateway's reason (failed). */
  message: string | null;
}

const ACTIVE: ReadonlySet<UploadState> = new Set(['queued', 'opening', 'sending', 'finishing']);

export function isActive(upload: Upload): boolean {
  return ACTIVE.has(upload.state);
}

export class FileUploads {
  private uploads: readonly Upload[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly cancels = new Map<number, () => void>();
  /** Uploads waiting for their turn, in order. */
  private waiting: { id: number; run: () => void }[] = [];
  private running = 0;
  private nextId = 1;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): readonly Upload[] => this.uploads;

  /**
   * Queues a file; `path` is its name, or its path in a dropped folder, whose files share `drop`
   * (the gateway makes the folder once per drop, "name (1)" on a clash).
   */
  start(port: FileStreamPort, file: File, path = file.name, drop: string | null = null): void {
    const id = this.nextId++;
    this.uploads = [...this.uploads, { id, name: path, size: file.size, sent: 0, bytesPerSecond: 0, state: 'queued', message: null }];
    this.waiting.push({ id, run: () => this.send(id, port, file, path, drop) });
    this.cancels.set(id, () => {
      this.waiting = this.waiting.filter((w) => w.id !== id);
      this.cancels.delete(id);
      this.update(id, { state: 'cancelled' });
    });
    this.emit();
    this.runNext();
  }

  private runNext(): void {
    while (this.running < MAX_RUNNING && this.waiting.length > 0) {
      this.running++;
      this.waiting.shift()!.run();
    }
  }

  private send(id: number, port: FileStreamPort, file: File, path: string, drop: string | null): void {
    this.update(id, { state: 'opening' });
    // The size announced lets the gateway refuse too large a file at once, and take a faster way into the desktop.
    const type = `${file.type || 'application/octet-stream'}; size=${file.size}`;
    const stream = port.open(drop === null ? type : folderUploadMimetype(type, drop), path);
    const writer = new Guacamole.ArrayBufferWriter(stream);
    writer.blobLength = UPLOAD_BLOB_BYTES;
    /** The transfer lane once open; the bytes then go there in larger pieces. */
    let lane: WebSocket | null = null;
    let piece = UPLOAD_BLOB_BYTES;
    let window = UPLOAD_WINDOW;
    /** Bytes read and sent; bytes acknowledged; blobs sent and not yet acknowledged (their sizes). */
    let offset = 0;
    let acked = 0;
    const outstanding: number[] = [];
    let reading = false;
    let startedAt = 0;
    let state: UploadState = 'opening';
    const set = (patch: Partial<Upload>) => {
      const wasActive = ACTIVE.has(state);
      if (patch.state) state = patch.state;
      this.update(id, patch);
      if (wasActive && !ACTIVE.has(state)) {
        lane?.close();
        lane = null;
        this.cancels.delete(id);
        this.running = Math.max(0, this.running - 1); // 0 already after failActive
        this.runNext();
      }
    };
    /** Reads and sends the next blobs while the window has room (one read at a time, in order). */
    const fill = () => {
      if (reading || state !== 'sending' || offset >= file.size || outstanding.length >= window) return;
      reading = true;
      const chunk = file.slice(offset, offset + piece);
      chunk.arrayBuffer().then(
        (data) => {
          reading = false;
          if (state !== 'sending') return;
          offset += data.byteLength;
          outstanding.push(data.byteLength);
          if (lane) lane.send(data);
          else writer.sendData(data);
          fill();
        },
        (err: unknown) => {
          // The file changed or vanished on this computer: stop the stream like a cancel does.
          port.cancel(stream.index);
          set({ state: 'failed', message: err instanceof Error ? err.message : String(err) });
        },
      );
    };
    writer.onack = (status) => {
      if (!ACTIVE.has(state)) return;
      if (status.isError()) {
        set({ state: 'failed', message: status.message });
        return;
      }
      if (state === 'finishing') {
        set({ state: 'done', message: status.message });
        return;
      }
      if (state === 'opening') {
        // "STREAM BEGIN": the file is open in the desktop; the bytes take the lane if one is offered.
        const token = laneOf(status.message ?? '');
        if (token !== null) return openLane(token);
        startedAt = performance.now();
        set({ state: 'sending' });
      } else {
        acked += outstanding.shift() ?? 0;
        const seconds = (performance.now() - startedAt) / 1000;
        set({ sent: acked, bytesPerSecond: seconds > 0 ? Math.round(acked / seconds) : 0 });
      }
      if (acked < file.size) {
        fill();
      } else {
        set({ state: 'finishing' });
        port.end(stream.index);
      }
    };
    /** Sends on the lane once it is open; blobs if it cannot be opened (the gateway takes either, not both). */
    const openLane = (token: string) => {
      const ws = new WebSocket(port.laneUrl(token));
      ws.binaryType = 'arraybuffer';
      let opened = false;
      const begin = () => {
        startedAt = performance.now();
        set({ state: 'sending' });
        fill();
      };
      ws.onopen = () => {
        opened = true;
        if (state !== 'opening') return ws.close();
        lane = ws;
        piece = LANE_PIECE_BYTES;
        window = LANE_WINDOW;
        begin();
      };
      ws.onclose = () => {
        if (!opened) {
          if (state === 'opening') begin();
          return;
        }
        // Closed by the gateway before the file was whole: the stream is cancelled there too.
        if (lane === ws && (state === 'sending' || state === 'opening')) {
          lane = null;
          port.cancel(stream.index);
          set({ state: 'failed', message: t('viewer.uploadConnectionLost') });
        }
      };
    };
    this.cancels.set(id, () => {
      port.cancel(stream.index);
      set({ state: 'cancelled' });
    });
  }

  cancel(id: number): void {
    this.cancels.get(id)?.();
  }

  /** The connection ended: no acknowledgement will come for what was still on its way. */
  failActive(message: string): void {
    this.waiting = [];
    this.running = 0;
    this.cancels.clear();
    for (const upload of this.uploads) {
      if (isActive(upload)) this.update(upload.id, { state: 'failed', message });
    }
  }

  dismiss(id: number): void {
    this.uploads = this.uploads.filter((u) => u.id !== id || isActive(u));
    this.emit();
  }

  private update(id: number, patch: Partial<Upload>): void {
    this.uploads = this.uploads.map((u) => (u.id === id ? { ...u, ...patch } : u));
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
