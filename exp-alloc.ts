import { DisplayService } from './src-main/display/display-service';
import { GuacTestClient } from './test/helpers/guac-client';
import { startXvnc } from './test/helpers/xvnc';
const tally = new Map<string, number>();
function site(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(3);
  const f = lines.find((l) => l.includes('src-main') || l.includes('node_modules/ws') || l.includes('guacamole-lite'));
  return (f ?? lines[0] ?? '').trim().replace(/^at /, '').replace(/\(\/work\/wt\/soak\//, '(');
}
for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow', 'concat'] as const) {
  const orig = (Buffer as any)[name].bind(Buffer);
  (Buffer as any)[name] = (...args: any[]) => {
    const b = orig(...args);
    if (b.length >= 32 * 1024) { const k = `${name} ${site()}`; tally.set(k, (tally.get(k) ?? 0) + b.length); }
    return b;
  };
}
async function main() {
  const N = Number(process.env.N ?? 20);
  const x = await startXvnc({ width: 1024, height: 768 });
  const svc = await DisplayService.start();
  for (let i = 0; i < N; i++) {
    const t = svc.issueTicket('i1', { host: '127.0.0.1', port: x.port, password: x.password! }, { width: 1280, height: 800 });
    const c = await GuacTestClient.connect(t.tunnelUrl, `token=${encodeURIComponent(t.token)}&width=1280&height=800`);
    await c.waitForOpcode('img', 15000); await c.waitForOpcode('sync', 15000);
    await new Promise((r) => setTimeout(r, 100));
    await c.close();
  }
  console.log(svc.usage());
  const rows = [...tally].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [k, v] of rows) console.log((v / N / 1048576).toFixed(2).padStart(8), 'MiB/cycle', k);
  await svc.close(); await x.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
