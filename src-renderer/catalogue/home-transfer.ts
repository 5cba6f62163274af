// "Export home" and "Import home": the archive streams over the single-use WebSocket address
// home.transfer hands out (protocol: HomeTransferTicket). An export arrives as Blob messages,
// which the browser may keep on disk, and is saved with the browser's download (in the app:
// its download handler, which asks where to save); an import is sent as slices of the picked
// File, each after the previous one's ack, so neither side holds the whole archive.
import { HOME_CHUNK_BYTES } from '../../src-shared/contract';
import type { ErrorInfo } from '../../src-shared/errors';

/** A failure the main process reported in the transfer's own words. */
export class HomeTransferFailed extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

type Answer = { ack?: number; done?: boolean; bytes?: number; error?: ErrorInfo };

/** Receives an export; `onBytes` hears the running total. Resolves with the archive. */
export function receiveExport(url: string, onBytes: (bytes: number) => void): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'blob';
    const parts: Blob[] = [];
    let bytes = 0;
    let finished = false;
    ws.onmessage = (event: MessageEvent<Blob | string>) => {
      if (typeof event.data !== 'string') {
        parts.push(event.data);
        bytes += event.data.size;
        onBytes(bytes);
        return;
      }
      const answer = JSON.parse(event.data) as Answer;
      finished = true;
      if (answer.error) reject(new HomeTransferFailed(answer.error));
      else resolve(new Blob(parts, { type: 'application/gzip' }));
    };
    ws.onclose = () => {
      if (!finished) reject(new Error('the transfer was cut off'));
    };
  });
}

/** Sends `file` as an import; `onBytes` hears how much the desktop took. */
export function sendImport(url: string, file: Blob, onBytes: (bytes: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let at = 0;
    let finished = false;
    const next = () => {
      if (at >= file.size) return ws.send('end');
      ws.send(file.slice(at, at + HOME_CHUNK_BYTES));
      at += HOME_CHUNK_BYTES;
    };
    ws.onopen = next;
    ws.onmessage = (event: MessageEvent<string>) => {
      const answer = JSON.parse(event.data) as Answer;
      if (answer.error) {
        finished = true;
        return reject(new HomeTransferFailed(answer.error));
      }
      if (answer.done) {
        finished = true;
        return resolve();
      }
      onBytes(answer.ack ?? 0);
      next();
    };
    ws.onclose = () => {
      if (!finished) reject(new Error('the transfer was cut off'));
    };
  });
}

/** Hands the archive to the browser's download (in the app: its download handler). */
export function saveArchive(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}
