// The audio lines of `npm run bench:display` (issue 13): a container desktop (daas/desktop,
// real dockerd) with the whole core in this process, as the app's main process runs it, and the
// user's side in a child process (bench/display-audio-viewer.ts: one viewer through tunnel and
// gateway, and `paplay` of a tone started in the desktop). Printed, never asserted, per round:
// - paplay start -> first audio blob at the viewer; the time Docker takes to start paplay's
//   exec (the benchmark's way of playing sound, not the app's) is printed apart, as a floor;
// - audio bytes/s and blobs/s while the tone plays;
// - the CPU this process adds while sound plays (gateway + tunnel + the recorder's exec stream:
//   the app's share), and the viewer process's own (not the app's), apart.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { DisplayTicket } from '../src-shared/contract';
import type { App, Instance } from '../src-shared/model';
import { callCore, openCore, tempDataDir, waitForState } from '../test/helpers/core';
import { containersOf, removeOwnedBy } from '../test/helpers/docker';
import type { PlayReport } from './display-audio-viewer';

const PLAY_SECONDS = 3;
const ROUNDS = Number(process.env.BENCH_AUDIO_ROUNDS ?? 3);

/** CPU % of one core this process used while `run` ran. */
async function cpuPercent<T>(run: () => Promise<T>): Promise<{ percent: number; result: T }> {
  const start = process.cpuUsage();
  const t0 = performance.now();
  const result = await run();
  const used = process.cpuUsage(start);
  return { percent: ((used.user + used.system) / 1000 / (performance.now() - t0)) * 100, result };
}

function ask<T>(child: ChildProcess, message: object, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: Record<string, unknown>): void => {
      if (msg.error) return done(() => reject(new Error(String(msg.error))));
      if (key in msg) done(() => resolve(msg[key] as T));
    };
    const onExit = (): void => done(() => reject(new Error('the viewer process exited')));
    const done = (then: () => void): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (Object.keys(message).length) child.send(message);
  });
}

const list = (values: number[], digits = 0): string => values.map((v) => v.toFixed(digits)).join(', ');
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function audioFigures(row: (name: string, ours: string, guacd?: string, target?: string) => void): Promise<void> {
  const core = await openCore(await tempDataDir());
  let child: ChildProcess | undefined;
  try {
    const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
    const app = await call<App>('apps.create', { app: { name: 'Bench sound', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } } });
    const instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    const [container] = await containersOf(instance.id);
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    const query = `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`;
    child = fork('bench/display-audio-viewer.ts', [container!.Id, ticket.tunnelUrl, query], { execArgv: ['--import', 'tsx'] });
    await ask(child, {}, 'ready');
    await new Promise((r) => setTimeout(r, 1_000));

    const exec: number[] = [];
    const desktop: number[] = [];
    const inApp: number[] = [];
    const toBlob: number[] = [];
    const total: number[] = [];
    const rates: string[] = [];
    const added: number[] = [];
    const viewerCpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Idle (the recorder streams the silent desktop) and playing windows alternate, so both see the same load.
      const idle = await cpuPercent(() => new Promise((r) => setTimeout(r, PLAY_SECONDS * 1000)));
      const busy = await cpuPercent(() => ask<PlayReport>(child!, { play: PLAY_SECONDS }, 'played'));
      const r = busy.result;
      exec.push(r.paplayStarted - r.execRequested);
      toBlob.push(r.firstBlob - r.paplayStarted);
      desktop.push(r.recorded - r.paplayStarted);
      inApp.push(r.firstBlob - r.recorded);
      total.push(r.firstBlob - r.execRequested);
      rates.push(`${(r.bytes / PLAY_SECONDS / 1024).toFixed(1)} KiB/s in ${(r.blobs / PLAY_SECONDS).toFixed(0)} blobs/s`);
      added.push(Math.max(0, busy.percent - idle.percent));
      const windowMs = r.firstBlob - r.execRequested + PLAY_SECONDS * 1000;
      viewerCpu.push((r.cpuMs / windowMs) * 100);
    }
    row('audio: paplay start -> first blob', `${list(toBlob)} ms`, '', '< 150 ms');
    row('audio:   of which desktop + exec stream', `${list(desktop)} ms`, '', '(paplay start -> a recorder)');
    row('audio:   of which the app', `${list(inApp)} ms`, '', '(a recorder -> first blob)');
    row('audio: + Docker starting paplay', `${list(exec)} ms`, '', '(floor: bench exec)');
    row('audio: exec request -> first blob', `${list(total)} ms`, '', '');
    row('audio: while playing', rates[0]!, '', '172 KiB/s (L16)');
    row('audio: app CPU added while playing', `${list(added, 1)} % (median ${median(added).toFixed(1)})`, '', '< 3 % of a core');
    row('audio: viewer+paplay process CPU', `${list(viewerCpu, 1)} % (not the app)`, '', '');
  } finally {
    if (child?.connected) {
      child.send({ close: true });
      await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 3_000))]);
    }
    child?.kill();
    await core.close();
    await removeOwnedBy(core.installationId);
  }
}
