import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canStop, canTransition, canView, TRANSITIONS } from '../../src-shared/instance-states';
import { INSTANCE_STATES } from '../../src-shared/model';

test('the normal life of an instance is allowed', () => {
  const path = ['creating', 'starting', 'running', 'stopping', 'stopped'] as const;
  for (let i = 0; i + 1 < path.length; i++) assert.ok(canTransition(path[i]!, path[i + 1]!), `${path[i]} -> ${path[i + 1]}`);
});

test('stopped is final', () => {
  for (const to of INSTANCE_STATES) assert.equal(canTransition('stopped', to), false, `stopped -> ${to}`);
});

test('nothing goes back to creating, and only starting reaches running', () => {
  for (const from of INSTANCE_STATES) {
    assert.equal(canTransition(from, 'creating'), false);
    assert.equal(canTransition(from, 'running'), from === 'starting');
  }
});

test('any live state can fail', () => {
  for (const from of ['creating', 'starting', 'running', 'stopping'] as const) assert.ok(canTransition(from, 'failed'));
});

test('stop is offered for live and failed instances, not for stopped or stopping ones', () => {
  assert.deepEqual(
    INSTANCE_STATES.filter(canStop),
    ['creating', 'starting', 'running', 'failed'],
  );
});

test('only a running instance can be viewed', () => {
  assert.deepEqual(INSTANCE_STATES.filter(canView), ['running']);
});

test('the table names only known states', () => {
  for (const [from, tos] of Object.entries(TRANSITIONS)) {
    assert.ok((INSTANCE_STATES as readonly string[]).includes(from));
    for (const to of tos) assert.ok(INSTANCE_STATES.includes(to));
  }
});
