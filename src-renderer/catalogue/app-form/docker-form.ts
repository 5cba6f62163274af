// The container part of the app form: image, command, environment, limits, VNC port,
// home volume and Docker endpoint, as typed, and how they become `docker` of the app.
//
// How the list-like fields are written:
// - command: one argument per line (no quoting rules to learn; blank lines are skipped);
// - environment: one KEY=value per line (the value is everything after the first "=").
import { isDockerImageName } from '../../../src-shared/docker-image-name';
import type { App } from '../../../src-shared/model';
import { t } from '../../i18n/i18n';
import { wholeReader, type FieldErrors, type SectionForm } from './section-form';

export const DEFAULT_VNC_PORT = 5901;

// A type (not an interface) so it fits the registry's record of values.
export type DockerFormValues = {
  image: string;
  command: string;
  env: string;
  cpus: string;
  memory: string;
  shmSize: string;
  vncPort: string;
  homeVolumeName: string;
  homeVolumeMountPath: string;
  /** '' is ~/Desktop. */
  transferFolder: string;
  /** '' picks the least-loaded endpoint. */
  endpointId: string;
  /** Prepared instances; '' follows the setting. */
  warmPool: string;
  singleApp: boolean;
  /** The image's SFTP user; '' = the image serves no SFTP. */
  sftpUsername: string;
  /** '' = 22. */
  sftpPort: string;
  /** '' = the user's home. */
  sftpDirectory: string;
};

export const DEFAULT_SFTP_PORT = 22;

type DockerField = keyof DockerFormValues;

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** One argument per line; lines holding only spaces are skipped. */
export function parseCommand(text: string): string[] {
  return lines(text).filter((line) => line.trim() !== '');
}

/** KEY=value lines into a record; the first problem is returned as an error. */
export function parseEnv(text: string): { env: Record<string, string> } | { error: string } {
  const env: Record<string, string> = {};
  const seenOn = new Map<string, number>();
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) return { error: t('form.envNoEquals', { line: i + 1 }) };
    const key = line.slice(0, eq).trim();
    if (key === '') return { error: t('form.envNoName', { line: i + 1 }) };
    const first = seenOn.get(key);
    if (first !== undefined) return { error: t('form.envTwice', { name: key, first, second: i + 1 }) };
    seenOn.set(key, i + 1);
    env[key] = line.slice(eq + 1);
  }
  return { env };
}

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** Schema names inside `docker` that are one form field each. */
const PATH_FIELDS: Record<string, DockerField> = {
  image: 'image',
  command: 'command',
  env: 'env',
  cpus: 'cpus',
  memory: 'memory',
  shmSize: 'shmSize',
  vncPort: 'vncPort',
  endpointId: 'endpointId',
  warmPool: 'warmPool',
  transferFolder: 'transferFolder',
  singleApp: 'singleApp',
};

export const dockerForm: SectionForm<DockerFormValues> = {
  // Its fields were the form's first: their names carry no prefix.
  keyPrefix: '',

  empty() {
    return {
      image: '',
      command: '',
      env: '',
      cpus: '',
      memory: '',
      shmSize: '',
      vncPort: String(DEFAULT_VNC_PORT),
      homeVolumeName: '',
      homeVolumeMountPath: '',
      transferFolder: '',
      endpointId: '',
      warmPool: '',
      singleApp: false,
      sftpUsername: '',
      sftpPort: '',
      sftpDirectory: '',
    };
  },

  fromApp(app: App) {
    if (app.provider !== 'docker') return dockerForm.empty();
    const { docker } = app;
    return {
      image: docker.image,
      command: docker.command.join('\n'),
      env: Object.entries(docker.env)
        .map(([key, value]) => `${key}=${value}`)
        .join('\n'),
      cpus: docker.cpus === null ? '' : String(docker.cpus),
      memory: docker.memory ?? '',
      shmSize: docker.shmSize ?? '',
      vncPort: String(docker.vncPort),
      homeVolumeName: docker.homeVolume?.name ?? '',
      homeVolumeMountPath: docker.homeVolume?.mountPath ?? '',
      transferFolder: docker.transferFolder ?? '',
      endpointId: docker.endpointId ?? '',
      warmPool: docker.warmPool === null ? '' : String(docker.warmPool),
      singleApp: docker.singleApp,
      sftpUsername: docker.sftp?.username ?? '',
      sftpPort: docker.sftp && docker.sftp.port !== DEFAULT_SFTP_PORT ? String(docker.sftp.port) : '',
      sftpDirectory: docker.sftp?.directory ?? '',
    };
  },

  applies() {
    return true;
  },

  build(values) {
    const errors: FieldErrors<DockerFormValues> = {};
    const whole = wholeReader(values, errors);
    const cpusText = values.cpus.trim();
    let cpus: number | null = null;
    if (cpusText !== '') {
      if (DECIMAL.test(cpusText)) cpus = Number(cpusText);
      else errors.cpus = t('form.cpus');
    }

    // Docker's own rule (lower case and all), so a name Docker would refuse fails here, not at start.
    const image = values.image.trim();
    if (image !== '' && !isDockerImageName(image)) errors.image = `${t('error.image.badName', { image })} ${t('fix.image.nameRule')}`;

    const parsedEnv = parseEnv(values.env);
    if ('error' in parsedEnv) errors.env = parsedEnv.error;

    const volumeName = values.homeVolumeName.trim();
    const mountPath = values.homeVolumeMountPath.trim();
    if (volumeName && !mountPath) errors.homeVolumeMountPath = t('form.mountPathMissing');
    if (mountPath && !volumeName) errors.homeVolumeName = t('form.volumeNameMissing');

    const transferFolder = values.transferFolder.trim();

    const vncPort = whole('vncPort', DEFAULT_VNC_PORT, '5901');
    const warmPool = whole('warmPool', null, '1');
    const memory = values.memory.trim();
    const shmSize = values.shmSize.trim();
    const sftpUsername = values.sftpUsername.trim();
    const sftpDirectory = values.sftpDirectory.trim();
    const sftpPort = whole('sftpPort', DEFAULT_SFTP_PORT, '22');

    const docker = {
      image: values.image,
      command: parseCommand(values.command),
      env: 'env' in parsedEnv ? parsedEnv.env : {},
      cpus,
      memory: memory === '' ? null : memory,
      shmSize: shmSize === '' ? null : shmSize,
      vncPort: vncPort ?? DEFAULT_VNC_PORT,
      homeVolume: volumeName && mountPath ? { name: volumeName, mountPath } : null,
      transferFolder: transferFolder === '' ? null : transferFolder,
      endpointId: values.endpointId === '' ? null : values.endpointId,
      warmPool: warmPool ?? null,
      singleApp: values.singleApp,
      sftp: sftpUsername
        ? { username: sftpUsername, port: sftpPort ?? DEFAULT_SFTP_PORT, directory: sftpDirectory === '' ? null : sftpDirectory }
        : null,
    };
    return { config: { provider: 'docker', docker }, errors };
  },

  fieldOfPath([second, third]) {
    if (second === 'homeVolume') return third === 'mountPath' ? 'homeVolumeMountPath' : 'homeVolumeName';
    if (second === 'sftp') return third === 'port' ? 'sftpPort' : third === 'directory' ? 'sftpDirectory' : 'sftpUsername';
    if (typeof second === 'string' && Object.hasOwn(PATH_FIELDS, second)) return PATH_FIELDS[second]!;
    return 'image';
  },
};
