// The display benchmark's Guacamole client: a Node `ws` client on the real tunnel that behaves
// like a viewer (answers every `sync` at once, sends `nop` every 2 s) and keeps the figures the
// benchmark prints: bytes on the tunnel, frames (syncs following at least one drawing
// instruction), when the first complete frame arrived, and when drawing instructions arrive.
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { encodeInstruction, GuacamoleParser, Instruction } from '../src-main/display/guacamole/protocol';

/** BENCH_CPU_PROF=DIR: node arguments that make the gateway write a V8 CPU profile there (for finding hot spots). */
export function gatewayProfileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Instructions that change what the viewer shows (on any layer, the pointer's included). */
const DRAWING = new Set(['img', 'copy', 'transfer', 'cfill', 'lfill', 'cstroke', 'lstroke', 'rect', 'arc', 'png', 'jpeg', 'cursor']);

export interface Draw {
  opcode: string;
  /** Destination on the default layer, or -1 if not known (another layer, or no position). */
  x: number;
  y: number;
  at: number;
}

export class BenchClient {
  bytes = 0;
  frames = 0;
  syncs = 0;
  /** Sum of the syncs' second argument (guacd 1.5+): server frames the drawn frames showed. */
  serverFrames = 0;
  /** Frames that show server updates: not those whose sync says 0 (a lossless redraw of a still picture). */
  updateFrames = 0;
  /** Images (`img` on the default layer) received: with frames, the images a frame costs. */
  images = 0;
  /** performance.now() of the ws connect call, and of the first sync completing the picture. */
  readonly startedAt: number;
  firstCompleteFrameAt: number | null = null;
  /** performance.now() of the first instruction of each opcode (where the time to the first frame goes). */
  readonly firstAt = new Map<string, number>();
  openedAt = 0;
  width = 0;
  height = 0;
  /** Every instruction, when `record` is on (pixel fidelity replays them). */
  readonly recorded: Instruction[] = [];
  record = false;
  readonly closed: Promise<void>;
  private drewSinceSync = false;
  private readonly parser = new GuacamoleParser();
  private readonly keepAlive: NodeJS.Timeout;
  private drawListeners: Array<(d: Draw) => void> = [];
  /** Default-layer pixels drawn at least once (until the first complete frame). */
  private covered: Uint8Array | null = null;
  private coveredCount = 0;
  private readonly streams = new Map<string, { layer: number; x: number; y: number; sized: boolean }>();

  private constructor(readonly ws: WebSocket) {
    this.startedAt = performance.now();
    this.closed = new Promise((resolve) => ws.on('close', () => resolve()));
    ws.on('message', (data: Buffer) => this.onMessage(data));
    this.keepAlive = setInterval(() => this.send('nop'), 2_000);
    ws.on('close', () => clearInterval(this.keepAlive));
  }

  static connect(url: string): Promise<BenchClient> {
    const ws = new WebSocket(url, 'guacamole');
    const client = new BenchClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        client.openedAt = performance.now();
        resolve(client);
      });
      ws.once('error', reject);
    });
  }

  send(opcode: string, ...args: (string | number)[]): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeInstruction(opcode, ...args));
  }

  /** Calls `listener` for every drawing instruction from now on; returns a remover. */
  onDraw(listener: (d: Draw) => void): () => void {
    this.drawListeners.push(listener);
    return () => {
      this.drawListeners = this.drawListeners.filter((l) => l !== listener);
    };
  }

  async close(): Promise<void> {
    this.send('disconnect');
    this.ws.close(1000);
    const t = setTimeout(() => this.ws.terminate(), 2_000);
    await this.closed;
    clearTimeout(t);
  }

  private onMessage(data: Buffer): void {
    this.bytes += data.length;
    const at = performance.now();
    for (const ins of this.parser.push(data.toString('utf8'))) {
      if (this.record) this.recorded.push(ins);
      this.onInstruction(ins, at);
    }
  }

  private onInstruction(ins: Instruction, at: number): void {
    const [opcode, ...a] = ins;
    if (!this.firstAt.has(opcode!)) this.firstAt.set(opcode!, at);
    if (opcode === 'sync') {
      this.syncs++;
      if (this.drewSinceSync) {
        this.frames++;
        const shown = a[1] === undefined ? 1 : Number(a[1]);
        this.serverFrames += shown;
        if (shown > 0) this.updateFrames++;
      }
      this.drewSinceSync = false;
      this.send('sync', a[0]!);
      if (this.firstCompleteFrameAt === null && this.covered && this.coveredCount === this.covered.length) this.firstCompleteFrameAt = at;
      return;
    }
    if (opcode === 'size' && a[0] === '0') {
      this.width = Number(a[1]);
      this.height = Number(a[2]);
      if (this.firstCompleteFrameAt === null) {
        this.covered = new Uint8Array(this.width * this.height);
        this.coveredCount = 0;
      }
    }
    if (opcode === 'img' && a[2] === '0') this.images++;
    if (opcode === 'img') this.streams.set(a[0]!, { layer: Number(a[2]), x: Number(a[4]), y: Number(a[5]), sized: false });
    if (opcode === 'blob' && this.firstCompleteFrameAt === null) {
      // The PNG header in the first blob tells the image's size: coverage of the first frame.
      const s = this.streams.get(a[0]!);
      if (s && !s.sized && s.layer === 0) {
        s.sized = true;
        const head = Buffer.from(a[1]!.slice(0, 32), 'base64');
        if (head.length >= 24 && head.toString('latin1', 12, 16) === 'IHDR') this.cover(s.x, s.y, head.readUInt32BE(16), head.readUInt32BE(20));
      }
    }
    if (opcode === 'end') this.streams.delete(a[0]!);
    if (opcode === 'rect' && this.firstCompleteFrameAt === null && a[0] === '0') {
      this.cover(Number(a[1]), Number(a[2]), Number(a[3]), Number(a[4])); // one colour: rect + cfill
    }
    if (opcode === 'copy' && this.firstCompleteFrameAt === null && a[6] === '0') {
      this.cover(Number(a[7]), Number(a[8]), Number(a[3]), Number(a[4]));
    }
    if (!DRAWING.has(opcode!)) return;
    this.drewSinceSync = true;
    if (this.drawListeners.length === 0) return;
    let x = -1;
    let y = -1;
    if (opcode === 'img' && a[2] === '0') [x, y] = [Number(a[4]), Number(a[5])];
    else if (opcode === 'copy' && a[6] === '0') [x, y] = [Number(a[7]), Number(a[8])];
    for (const l of [...this.drawListeners]) l({ opcode: opcode!, x, y, at });
  }

  private cover(x: number, y: number, w: number, h: number): void {
    const c = this.covered;
    if (!c) return;
    for (let r = Math.max(0, y); r < Math.min(this.height, y + h); r++) {
      for (let i = r * this.width + Math.max(0, x), end = r * this.width + Math.min(this.width, x + w); i < end; i++) {
        if (!c[i]) {
          c[i] = 1;
          this.coveredCount++;
        }
      }
    }
  }
}

