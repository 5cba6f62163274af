import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { DockerDesktopFiles } from '../src-main/providers/docker/docker-files';
import { docker } from '../test/helpers/docker';
const MIB = 1 << 20; const SIZE = Number(process.env.MIB ?? 512) * MIB;
const P = randomBytes(MIB);
async function main() {
  const id = execFileSync('docker', ['run', '-d', '--rm', '--label', 's7files-floor=1', 'daas/desktop:latest']).toString().trim();
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const files = new DockerDesktopFiles(async () => docker.getContainer(id));
    const piece = Number(process.env.PIECE ?? 48 * 1024);
    let c0 = process.cpuUsage(); let t0 = performance.now();
    const up = await files.upload('x', '~/Desktop', 'f.bin', process.env.ANN ? SIZE : undefined);
    for (let off = 0; off < SIZE; off += piece) await up.write(P.subarray(off % MIB, Math.min(MIB, off % MIB + piece)));
    console.log('final', await up.finish());
    let t = (performance.now() - t0) / 1000; let c = process.cpuUsage(c0);
    console.log(`exec up ${(SIZE / MIB / t).toFixed(1)} MiB/s cpu ${((c.user + c.system) / 1e6).toFixed(2)} s`);
    c0 = process.cpuUsage(); t0 = performance.now();
    /* */ const r = await files.read('x', '~/Desktop/f.bin', false);
    let n = 0; if (r.kind !== 'folder') { for (let b = await r.read(); b; b = await r.read()) n += b.length; }
    t = (performance.now() - t0) / 1000; c = process.cpuUsage(c0);
    console.log(`exec down ${n} ${(SIZE / MIB / t).toFixed(1)} MiB/s cpu ${((c.user + c.system) / 1e6).toFixed(2)} s  load ${loadavg()[0]}`);
  } finally { execFileSync('docker', ['rm', '-f', id]); }
}
void main();
