// Files sent into an instance's desktop. The display layer asks for this through the
// interface below; a backend that can reach the desktop's file system supplies it (the
// Docker provider: providers/docker/docker-files.ts), as guacd-runner.ts does for guacd.
import path from 'node:path';

/** Where uploads land unless the app says otherwise: the desktop user's Desktop folder. */
export const DEFAULT_TRANSFER_FOLDER = '~/Desktop';

/** Why a transfer failed, as the desktop's file system said it. */
export type FileTransferFailure = 'no-space' | 'read-only' | 'gone' | 'failed';

export class FileTransferError extends Error {
  override readonly name = 'FileTransferError';
  constructor(
    readonly reason: FileTransferFailure,
    /** The desktop's own words (an error line of the command that failed). */
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** One file being written into a desktop, under a temporary name until `finish`. */
export interface DesktopUpload {
  /** Resolves once the bytes are handed on, so the caller may take the next ones. */
  write(data: Buffer): Promise<void>;
  /** Gives the file its final name (the one asked for, or "name (1).ext" on a clash) and resolves with it. */
  finish(): Promise<string>;
  /** Drops the file; nothing is left under any name. Never rejects. */
  abort(): Promise<void>;
}

export interface DesktopFiles {
  /**
   * Starts writing `name` into `folder` (a path in the desktop; `~` is the desktop user's
   * home) of the instance's desktop, as the desktop user. Rejects with FileTransferError.
   */
  upload(instanceId: string, folder: string, name: string): Promise<DesktopUpload>;
}

/** A file name a desktop can take as it is: one path element, no control characters, at most 255 bytes. */
export function isUsableFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) &&
    Buffer.byteLength(name, 'utf8') <= 255
  );
}

/** "report.final.pdf" -> ["report.final", ".pdf"]: a clash becomes "report.final (1).pdf". */
export function splitFileName(name: string): { stem: string; ext: string } {
  const ext = path.posix.extname(name);
  return { stem: name.slice(0, name.length - ext.length), ext };
}
