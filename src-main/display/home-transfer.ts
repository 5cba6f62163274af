// A desktop's home out as a .tar.gz, or one in, over a WebSocket on the display tunnel's
// loopback listener (path /home): the contract (Electron IPC, the headless host's socket) only
// issues the single-use ticket, so neither carries megabytes. Nothing is held here beyond one
// piece: an export is read from the desktop only as fast as the socket takes it, an import
// piece is acknowledged only once the desktop took it. The protocol: HomeTransferTicket.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { HOME_CHUNK_BYTES } from '../../src-shared/contract';
import { DaasError, toErrorInfo } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import { refuseUpgrade } from '../http-guards';
import { FileTransferError } from './files/desktop-files';
import { FileGrants } from './files/file-grants';
import type { HomeArchive } from './files/home-archive';

export const HOME_TRANSFER_PATH = '/home';

export interface HomeTransferGrant {
  instanceId: string;
  /** The instance's name, for messages. */
  name: string;
  direction: 'export' | 'import';
  archive: HomeArchive;
  folder: string;
  /** Policy maxTransferSizeMiB, in bytes (of the archive). */
  maxBytes: number;
}

/** Import pieces a window may send ahead of their acks; more is not our renderer speaking. */
const MAX_PENDING = 2;
/** An import whose window sends nothing for this long is ended (its tar would wait forever). */
const IMPORT_IDLE_MS = 60_000;

export class HomeTransfers {
  private readonly grants: FileGrants<HomeTransferGrant>;
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: HOME_CHUNK_BYTES + 1024 });

  constructor(ttlMs: number) {
    this.grants = new FileGrants<HomeTransferGrant>(ttlMs);
  }

  /** An id for one connection of `grant`. */
  issue(grant: HomeTransferGrant): string {
    return this.grants.issue(grant);
  }

  /** The tunnel's upgrade for HOME_TRANSFER_PATH: a known ticket gets its transfer, anything else a 403. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, params: URLSearchParams): void => {
    const id = params.get('ticket');
    const grant = id && params.size === 1 ? this.grants.take(id) : undefined;
    if (!grant) return refuseUpgrade(socket, 403, 'Forbidden');
    this.server.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      const run = grant.direction === 'export' ? sendExport(ws, grant) : receiveImport(ws, grant);
      run.catch((err: unknown) => fail(ws, grant, err));
    });
  };

  close(): void {
    for (const ws of this.server.clients) ws.terminate();
    this.server.close();
  }
}

function sendJson(ws: WebSocket, message: unknown): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

/** Resolves once `data` is handed to the socket: the next piece waits for the peer to take this one. */
function sendPiece(ws: WebSocket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => ws.send(data, { binary: true }, (err) => (err ? reject(err) : resolve())));
}

function tooLarge(grant: HomeTransferGrant): DaasError {
  const detail = errorText('error.files.tooLarge', { name: `${grant.name}.tar.gz`, maxMiB: Math.round(grant.maxBytes / 1024 / 1024) }).text;
  return homeFailed(grant, detail);
}

function homeFailed(grant: HomeTransferGrant, detail: string): DaasError {
  const doing = grant.direction === 'export' ? 'op.home.exported' : 'op.home.imported';
  return new DaasError('PROVIDER_FAILED', errorText('error.home.failed', { name: grant.name, doing, detail }), errorText('fix.home.checkArchive'));
}

function fail(ws: WebSocket, grant: HomeTransferGrant, err: unknown): void {
  const error = err instanceof DaasError ? err : homeFailed(grant, err instanceof FileTransferError || err instanceof Error ? err.message : String(err));
  sendJson(ws, { error: toErrorInfo(error) });
  ws.close(1000);
}

async function sendExport(ws: WebSocket, grant: HomeTransferGrant): Promise<void> {
  const download = await grant.archive.export(grant.instanceId, grant.folder);
  ws.once('close', () => download.close());
  let bytes = 0;
  try {
    for (let piece = await download.read(); piece; piece = await download.read()) {
      if (ws.readyState !== WebSocket.OPEN) return;
      bytes += piece.length;
      if (bytes > grant.maxBytes) throw tooLarge(grant);
      await sendPiece(ws, piece);
    }
  } finally {
    download.close();
  }
  sendJson(ws, { done: true, bytes });
  ws.close(1000);
}

function receiveImport(ws: WebSocket, grant: HomeTransferGrant): Promise<void> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let pending = 0;
    let settled = false;
    let queue = Promise.resolve();
    const opened = grant.archive.import(grant.instanceId, grant.folder);
    opened.catch(() => undefined);
    const idle = setTimeout(() => stop(homeFailed(grant, 'the window stopped sending')), IMPORT_IDLE_MS);
    const stop = (err: unknown) => {
      clearTimeout(idle);
      if (settled) return;
      settled = true;
      void opened.then((target) => target.abort(), () => undefined);
      reject(err);
    };
    ws.once('close', () => stop(new Error('the window closed the transfer')));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (settled) return;
      idle.refresh();
      if (++pending > MAX_PENDING) return stop(homeFailed(grant, 'the window sent more than the desktop took'));
      const piece = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      queue = queue.then(async () => {
        if (settled) return;
        const target = await opened;
        if (isBinary) {
          bytes += piece.length;
          if (bytes > grant.maxBytes) throw tooLarge(grant);
          await target.write(piece);
          pending--;
          sendJson(ws, { ack: bytes });
        } else if (piece.toString('utf8') === 'end') {
          await target.finish();
          clearTimeout(idle);
          settled = true;
          sendJson(ws, { done: true, bytes });
          ws.close(1000);
          resolve();
        } else {
          throw homeFailed(grant, 'the window sent an unknown message');
        }
      });
      queue.catch(stop);
    });
  });
}
