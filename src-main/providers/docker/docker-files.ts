// Files into and out of a container's desktop (display/files/desktop-files.ts), with Docker's
// exec API: `cat` in the container reads the upload from the exec's stdin into a hidden
// temporary file in the transfer folder, so nothing is held here beyond the socket's buffer; a
// second exec links it under its final name without overwriting anything ("name (1).ext" on a
// clash). An upload whose size is announced goes faster through Docker's archive endpoint (a
// one-file tar streamed onto that temporary file: about twice what exec's stdin carries, as
// `docker cp` does), except into a tmpfs, which Docker's archive endpoint does not see. Downloads are `cat` (a file) or `tar` (a folder) whose output is read only as fast as
// the viewer takes it. Everything runs as the user of the container's first process (the
// desktop's user, also when a root start script dropped to it), so the files are that user's.
import { once } from 'node:events';
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import {
  FileTransferError,
  MAX_LISTED,
  splitFileName,
  type DesktopRead,
  type DesktopEntry,
  type DesktopFiles,
  type DesktopUpload,
  type FolderWatch,
} from '../../display/files/desktop-files';

/** Sets $dir to $1 with "~" made the desktop user's home. */
export const HOME_DIR = `home=$(getent passwd "$(id -u)" | cut -d: -f6) || true
home=\${home:-$HOME}
dir=$1
case $dir in "~") dir=$home ;; "~/"*) dir=$home/\${dir#"~/"} ;; esac`;

/**
 * $1: the folder ("~" is the user's home), $2: "archive" if the bytes may come through Docker's
 * archive endpoint. Makes the temporary file (as the desktop user: a folder it may not write to
 * fails here) and prints "archive <path>" (then ends: the archive fills it) or "stream <path>"
 * (then copies stdin into it). Docker writes an archive into the container's own file system,
 * under a tmpfs mounted there, where nobody would see it: a tmpfs takes the stream.
 */
const OPEN_SCRIPT = `set -e
${HOME_DIR}
mkdir -p -- "$dir"
tmp=$(mktemp -- "$dir/.daas-upload.XXXXXXXX")
chmod 644 -- "$tmp"
if [ "$2" = archive ] && [ "$(stat -f -c %T -- "$dir")" != tmpfs ]; then printf 'archive %s\\n' "$tmp"; exit 0; fi
printf 'stream %s\\n' "$tmp"
exec cat > "$tmp"`;

/** $1: the temporary file, $2 and $3: the name's stem and extension. Prints the final name. */
const COMMIT_SCRIPT = `tmp=$1 stem=$2 ext=$3
dir=\${tmp%/*}
final=$stem$ext
n=0
until ln -- "$tmp" "$dir/$final" 2>/dev/null; do
  if [ ! -e "$dir/$final" ] && [ ! -L "$dir/$final" ]; then ln -- "$tmp" "$dir/$final"; exit 1; fi
  n=$((n + 1))
  if [ $n -gt 9999 ]; then echo "too many files named $stem$ext" >&2; exit 1; fi
  final="$stem ($n)$ext"
done
rm -f -- "$tmp"
printf '%s' "$final"`;

/** $1: the parent folder ("~" is the user's home), $2: the name. Makes a new folder; prints the name it got. */
const MKDIR_SCRIPT = `${HOME_DIR}
mkdir -p -- "$dir" || exit 1
final=$2
n=0
until mkdir -- "$dir/$final" 2>/dev/null; do
  if [ ! -e "$dir/$final" ] && [ ! -L "$dir/$final" ]; then mkdir -- "$dir/$final"; exit 1; fi
  n=$((n + 1))
  if [ $n -gt 9999 ]; then echo "too many folders named $2" >&2; exit 1; fi
  final="$2 ($n)"
done
printf '%s' "$final"`;

/** One entry per NUL-ended record: type (find's %Y), size, mtime, name. */
const FIND_ENTRIES = `find . -mindepth 1 -maxdepth 1 -printf '%Y\\t%s\\t%T@\\t%f\\0' | head -z -n ${MAX_LISTED}`;

/** $1: the folder (created if missing), $2: seconds between listings. Each listing ends with an empty record. */
const WATCH_SCRIPT = `${HOME_DIR}
mkdir -p -- "$dir" && cd -- "$dir" || exit 1
while :; do ${FIND_ENTRIES}; printf '\\0'; sleep "$2"; done`;

/** Names (relative to the folder) the desktop user cannot read, at most this many. */
const MAX_UNREADABLE = 10;

