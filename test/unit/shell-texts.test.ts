// The Electron shell in German: tray, tray menu, application menu, notifications and the
// close question, and how the shell picks its language (the setting, else the system's).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from '../../src-main/electron/app-menu';
import { viewerCloseQuestion } from '../../src-main/electron/close-behaviour';
import { notificationFor } from '../../src-main/electron/notification-policy';
import { resolveShellLocale, shellTranslator } from '../../src-main/electron/shell-texts';
import { trayMenuTemplate, trayModel } from '../../src-main/electron/tray-model';
import { errorText, stateReason } from '../../src-shared/error-texts';
import { DaasError } from '../../src-shared/errors';
import type { Instance } from '../../src-shared/model';

const GERMAN = shellTranslator('de');
const instance = (id: string, name: string, state: Instance['state'], stateReason: string | null = null): Instance => ({
  id, appId: 'app', appName: 'App', name, state, stateReason, createdAt: '', updatedAt: '',
});
const noop = { open() {}, stop() {}, command() {} };

test('the language: the setting wins; for system, the first preferred language the shell speaks', () => {
  assert.equal(resolveShellLocale('de', ['en-US']), 'de');
  assert.equal(resolveShellLocale('en', ['de-DE']), 'en');
  assert.equal(resolveShellLocale('system', ['de-AT', 'en-GB']), 'de');
  assert.equal(resolveShellLocale('system', ['fr-FR', 'de-CH']), 'de', 'French is not offered: the next preference');
  assert.equal(resolveShellLocale('system', ['en-US', 'de-DE']), 'en');
  assert.equal(resolveShellLocale('system', ['fr-FR']), 'en');
  assert.equal(resolveShellLocale('system', []), 'en');
});

test('the tray in German: states, the note, the commands, Open/Stop and a plural tooltip', () => {
  const empty = trayModel([], GERMAN);
  assert.deepEqual(
    empty.items.filter((i) => i.kind !== 'separator').map((i) => ('label' in i ? i.label : '')),
    ['Keine Instanzen laufen', 'DaaS Desktop anzeigen', 'Alle Instanzen beenden', 'DaaS Desktop beenden'],
  );
  const model = trayModel([instance('1', 'Büro', 'running'), instance('2', 'Labor', 'starting'), instance('3', 'Test', 'running')], GERMAN);
  assert.equal(model.tooltip, 'DaaS Desktop: 2 laufen');
  assert.equal(trayModel([instance('1', 'Büro', 'running')], GERMAN).tooltip, 'DaaS Desktop: 1 läuft');
  const template = trayMenuTemplate(model, noop, GERMAN);
  assert.equal(template[0]!.label, 'Büro (läuft)');
  assert.equal(template[1]!.label, 'Labor (startet)');
  assert.deepEqual((template[0]!.submenu as MenuItemConstructorOptions[]).map((i) => i.label), ['Öffnen', 'Beenden']);
});

test('the application menu in German keeps the system roles and accelerators', () => {
  const template = appMenuTemplate({ showCatalogue() {}, stopAll() {} }, { platform: 'linux', development: false, texts: GERMAN });
  assert.deepEqual(template.map((m) => m.label ?? m.role), ['&Datei', 'editMenu', '&Ansicht', 'windowMenu', 'help']);
  const file = template[0]!.submenu as MenuItemConstructorOptions[];
  assert.deepEqual(file.slice(0, 2).map((i) => [i.label, i.accelerator]), [['Katalog anzeigen', 'CmdOrCtrl+Shift+L'], ['Alle Instanzen beenden', undefined]]);
});

test('notifications and the close question in German', () => {
  const ready = notificationFor('starting', instance('1', 'Büro', 'running'), { kind: 'none' }, true, GERMAN);
  assert.deepEqual([ready?.title, ready?.body], ['Büro ist bereit', 'Der Desktop läuft. Klicken Sie, um ihn zu öffnen.']);
  const failed = notificationFor('running', instance('1', 'Büro', 'failed'), { kind: 'none' }, true, GERMAN);
  assert.deepEqual([failed?.title, failed?.body], ['Büro ist fehlgeschlagen', 'Die Instanz funktioniert nicht mehr.']);
  const question = viewerCloseQuestion('Büro', GERMAN);
  assert.equal(question.message, 'Büro beenden?');
  assert.deepEqual(question.buttons, ['Weiterlaufen lassen', 'Beenden', 'Abbrechen']);
  assert.equal(question.checkboxLabel, 'Nicht mehr fragen');
  assert.equal(viewerCloseQuestion(undefined, GERMAN).message, 'Diesen Desktop beenden?');
});

test('a core error in a shell dialog is German, with the instance state translated', () => {
  const info = new DaasError('INVALID_TRANSITION', errorText('error.instance.inState', { name: 'Büro', state: 'stopping' }), errorText('fix.instance.openWhenRunning')).toInfo();
  assert.deepEqual(GERMAN.error(info), { message: 'Büro ist im Zustand „wird beendet“.', action: 'Öffnen Sie sie, sobald sie läuft.' });
  assert.deepEqual(shellTranslator('en').error(info), { message: info.message, action: info.action });
  assert.deepEqual(GERMAN.error({ code: 'INTERNAL', message: 'Plain.', action: 'Do.' }), { message: 'Plain.', action: 'Do.' });
});

test('a failure notification gives the reason in German, log lines verbatim', () => {
  const { text, reason } = stateReason([errorText('error.desktop.vncSilent', { seconds: 30 }), errorText('fix.desktop.checkVnc')], 'Xvnc: cannot open display');
  const failed: Instance = { ...instance('1', 'Büro', 'failed', text), stateReasonText: reason };
  assert.match(text, /^The desktop's VNC server did not answer within 30 s\. .*\nLast log lines:\nXvnc: cannot open display$/);
  const note = notificationFor('starting', failed, { kind: 'none' }, true, GERMAN);
  assert.match(note?.body ?? '', /^Der VNC-Server des Desktops hat nicht innerhalb von 30 s geantwortet\. Prüfen Sie.*\nLetzte Protokollzeilen:\nXvnc: cannot open display$/);
  assert.equal(notificationFor('starting', failed, { kind: 'none' }, true)?.body, text, 'English as stored');
});
