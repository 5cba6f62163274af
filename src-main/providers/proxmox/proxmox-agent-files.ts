// Files into and out of a VM through its QEMU guest agent: Proxmox's agent/file-write and
// agent/file-read, the one way to a VM console's disk that needs nothing in the guest but the
// agent. Each call moves a whole file, so both have limits (file-write's content at most 61440
// base64 characters; file-read at most 16 MiB), and the agent cannot list a folder: the
// transfer folder lists the files sent from here, which can be fetched back (edited or not).
import { errorText, type ErrorText } from '../../../src-shared/error-texts';
import {
  DEFAULT_TRANSFER_FOLDER,
  FileTransferError,
  splitFileName,
  type DesktopEntry,
  type DesktopFiles,
  type DesktopRead,
  type DesktopUpload,
  type FolderWatch,
} from '../../display/files/desktop-files';
import type { ProxmoxClient } from './proxmox-client';
import { ProxmoxError, proxmoxOp } from './proxmox-errors';

/** file-write takes at most 61440 characters of content; sent as base64 that is 46080 bytes. */
export const AGENT_WRITE_MAX_BYTES = (61440 / 4) * 3;
/** file-read answers at most 16 MiB and says `truncated` for a longer file. */
export const AGENT_READ_MAX_BYTES = 16 * 1024 * 1024;
/** Where uploads land in the guest unless the app names a folder (proxmox.guestFolder). */
export const DEFAULT_GUEST_FOLDER = '/tmp';
/** Name clashes tried before giving up ("name (1).ext" ... "name (99).ext"). */
const MAX_CLASHES = 99;

export interface AgentVm {
  node: string;
  vmid: number;
}

export class ProxmoxAgentFiles implements DesktopFiles {
  /** Per instance: the files sent into its guest, by name (the agent cannot list the folder). */
  private readonly sent = new Map<string, Map<string, DesktopEntry>>();

  constructor(
    private readonly client: ProxmoxClient,
    /** The instance's VM now (it may have migrated); rejects when it is gone. */
    private readonly vmOf: (instanceId: string) => Promise<AgentVm>,
    /** The guest folder the viewer's transfer folder stands for. */
    private readonly guestFolderOf: (instanceId: string) => string,
  ) {}

  async upload(instanceId: string, folder: string, name: string): Promise<DesktopUpload> {
    const vm = await this.vm(instanceId);
    await this.agent(vm, () => this.client.post(`${agentPath(vm)}/ping`, {}, proxmoxOp('op.proxmox.askAgentFiles', { vmid: vm.vmid })));
    const dir = this.guestPath(instanceId, folder);
    let parts: Buffer[] = [];
    let size = 0;
    return {
      write: async (data) => {
        size += data.length;
        if (size > AGENT_WRITE_MAX_BYTES) {
          parts = [];
          throw refusal(errorText('error.files.agentTooLarge', { name, maxKiB: AGENT_WRITE_MAX_BYTES / 1024 }));
        }
        parts.push(data);
      },
      finish: async () => {
        const final = await this.freeName(vm, dir, name);
        const content = Buffer.concat(parts).toString('base64');
        await this.agent(vm, () =>
          this.client.post(`${agentPath(vm)}/file-write`, { file: join(dir, final), content, encode: false }, proxmoxOp('op.proxmox.writeGuestFile', { vmid: vm.vmid })),
        );
        this.sentTo(instanceId).set(final, { name: final, kind: 'file', size, modified: Date.now() });
        return final;
      },
      // Nothing reaches the guest before finish: there is nothing to remove.
      abort: async () => {
        parts = [];
      },
    };
  }

  /** The guest agent writes files only: a dropped folder is refused, saying what works instead. */
  makeFolder(): Promise<string> {
    return Promise.reject(refusal(errorText('error.files.agentSingleFiles')));
  }

  async read(instanceId: string, target: string, asArchive: boolean): Promise<DesktopRead> {
    if (target === DEFAULT_TRANSFER_FOLDER && !asArchive) return { kind: 'folder', entries: [...this.sentTo(instanceId).values()] };
    const name = target.slice(DEFAULT_TRANSFER_FOLDER.length + 1);
    if (asArchive || !target.startsWith(`${DEFAULT_TRANSFER_FOLDER}/`) || name.includes('/')) {
      throw refusal(errorText('error.files.agentSingleFiles'));
    }
    const vm = await this.vm(instanceId);
    const file = join(this.guestPath(instanceId, DEFAULT_TRANSFER_FOLDER), name);
    let answer: { content?: string; truncated?: number | boolean };
    try {
      answer = await this.agent(vm, () => this.readFile(vm, file));
    } catch (err) {
      if (err instanceof FileTransferError && err.reason === 'not-found') this.sentTo(instanceId).delete(name);
      throw err;
    }
    if (answer.truncated) throw refusal(errorText('error.files.agentTooLargeDownload', { name, maxMiB: AGENT_READ_MAX_BYTES / (1024 * 1024) }));
    // Proxmox sends the decoded bytes as a byte string: one character per byte.
    let bytes: Buffer | null = Buffer.from(answer.content ?? '', 'latin1');
    return {
      kind: 'file',
      size: bytes.length,
      read: async () => {
        const out = bytes;
        bytes = null;
        return out;
      },
      close: () => {
        bytes = null;
      },
    };
  }