/**
 * $1: a file or folder, $2: "archive" to take a folder as a tar archive. Prints a header line
 * ("file <size>", "archive" or "folder"), then the bytes, the archive or the folder's entries.
 * A folder with files tar could not read gives "unreadable" and their names instead: tar would
 * skip them with a warning nobody sees, and the archive would look whole.
 */
const READ_SCRIPT = `${HOME_DIR}
if [ -d "$dir" ]; then
  cd -- "$dir" || exit 1
  [ "$2" = archive ] || { echo folder; ${FIND_ENTRIES}; exit 0; }
  bad=$(find . -mindepth 1 ! -readable -printf '%P\n' 2>/dev/null | head -n ${MAX_UNREADABLE + 1})
  [ -z "$bad" ] || { printf 'unreadable\n%s\n' "$bad"; exit 0; }
  echo archive
  exec tar -cf - -C .. -- "\${dir##*/}"
fi
[ -e "$dir" ] || { echo "$dir: No such file or directory" >&2; exit 1; }
[ -r "$dir" ] || { echo "$dir: Permission denied" >&2; exit 1; }
printf 'file %s\\n' "$(stat -L -c %s -- "$dir")"
exec cat -- "$dir"`;

/** Upload bytes that may wait in the exec's socket buffer for Docker to read them. */
const UPLOAD_QUEUE_BYTES = 1024 * 1024;

/** stderr kept for the error message: the last lines say why. */
const MAX_STDERR = 4096;

export class DockerDesktopFiles implements DesktopFiles {
  constructor(private readonly containerOf: (instanceId: string) => Promise<Docker.Container>) {}

  async upload(instanceId: string, folder: string, name: string, size?: number): Promise<DesktopUpload> {
    const container = await this.find(instanceId);
    const user = await desktopUser(container);
    const viaArchive = size !== undefined && size < MAX_TAR_SIZE;
    const copy = await startExec(container, user, ['sh', '-c', OPEN_SCRIPT, 'sh', folder, viaArchive ? 'archive' : 'stream'], true);
    const line = await copy.firstLine;
    const tmp = line.slice(line.indexOf(' ') + 1);
    if (!line.startsWith('archive ')) return new DockerUpload(container, user, copy, tmp, name);
    if ((await copy.exitCode()) !== 0) throw await copy.failure();
    return new ArchiveUpload(container, user, tmp, name, size!);
  }

  async makeFolder(instanceId: string, parent: string, name: string): Promise<string> {
    const container = await this.find(instanceId);
    const mkdir = await startExec(container, await desktopUser(container), ['sh', '-c', MKDIR_SCRIPT, 'sh', parent, name], false);
    if ((await mkdir.exitCode()) !== 0) throw await mkdir.failure();
    return mkdir.stdout();
  }

  async read(instanceId: string, target: string, asArchive: boolean): Promise<DesktopRead> {
    const container = await this.find(instanceId);
    const user = await desktopUser(container);
    const { exec, stream } = await openExec(container, user, ['sh', '-c', READ_SCRIPT, 'sh', target, asArchive ? 'archive' : 'file'], false);
    const reader = new ExecReader(stream);
    // The header line; what follows it in the same piece is the file's first bytes.
    let head = Buffer.alloc(0);
    let nl = -1;
    while (nl < 0) {
      const piece = await reader.read();
      if (!piece || head.length > 256) {
        stream.destroy();
        throw await failureOf(exec, reader.stderr);
      }
      head = Buffer.concat([head, piece]);
      nl = head.indexOf(0x0a);
    }
    const header = head.subarray(0, nl).toString('utf8');
    let first: Buffer | null = head.subarray(nl + 1);
    if (header === 'folder' || header === 'unreadable') {
      // Bounded by the script (head): at most MAX_LISTED entries, or MAX_UNREADABLE + 1 names.
      const parts = [first];
      for (let piece = await reader.read(); piece; piece = await reader.read()) parts.push(piece);
      const text = Buffer.concat(parts).toString('utf8');
      if (header === 'unreadable') throw new FileTransferError('unreadable', text.trimEnd());
      return { kind: 'folder', entries: parseEntries(text.split('\0')) };
    }
    const size = header.startsWith('file ') ? Number(header.slice(5)) : null;
    // tar exits 1 when a file changed while it was read (the archive is still whole).
    const okCodes = size === null ? [0, 1] : [0];
    return {
      kind: size === null ? 'archive' : 'file',
      size,
      read: async () => {
        if (first) {
          const piece = first;
          first = null;
          if (piece.length > 0) return piece;
        }
        const piece = await reader.read();
        if (piece) return piece;
        const code = await exitCodeOf(exec);
        if (!okCodes.includes(code)) throw classify(reader.stderr);
        return null;
      },
      close: () => stream.destroy(),
    };
  }

