// The settings a user (or an administrator's policy) can set, one zod schema per key.
// Every layer (packaged defaults, policy, user, environment) is checked key by key
// against these, so one bad value never discards its neighbours.
import { z } from 'zod';
import { errorText, type ErrorText } from './error-texts';

const hostName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address');

export const settingSchemas = {
  orphanPolicy: z
    .enum(['remove', 'adopt'])
    .describe('What to do with containers labelled by DaaS Desktop that have no instance (after a crash): remove them, or adopt them as instances.'),
  keepFailedContainersHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 365)
    .nullable()
    .describe(
      'How long the container of a failed instance (e.g. stopped when its Docker engine went away) is kept, with its files, before DaaS Desktop removes it. 0: remove at once. null: keep it until the user removes the instance.',
    ),
  readinessTimeoutSeconds: z
    .number()
    .int()
    .min(5)
    .max(600)
    .describe('How long a starting desktop may take to answer before the start counts as failed, in seconds.'),
  idleTimeoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullable()
    .describe('The idle timeout new apps get: stop an instance nobody has viewed or used for this long. null: never.'),
  maxInstancesPerApp: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .nullable()
    .describe('The most instances of one app that may run at once (warm-pool instances included). null: no limit.'),
  maxInstancesTotal: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .nullable()
    .describe('The most instances of all apps that may run at once (warm-pool instances included). null: no limit.'),
  maxTotalMemoryMiB: z
    .number()
    .int()
    .min(32)
    .max(1024 * 1024)
    .nullable()
    .describe(
      "The total memory running container instances may claim, in MiB: the sum of their apps' memory limits. A container app without a memory limit claims the whole budget (it runs only alone); virtual machines do not count. null: no limit.",
    ),
  warmPoolSize: z
    .number()
    .int()
    .min(0)
    .max(20)
    .describe('How many instances of each container app are prepared in the background (started, then paused) so Start hands one out at once; an app can set its own number. 0: none.'),
  eventRetentionDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .describe("How long the log of instances' state changes is kept, in days; older entries are deleted at start-up and every few hours."),
  clipboardToDesktop: z.boolean().describe('Allow pasting from this computer into remote desktops (clipboard "up").'),
  clipboardFromDesktop: z.boolean().describe('Allow copying from remote desktops to this computer (clipboard "down").'),
  fileUpload: z.boolean().describe("Allow sending files from this computer into remote desktops (into the app's transfer folder, ~/Desktop by default) and importing a home archive."),
  fileDownload: z.boolean().describe('Allow downloading files from remote desktops to this computer (the Files panel, files offered from the remote ~/Outbox, and a home export).'),
  audio: z.boolean().describe("Play remote desktops' sound on this computer."),
  microphone: z.boolean().describe("Allow this computer's microphone into remote desktops, for apps that ask for it."),
  maxTransferSizeMiB: z
    .number()
    .int()
    .min(1)
    .max(1024 * 1024)
    .describe('The largest file that may be transferred into or out of a remote desktop, in MiB.'),
  quitBehaviour: z
    .enum(['leave-running', 'stop-all'])
    .describe('When the app quits: leave instances running (reopen them later), or stop them all.'),
  viewerCloseBehaviour: z
    .enum(['leave-running', 'ask'])
    .describe('When a desktop window is closed: leave its instance running, or ask whether to stop it.'),
  notifications: z.boolean().describe('Show a system notification when an instance becomes running or fails while its window is not in front.'),
  guacd: z
    .object({ host: hostName, port: z.number().int().min(1).max(65535) })
    .strict()
    .nullable()
    .describe('An external Apache guacd (needed for RDP). null: the gateway built into the app (VNC only), or the guacd container below.'),
  guacdContainerImage: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .regex(/^[a-z0-9][a-z0-9._/:@-]*$/i, 'a Docker image name, like guacamole/guacd')
    .nullable()
    .describe(
      'Run Apache guacd from this image (such as guacamole/guacd) on the local Docker engine, on 127.0.0.1, and use it as the guacd. Ignored when guacd gives an address. null: do not.',
    ),
  allowCatalogueEditing: z.boolean().describe('Let users create, edit, import and delete apps in the catalogue.'),
  allowEndpointEditing: z.boolean().describe('Let users add, edit and delete Docker endpoints.'),
  theme: z.enum(['system', 'light', 'dark']).describe("The colour theme: follow the system's, or always light or dark."),
  language: z.enum(['system', 'en', 'de']).describe("The interface language: the system's, English or German."),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingsValues = { [K in SettingKey]: z.output<(typeof settingSchemas)[K]> };
