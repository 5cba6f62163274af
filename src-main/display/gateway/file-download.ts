// Files out of an instance's desktop, as guacd offers them: the transfer folder and the outbox
// are Guacamole `filesystem` objects (0 and 1) a viewer reads with `get,<object>,<name>`. The
// answer is a `body` stream: a folder's listing (Guacamole's stream-index JSON, each file's
// size and modification time as mimetype parameters), a file's bytes, or (name "tar:/path") a
// folder as a tar archive. New files in the outbox are offered with a server `file` stream the
// viewer accepts (ack OK) or declines (an error ack). Blobs go out a window ahead of the
// viewer's acks, so the bytes held here stay bounded whatever the file's size.
import { errorText } from '../../../src-shared/error-texts';
import { WebSocket } from 'ws';
import { ARCHIVE_PREFIX, fileMimetype, STREAM_INDEX_MIMETYPE, TRANSFER_ERROR_MIMETYPE, withLane } from '../../../src-shared/file-transfer';
import {
  FileTransferError,
  isUsableFileName,
  OUTBOX_FOLDER,
  type DesktopDownload,
  type DesktopEntry,
  type FolderWatch,
} from '../files/desktop-files';
import type { FileGrant } from '../files/file-grants';
import { sendOnLane, type LaneIssuer } from '../files/transfer-lanes';
import { encodeInstruction } from '../guacamole/protocol';
import { GuacStatus, GuacStatusError } from './status';

/** Raw bytes per blob: 48 KiB is 64 KiB of base64, within what a viewer's parser takes. */
export const DOWNLOAD_BLOB_BYTES = 48 * 1024;
/** Blobs sent ahead of the viewer's acks (1.5 MiB): enough to keep a loopback link busy on a loaded machine. */
export const DOWNLOAD_WINDOW = 32;
/** Downloads (and listings) a viewer may have running at once. */
const MAX_DOWNLOADS = 8;
/** Outbox offers a viewer may leave unanswered; more wait for the next look. */
const MAX_OFFERS = 8;
/** How often the outbox is looked at. */
const OUTBOX_INTERVAL_MS = 2_000;
/** Server stream indexes for downloads: above the 128 the display writer rotates through. */
const FIRST_STREAM = 128;
const STREAMS = 64;

/** The viewer's connection as the downloads need it. */
export interface DownloadOut {
  send(opcode: string, ...args: (string | number)[]): boolean;
  write(text: string): boolean;
  readonly needsDrain: boolean;
  drained(): Promise<void>;
}

type Source = DesktopDownload | Buffer;

interface Outbound {
  index: number;
  /** The name asked for (or offered), for the messages. */
  name: string;
  /** An outbox offer (counted until it ends). */
  offer: boolean;
  /** Opened at once (a `get`) or on the viewer's first ack (an offer: a declined one reads nothing). */
  open: () => Promise<Source>;
  source: Promise<Source> | null;
  started: boolean;
  outstanding: number;
  pumping: boolean;
  /** Bytes of the current piece not yet sent. */
  rest: Buffer | null;
  bytes: number;
  done: boolean;
  /** A transfer lane offered in the `body` (its token, until the viewer acks "Ready" instead), then the lane. */
  laneToken: string | null;
  lane: WebSocket | null;
}

const ROOTS = (grant: FileGrant) => [grant.folder, OUTBOX_FOLDER];

/** One viewer's downloads. */
export class FileDownloads {
  private readonly streams = new Map<number, Outbound>();
  private nextStream = 0;
  private watch: FolderWatch | null = null;
  /** Outbox files already offered (or there when the viewer came): "name\0size\0mtime". */
  private readonly seen = new Set<string>();
  /** Seen once, offered when unchanged at the next look (a file still being written is not). */
  private readonly candidates = new Set<string>();
  private offers = 0;

  constructor(
    private readonly out: DownloadOut,
    private readonly grant: FileGrant | undefined,
    /** Transfer lanes (the app's tunnel); without them every byte goes in blobs. */
    private readonly lanes?: LaneIssuer,
  ) {}

