// A container desktop's home as a .tar.gz (display/files/home-archive.ts), with Docker's exec
// API: `tar -cz` in the container packs the folder and its output is read only as fast as the
// caller passes it on; `tar -xz` unpacks what the caller writes into its stdin. Both run as the
// desktop's user, so an import's files are that user's and an export holds what that user reads.
import { once } from 'node:events';
import type Docker from 'dockerode';
import { FileTransferError, type DesktopDownload } from '../../display/files/desktop-files';
import type { HomeArchive, HomeImport } from '../../display/files/home-archive';
import { classify, desktopUser, ExecReader, exitCodeOf, HOME_DIR, openExec, startExec, type RunningExec } from './docker-files';

/** $1: the folder. Unreadable files are left out (a warning), not a failure of the whole export. */
const EXPORT_SCRIPT = `${HOME_DIR}
cd -- "$dir" || exit 1
exec tar -czf - --ignore-failed-read --warning=no-file-changed --warning=no-file-removed .`;

/**
 * $1: the folder (created if missing). GNU tar refuses members with ".." and strips leading "/";
 * existing folders keep their own owner and mode (--no-overwrite-dir).
 */
const IMPORT_SCRIPT = `${HOME_DIR}
mkdir -p -- "$dir" && cd -- "$dir" || exit 1
exec tar -xzf - --no-same-owner --no-overwrite-dir`;

export class DockerHomeArchive implements HomeArchive {
  constructor(private readonly containerOf: (instanceId: string) => Promise<Docker.Container>) {}

  async export(instanceId: string, folder: string): Promise<DesktopDownload> {
    const container = await this.find(instanceId);
    const { exec, stream } = await openExec(container, await desktopUser(container), ['sh', '-c', EXPORT_SCRIPT, 'sh', folder], false);
    const reader = new ExecReader(stream);
    return {
      kind: 'archive',
      size: null,
      read: async () => {
        const piece = await reader.read();
        if (piece) return piece;
        // tar exits 1 when a file changed while it was read: the archive is still whole.
        if (![0, 1].includes(await exitCodeOf(exec))) throw classify(reader.stderr);
        return null;
      },
      close: () => stream.destroy(),
    };
  }

  async import(instanceId: string, folder: string): Promise<HomeImport> {
    const container = await this.find(instanceId);
    const untar = await startExec(container, await desktopUser(container), ['sh', '-c', IMPORT_SCRIPT, 'sh', folder], true);
    return new DockerHomeImport(untar);
  }

  private async find(instanceId: string): Promise<Docker.Container> {
    try {
      return await this.containerOf(instanceId);
    } catch (err) {
      throw new FileTransferError('gone', (err as Error).message);
    }
  }
}

class DockerHomeImport implements HomeImport {
  constructor(private readonly untar: RunningExec) {}

  async write(data: Buffer): Promise<void> {
    if (this.untar.ended) throw await this.untar.failure();
    if (this.untar.stream.write(data)) return;
    // The socket's buffer is full: take more only once Docker took it (or tar ended).
    await Promise.race([once(this.untar.stream, 'drain'), this.untar.done]);
    if (this.untar.ended) throw await this.untar.failure();
  }

  async finish(): Promise<void> {
    this.untar.stream.end();
    if ((await this.untar.exitCode()) !== 0) throw await this.untar.failure();
  }

  async abort(): Promise<void> {
    this.untar.stream.destroy();
  }
}