  /** The agent cannot list a folder: nothing in the VM offers itself for download. */
  watch(): FolderWatch {
    return { close: () => undefined };
  }

  /** The instance was removed: forget what was sent to it. */
  forget(instanceId: string): void {
    this.sent.delete(instanceId);
  }

  private sentTo(instanceId: string): Map<string, DesktopEntry> {
    let files = this.sent.get(instanceId);
    if (!files) this.sent.set(instanceId, (files = new Map()));
    return files;
  }

  private async vm(instanceId: string): Promise<AgentVm> {
    try {
      return await this.vmOf(instanceId);
    } catch (err) {
      throw new FileTransferError('gone', (err as Error).message);
    }
  }

  /** `~/Desktop/x` -> `<guest folder>/x`, with the guest's own separator. */
  private guestPath(instanceId: string, folder: string): string {
    const base = this.guestFolderOf(instanceId);
    const rest = folder === DEFAULT_TRANSFER_FOLDER ? '' : folder.slice(DEFAULT_TRANSFER_FOLDER.length + 1);
    if (folder !== DEFAULT_TRANSFER_FOLDER && !folder.startsWith(`${DEFAULT_TRANSFER_FOLDER}/`)) throw refusal(errorText('error.files.agentSingleFiles'));
    return rest ? join(base, ...rest.split('/')) : base;
  }

  /** `name`, or "name (1).ext" ... when the guest has a file of that name already. */
  private async freeName(vm: AgentVm, dir: string, name: string): Promise<string> {
    const { stem, ext } = splitFileName(name);
    for (let n = 0; n <= MAX_CLASHES; n++) {
      const candidate = n === 0 ? name : `${stem} (${n})${ext}`;
      try {
        await this.agent(vm, () => this.readFile(vm, join(dir, candidate)));
      } catch (err) {
        if (err instanceof FileTransferError && err.reason === 'not-found') return candidate;
        throw err;
      }
    }
    throw new FileTransferError('failed', `${MAX_CLASHES} files named like "${name}" exist already`);
  }

  private readFile(vm: AgentVm, file: string): Promise<{ content?: string; truncated?: number | boolean }> {
    // A missing file is a 500 like a passing failure: asked once, its answer is the answer.
    return this.client.call('GET', `${agentPath(vm)}/file-read`, { file }, proxmoxOp('op.proxmox.readGuestFile', { vmid: vm.vmid }), { answerOnce: true });
  }

  /** Runs an agent call; Proxmox's refusals become what the viewer can say. */
  private async agent<T>(vm: AgentVm, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw agentFailure(err, vm);
    }
  }
}

function agentPath(vm: AgentVm): string {
  return `/nodes/${encodeURIComponent(vm.node)}/qemu/${vm.vmid}/agent`;
}

/** Joins guest path parts with the guest's separator (a Windows folder "C:\..." takes "\"). */
function join(base: string, ...names: string[]): string {
  const sep = /^[A-Za-z]:\\/.test(base) ? '\\' : '/';
  return [base.replace(/[\\/]+$/, ''), ...names].join(sep);
}

function refusal(text: ErrorText): FileTransferError {
  return new FileTransferError('failed', text.text, text);
}

/** Proxmox's words about the agent, as a reason (and, where that says too little, a whole message). */
export function agentFailure(err: unknown, vm: AgentVm): FileTransferError {
  if (err instanceof FileTransferError) return err;
  if (!(err instanceof ProxmoxError)) return new FileTransferError('failed', String((err as Error)?.message ?? err));
  const said = err.proxmoxMessage ?? err.message;
  if (err.kind === 'permission') return refusal(errorText('error.files.agentForbidden', { vmid: vm.vmid, detail: said }));
  if (/No QEMU guest agent configured|guest agent is not running|VM \d+ is not running/i.test(said)) {
    return refusal(errorText('error.files.noAgent', { vmid: vm.vmid, detail: said }));
  }
  if (/No such file or directory/i.test(said)) return new FileTransferError('not-found', said);
  if (/Read-only file system|Permission denied/i.test(said)) return new FileTransferError('read-only', said);
  if (/No space left on device/i.test(said)) return new FileTransferError('no-space', said);
  if (/does not exist/i.test(said)) return new FileTransferError('gone', said);
  return new FileTransferError('failed', said);
}