/** CPU time (user + system) of a process, in ms, from /proc/PID/stat. */
export async function processCpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS;
}

/** CPU ms per thread name (/proc/PID/task/TID/comm), e.g. the main thread, libuv's pool, V8's workers. */
export async function threadCpuMs(pid: number): Promise<Map<string, number>> {
  const { readdir, readFile } = await import('node:fs/promises');
  const out = new Map<string, number>();
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    try {
      const comm = (await readFile(`/proc/${pid}/task/${tid}/comm`, 'latin1')).trim();
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = tid === String(pid) ? 'main' : comm;
      out.set(name, (out.get(name) ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

export function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** CPU ms of a process and all its descendants (guacd forks one child per connection). */
export async function treeCpuMs(pid: number): Promise<number> {
  const { readFile, readdir } = await import('node:fs/promises');
  let total = await processCpuMs(pid).catch(() => 0);
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const children = await readFile(`/proc/${pid}/task/${tid}/children`, 'latin1').catch(() => '');
    for (const child of children.split(' ').filter(Boolean)) total += await treeCpuMs(Number(child));
  }
  return total;
}

/** The pid of the local process listening on TCP `port` (from /proc/net/tcp*), or null. */
export async function listenerPid(port: number): Promise<number | null> {
  const { readFile, readdir, readlink } = await import('node:fs/promises');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'latin1').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN.
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1]!.split(':')[1]!, 16) === port) inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (inodes.has(target)) return Number(pid);
    }
  }
  return null;
}