  watch(instanceId: string, folder: string, intervalMs: number, onList: (entries: DesktopEntry[]) => void): FolderWatch {
    let closed = false;
    let stream: Duplex | null = null;
    const run = async () => {
      const container = await this.find(instanceId);
      const seconds = String(Math.max(1, Math.round(intervalMs / 1000)));
      const opened = await openExec(container, await desktopUser(container), ['sh', '-c', WATCH_SCRIPT, 'sh', folder, seconds], false);
      stream = opened.stream;
      if (closed) return stream.destroy();
      const reader = new ExecReader(stream);
      let text = '';
      for (let piece = await reader.read(); piece && !closed; piece = await reader.read()) {
        text += piece.toString('utf8');
        // A listing ends with an empty record ("\0\0", or "\0" alone for an empty folder).
        let end = listingEnd(text);
        while (end >= 0) {
          onList(parseEntries(text.slice(0, end).split('\0')));
          text = text.slice(end + 1);
          end = listingEnd(text);
        }
        // head -z bounds a listing; more than that without its end is not our script speaking.
        if (text.length > MAX_LISTED * 1024) break;
      }
    };
    // A container that is gone, or a watch that failed, offers nothing more: no one is told.
    run().catch(() => undefined).finally(() => (stream as Duplex | null)?.destroy());
    return {
      close: () => {
        closed = true;
        (stream as Duplex | null)?.destroy();
      },
    };
  }

  private async find(instanceId: string): Promise<Docker.Container> {
    try {
      return await this.containerOf(instanceId);
    } catch (err) {
      throw new FileTransferError('gone', (err as Error).message);
    }
  }
}

class DockerUpload implements DesktopUpload {
  private settled = false;

  constructor(
    private readonly container: Docker.Container,
    private readonly user: string,
    private readonly copy: RunningExec,
    private readonly tmp: string,
    private readonly name: string,
  ) {}

  async write(data: Buffer): Promise<void> {
    if (this.copy.ended) throw await this.copy.failure();
    this.copy.stream.write(data);
    // A blob is larger than the socket's high-water mark, so write() says "full" after each one;
    // waiting for every drain would make each blob wait for Docker's read of the one before.
    // Take more until UPLOAD_QUEUE_BYTES wait here, then only once Docker took them (or the copy ended).
    if (this.copy.stream.writableLength <= UPLOAD_QUEUE_BYTES) return;
    await Promise.race([once(this.copy.stream, 'drain'), this.copy.done]);
    if (this.copy.ended) throw await this.copy.failure();
  }

  async finish(): Promise<string> {
    this.copy.stream.end();
    const code = await this.copy.exitCode();
    if (code !== 0) throw await this.copy.failure();
    const placed = await placeUpload(this.container, this.user, this.tmp, this.name);
    this.settled = true;
    return placed;
  }

  async abort(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.copy.stream.destroy();
    await removeTemporary(this.container, this.user, this.tmp);
  }
}

/** Gives a finished upload's temporary file its final name (COMMIT_SCRIPT); the name it got. */
async function placeUpload(container: Docker.Container, user: string, tmp: string, name: string): Promise<string> {
  const { stem, ext } = splitFileName(name);
  const commit = await startExec(container, user, ['sh', '-c', COMMIT_SCRIPT, 'sh', tmp, stem, ext], false);
  if ((await commit.exitCode()) !== 0) throw await commit.failure();
  return commit.stdout();
}

/** Removes a cancelled upload's temporary file. */
async function removeTemporary(container: Docker.Container, user: string, tmp: string): Promise<void> {
  try {
    const rm = await startExec(container, user, ['rm', '-f', '--', tmp], false);
    await rm.done;
  } catch {
    // The container is gone, and its files with it.
  }
}

/** A ustar header holds a size of up to 11 octal digits. */
const MAX_TAR_SIZE = 8 ** 11;
const TAR_BLOCK = 512;

/** The ustar header of one regular file, owned by `user` ("uid:gid"), mode 0644. */
export function tarHeader(name: string, size: number, user: string): Buffer {
  const header = Buffer.alloc(TAR_BLOCK);
  const [uid, gid] = user.split(':');
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0') + '\0';
  header.write(name, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100, 'ascii');
  header.write(octal(Number(uid), 8), 108, 'ascii');
  header.write(octal(Number(gid), 8), 116, 'ascii');
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(Math.floor(Date.now() / 1000), 12), 136, 'ascii');
  header.write('0', 156, 'ascii'); // a regular file
  header.write('ustar\0' + '00', 257, 'ascii');
  // The checksum: the header's bytes summed with the checksum field taken as spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148, 'ascii');
  return header;
}

