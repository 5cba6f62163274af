// Reading the cluster: /cluster/resources entries, the least-loaded node, guest addresses,
// and one console (vncproxy + vncwebsocket).
import type { ProxmoxClient } from './proxmox-client';
import { proxmoxOp } from './proxmox-errors';
import type { UpstreamConsole } from './vnc-bridge';

/** One entry of GET /cluster/resources (the fields DaaS Desktop reads). */
export interface ClusterResource {
  id: string;
  type: 'qemu' | 'lxc' | 'node' | 'storage' | 'pool' | 'sdn' | string;
  node?: string;
  vmid?: number;
  name?: string;
  status?: string;
  template?: number;
  tags?: string;
  lock?: string;
  pool?: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
}

export interface VmResource extends ClusterResource {
  type: 'qemu';
  node: string;
  vmid: number;
}

export async function clusterResources(client: ProxmoxClient, type?: 'vm' | 'node'): Promise<ClusterResource[]> {
  const list = await client.get<ClusterResource[]>('/cluster/resources', { type }, proxmoxOp('op.proxmox.listResources'));
  // vmid is an integer in the schema; accept strings as older versions sent.
  return list.map((r) => (r.vmid === undefined ? r : { ...r, vmid: Number(r.vmid) }));
}

/**
 * Whether the VM runs, asked of its node: /cluster/resources takes `status` from pvestatd and
 * trails by about 10 s (a new VM shows 'unknown'), so stop/start decisions must not use it.
 */
export async function vmRunning(client: ProxmoxClient, node: string, vmid: number): Promise<boolean> {
  const current = await client.get<{ status?: string }>(
    `/nodes/${encodeURIComponent(node)}/qemu/${vmid}/status/current`,
    {},
    proxmoxOp('op.proxmox.readVmState', { vmid }),
  );
  return current.status === 'running';
}

export function qemuVms(resources: ClusterResource[]): VmResource[] {
  return resources.filter((r): r is VmResource => r.type === 'qemu' && typeof r.vmid === 'number' && typeof r.node === 'string');
}

/**
 * The online node with the lowest combined CPU and memory load (both as fractions).
 * Undefined when no node shows its load (the credentials lack Sys.Audit).
 */
export function leastLoadedNode(resources: ClusterResource[]): string | undefined {
  let best: { node: string; score: number } | undefined;
  for (const r of resources) {
    if (r.type !== 'node' || r.status !== 'online' || !r.node) continue;
    if (typeof r.cpu !== 'number' || typeof r.mem !== 'number' || !r.maxmem) continue;
    const score = r.cpu + r.mem / r.maxmem;
    if (!best || score < best.score) best = { node: r.node, score };
  }
  return best?.node;
}

export interface GuestAddress {
  interface: string;
  family: 'ipv4' | 'ipv6';
  address: string;
  prefix: number;
}

/** Addresses the QEMU guest agent reports (network-get-interfaces). */
export async function guestAddresses(client: ProxmoxClient, node: string, vmid: number): Promise<GuestAddress[]> {
  const data = await client.get<{
    result?: Array<{ name?: string; 'ip-addresses'?: Array<{ 'ip-address-type'?: string; 'ip-address'?: string; prefix?: number }> }>;
  }>(`/nodes/${encodeURIComponent(node)}/qemu/${vmid}/agent/network-get-interfaces`, {}, proxmoxOp('op.proxmox.askGuestAgent', { vmid }));
  const out: GuestAddress[] = [];
  for (const iface of data?.result ?? []) {
    for (const a of iface['ip-addresses'] ?? []) {
      if ((a['ip-address-type'] === 'ipv4' || a['ip-address-type'] === 'ipv6') && a['ip-address']) {
        out.push({ interface: iface.name ?? '', family: a['ip-address-type'], address: a['ip-address'], prefix: a.prefix ?? 0 });
      }
    }
  }
  return out;
}

/** The address to reach a guest at: a non-loopback, non-link-local IPv4 first, then IPv6. */
export function pickGuestAddress(addresses: GuestAddress[]): string | undefined {
  const usable = addresses.filter(
    (a) =>
      !(a.family === 'ipv4' && (a.address.startsWith('127.') || a.address.startsWith('169.254.'))) &&
      !(a.family === 'ipv6' && (a.address === '::1' || /^fe[89ab]/i.test(a.address))),
  );
  return (usable.find((a) => a.family === 'ipv4') ?? usable[0])?.address;
}

/** A fresh console: vncproxy with a generated password, then its WebSocket (within 10 s). */
export async function openConsole(client: ProxmoxClient, node: string, vmid: number, timeoutMs: number): Promise<UpstreamConsole> {
  const path = `/nodes/${encodeURIComponent(node)}/qemu/${vmid}`;
  const proxy = await client.post<{ port: number | string; ticket: string; password?: string }>(
    `${path}/vncproxy`,
    { websocket: true, 'generate-password': true },
    proxmoxOp('op.proxmox.openConsole', { vmid }),
  );
  const ws = await client.openWebSocket(`${path}/vncwebsocket`, { port: Number(proxy.port), vncticket: proxy.ticket }, Math.min(timeoutMs, 10_000));
  // Servers before qemu-server 9.1.7 / 8.4.8 used the ticket as the VNC password.
  return { ws, password: proxy.password ?? proxy.ticket };
}
