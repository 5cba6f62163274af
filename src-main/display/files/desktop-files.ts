// Files sent into an instance's desktop. The display layer asks for this through the
// interface below; a backend that can reach the desktop's file system supplies it (the
// Docker provider: providers/docker/docker-files.ts), as guacd-runner.ts does for guacd.
import path from 'node:path';
import type { ErrorText } from '../../../src-shared/error-texts';

/** Where uploads land unless the app says otherwise: the desktop user's Desktop folder. */
export const DEFAULT_TRANSFER_FOLDER = '~/Desktop';

/**
 * The folder whose new files offer themselves for download in the viewer: the remote user
 * puts a file there to get it onto this computer (as the mail program's outbox sends mail).
 */
export const OUTBOX_FOLDER = '~/Outbox';

/** Why a transfer failed, as the desktop's file system said it. */
/** 'unreadable': a folder's archive would miss files the desktop user cannot read (detail: their names, one a line). */
export type FileTransferFailure = 'no-space' | 'read-only' | 'not-found' | 'unreadable' | 'gone' | 'failed';

export class FileTransferError extends Error {
  override readonly name = 'FileTransferError';
  constructor(
    readonly reason: FileTransferFailure,
    /** The desktop's own words (an error line of the command that failed). */
    readonly detail: string,
    /**
     * The whole message for the viewer, when the backend knows better than the reason can say
     * (why this desktop cannot take the file at all, and what would make it work).
     */
    readonly text?: ErrorText,
  ) {
    super(text?.text ?? detail);
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

/** One entry of a folder in the desktop. */
export interface DesktopEntry {
  name: string;
  kind: 'file' | 'folder' | 'other';
  /** Bytes (files). */
  size: number;
  /** Last modified, ms since the epoch. */
  modified: number;
}

/** A file (or a folder as a tar archive) read out of a desktop, pulled piece by piece. */
export interface DesktopDownload {
  kind: 'file' | 'archive';
  /** The file's size in bytes; null for a folder's archive (known only at its end). */
  readonly size: number | null;
  /** The next bytes, or null at the end. Rejects with FileTransferError. */
  read(): Promise<Buffer | null>;
  /** Stops reading (the command in the desktop ends). Never throws. */
  close(): void;
}

/** What reading a path gave: its bytes, or (a folder not asked for as an archive) its entries. */
export type DesktopRead = DesktopDownload | { kind: 'folder'; entries: DesktopEntry[] };

/** A folder being watched; `close` ends the watch. */
export interface FolderWatch {
  close(): void;
}

export interface DesktopFiles {
  /**
   * Starts writing `name` into `folder` (a path in the desktop; `~` is the desktop user's
   * home) of the instance's desktop, as the desktop user. `size`, when the client announced it,
   * lets a backend take a faster way; more or fewer bytes then fail the upload. Rejects with
   * FileTransferError.
   */
  upload(instanceId: string, folder: string, name: string, size?: number): Promise<DesktopUpload>;
  /**
   * Makes a new folder `name` in `parent` (created if missing), or "name (1)" and so on when that
   * name is taken, never reusing one; resolves with the name it got. Rejects with FileTransferError.
   */
  makeFolder(instanceId: string, parent: string, name: string): Promise<string>;
  /**
   * Starts reading `target` as the desktop user: a file as it is, a folder as its entries (at
   * most MAX_LISTED), or (`asArchive`) a folder as a tar archive. Rejects with FileTransferError.
   */
  read(instanceId: string, target: string, asArchive: boolean): Promise<DesktopRead>;
  /** Lists `folder` (created if missing) every `intervalMs` while watched; `onList` gets each listing. */
  watch(instanceId: string, folder: string, intervalMs: number, onList: (entries: DesktopEntry[]) => void): FolderWatch;
}

/** Entries one listing carries at most: a folder of a million files must not become one huge message. */
export const MAX_LISTED = 5000;

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
