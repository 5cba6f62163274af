// Files from the remote desktop to this computer: folder listings and downloads through the
// gateway's `filesystem` objects, and files the desktop offers from its outbox. Each blob is
// acknowledged as it arrives (the gateway sends a window ahead of the acks); the bytes are
// gathered into Blobs, which the browser may keep on disk, and saved with the browser's (or
// the app's) download. The list is an external store for React. Where the gateway's `body` offers
// a transfer lane (the app's embedded gateway), the bytes come there as binary WebSocket messages
// instead of base64 blobs: done when the gateway closes it normally, a text message says why not.
import Guacamole from 'guacamole-common-js';
import { ARCHIVE_PREFIX, fileDetails, laneOf, STREAM_INDEX_MIMETYPE, TRANSFER_ERROR_MIMETYPE } from '../../src-shared/file-transfer';
import { t } from '../i18n/i18n';

/** A folder of the desktop the gateway lets the viewer read (its name is the folder, e.g. "~/Desktop"). */
export interface RemoteFolder {
  object: Guacamole.Object;
  name: string;
  /** The address of the transfer lane a token names (on the connection's tunnel listener). */
  laneUrl(token: string): string;
}

export interface RemoteEntry {
  /** The full name within its folder object ("/sub/file.txt"). */
  path: string;
  name: string;
  folder: boolean;
  size: number | null;
  modified: number | null;
}

export type DownloadState = 'offered' | 'receiving' | 'done' | 'failed' | 'cancelled';

export interface Download {
  id: number;
  /** The file name it is saved under. */
  name: string;
  size: number | null;
  received: number;
  bytesPerSecond: number;
  state: DownloadState;
  /** Why it failed. */
  message: string | null;
}

const OK = Guacamole.Status.Code.SUCCESS;
const CLOSED = Guacamole.Status.Code.RESOURCE_CLOSED;
/** Received bytes are gathered into a Blob every so often, so they need not stay in the page's memory. */
const BLOB_PIECE = 8 * 1024 * 1024;
/** Progress is shown at most this often. */
const PROGRESS_MS = 200;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Reads a whole (small) stream as text, acknowledging each blob. */
function readText(stream: Guacamole.InputStream): Promise<string> {
  return new Promise((resolve) => {
    const parts: Uint8Array[] = [];
    stream.onblob = (data) => {
      parts.push(decode(data));
      stream.sendAck('OK', OK);
    };
    stream.onend = () => resolve(new TextDecoder().decode(concat(parts)));
    stream.sendAck('Ready', OK);
  });
}

/** The entries of `path` in `folder`, folders first, then by name. Rejects with the gateway's reason. */
export function listFolder(folder: RemoteFolder, path: string): Promise<RemoteEntry[]> {
  return new Promise((resolve, reject) => {
    folder.object.requestInputStream(path, (stream, mimetype) => {
      void readText(stream).then((text) => {
        if (mimetype !== STREAM_INDEX_MIMETYPE) return reject(new Error(mimetype === TRANSFER_ERROR_MIMETYPE ? text : `not a folder: ${path}`));
        const index = JSON.parse(text) as Record<string, string>;
        const entries = Object.entries(index).map(([full, type]): RemoteEntry => {
          const folderEntry = type === STREAM_INDEX_MIMETYPE;
          return { path: full, name: full.slice(full.lastIndexOf('/') + 1), folder: folderEntry, ...(folderEntry ? { size: null, modified: null } : fileDetails(type)) };
        });
        entries.sort((a, b) => Number(b.folder) - Number(a.folder) || a.name.localeCompare(b.name));
        resolve(entries);
      });
    });
  });
}

