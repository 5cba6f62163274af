// What an app is made of, as users edit, import and export it. One zod schema serves
// the IPC boundary, catalogue import and the published JSON schema.
import { z } from 'zod';

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i;

/** The largest memory or shared-memory size an app may ask for (1 TiB): above it is a typo, not a limit. */
export const MAX_BYTE_SIZE = 1024 ** 4;

/** "512m" -> 536870912; undefined when the text is not a size or too large to be a whole number of bytes. */
export function parseByteSize(text: string): number | undefined {
  const match = SIZE_PATTERN.exec(text.trim());
  if (!match) return undefined;
  // 400 digits parse as Infinity, which Docker would take as no limit at all.
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

const byteSize = (what: string, min: number) =>
  z
    .string()
    .trim()
    .refine((t) => SIZE_PATTERN.test(t), { message: `write ${what} as a number with k, m or g, like 512m or 2g` })
    .refine((t) => !SIZE_PATTERN.test(t) || (parseByteSize(t) ?? Infinity) <= MAX_BYTE_SIZE, {
      message: `${what} must be at most ${MAX_BYTE_SIZE / 1024 ** 3}g`,
    })
    .refine((t) => (parseByteSize(t) ?? Infinity) >= min, { message: `${what} must be at least ${min / 1024 ** 2}m` });

export const dockerConfigSchema = z
  .object({
    image: z
      .string()
      .trim()
      .min(1, 'give the image to run, like daas/desktop:latest')
      .max(300)
      .regex(/^[a-z0-9][a-z0-9._/:@-]*$/i, 'an image name has letters, digits and . _ / : @ - only'),
    command: z.array(z.string().max(4000)).max(100).default([]),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names have letters, digits and _ only'),
        z.string().max(10_000),
      )
      .default({})
      .refine((env) => !Object.hasOwn(env, 'VNC_PASSWORD'), { message: 'VNC_PASSWORD is set by DaaS Desktop for each instance' }),
    cpus: z.number().min(0.1, 'at least 0.1 CPU').max(256).nullable().default(null),
    memory: byteSize('memory', 32 * 1024 ** 2).nullable().default(null),
    shmSize: byteSize('shared memory', 1024 ** 2).nullable().default(null),
    vncPort: z.number().int().min(1).max(65535).default(5901),
    homeVolume: z
      .object({
        name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'a volume name has letters, digits and _ . - only'),
        mountPath: z.string().regex(/^\/[^\0]*$/, 'the mount path must be absolute, like /home/desktop'),
      })
      .strict()
      .nullable()
      .default(null),
    /**
     * Where a viewer's uploads land and the Files panel opens: an absolute path in the
     * desktop, or ~/... in the desktop user's home. null: ~/Desktop.
     */
    transferFolder: z
      .string()
      .trim()
      .max(1024, 'keep the folder under 1024 characters')
      .regex(/^(~|~\/[^\0]*|\/[^\0]*)$/, 'the transfer folder is absolute, like /data, or in the home, like ~/Desktop')
      .refine((folder) => ![...folder].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), { message: 'the transfer folder has no control characters' })
      .refine((folder) => !folder.split('/').includes('..'), { message: 'the transfer folder may not contain ..' })
      .nullable()
      .default(null),
    /**
     * Single-app mode: the image's one application fills the window, with no desktop or
     * title bar around it, and the instance stops when the application exits. The image
     * must support it (the built-in app images do: DAAS_SINGLE_APP=1).
     */
    singleApp: z.boolean().default(false),
    /** The Docker endpoint to run on; null picks the least-loaded one. */
    endpointId: z.string().max(100).nullable().default(null),
    /** Instances kept prepared (started, then paused) so Start hands one out at once; null follows the setting warmPoolSize. */
    warmPool: z.number().int().min(0).max(20).nullable().default(null),
    /**
     * The image serves SFTP (an sshd) on `port` for `username`, whose password it sets from
     * VNC_PASSWORD: shown through guacd, the viewer's files then go over guacd's SFTP. The
     * built-in images run no sshd. Null: none.
     */
    sftp: z
      .object({
        port: z.number().int().min(1, 'a port is between 1 and 65535').max(65535, 'a port is between 1 and 65535').default(22),
        username: z.string().trim().min(1, 'give the SFTP user').max(64).regex(/^[a-z_][a-z0-9_.-]*$/i, 'a user name has letters, digits and _ . - only'),
        /** Where the viewer's uploads land (guacd's default: the user's home). */
        directory: z.string().max(255).regex(/^\/[^\0]*$/, 'the folder must be absolute, like /home/user/Desktop').nullable().default(null),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();

/** The capabilities a desktop keeps by default: what a start script run as root needs to drop to its user. */
export const DEFAULT_CAPABILITIES = ['SETUID', 'SETGID'] as const;

/**
 * How a desktop container is confined. Only an administrator sets it (policy apps, the
 * packaged catalogue); a catalogue import and the app editor cannot. Absent: the defaults.
 */
export const containerSecuritySchema = z
  .object({
    /** The capabilities kept (all others are dropped); null keeps Docker's default set. */
    capabilities: z
      .array(z.string().regex(/^[A-Z][A-Z_]{1,31}$/, 'a capability is named like SETUID (without CAP_)').refine((c) => c !== 'ALL', 'list the capabilities to keep, or null'))
      .max(64)
      .nullable()
      .default([...DEFAULT_CAPABILITIES]),
    /** Processes cannot gain privileges (setuid binaries, file capabilities). */
    noNewPrivileges: z.boolean().default(true),
    /** The most processes and threads the container may run; null: no limit. */
    pidsLimit: z.number().int().min(16).max(1_000_000).nullable().default(512),
  })
  .strict();
export type ContainerSecurity = z.output<typeof containerSecuritySchema>;
export const DEFAULT_CONTAINER_SECURITY: ContainerSecurity = containerSecuritySchema.parse({});

/** The Docker section as the store keeps it and an administrator's app may write it. */
export const managedDockerConfigSchema = dockerConfigSchema.extend({ security: containerSecuritySchema.optional() }).strict();

/**
 * A display password as the renderer may send it: write-only. Absent keeps the stored one,
 * null removes it, text replaces it. It is sealed with the SecretStore in its own table
 * (app_secrets), never kept in the app's JSON, and never sent back (App.displayPasswordSet says
 * whether one is stored).
 */
const writeOnlyPassword = z.string().max(256, 'keep the password under 256 characters').nullable().optional();

const hostName = z
  .string()
  .trim()
  .min(1, 'give the host name or address')
  .max(253)
  .regex(/^[A-Za-z0-9._:[\]-]+$/, 'a host is a name or an IP address');
const portNumber = z.number().int().min(1, 'a port is between 1 and 65535').max(65535, 'a port is between 1 and 65535');

/** guacd's RDP `security` values (Guacamole manual, RDP authentication and security). */
export const RDP_SECURITY = ['any', 'nla', 'nla-ext', 'tls', 'vmconnect', 'rdp'] as const;

/**
 * How a VM app's screen is reached. Default: Proxmox's console (vncproxy + vncwebsocket).
 * `vnc`: a VNC server the VM host exposes itself (e.g. `args: -vnc 0.0.0.0:77`), with its password.
 * `rdp`: the guest's address from the QEMU guest agent, through guacd.
 */
export const proxmoxDisplaySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vncproxy') }).strict(),
  z.object({ kind: z.literal('vnc'), host: hostName, port: portNumber, password: writeOnlyPassword }).strict(),
  z
    .object({
      kind: z.literal('rdp'),
      port: portNumber.default(3389),
      username: z.string().max(256).default(''),
      domain: z.string().max(256).default(''),
      security: z.enum(RDP_SECURITY).default('any'),
      ignoreCert: z.boolean().default(false),
      /**
       * guacd redirects a drive into the guest: a folder of its own on this computer (under
       * the data folder), made when the instance runs and deleted with it.
       */
      driveRedirection: z.boolean().default(true),
      password: writeOnlyPassword,
    })
    .strict(),
]);
export type ProxmoxDisplaySettings = z.output<typeof proxmoxDisplaySchema>;

