// The folder boundaries in eslint.config.mjs fire on the imports they forbid and pass the ones
// they allow, so a green lint run means the layers hold.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'boundaries/layers').map((m) => m.message);
}

const forbidden: Array<[string, string]> = [
  ['src-shared/x.ts', "import type { Core } from '../src-main/core';"],
  ['src-main/store/x.ts', "import type { ProxmoxAppConfig } from '../providers/proxmox/proxmox-settings';"],
  ['src-main/store/x.ts', "import { paths } from '../config/paths';"],
  ['src-main/providers/docker/x.ts', "import type { AppsRepository } from '../../store/apps-repository';"],
  ['src-main/providers/x.ts', "export { GatewayServer } from '../display/gateway/gateway-server';"],
  ['src-main/rfb/decoders/x.ts', "import { pixelBuffers } from '../../display/image/buffer-pool';"],
  ['src-main/rfb/x.ts', "import type { ProxmoxAppConfig } from '../providers/proxmox/proxmox-settings';"],
  ['src-renderer/settings/x.ts', "import { Core } from '../../src-main/core';"],
  ['src-main/core.ts', "import { app } from 'electron';"],
  ['src-main/core.ts', "import { DockerEndpoints } from './providers/docker/docker-endpoints';"],
  ['src-main/lifecycle/x.ts', "import type { ProxmoxProvider } from '../providers/proxmox/proxmox-provider';"],
  ['src-main/display/x.ts', "import Docker from 'dockerode';"],
  ['src-shared/x.ts', "const m = import('electron/main');"],
];

for (const [file, code] of forbidden) {
  test(`boundaries refuse in ${file}: ${code}`, async () => {
    const errors = await boundaryErrors(file, code);
    assert.equal(errors.length, 1, `expected one boundary error, got ${JSON.stringify(errors)}`);
    assert.match(errors[0]!, /docs\/architecture\.md/);
  });
}

const allowed: Array<[string, string]> = [
  ['src-main/store/x.ts', "import type { App } from '../../src-shared/model';\nimport { Db } from './database';"],
  ['src-main/providers/docker/x.ts', "import { DaasError } from '../../../src-shared/errors';\nimport { paths } from '../../config/paths';"],
  ['src-renderer/settings/x.ts', "import type { App } from '../../src-shared/model';\nimport { t } from '../i18n/i18n';"],
  ['src-main/rfb/decoders/x.ts', "import { RfbProtocolError } from '../errors';\nimport { DaasError } from '../../../src-shared/errors';"],
  ['src-main/providers/proxmox/x.ts', "import { parseRfbBanner } from '../../rfb/banner';"],
  ['src-main/display/vnc/x.ts', "import { RfbClient } from '../../rfb/rfb-client';"],
  ['src-main/electron/x.ts', "import { app } from 'electron';\nimport { Core } from '../core';"],
  ['src-main/display/x.ts', "import type { Providers } from '../providers/providers';\nimport type { DisplayTarget } from '../providers/provider';"],
];

for (const [file, code] of allowed) {
  test(`boundaries allow in ${file}`, async () => {
    assert.deepEqual(await boundaryErrors(file, code), []);
  });
}
