// A desktop's home folder as one .tar.gz archive, out ("Export home") and in ("Import home").
// The display layer's home transfers ask for this; a backend that reaches the desktop's file
// system supplies it (the Docker provider: providers/docker/docker-home-archive.ts).
import type { DesktopDownload } from './desktop-files';

/** An archive being unpacked into a desktop folder as it arrives. */
export interface HomeImport {
  /** Resolves once the bytes are handed on, so the caller may take the next ones. Rejects with FileTransferError. */
  write(data: Buffer): Promise<void>;
  /** The archive is complete: resolves once it is unpacked. Rejects with FileTransferError. */
  finish(): Promise<void>;
  /** Stops unpacking (what was unpacked stays). Never rejects. */
  abort(): Promise<void>;
}

export interface HomeArchive {
  /** Packs `folder` (`~` is the desktop user's home) as a gzip-compressed tar, read piece by piece. */
  export(instanceId: string, folder: string): Promise<DesktopDownload>;
  /** Unpacks a gzip-compressed tar into `folder` as the desktop user: files it holds replace those of the same name, others stay. */
  import(instanceId: string, folder: string): Promise<HomeImport>;
}