  /** The viewer is attached: tell it the folders it may read, and watch the outbox. */
  start(): void {
    const grant = this.grant;
    if (!grant?.download) return;
    ROOTS(grant).forEach((folder, object) => this.out.send('filesystem', object, folder));
    let first = true;
    this.watch = grant.files.watch(grant.instanceId, OUTBOX_FOLDER, OUTBOX_INTERVAL_MS, (entries) => {
      this.outboxListed(entries, first);
      first = false;
    });
  }

  /** `get,<object>,<name>`: a listing, a file or a folder's archive in a `body` stream. */
  get(object: string | undefined, name: string | undefined): void {
    const grant = this.grant;
    const index = this.allocate();
    const refuse = (message: string) => this.sendError(object ?? '', index, name ?? '', message);
    if (!grant) return refuse(errorText('error.files.unsupported').text);
    if (!grant.download) return refuse(errorText('error.files.downloadOff').text);
    const root = ROOTS(grant)[Number(object)];
    const asArchive = name?.startsWith(ARCHIVE_PREFIX) ?? false;
    const target = root === undefined || !/^\d$/.test(object ?? '') ? undefined : resolve(root, asArchive ? name!.slice(ARCHIVE_PREFIX.length) : name);
    if (target === undefined) return refuse(errorText('error.files.notFound', { name: (name ?? '').slice(0, 300) }).text);
    if (this.streams.size >= MAX_DOWNLOADS) return refuse(errorText('error.files.tooManyDownloads', { max: MAX_DOWNLOADS }).text);
    const source = grant.files.read(grant.instanceId, target, asArchive).then(
      (read) => {
        if (read.kind === 'folder') {
          this.out.send('body', object!, index, STREAM_INDEX_MIMETYPE, name!);
          return Buffer.from(JSON.stringify(indexOf(name!, read.entries)), 'utf8');
        }
        if (read.size !== null && read.size > grant.maxBytes) {
          read.close();
          throw new GuacStatusError(this.tooLarge(name!), GuacStatus.CLIENT_OVERRUN);
        }
        let mimetype = fileMimetype(read.size, null);
        if (this.lanes) {
          o.laneToken = this.lanes.issue((ws) => this.openLane(o, ws));
          mimetype = withLane(mimetype, o.laneToken);
        }
        this.out.send('body', object!, index, mimetype, name!);
        return read;
      },
      (err: unknown) => {
        throw statusOf(err, name!);
      },
    );
    const o = this.register(index, name!, false, () => source);
    o.source = source;
    source.then(
      () => undefined,
      (err: unknown) => {
        this.streams.delete(index);
        if (!o.done) this.sendError(object!, index, name!, (err as Error).message);
        o.done = true;
      },
    );
  }

  /** An `ack` from the viewer. True when it was for one of ours. */
  ack(stream: string | undefined, status: number): boolean {
    const o = this.streams.get(Number(stream));
    if (!o || String(o.index) !== stream) return false;
    if (status !== GuacStatus.SUCCESS) {
      this.finish(o);
      return true;
    }
    if (o.lane) return true;
    this.revokeLane(o);
    if (!o.started) o.started = true;
    else if (o.outstanding > 0) o.outstanding--;
    void this.pump(o);
    return true;
  }

  /** The viewer left: stop every read and the watch. */
  close(): void {
    this.watch?.close();
    this.watch = null;
    for (const o of [...this.streams.values()]) this.finish(o);
  }

  private outboxListed(entries: DesktopEntry[], first: boolean): void {
    const files = entries.filter((e) => e.kind === 'file');
    const keys = new Set(files.map(keyOf));
    for (const key of this.candidates) if (!keys.has(key)) this.candidates.delete(key);
    for (const file of files) {
      const key = keyOf(file);
      if (first) this.seen.add(key);
      if (this.seen.has(key)) continue;
      if (!this.candidates.has(key)) {
        this.candidates.add(key);
        continue;
      }
      if (this.offers >= MAX_OFFERS || this.streams.size >= MAX_DOWNLOADS) return;
      this.candidates.delete(key);
      this.seen.add(key);
      this.offer(file);
    }
  }