/**
 * Which gateway shows the app's desktop: 'default' follows the global guacd setting,
 * 'embedded' always uses the built-in VNC gateway, 'guacd' an external guacd at `guacd`
 * (null: the global guacd address, or 127.0.0.1:4822 when none is set).
 */
export const appDisplaySchema = z
  .object({
    gateway: z.enum(['default', 'embedded', 'guacd']).default('default'),
    guacd: z.object({ host: hostName, port: portNumber.default(4822) }).strict().nullable().default(null),
    /** The viewer's microphone may reach the desktop (only with the microphone setting on too). */
    microphone: z.boolean().default(false),
  })
  .strict();
export type AppDisplaySettings = z.output<typeof appDisplaySchema>;

/** A VM app on Proxmox VE: a clone of a template per instance, or one existing VM. */
export const proxmoxConfigSchema = z
  .object({
    /** The Proxmox endpoint (Settings) that holds the VM. */
    endpointId: z.string().min(1, 'pick a Proxmox endpoint').max(100),
    mode: z.enum(['clone', 'existing']).default('clone'),
    /** mode clone: the template (or VM, with full clones) to clone. */
    templateVmid: z.number().int().min(100, 'VM ids start at 100').max(999_999_999).nullable().default(null),
    /** mode existing: the VM started and stopped in place. */
    vmid: z.number().int().min(100, 'VM ids start at 100').max(999_999_999).nullable().default(null),
    /** A node name, "least-loaded", or null for the template's own node. */
    node: z
      .string()
      .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'a node name has letters, digits and - only')
      .nullable()
      .default(null),
    /** Full clone (independent disks) or linked clone (shares the template's disks). */
    full: z.boolean().default(false),
    /** {app}, {instance} (first 8 characters of its id) and {vmid} are replaced. */
    namePattern: z.string().min(1).max(63).default('daas-{app}-{instance}'),
    pool: z.string().max(100).nullable().default(null),
    /** On stop: delete the clone, or shut it down and keep it. */
    onStop: z.enum(['delete', 'keep']).default('delete'),
    /** How the VM's screen is reached (see proxmoxDisplaySchema). */
    display: proxmoxDisplaySchema.default({ kind: 'vncproxy' }),
    /**
     * mode clone: share the clipboard through VNC (`vga: ...,clipboard=vnc` on the clone;
     * Proxmox VE 8.1+, and the guest needs its SPICE agent, spice-vdagent).
     */
    clipboard: z.boolean().default(false),
    /**
     * Where files sent to a VM console land in the guest, through its QEMU guest agent: an
     * absolute folder (/home/user/Desktop, or C:\Users\Public\Desktop). The agent writes as
     * root (SYSTEM on Windows).
     */
    guestFolder: z
      .string()
      .max(255)
      .regex(/^(\/|[A-Za-z]:\\)/, 'give an absolute folder in the VM, like /home/user/Desktop or C:\\Users\\Public\\Desktop')
      .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20), 'a folder name has no control characters')
      .default('/tmp'),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.mode === 'clone' && config.templateVmid === null) {
      ctx.addIssue({ code: 'custom', path: ['templateVmid'], message: 'give the id of the template to clone' });
    }
    if (config.mode === 'existing' && (config.vmid === null || config.node === null || config.node === 'least-loaded')) {
      ctx.addIssue({ code: 'custom', path: [config.vmid === null ? 'vmid' : 'node'], message: 'give the VM id and the node it is on' });
    }
  });

