// What instances.inspect masks before a configuration leaves the main process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MASK } from '../../src-shared/contract';
import { maskSecrets } from '../../src-main/providers/secret-mask';

interface Masked {
  Config: { Env: string[]; Labels: Record<string, string>; Cmd: string[] };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[]> };
  HostConfig: unknown;
}

test('secret-sounding names, NAME=value entries and credential-looking values are masked; the rest stays', () => {
  const { value, masked } = maskSecrets({
    Config: {
      Env: ['VNC_PASSWORD=abc123', 'API_TOKEN=t', 'GREETING=hello', 'DB_URL=postgres://app:hunter2@db/x', 'EMPTY_SECRET=', 'PATH=/usr/bin'],
      Labels: { 'org.opencontainers.image.authors': 'Jane', 'io.daas-desktop.instance': 'i-1' },
      Cmd: ['run', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    },
    NetworkSettings: { Ports: { '5901/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }] } },
    HostConfig: { Auth: { password: 'p' }, Memory: 0 },
  }) as { value: Masked; masked: number };
  assert.deepEqual(value.Config.Env, [`VNC_PASSWORD=${MASK}`, `API_TOKEN=${MASK}`, 'GREETING=hello', `DB_URL=${MASK}`, 'EMPTY_SECRET=', 'PATH=/usr/bin']);
  assert.deepEqual(value.Config.Labels, { 'org.opencontainers.image.authors': 'Jane', 'io.daas-desktop.instance': 'i-1' });
  assert.deepEqual(value.Config.Cmd, ['run', MASK]);
  assert.deepEqual(value.NetworkSettings.Ports['5901/tcp'], [{ HostIp: '127.0.0.1', HostPort: MASK }]);
  assert.deepEqual(value.HostConfig, { Auth: { password: MASK }, Memory: 0 });
  assert.equal(masked, 6);
});
