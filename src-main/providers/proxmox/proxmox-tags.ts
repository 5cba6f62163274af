// The tags that mark what DaaS Desktop owns on a Proxmox cluster. Proxmox's pve-tag-list
// grammar is [a-z0-9_][a-z0-9_\-+.]* (case-insensitive), separated by ';', ',' or spaces.
// A full instance UUID fits, so a tag maps back to exactly one instance.

/** On every VM DaaS Desktop created (clones). Only such VMs are ever deleted. */
export const TAG_MANAGED = 'daas-desktop';
/** On a clone whose app keeps it when the instance stops. */
export const TAG_KEEP = 'daas-keep';
/** Binds a VM (clone or existing) to the instance using it; removed when it stops. */
export const INSTANCE_TAG_PREFIX = 'daas-instance-';
/** Names the app next to the instance tag (app ids are valid tags: [a-z0-9][a-z0-9-]*). */
export const APP_TAG_PREFIX = 'daas-app-';

/**
 * Names the installation (data folder) that created or bound the VM, as the Docker owner label
 * `io.daas-desktop.owner` does for containers, so two installations on one cluster never
 * reconcile each other's VMs. Installation ids are UUIDs: valid tags (pve-tag pattern
 * `[a-z0-9_][a-z0-9_\-+.]*`, case-insensitive, in apidata.json's cluster options).
 */
export const OWNER_TAG_PREFIX = 'daas-owner-';

const TAG = /^[a-z0-9_][a-z0-9_\-+.]*$/i;
const INSTANCE_TAG = /^daas-instance-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function instanceTag(instanceId: string): string {
  const tag = `${INSTANCE_TAG_PREFIX}${instanceId.toLowerCase()}`;
  if (!INSTANCE_TAG.test(tag)) throw new Error(`instance id ${instanceId} is not a UUID`);
  return tag;
}

export function splitTags(tags: string | undefined): string[] {
  return (tags ?? '').split(/[;, ]+/).filter((t) => t.length > 0);
}

export function appTag(appId: string): string {
  const tag = `${APP_TAG_PREFIX}${appId}`;
  if (!TAG.test(tag)) throw new Error(`app id ${appId} cannot be a Proxmox tag`);
  return tag;
}

export function appFromTags(tags: string | undefined): string | undefined {
  const tag = splitTags(tags).find((t) => t.toLowerCase().startsWith(APP_TAG_PREFIX));
  return tag?.slice(APP_TAG_PREFIX.length);
}

/** The instance a VM is bound to, from its tags. */
export function instanceFromTags(tags: string | undefined): string | undefined {
  for (const tag of splitTags(tags)) {
    const m = INSTANCE_TAG.exec(tag);
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
}

export function hasTag(tags: string | undefined, tag: string): boolean {
  return splitTags(tags).some((t) => t.toLowerCase() === tag.toLowerCase());
}

/** Adds and removes tags, keeping the others (the template's own tags stay on its clones). */
export function editTags(tags: string | undefined, add: string[], remove: (tag: string) => boolean = () => false): string {
  const out: string[] = [];
  for (const t of [...splitTags(tags).filter((t) => !remove(t)), ...add]) {
    if (!TAG.test(t)) throw new Error(`"${t}" is not a valid Proxmox tag`);
    if (!out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out.join(';');
}

/** The description a clone gets at creation, before it can be tagged: enough to recognise it. */
export function cloneDescription(instanceId: string, appId: string): string {
  return `Created by DaaS Desktop for app ${appId}, instance ${instanceId}. It is deleted or kept when the instance stops, as the app says.`;
}

export function instanceFromDescription(description: string | undefined): string | undefined {
  const m = /Created by DaaS Desktop for app .*, instance ([0-9a-f-]{36})\./.exec(description ?? '');
  return m?.[1];
}

export function ownerTag(installationId: string): string {
  const tag = `${OWNER_TAG_PREFIX}${installationId.toLowerCase()}`;
  if (!TAG.test(tag)) throw new Error(`installation id ${installationId} cannot be a Proxmox tag`);
  return tag;
}

/** The installation a VM's owner tag names, or undefined (VMs tagged before owner tags existed). */
export function ownerFromTags(tags: string | undefined): string | undefined {
  const tag = splitTags(tags).find((t) => t.toLowerCase().startsWith(OWNER_TAG_PREFIX));
  return tag?.slice(OWNER_TAG_PREFIX.length).toLowerCase();
}