export const SETTING_KEYS = Object.keys(settingSchemas) as SettingKey[];

/** The built-in defaults: the lowest layer, complete. */
export const BUILT_IN_SETTINGS: Readonly<SettingsValues> = Object.freeze({
  orphanPolicy: 'remove',
  keepFailedContainersHours: 168,
  readinessTimeoutSeconds: 30,
  idleTimeoutMinutes: null,
  maxInstancesPerApp: null,
  maxInstancesTotal: null,
  maxTotalMemoryMiB: null,
  warmPoolSize: 0,
  eventRetentionDays: 30,
  clipboardToDesktop: true,
  clipboardFromDesktop: true,
  fileUpload: true,
  fileDownload: true,
  audio: true,
  microphone: false,
  maxTransferSizeMiB: 4096,
  quitBehaviour: 'leave-running',
  viewerCloseBehaviour: 'leave-running',
  notifications: true,
  guacd: null,
  guacdContainerImage: null,
  allowCatalogueEditing: true,
  allowEndpointEditing: true,
  theme: 'system',
  language: 'system',
});

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(settingSchemas, key);
}

/** A zod object of every setting, each optional: one layer's values, strict about unknown keys. */
export const settingsLayerSchema = z
  .object(Object.fromEntries(SETTING_KEYS.map((key) => [key, settingSchemas[key].optional()])) as {
    [K in SettingKey]: z.ZodOptional<(typeof settingSchemas)[K]>;
  })
  .strict();

export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

export interface LayerParse {
  values: Partial<SettingsValues>;
  /** One line per ignored key: "<where>.<key>: <reason>" (English, for logs). */
  problems: string[];
  /** The same lines by key and parameters, for windows to show in their language. */
  problemTexts: ErrorText[];
}

/** Problems as LayerParse carries them: English lines and their translatable form, from one list. */
export function problemLists(texts: ErrorText[]): Pick<LayerParse, 'problems' | 'problemTexts'> {
  return { problems: texts.map((t) => t.text), problemTexts: texts };
}

/**
 * Reads one layer leniently: unknown keys and invalid values are left out and named in
 * `problems`; every valid key is kept. `where` prefixes each problem (e.g. "locked").
 */
export function parseSettingsLayer(raw: unknown, where: string): LayerParse {
  if (raw === undefined) return { values: {}, ...problemLists([]) };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { values: {}, ...problemLists([errorText('problem.settings.notObject', { where })]) };
  }
  const values: Partial<Record<SettingKey, unknown>> = {};
  const problems: ErrorText[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'updatesEnabled') {
      // Removed: it had no behaviour behind it. Policies written for older versions name it.
      problems.push(errorText('problem.settings.updatesRemoved', { where }));
      continue;
    }
    if (!isSettingKey(key)) {
      problems.push(errorText('problem.settings.unknown', { where, key, known: SETTING_KEYS.join(', ') }));
      continue;
    }
    const parsed = settingSchemas[key].safeParse(value);
    if (parsed.success) values[key] = parsed.data;
    else problems.push(errorText('problem.settings.invalid', { where, key, issue: describeIssue(parsed.error.issues[0]!) }));
  }
  return { values: values as Partial<SettingsValues>, ...problemLists(problems) };
}