  /** `file,<stream>,<mimetype>,<name>`: the viewer says whether it wants the file (its first ack). */
  private offer(file: DesktopEntry): void {
    const grant = this.grant!;
    if (file.size > grant.maxBytes) return;
    const index = this.allocate();
    this.register(index, file.name, true, async () => {
      const read = await grant.files.read(grant.instanceId, `${OUTBOX_FOLDER}/${file.name}`, false);
      if (read.kind === 'folder') throw new FileTransferError('not-found', file.name);
      return read;
    });
    this.offers++;
    this.out.send('file', index, fileMimetype(file.size, file.modified), file.name);
  }

  /** Sends blobs while fewer than the window are unacknowledged; `end` after the last. */
  private async pump(o: Outbound): Promise<void> {
    if (o.pumping || o.done || !o.started) return;
    o.pumping = true;
    try {
      o.source ??= o.open();
      const source = await o.source;
      while (!o.done && o.outstanding < DOWNLOAD_WINDOW) {
        if (!o.rest || o.rest.length === 0) {
          o.rest = Buffer.isBuffer(source) ? (o.bytes === 0 ? source : null) : await source.read();
          if (o.done) return;
          if (!o.rest) {
            this.out.send('end', o.index);
            this.finish(o);
            return;
          }
          o.bytes += o.rest.length;
          if (o.bytes > this.grant!.maxBytes && !Buffer.isBuffer(source)) throw new GuacStatusError(this.tooLarge(o.name), GuacStatus.CLIENT_OVERRUN);
        }
        const blob = o.rest.subarray(0, DOWNLOAD_BLOB_BYTES);
        o.rest = o.rest.subarray(blob.length);
        o.outstanding++;
        if (!this.out.write(encodeInstruction('blob', o.index, blob.toString('base64')))) await this.out.drained();
      }
    } catch (err) {
      if (o.done) return;
      // A failure half-way: the viewer hears it as an error `ack` for the stream (guacd has no
      // word for this; an `end` would make a cut-off file look whole).
      const status = statusOf(err, o.name);
      this.out.send('ack', o.index, status.message, status.status);
      this.finish(o);
    } finally {
      o.pumping = false;
    }
  }

  /** The viewer connected the lane offered in the body instead of acking "Ready": the bytes go there as they are read. */
  private openLane(o: Outbound, ws: WebSocket): void {
    o.laneToken = null;
    if (o.done || o.started) return ws.close(1008);
    o.started = true;
    o.lane = ws;
    // The viewer closed it (cancel, or it went away): stop reading.
    ws.once('close', () => {
      if (o.lane === ws) this.finish(o);
    });
    void this.pumpLane(o, ws);
  }

  /**
   * Pieces as the desktop gives them, as fast as the lane takes them; then `end` on the
   * Guacamole stream and the lane closed normally. A failure half-way is a text message on the
   * lane (the reason) and the error `ack`, as without a lane.
   */
  private async pumpLane(o: Outbound, ws: WebSocket): Promise<void> {
    try {
      const source = await o.source!;
      if (Buffer.isBuffer(source)) throw new Error('a listing has no lane');
      for (let piece = await source.read(); piece && !o.done; piece = await source.read()) {
        o.bytes += piece.length;
        if (o.bytes > this.grant!.maxBytes) throw new GuacStatusError(this.tooLarge(o.name), GuacStatus.CLIENT_OVERRUN);
        await sendOnLane(ws, piece);
      }
      if (o.done) return;
      this.out.send('end', o.index);
      this.finish(o);
    } catch (err) {
      if (o.done) return;
      const status = statusOf(err, o.name);
      if (ws.readyState === WebSocket.OPEN) ws.send(status.message);
      this.out.send('ack', o.index, status.message, status.status);
      this.finish(o);
    }
  }

  private revokeLane(o: Outbound): void {
    if (o.laneToken === null) return;
    this.lanes?.revoke(o.laneToken);
    o.laneToken = null;
  }

  private register(index: number, name: string, offer: boolean, open: () => Promise<Source>): Outbound {
    const o: Outbound = {
      index,
      name,
      offer,
      open,
      source: null,
      started: false,
      outstanding: 0,
      pumping: false,
      rest: null,
      bytes: 0,
      done: false,
      laneToken: null,
      lane: null,
    };
    this.streams.set(index, o);
    return o;
  }