const common = {
  name: z.string().trim().min(1, 'give the app a name').max(80, 'keep the name under 80 characters'),
  description: z.string().max(1000).default(''),
  /** Words to find and filter the app by in the catalogue (e.g. office, dev). */
  tags: z
    .array(z.string().trim().min(1, 'a tag has at least one character').max(32, 'keep each tag under 32 characters').regex(/^[^,]+$/, 'a tag has no comma'))
    .max(12, 'give at most 12 tags')
    .default([]),
  /** A short emoji or symbol shown on the app's card. */
  icon: z.string().max(16).nullable().default(null),
  desktopWidth: z.number().int().min(320).max(8192).default(1280),
  desktopHeight: z.number().int().min(200).max(8192).default(800),
  /** Stop an instance nobody has viewed or used for this long; null never. */
  idleTimeoutMinutes: z.number().int().min(1).max(7 * 24 * 60).nullable().default(null),
  /** Which gateway shows the desktop (optional: absent follows the global setting). */
  display: appDisplaySchema.default({ gateway: 'default', guacd: null, microphone: false }),
};

const dockerApp = z.object({ ...common, provider: z.literal('docker'), docker: dockerConfigSchema }).strict();
const managedDockerApp = z.object({ ...common, provider: z.literal('docker'), docker: managedDockerConfigSchema }).strict();
const proxmoxApp = z
  .object({ ...common, provider: z.literal('proxmox'), proxmox: proxmoxConfigSchema })
  .strict()
  .superRefine((app, ctx) => {
    if (app.proxmox.display.kind === 'rdp' && app.display.gateway === 'embedded') {
      ctx.addIssue({ code: 'custom', path: ['display', 'gateway'], message: 'RDP needs guacd: the embedded gateway speaks VNC only' });
    }
  });

/** What the app editor may send. */
export const appInputSchema = z.discriminatedUnion('provider', [dockerApp, proxmoxApp]);
/** What the store keeps: the editor's fields plus those only an administrator sets (docker.security). */
export const appConfigSchema = z.discriminatedUnion('provider', [managedDockerApp, proxmoxApp]);

/** What a user sends (defaults may be omitted). */
export type AppInput = z.input<typeof appInputSchema>;
/** An app's configuration with every default filled in. */
export type AppConfig = z.output<typeof appConfigSchema>;
export type DockerAppConfig = z.output<typeof managedDockerConfigSchema>;
export type ProxmoxAppSettings = z.output<typeof proxmoxConfigSchema>;

export const APP_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A catalogue file: what export writes and import reads. */
export const catalogueFileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    apps: z.array(z.unknown()).max(1000),
  })
  .strict();

const entryId = { id: z.string().regex(APP_ID_PATTERN, 'ids are lower-case letters, digits and -').optional() };
export const catalogueEntrySchema = z.discriminatedUnion('provider', [dockerApp.extend(entryId), proxmoxApp.extend(entryId)]);
/** An entry an administrator writes (policy apps, the packaged catalogue): docker.security allowed. */
export const managedCatalogueEntrySchema = z.discriminatedUnion('provider', [managedDockerApp.extend(entryId), proxmoxApp.extend(entryId)]);
