import Docker from 'dockerode';
import { measureFloor, type FloorSample } from './start-floor';
import { summarise } from './stats';
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
void (async () => {
  const imgs = ['daas/desktop:latest', 'daas/desktop:cold-ab'];
  const all: Record<string, FloorSample[]> = { [imgs[0]!]: [], [imgs[1]!]: [] };
  for (let i = 0; i < Number(process.env.N ?? 3); i++) for (const img of imgs) all[img]!.push(...(await measureFloor(docker, img, 'daas-cold-ab', 1, ['as launched']))['as launched']!);
  for (const [v, s] of Object.entries(all)) {
    console.log(v);
    for (const k of ['start', 'banner', 'containerCpu'] as const) console.log(summarise('  ' + k, s.map((x) => x[k]!)));
  }
})();
