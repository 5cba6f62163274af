// The audio lines of `npm run bench:display` (issue 13): a container desktop (daas/desktop,
// real dockerd) with the whole core in this process, one viewer through tunnel and gateway.
// Printed, never asserted: paplay start -> first audio blob at the viewer, audio bytes/s while
// a tone plays, and the CPU this process adds while sound plays (gateway + tunnel + the
// benchmark's own client; an upper bound for the gateway's share).
import { performance } from 'node:perf_hooks';
import type { DisplayTicket } from '../src-shared/contract';
import type { App, Instance } from '../src-shared/model';
import { execRaw, RATE, sineWave } from '../test/helpers/audio-pcm';
import { callCore, openCore, tempDataDir, waitForState } from '../test/helpers/core';
import { containersOf, removeOwnedBy } from '../test/helpers/docker';
import { GuacTestClient } from '../test/helpers/guac-client';

const PLAY_SECONDS = 4;

function cpuPercent(run: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  const t0 = performance.now();
  return run().then(() => {
    const used = process.cpuUsage(start);
    return ((used.user + used.system) / 1000 / (performance.now() - t0)) * 100;
  });
}

export async function audioFigures(row: (name: string, ours: string, guacd?: string, target?: string) => void): Promise<void> {
  const core = await openCore(await tempDataDir());
  try {
    const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
    const app = await call<App>('apps.create', { app: { name: 'Bench sound', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } } });
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    const [container] = await containersOf(instance.id);
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
    await viewer.waitForOpcode('sync', 20_000);
    await new Promise((r) => setTimeout(r, 1_000));

    const idle = await cpuPercent(() => new Promise((r) => setTimeout(r, PLAY_SECONDS * 1000)));
    const before = viewer.instructions.length;
    let firstBlobMs = NaN;
    const playing = cpuPercent(async () => {
      const t0 = performance.now();
      const { stream, done } = await execRaw(container!.Id, ['paplay', '--raw', '--format=s16le', `--rate=${RATE}`, '--channels=2'], true);
      stream.end(sineWave(440, PLAY_SECONDS));
      await viewer.waitFor((i) => i[0] === 'blob' && i[1] === '128', 10_000, 'the first audio blob');
      firstBlobMs = performance.now() - t0;
      await done;
    });
    const busy = await playing;
    const bytes = viewer.instructions.slice(before).reduce((n, [op, stream, data]) => n + (op === 'blob' && stream === '128' ? Buffer.byteLength(data ?? '', 'base64') : 0), 0);
    row('audio: paplay start -> first blob', `${firstBlobMs.toFixed(0)} ms`, '', '< 150 ms');
    row('audio: bytes/s while playing', `${(bytes / PLAY_SECONDS / 1024).toFixed(1)} KiB/s`, '', '172 KiB/s (L16)');
    row('audio: added CPU while playing', `${Math.max(0, busy - idle).toFixed(1)} % (in-proc)`, '', '< 3 % of a core');
    await viewer.close().catch(() => undefined);
  } finally {
    await core.close();
    await removeOwnedBy(core.installationId);
  }
}