  private finish(o: Outbound): void {
    if (o.done) return;
    o.done = true;
    o.rest = null;
    this.revokeLane(o);
    // After the last piece: the close frame follows the bytes, so the viewer has them all.
    o.lane?.close(1000);
    o.lane = null;
    this.streams.delete(o.index);
    if (o.offer) this.offers--;
    o.source?.then(
      (s) => {
        if (!Buffer.isBuffer(s)) s.close();
      },
      () => undefined,
    );
  }

  /** A free server stream index. */
  private allocate(): number {
    for (let i = 0; i < STREAMS; i++) {
      const index = FIRST_STREAM + ((this.nextStream + i) % STREAMS);
      if (!this.streams.has(index)) {
        this.nextStream = (index - FIRST_STREAM + 1) % STREAMS;
        return index;
      }
    }
    return FIRST_STREAM + this.nextStream;
  }

  /** A `body` that says why, then `end`: the viewer's request is answered, never left hanging. */
  private sendError(object: string, index: number, name: string, message: string): void {
    this.out.send('body', object, index, TRANSFER_ERROR_MIMETYPE, name);
    this.out.send('blob', index, Buffer.from(message, 'utf8').toString('base64'));
    this.out.send('end', index);
  }

  private tooLarge(name: string): string {
    return errorText('error.files.tooLargeDownload', { name, maxMiB: Math.floor(this.grant!.maxBytes / (1024 * 1024)) }).text;
  }
}

/** "/a/b" under root "~/Desktop" -> "~/Desktop/a/b"; undefined for anything but plain names. */
export function resolve(root: string, name: string | undefined): string | undefined {
  if (!name?.startsWith('/')) return undefined;
  const parts = name.split('/').filter((p) => p !== '');
  if (!parts.every(isUsableFileName)) return undefined;
  return parts.length === 0 ? root : `${root}/${parts.join('/')}`;
}

/** The listing of folder `name`: full names -> mimetypes; a file's carries size and mtime. */
function indexOf(name: string, entries: DesktopEntry[]): Record<string, string> {
  const base = name.endsWith('/') ? name : `${name}/`;
  const index: Record<string, string> = {};
  for (const e of entries) {
    if (e.kind === 'other') continue;
    index[base + e.name] = e.kind === 'folder' ? STREAM_INDEX_MIMETYPE : fileMimetype(e.size, e.modified);
  }
  return index;
}

/** "tar:/sub/project" -> "/sub/project": the folder, as the user picked it. */
const folderName = (name: string) => (name.startsWith(ARCHIVE_PREFIX) ? name.slice(ARCHIVE_PREFIX.length) : name);

/** Quoted names, the first few of them: '"a", "b/c" and more'. */
function listed(names: string[], max = 5): string {
  const shown = names.slice(0, max).map((n) => `"${n.slice(0, 200)}"`);
  return names.length > max ? `${shown.join(', ')} …` : shown.join(', ');
}

const keyOf = (e: DesktopEntry) => `${e.name}\0${e.size}\0${e.modified}`;

function statusOf(err: unknown, name: string): GuacStatusError {
  if (err instanceof GuacStatusError) return err;
  if (!(err instanceof FileTransferError)) {
    return new GuacStatusError(errorText('error.files.readFailed', { name, detail: String((err as Error)?.message ?? err) }).text, GuacStatus.SERVER_ERROR);
  }
  if (err.text) return new GuacStatusError(err.text.text, GuacStatus.UNSUPPORTED);
  switch (err.reason) {
    case 'not-found':
      return new GuacStatusError(errorText('error.files.notFound', { name }).text, GuacStatus.RESOURCE_NOT_FOUND);
    case 'read-only':
      return new GuacStatusError(errorText('error.files.notReadable', { name }).text, GuacStatus.CLIENT_FORBIDDEN);
    case 'unreadable':
      return new GuacStatusError(errorText('error.files.unreadableInFolder', { name: folderName(name), files: listed(err.detail.split('\n')) }).text, GuacStatus.CLIENT_FORBIDDEN);
    case 'gone':
      return new GuacStatusError(errorText('error.files.downloadGone', { name }).text, GuacStatus.RESOURCE_NOT_FOUND);
    default:
      return new GuacStatusError(errorText('error.files.readFailed', { name, detail: err.detail }).text, GuacStatus.SERVER_ERROR);
  }
}
