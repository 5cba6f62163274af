// Files into a container's desktop (display/files/desktop-files.ts), with Docker's exec API:
// `cat` in the container reads the upload from the exec's stdin into a hidden temporary file
// in the transfer folder, so nothing is held here beyond the socket's buffer; a second exec
// links it under its final name without overwriting anything ("name (1).ext" on a clash).
// Both run as the user of the container's first process (the desktop's user, also when a
// root start script dropped to it), so the file is that user's.
import { once } from 'node:events';
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { FileTransferError, splitFileName, type DesktopFiles, type DesktopUpload } from '../../display/files/desktop-files';

/** $1: the folder ("~" is the user's home). Prints the temporary file's path, then copies stdin into it. */
const OPEN_SCRIPT = `set -e
home=$(getent passwd "$(id -u)" | cut -d: -f6) || true
home=\${home:-$HOME}
dir=$1
case $dir in "~") dir=$home ;; "~/"*) dir=$home/\${dir#"~/"} ;; esac
mkdir -p -- "$dir"
tmp=$(mktemp -- "$dir/.daas-upload.XXXXXXXX")
chmod 644 -- "$tmp"
printf '%s\\n' "$tmp"
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

/** stderr kept for the error message: the last lines say why. */
const MAX_STDERR = 4096;

export class DockerDesktopFiles implements DesktopFiles {
  constructor(private readonly containerOf: (instanceId: string) => Promise<Docker.Container>) {}

  async upload(instanceId: string, folder: string, name: string): Promise<DesktopUpload> {
    const container = await this.find(instanceId);
    const user = await desktopUser(container);
    const copy = await startExec(container, user, ['sh', '-c', OPEN_SCRIPT, 'sh', folder], true);
    const tmp = await copy.firstLine;
    return new DockerUpload(container, user, copy, tmp, name);
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
    if (this.copy.stream.write(data)) return;
    // The socket's buffer is full: take more only once Docker took it (or the copy ended).
    await Promise.race([once(this.copy.stream, 'drain'), this.copy.done]);
    if (this.copy.ended) throw await this.copy.failure();
  }

  async finish(): Promise<string> {
    this.copy.stream.end();
    const code = await this.copy.exitCode();
    if (code !== 0) throw await this.copy.failure();
    const { stem, ext } = splitFileName(this.name);
    const commit = await startExec(this.container, this.user, ['sh', '-c', COMMIT_SCRIPT, 'sh', this.tmp, stem, ext], false);
    await commit.done;
    if ((await commit.exitCode()) !== 0) throw await commit.failure();
    this.settled = true;
    return commit.stdout();
  }

  async abort(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.copy.stream.destroy();
    try {
      const rm = await startExec(this.container, this.user, ['rm', '-f', '--', this.tmp], false);
      await rm.done;
    } catch {
      // The container is gone, and its files with it.
    }
  }
}

interface RunningExec {
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

/** "uid:gid" of the container's first process: the user its desktop runs as. */
async function desktopUser(container: Docker.Container): Promise<string> {
  const stat = await startExec(container, '', ['stat', '-c', '%u:%g', '/proc/1'], false);
  if ((await stat.exitCode()) !== 0) throw await stat.failure();
  const user = stat.stdout().trim();
  if (!/^\d+:\d+$/.test(user)) throw new FileTransferError('failed', `cannot tell the desktop's user (${user.slice(0, 40)})`);
  return user;
}

/** Runs `cmd` in the container as `user` ('': the container's own). */
async function startExec(container: Docker.Container, user: string, cmd: string[], stdin: boolean): Promise<RunningExec> {
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({ Cmd: cmd, User: user, AttachStdin: stdin, AttachStdout: true, AttachStderr: true, Tty: false });
    stream = (await exec.start({ hijack: true, stdin })) as Duplex;
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    throw new FileTransferError(status === 404 || status === 409 ? 'gone' : 'failed', (err as Error).message);
  }
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
function classify(stderr: string): FileTransferError {
  const line = stderr.trim().split('\n').pop() ?? '';
  if (/No space left on device|Disk quota exceeded/i.test(stderr)) return new FileTransferError('no-space', line);
  if (/Read-only file system|Permission denied/i.test(stderr)) return new FileTransferError('read-only', line);
  return new FileTransferError('failed', line || 'the copy in the container failed');
}
