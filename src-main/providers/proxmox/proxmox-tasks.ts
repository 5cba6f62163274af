// Proxmox worker tasks: UPIDs, their status, and failures in Proxmox's own words.
import { parsePermissionMessage, permissionAction, ProxmoxError } from './proxmox-errors';

export interface TaskStatus {
  upid: string;
  node: string;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  /** "OK", "WARNINGS: n", or the error. Present once stopped. */
  exitstatus?: string;
}

export interface Upid {
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
}

// UPID:{node}:{pid:08X}:{pstart:08X}:{starttime:08X}:{type}:{id}:{user}:
const UPID = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

export function parseUpid(upid: string): Upid {
  const m = UPID.exec(upid);
  if (!m) {
    throw new ProxmoxError('api', `Proxmox VE returned "${upid.slice(0, 120)}" where a task ID (UPID) was expected.`, 'Check that the endpoint is a Proxmox VE server.');
  }
  return {
    node: m[1]!,
    pid: parseInt(m[3]!, 16),
    pstart: parseInt(m[4]!, 16),
    starttime: parseInt(m[5]!, 16),
    type: m[6]!,
    id: m[7]!,
    user: m[8]!,
  };
}

/** "OK" and "WARNINGS: n" are successes. */
export function isTaskOk(exitstatus: string | undefined): boolean {
  return exitstatus === 'OK' || /^WARNINGS: \d+$/.test(exitstatus ?? '');
}

export function describeTaskFailure(upid: string, exitstatus: string, doing: string, log: string[], who: string): ProxmoxError {
  const perm = parsePermissionMessage(exitstatus);
  let action = `See the task log in Proxmox (the Tasks panel; task ${upid}).`;
  if (perm) action = permissionAction(perm.privileges, perm.path, who);
  else if (/already exists/i.test(exitstatus)) action = 'Another VM took that ID at the same moment; try again.';
  else if (/is locked/i.test(exitstatus)) action = 'Another operation holds the VM; wait for it to finish, then try again.';
  else if (/timeout|timed out/i.test(exitstatus)) action = 'Proxmox gave up waiting; check the node and the VM, then try again.';
  return new ProxmoxError('task', `Proxmox VE could not ${doing}: ${exitstatus}.`, action, {
    upid,
    proxmoxMessage: exitstatus,
    taskLog: log,
  });
}
