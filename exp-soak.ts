import { ServeProcess } from './test/helpers/serve-process';
import { tempDataDir } from './test/helpers/core';
import { measure, startDesktop, viewerCycle, formatFigures } from './test/helpers/soak';
const N = Number(process.env.N ?? 200);
async function main() {
  const serve = await ServeProcess.start(await tempDataDir(), { NODE_OPTIONS: `--require /tmp/soakexp/mem.cjs`, SOAK_MEM_LOG: process.env.SOAK_MEM_LOG ?? '' });
  const id = await startDesktop(serve);
  const before = await measure(serve);
  const t0 = Date.now();
  for (let i = 0; i < N; i++) { try { await viewerCycle(serve, id); } catch (e) { console.log("cycle", i, String(e).slice(0, 200)); throw e; } }
  console.log(`cycles ${N} in ${Date.now() - t0} ms`);
  const after = await measure(serve);
  await new Promise((r) => setTimeout(r, 25_000));
  const later = await measure(serve);
  console.log(formatFigures([['before', before], ['after', after], ['+25s', later]]));
  await serve.request('instances.stop', { instanceId: id });
  await serve.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