/**
 * An upload of a known size through Docker's archive endpoint: a one-file tar named as the
 * temporary file is streamed onto it (same owner and mode as the stream's), then it is linked
 * under its final name as a stream's is. More or fewer bytes than announced fail the upload.
 */
class ArchiveUpload implements DesktopUpload {
  private readonly body = new PassThrough();
  private readonly put: Promise<void>;
  private written = 0;
  private failed: FileTransferError | null = null;
  private settled = false;

  constructor(
    private readonly container: Docker.Container,
    private readonly user: string,
    private readonly tmp: string,
    private readonly name: string,
    private readonly size: number,
  ) {
    const slash = tmp.lastIndexOf('/');
    this.body.write(tarHeader(tmp.slice(slash + 1), size, user));
    this.put = container.putArchive(this.body, { path: tmp.slice(0, slash) || '/' }).then(
      () => undefined,
      (err: unknown) => {
        this.failed ??= classify((err as { json?: { message?: string } }).json?.message ?? (err as Error).message);
        throw this.failed;
      },
    );
    this.put.catch(() => undefined);
  }

  async write(data: Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    this.written += data.length;
    if (this.written > this.size) throw new FileTransferError('failed', `more than the ${this.size} bytes announced`);
    // As a stream's: take more until UPLOAD_QUEUE_BYTES wait for Docker, then wait for it.
    if (this.body.write(data) || this.body.writableLength <= UPLOAD_QUEUE_BYTES) return;
    await Promise.race([once(this.body, 'drain'), this.put]);
  }

  async finish(): Promise<string> {
    if (this.written !== this.size) throw new FileTransferError('failed', `${this.written} of the ${this.size} bytes announced`);
    // The file's last block filled up, then the two empty blocks that end an archive.
    this.body.end(Buffer.alloc(((TAR_BLOCK - (this.size % TAR_BLOCK)) % TAR_BLOCK) + 2 * TAR_BLOCK));
    await this.put;
    const placed = await placeUpload(this.container, this.user, this.tmp, this.name);
    this.settled = true;
    return placed;
  }

  async abort(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.failed ??= new FileTransferError('failed', 'cancelled');
    this.body.destroy(new Error('cancelled'));
    await this.put.catch(() => undefined);
    await removeTemporary(this.container, this.user, this.tmp);
  }
}

export interface RunningExec {
  stream: Duplex;
  /** The first line of stdout (rejects with the failure if the command ends before printing one). */
  firstLine: Promise<string>;
  /** Resolves when the command's output ends. */
  done: Promise<void>;
  ended: boolean;
  stdout(): string;
  exitCode(): Promise<number>;
  /** Why the command failed, from what it wrote to stderr. */
  failure(): Promise<FileTransferError>;
}

/** Where the empty record that ends a listing is: "\0" at the start, else the second of "\0\0". */
function listingEnd(text: string): number {
  if (text.startsWith('\0')) return 0;
  const at = text.indexOf('\0\0');
  return at < 0 ? -1 : at + 1;
}

/** find's records ("d\t4096\t1700000000.5\tname") as entries; anything malformed is skipped. */
function parseEntries(records: string[]): DesktopEntry[] {
  const entries: DesktopEntry[] = [];
  for (const record of records) {
    const m = /^(.)\t(\d+)\t([\d.]+)\t([^]+)$/.exec(record);
    if (!m) continue;
    const kind = m[1] === 'f' ? 'file' : m[1] === 'd' ? 'folder' : 'other';
    entries.push({ name: m[4]!, kind, size: Number(m[2]), modified: Math.round(Number(m[3]) * 1000) });
  }
  return entries;
}

/**
 * An exec's multiplexed output (8-byte frame headers, stdout and stderr) read only when asked,
 * so a file is read out of the container no faster than it is passed on. Dockerode's
 * demuxStream writes everything it gets without waiting.
 */
