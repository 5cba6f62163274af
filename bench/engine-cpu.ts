// CPU time the Docker engine spends on one container (Linux, local engine): dockerd and
// containerd (with their reaped children: the shim's `start` helper), and the container's
// own shim (with the runc runs it reaped) and docker-proxy processes. Less noisy than wall
// time on a shared machine; null where /proc shows no engine (a remote one, another OS).
import fs from 'node:fs/promises';
import type Docker from 'dockerode';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime + cutime + cstime of one process, in ms; 0 if it is gone. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) * TICK_MS;
}

async function processes(): Promise<{ pid: number; cmdline: string }[]> {
  const pids = (await fs.readdir('/proc').catch(() => [])).filter((n) => /^\d+$/.test(n)).map(Number);
  const found = await Promise.all(
    pids.map(async (pid) => ({ pid, cmdline: (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ') })),
  );
  return found.filter((p) => p.cmdline);
}

/** The engine's daemons, found once. */
export async function engineDaemons(): Promise<number[] | null> {
  const all = await processes();
  const daemons = all.filter((p) => /^(\S*\/)?(dockerd|containerd) /.test(p.cmdline)).map((p) => p.pid);
  return daemons.length === 2 ? daemons : null;
}

export async function daemonsCpuMs(daemons: number[]): Promise<number> {
  return (await Promise.all(daemons.map(cpuMs))).reduce((a, b) => a + b, 0);
}

/** What the container's own engine processes (shim, docker-proxy) have used so far. */
export async function containerEngineCpuMs(containerId: string, containerIp: string | undefined): Promise<number> {
  const own = (await processes()).filter(
    (p) => (p.cmdline.includes('containerd-shim') && p.cmdline.includes(containerId)) || (containerIp && p.cmdline.includes('docker-proxy') && p.cmdline.includes(`-container-ip ${containerIp} `)),
  );
  return (await Promise.all(own.map((p) => cpuMs(p.pid)))).reduce((a, b) => a + b, 0);
}

/** CPU the container's processes used so far (cgroup v1 cgroupfs, or v2 systemd), in ms; null if unreadable. */
export async function containerCpuMs(containerId: string): Promise<number | null> {
  const v1 = await fs.readFile(`/sys/fs/cgroup/cpuacct/docker/${containerId}/cpuacct.usage`, 'utf8').catch(() => null);
  if (v1 !== null) return Number(v1) / 1e6;
  const v2 = await fs.readFile(`/sys/fs/cgroup/system.slice/docker-${containerId}.scope/cpu.stat`, 'utf8').catch(() => null);
  const usec = v2 && /^usage_usec (\d+)/m.exec(v2)?.[1];
  return usec ? Number(usec) / 1e3 : null;
}

/** The container's address on its network (what its docker-proxy dials), if it has one. */
export function containerIp(info: Docker.ContainerInspectInfo): string | undefined {
  return Object.values(info.NetworkSettings.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress;
}
