// The tray menu as data: which instances it lists, what Open and Stop allow, the commands.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followInstances, trayModel, type TrayItem } from '../../src-main/electron/tray-model';
import type { Instance } from '../../src-shared/model';

function instance(id: string, name: string, state: Instance['state']): Instance {
  return { id, appId: 'app', appName: 'App', name, state, stateReason: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };
}
const instancesOf = (items: TrayItem[]) => items.filter((i): i is Extract<TrayItem, { kind: 'instance' }> => i.kind === 'instance');
const command = (items: TrayItem[], name: string) => items.find((i) => i.kind === 'command' && i.command === name) as Extract<TrayItem, { kind: 'command' }>;

test('no instances: a note, the catalogue and quit; stop all is disabled', () => {
  const model = trayModel([]);
  assert.equal(model.tooltip, 'DaaS Desktop');
  assert.deepEqual(model.items[0], { kind: 'note', label: 'No instances running' });
  assert.equal(command(model.items, 'show-catalogue').enabled, true);
  assert.equal(command(model.items, 'stop-all').enabled, false);
  assert.equal(command(model.items, 'quit').enabled, true);
  assert.equal(model.items.at(-1)!.kind, 'command');
});

test('lists active instances by name with Open only when running and Stop when stoppable; stopped ones are left out', () => {
  const model = trayModel([
    instance('3', 'zeta', 'starting'),
    instance('1', 'alpha', 'running'),
    instance('2', 'beta', 'stopped'),
    instance('4', 'gamma', 'failed'),
    instance('5', 'delta', 'stopping'),
    instance('6', 'epsilon', 'creating'),
  ]);
  const listed = instancesOf(model.items);
  assert.deepEqual(
    listed.map((i) => [i.label, i.canOpen, i.canStop]),
    [
      ['alpha (running)', true, true],
      ['delta (stopping)', false, false],
      ['epsilon (creating)', false, true],
      ['gamma (failed)', false, true],
      ['zeta (starting)', false, true],
    ],
  );
  assert.equal(model.tooltip, 'DaaS Desktop: 1 running');
  assert.equal(command(model.items, 'stop-all').enabled, true);
});

test('only stopping instances: nothing left to stop', () => {
  assert.equal(command(trayModel([instance('1', 'a', 'stopping')]).items, 'stop-all').enabled, false);
});

test('names are shown literally (no accelerator markers) and same names keep a stable order', () => {
  const model = trayModel([instance('b', 'R&D', 'running'), instance('a', 'R&D', 'running')]);
  const listed = instancesOf(model.items);
  assert.deepEqual(listed.map((i) => i.instanceId), ['a', 'b']);
  assert.equal(listed[0]!.label, 'R&&D (running)');
  assert.equal(model.tooltip, 'DaaS Desktop: 2 running');
});

test('removed rows leave the tray: a removed failed instance no longer offers Stop', () => {
  const instances = new Map<string, Instance>();
  assert.equal(followInstances(instances, { event: 'instance.changed', payload: instance('1', 'alpha', 'failed') }), true);
  assert.equal(followInstances(instances, { event: 'instance.changed', payload: instance('2', 'beta', 'running') }), true);
  assert.equal(instancesOf(trayModel([...instances.values()]).items).length, 2);
  assert.equal(followInstances(instances, { event: 'instances.removed', payload: { instanceIds: ['1', 'unknown'] } }), true);
  assert.deepEqual(instancesOf(trayModel([...instances.values()]).items).map((i) => i.label), ['beta (running)']);
  assert.equal(followInstances(instances, { event: 'instances.removed', payload: { instanceIds: ['unknown'] } }), false, 'nothing to redraw');
  assert.equal(followInstances(instances, { event: 'apps.changed', payload: [] }), false);
});
