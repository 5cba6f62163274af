// The folders guacd redirects into RDP desktops as a drive: one per instance, under the data
// folder, so files the user drops on that drive (in the desktop or here) are this computer's
// own files. Made when the instance runs, deleted with the instance; at
// start-up the folders of instances that no longer run are deleted too (a crash left them).
import fs from 'node:fs/promises';
import path from 'node:path';

/** The drive's name in the desktop (Windows shows "DaaS Desktop on <client name>"). */
export const DRIVE_NAME = 'DaaS Desktop';

export class DriveFolders {
  constructor(
    /** e.g. <data folder>/drives */
    readonly root: string,
  ) {}

  /** The instance's folder (its id is a UUID: one plain path element). */
  pathOf(instanceId: string): string {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(instanceId)) throw new RangeError(`not an instance id: ${instanceId}`);
    return path.join(this.root, instanceId);
  }

  /** Makes the instance's folder (readable by this user only) and returns its path. */
  async create(instanceId: string): Promise<string> {
    const folder = this.pathOf(instanceId);
    await fs.mkdir(folder, { recursive: true, mode: 0o700 });
    return folder;
  }

  /** Deletes the instance's folder and what is in it. Never throws for a folder already gone. */
  async remove(instanceId: string): Promise<void> {
    await fs.rm(this.pathOf(instanceId), { recursive: true, force: true });
  }

  /** Deletes every folder but those of `keep` (instances still running). */
  async prune(keep: ReadonlySet<string>): Promise<void> {
    const names = await fs.readdir(this.root).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => !keep.has(n)).map((n) => fs.rm(path.join(this.root, n), { recursive: true, force: true })));
  }
}
