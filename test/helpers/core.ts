// Opens a real core (real SQLite in a temp folder, real Docker) for integration tests.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, type Settings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import type { Instance } from '../../src-shared/model';

export async function tempDataDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'daas-test-'));
}

export function testSettings(dataDir: string, overrides: Partial<Settings> = {}): Settings {
  return { ...loadSettings(dataDir, {}), readinessTimeoutMs: 20_000, ...overrides };
}

export async function openCore(dataDir: string, overrides: Partial<Settings> = {}): Promise<Core> {
  return Core.open(testSettings(dataDir, overrides));
}

/** Resolves with the first instance.changed event for `id` whose state is `state`. */
export function waitForState(core: Core, id: string, state: Instance['state'], timeoutMs = 30_000): Promise<Instance> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`instance ${id} did not become ${state} within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = core.subscribe((event) => {
      if (event.event === 'instance.changed' && event.payload.id === id && event.payload.state === state) {
        clearTimeout(timer);
        unsubscribe();
        resolve(event.payload);
      }
    });
    void core.instances.get(id).then((current) => {
      if (current?.state === state) {
        clearTimeout(timer);
        unsubscribe();
        resolve(current);
      }
    });
  });
}

/** The host actions tests give the core: a viewer "opens" without a window. */
export const TEST_HOST = { openViewer: async () => ({ kind: 'opened' as const }) };

/**
 * One contract request through the core, as a window sends it; a typed error becomes
 * an Error whose message names the channel, what failed and what to do, with `info`.
 */
export async function callCore<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const result = await core.handle(channel, payload, TEST_HOST);
  if (!result.ok) {
    throw Object.assign(new Error(`${channel}: ${result.error.message} ${result.error.action}`), { info: result.error });
  }
  return result.result as T;
}