/** Hands a finished download to the browser's download (in the app: its download handler, which asks where to save). */
function save(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

export class FileDownloads {
  private downloads: readonly Download[] = [];
  private readonly listeners = new Set<() => void>();
  /** Per download: how to accept (offers), cancel, and fail it from a gateway error ack. */
  private readonly streams = new Map<number, { stream: Guacamole.InputStream | null; accept?: () => void; lane?: WebSocket }>();
  private nextId = 1;

  constructor(private readonly saveFile: (blob: Blob, name: string) => void = save) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): readonly Download[] => this.downloads;

  /** Downloads a file, or (a folder) its tar archive. */
  fetch(folder: RemoteFolder, entry: RemoteEntry): void {
    const name = entry.folder ? `${entry.name || 'folder'}.tar` : entry.name;
    const id = this.add({ name, size: entry.size, state: 'receiving' });
    this.streams.set(id, { stream: null });
    folder.object.requestInputStream(entry.folder ? ARCHIVE_PREFIX + entry.path : entry.path, (stream, mimetype) => {
      if (!this.streams.has(id)) return stream.sendAck('Cancelled', CLOSED);
      if (mimetype === TRANSFER_ERROR_MIMETYPE) {
        this.streams.delete(id);
        void readText(stream).then((reason) => this.update(id, { state: 'failed', message: reason }));
        return;
      }
      const size = fileDetails(mimetype).size ?? entry.size;
      const token = laneOf(mimetype);
      this.streams.set(id, { stream });
      if (token !== null) return this.receiveLane(id, stream, size, folder.laneUrl(token));
      this.receive(id, stream, size);
      stream.sendAck('Ready', OK);
    });
  }

  /** A file the desktop offers (its outbox): shown until the user saves or dismisses it. */
  offer(stream: Guacamole.InputStream, mimetype: string, name: string): void {
    const { size } = fileDetails(mimetype);
    const id = this.add({ name, size, state: 'offered' });
    this.streams.set(id, {
      stream,
      accept: () => {
        this.update(id, { state: 'receiving' });
        this.receive(id, stream, size);
        stream.sendAck('OK', OK);
      },
    });
  }

  accept(id: number): void {
    this.streams.get(id)?.accept?.();
  }

  cancel(id: number): void {
    const s = this.streams.get(id);
    if (!s) return;
    this.streams.delete(id);
    s.lane?.close();
    s.stream?.sendAck('Cancelled', CLOSED);
    this.update(id, { state: 'cancelled' });
  }

  /** The gateway's error ack for stream `index` (a download that failed half-way). True if it was ours. */
  failStream(index: number, message: string): boolean {
    for (const [id, s] of this.streams) {
      if (s.stream?.index !== index) continue;
      this.streams.delete(id);
      this.update(id, { state: 'failed', message });
      return true;
    }
    return false;
  }

  /** The connection ended: what was on its way will not come. */
  failActive(message: string): void {
    for (const [id, s] of this.streams) {
      s.lane?.close();
      this.update(id, { state: 'failed', message });
    }
    this.streams.clear();
  }

  dismiss(id: number): void {
    const s = this.streams.get(id);
    if (s?.accept) this.cancel(id); // a declined offer: the gateway stops it
    if (this.streams.has(id)) return;
    this.downloads = this.downloads.filter((d) => d.id !== id);
    this.emit();
  }

  /**
   * Receives on the lane; if it cannot be opened, the Guacamole way (the gateway then sends
   * blobs). Guacamole's `end` for the stream is not waited for: the lane's close says the bytes are all here.
   */
  private receiveLane(id: number, stream: Guacamole.InputStream, size: number | null, url: string): void {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const sink = this.sink(id, size);
    let opened = false;
    let failure: string | null = null;
    ws.onopen = () => {
      opened = true;
      const s = this.streams.get(id);
      if (!s) return ws.close();
      s.lane = ws;
    };
    ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === 'string') failure = event.data;
      else if (this.streams.has(id)) sink.add(new Uint8Array(event.data));
    };
    ws.onclose = (event) => {
      if (!opened) {
        if (!this.streams.has(id)) return;
        this.receive(id, stream, size);
        return stream.sendAck('Ready', OK);
      }
      if (!this.streams.has(id)) return;
      this.streams.delete(id);
      if (failure === null && event.code === 1000) sink.done();
      else this.update(id, { state: 'failed', message: failure ?? t('viewer.uploadConnectionLost') });
    };
  }

  private receive(id: number, stream: Guacamole.InputStream, size: number | null): void {
    const sink = this.sink(id, size);
    stream.onblob = (data) => {
      if (!this.streams.has(id)) return;
      sink.add(decode(data));
      stream.sendAck('OK', OK);
    };
    stream.onend = () => {
      if (!this.streams.has(id)) return;
      this.streams.delete(id);
      sink.done();
    };
  }

  /** Gathers a download's bytes into Blobs with its progress shown; `done` saves it. */
  private sink(id: number, size: number | null): { add(bytes: Uint8Array<ArrayBuffer>): void; done(): void } {
    const pieces: Blob[] = [];
    let parts: Uint8Array<ArrayBuffer>[] = [];
    let held = 0;
    let received = 0;
    const startedAt = performance.now();
    let shownAt = 0;
    const add = (bytes: Uint8Array<ArrayBuffer>) => {
      parts.push(bytes);
      held += bytes.length;
      received += bytes.length;
      if (held >= BLOB_PIECE) {
        pieces.push(new Blob(parts));
        parts = [];
        held = 0;
      }
      const now = performance.now();
      if (now - shownAt >= PROGRESS_MS) {
        shownAt = now;
        const seconds = (now - startedAt) / 1000;
        this.update(id, { received, size, bytesPerSecond: seconds > 0 ? Math.round(received / seconds) : 0 });
      }
    };
    const done = () => {
      pieces.push(new Blob(parts));
      this.update(id, { received, state: 'done' });
      this.saveFile(new Blob(pieces), this.downloads.find((d) => d.id === id)!.name);
    };
    return { add, done };
  }

  private add(d: Pick<Download, 'name' | 'size' | 'state'>): number {
    const id = this.nextId++;
    this.downloads = [...this.downloads, { id, received: 0, bytesPerSecond: 0, message: null, ...d }];
    this.emit();
    return id;
  }

  private update(id: number, patch: Partial<Download>): void {
    this.downloads = this.downloads.map((d) => (d.id === id ? { ...d, ...patch } : d));
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
