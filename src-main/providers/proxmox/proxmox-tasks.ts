// Proxmox worker tasks: UPIDs, their status, and failures in Proxmox's own words.
import { errorText, type ErrorText } from '../../../src-shared/error-texts';
import { parsePermissionMessage, permissionAction, ProxmoxError, type ProxmoxDoing, type ProxmoxWho } from './proxmox-errors';

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
    throw new ProxmoxError('api', errorText('error.proxmox.notUpid', { value: upid.slice(0, 120) }), errorText('fix.proxmox.isItProxmox'));
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

export function describeTaskFailure(upid: string, exitstatus: string, doing: ProxmoxDoing, log: string[], who: ProxmoxWho): ProxmoxError {
  const perm = parsePermissionMessage(exitstatus);
  let action: ErrorText = errorText('fix.proxmox.seeTaskLog', { upid });
  if (perm) action = permissionAction(perm.privileges, perm.path, who);
  else if (/already exists/i.test(exitstatus)) action = errorText('fix.proxmox.idTaken');
  else if (/is locked/i.test(exitstatus)) action = errorText('fix.proxmox.vmBusy');
  else if (/timeout|timed out/i.test(exitstatus)) action = errorText('fix.proxmox.gaveUp');
  return new ProxmoxError('task', errorText('error.proxmox.failed', { ...doing, message: exitstatus }), action, {
    upid,
    proxmoxMessage: exitstatus,
    taskLog: log,
  });
}
