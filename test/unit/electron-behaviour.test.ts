// Notifications, closing a viewer, quitting, and the application menu.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from '../../src-main/electron/app-menu';
import { quitPlan, shouldAskOnViewerClose, viewerCloseChoice, viewerCloseQuestion } from '../../src-main/electron/close-behaviour';
import { notificationFor, refusedStartNotification, type FocusedWindow } from '../../src-main/electron/notification-policy';
import { shellTranslator } from '../../src-main/electron/shell-texts';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { Instance } from '../../src-shared/model';

const instance = (state: Instance['state'], stateReason: string | null = null): Instance => ({
  id: 'i1', appId: 'app', appName: 'App', name: 'Office', state, stateReason, createdAt: '', updatedAt: '',
});
const NONE: FocusedWindow = { kind: 'none' };

test('notifies when an instance becomes running while none of its windows is in front', () => {
  const note = notificationFor('starting', instance('running'), NONE, true);
  assert.deepEqual(note, { title: 'Office is ready', body: 'Its desktop is running. Click to open it.', onClick: { action: 'open-viewer', instanceId: 'i1' } });
  assert.ok(notificationFor('creating', instance('running'), { kind: 'viewer', instanceId: 'other' }, true), 'another desktop in front');
});

test('notifies a failure with its reason, from any state', () => {
  for (const previous of ['creating', 'starting', 'running', 'stopping', undefined] as const) {
    const note = notificationFor(previous, instance('failed', 'The desktop did not answer within 30 s.'), NONE, true);
    assert.equal(note?.title, 'Office failed', String(previous));
    assert.equal(note?.body, 'The desktop did not answer within 30 s.');
    assert.deepEqual(note?.onClick, { action: 'show-catalogue' });
  }
  assert.equal(notificationFor('starting', instance('failed'), NONE, true)?.body, 'The instance stopped working.');
});

test('no notification when the user already sees it, when disabled, or for other transitions', () => {
  assert.equal(notificationFor('starting', instance('running'), { kind: 'catalogue' }, true), null);
  assert.equal(notificationFor('starting', instance('running'), { kind: 'viewer', instanceId: 'i1' }, true), null);
  assert.equal(notificationFor('starting', instance('running'), NONE, false), null);
  assert.equal(notificationFor('failed', instance('failed'), NONE, true), null, 'no repeat');
  assert.equal(notificationFor(undefined, instance('running'), NONE, true), null, 'already running at start-up');
  assert.equal(notificationFor('running', instance('running'), NONE, true), null);
  for (const state of ['creating', 'starting', 'stopping', 'stopped'] as const) assert.equal(notificationFor('running', instance(state), NONE, true), null, state);
});

test('a refused start notifies only while none of our windows is in front, in the shell\'s language', () => {
  const refused = { ok: false as const, error: new DaasError('IMAGE_MISSING', errorText('error.image.noRecipe', { image: 'x/y:1' }), errorText('fix.image.pullYourself', { image: 'x/y:1' })).toInfo() };
  const note = refusedStartNotification('instances.start', refused, NONE, true);
  assert.equal(note?.title, 'The app did not start');
  assert.match(note!.body, /x\/y:1/);
  assert.deepEqual(note?.onClick, { action: 'show-catalogue' });
  assert.equal(refusedStartNotification('instances.start', refused, NONE, true, shellTranslator('de'))?.title, 'Die App wurde nicht gestartet');
  assert.equal(refusedStartNotification('instances.start', refused, { kind: 'catalogue' }, true), null, 'the card shows it');
  assert.equal(refusedStartNotification('instances.start', refused, NONE, false), null, 'notifications off');
  assert.equal(refusedStartNotification('instances.stop', refused, NONE, true), null, 'only starts');
  assert.equal(refusedStartNotification('instances.start', { ok: true, result: {} }, NONE, true), null);
});

test('closing a viewer: ask only when so configured, the instance runs, and the app is not quitting', () => {
  assert.equal(shouldAskOnViewerClose({ viewerCloseBehaviour: 'leave-running' }, 'running', false), false);
  assert.equal(shouldAskOnViewerClose({ viewerCloseBehaviour: 'ask' }, 'running', false), true);
  assert.equal(shouldAskOnViewerClose({ viewerCloseBehaviour: 'ask' }, 'running', true), false);
  assert.equal(shouldAskOnViewerClose({ viewerCloseBehaviour: 'ask' }, 'stopped', false), false);
  assert.equal(shouldAskOnViewerClose({ viewerCloseBehaviour: 'ask' }, undefined, false), false);
  const question = viewerCloseQuestion('Office');
  assert.equal(question.message, 'Stop Office?');
  assert.equal(question.buttons[question.defaultId], 'Leave running', 'the default never stops anything');
  assert.equal(viewerCloseChoice(0), 'leave-running');
  assert.equal(viewerCloseChoice(1), 'stop');
  assert.equal(viewerCloseChoice(question.cancelId), 'cancel');
  assert.equal(viewerCloseChoice(-1), 'cancel');
});

test('quitting follows the setting', () => {
  assert.equal(quitPlan({ quitBehaviour: 'leave-running' }), 'leave-running');
  assert.equal(quitPlan({ quitBehaviour: 'stop-all' }), 'stop-all');
});

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);
}

test('the application menu has the usual roles, the app commands, and developer tools only in development', () => {
  const calls: string[] = [];
  const actions = { showCatalogue: () => calls.push('show'), stopAll: () => calls.push('stop-all') };
  const linux = appMenuTemplate(actions, { platform: 'linux', development: false });
  const mac = appMenuTemplate(actions, { platform: 'darwin', development: false });
  const dev = appMenuTemplate(actions, { platform: 'win32', development: true });
  for (const role of ['editMenu', 'windowMenu', 'togglefullscreen', 'resetZoom', 'zoomIn', 'zoomOut', 'about']) {
    assert.ok(roles(linux).includes(role), `linux ${role}`);
    assert.ok(roles(mac).includes(role), `mac ${role}`);
  }
  assert.equal(mac[0]!.role, 'appMenu');
  assert.ok(!roles(linux).includes('appMenu'));
  assert.ok(roles(linux).includes('quit'));
  assert.ok(!roles(linux).includes('toggleDevTools') && !roles(linux).includes('reload'));
  assert.ok(roles(dev).includes('toggleDevTools'));
  const file = linux.find((m) => m.label === '&File')!.submenu as MenuItemConstructorOptions[];
  for (const item of file) item.click?.({} as never, undefined, {} as never);
  assert.deepEqual(calls, ['show', 'stop-all']);
});