export class ExecReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private header = Buffer.alloc(0);
  private type = 0;
  /** Bytes of the current frame still to come. */
  private left = 0;
  stderr = '';

  constructor(stream: Duplex) {
    this.chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** The next stdout bytes, or null once the output ended. */
  async read(): Promise<Buffer | null> {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await this.chunks.next();
      } catch {
        return null; // the connection broke: the exit code says how the command ended
      }
      if (next.done) return null;
      const out = this.take(next.value);
      if (out) return out;
    }
  }

  private take(raw: Buffer): Buffer | null {
    const out: Buffer[] = [];
    let off = 0;
    while (off < raw.length) {
      if (this.left === 0) {
        const need = 8 - this.header.length;
        this.header = Buffer.concat([this.header, raw.subarray(off, off + need)]);
        off += Math.min(need, raw.length - off);
        if (this.header.length < 8) break;
        this.type = this.header[0]!;
        this.left = this.header.readUInt32BE(4);
        this.header = Buffer.alloc(0);
        continue;
      }
      const n = Math.min(this.left, raw.length - off);
      const piece = raw.subarray(off, off + n);
      off += n;
      this.left -= n;
      if (this.type === 1) out.push(piece);
      else if (this.type === 2) this.stderr = (this.stderr + piece.toString('utf8')).slice(-MAX_STDERR);
    }
    if (out.length === 0) return null;
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}

export async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  try {
    return (await exec.inspect()).ExitCode ?? -1;
  } catch {
    return -1;
  }
}

async function failureOf(exec: Docker.Exec, stderr: string): Promise<FileTransferError> {
  await exitCodeOf(exec);
  return classify(stderr);
}

/** "uid:gid" of the container's first process: the user its desktop runs as. */
export async function desktopUser(container: Docker.Container): Promise<string> {
  const stat = await startExec(container, '', ['stat', '-c', '%u:%g', '/proc/1'], false);
  if ((await stat.exitCode()) !== 0) throw await stat.failure();
  const user = stat.stdout().trim();
  if (!/^\d+:\d+$/.test(user)) throw new FileTransferError('failed', `cannot tell the desktop's user (${user.slice(0, 40)})`);
  return user;
}

/** Starts `cmd` in the container as `user` ('': the container's own); its raw output stream. */
export async function openExec(container: Docker.Container, user: string, cmd: string[], stdin: boolean): Promise<{ exec: Docker.Exec; stream: Duplex }> {
  try {
    const exec = await container.exec({ Cmd: cmd, User: user, AttachStdin: stdin, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = (await exec.start({ hijack: true, stdin })) as Duplex;
    // Kept for the stream's life: a second error on a socket with no listener would throw.
    stream.on('error', () => undefined);
    return { exec, stream };
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    throw new FileTransferError(status === 404 || status === 409 ? 'gone' : 'failed', (err as Error).message);
  }
}

/** Runs `cmd` in the container as `user` ('': the container's own). */
export async function startExec(container: Docker.Container, user: string, cmd: string[], stdin: boolean): Promise<RunningExec> {
  const { exec, stream } = await openExec(container, user, cmd, stdin);
  const out: Buffer[] = [];
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => {
    err = (err + c.toString('utf8')).slice(-MAX_STDERR);
  });
  container.modem.demuxStream(stream, stdout, stderr);
  const running: RunningExec = {
    stream,
    ended: false,
    done: new Promise<void>((resolve) => {
      const finish = () => {
        running.ended = true;
        resolve();
      };
      stream.once('end', finish);
      stream.once('close', finish);
      // Kept for the stream's life: a second error on a socket with no listener would throw.
      stream.on('error', finish);
    }),
    firstLine: Promise.resolve(''),
    stdout: () => Buffer.concat(out).toString('utf8'),
    exitCode: async () => {
      await running.done;
      try {
        return (await exec.inspect()).ExitCode ?? -1;
      } catch {
        return -1;
      }
    },
    failure: async () => {
      await running.done;
      return classify(err);
    },
  };
  running.firstLine = new Promise<string>((resolve, reject) => {
    const check = () => {
      const text = running.stdout();
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        stdout.off('data', check);
        resolve(text.slice(0, nl));
      }
    };
    stdout.on('data', check);
    void running.done.then(() => setImmediate(() => running.failure().then(reject)));
  });
  // Rejections nobody waits for (the upload already failed otherwise) are not errors.
  running.firstLine.catch(() => undefined);
  return running;
}

/** The error the command's stderr describes. */
export function classify(stderr: string): FileTransferError {
  const line = stderr.trim().split('\n').pop() ?? '';
  if (/No space left on device|Disk quota exceeded/i.test(stderr)) return new FileTransferError('no-space', line);
  if (/Read-only file system|Permission denied/i.test(stderr)) return new FileTransferError('read-only', line);
  if (/No such file or directory|Not a directory|can't cd/i.test(stderr)) return new FileTransferError('not-found', line);
  return new FileTransferError('failed', line || 'the copy in the container failed');
}
