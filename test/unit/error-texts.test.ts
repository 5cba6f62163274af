// Core errors are translatable: every key the main process can use (src-shared/error-texts.ts)
// has English and German words with the same parameters, errors carry key + parameters
// across the wire, and a window renders them in its language with English only as fallback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromDockerError } from '../../src-main/providers/docker/docker-errors';
import { unreachable, untrustedCertificate } from '../../src-main/providers/proxmox/proxmox-errors';
import { ERROR_TEXT_KEYS, ERROR_TEXTS, errorText, stateReason } from '../../src-shared/error-texts';
import { parseRequest } from '../../src-shared/contract';
import { DaasError, toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { errorAction, errorMessage, instanceReason } from '../../src-renderer/i18n/error-text';
import { setLocale } from '../../src-renderer/i18n/i18n';
import { de } from '../../src-renderer/i18n/messages/de';
import { en } from '../../src-renderer/i18n/messages/en';

type Entry = string | { one: string; other: string };
const placeholders = (entry: Entry) =>
  [...new Set((typeof entry === 'string' ? entry : `${entry.one} ${entry.other}`).match(/\{\{\w+\}\}/g) ?? [])].sort();

test('every error key has English and German words with the same parameters', () => {
  assert.ok(ERROR_TEXT_KEYS.length > 50);
  const catalogues = { en: en as Record<string, Entry>, de: de as Record<string, Entry> };
  for (const key of ERROR_TEXT_KEYS) {
    for (const [lang, catalogue] of Object.entries(catalogues)) {
      const entry = catalogue[key];
      assert.ok(entry, `${lang} lacks ${key}`);
      assert.equal(typeof entry, typeof ERROR_TEXTS[key], `${lang} ${key}: plural forms must match`);
      assert.deepEqual(placeholders(entry), placeholders(ERROR_TEXTS[key] as Entry), `${lang} ${key}: parameters differ`);
    }
    assert.notDeepEqual(catalogues.de[key], ERROR_TEXTS[key], `${key} is not translated into German`);
  }
});

test('an error keeps its English text and carries key and parameters across a JSON boundary', () => {
  const err = new DaasError('INVALID_REQUEST', errorText('error.endpoint.notFound', { endpointId: 'lab' }), errorText('fix.refreshSettings'));
  assert.equal(err.message, 'There is no endpoint "lab".');
  assert.equal(err.action, 'Refresh the settings.');
  const wire = JSON.parse(JSON.stringify(toErrorInfo(err))) as ErrorInfo;
  assert.deepEqual(wire.messageText, { key: 'error.endpoint.notFound', params: { endpointId: 'lab' } });
  assert.deepEqual(DaasError.fromInfo(wire).toInfo(), wire);
});

test('plural English follows the count', () => {
  assert.equal(errorText('error.endpoint.instancesRunning', { count: 1 }).text, '1 instance still runs on this endpoint.');
  assert.equal(errorText('error.endpoint.instancesRunning', { count: 3 }).text, '3 instances still run on this endpoint.');
});

test('a window in German shows the core error in German, Docker’s own words verbatim', (t) => {
  t.after(() => setLocale('en'));
  const info = toErrorInfo(fromDockerError({ statusCode: 500, json: { message: 'conflict: name in use' } }, 'unix:///var/run/docker.sock', 'op.docker.createContainer'));
  assert.equal(info.message, 'Docker could not create the container: conflict: name in use.');
  setLocale('de');
  assert.equal(errorMessage(info), 'Docker konnte nicht den Container anlegen: conflict: name in use.');
  assert.equal(errorAction(info), 'Prüfen Sie das Protokoll des Docker-Dienstes und versuchen Sie es dann erneut.');
  setLocale('en');
  assert.equal(errorMessage(info), info.message);
});

test('instance states and shared validation messages inside an error are translated', (t) => {
  t.after(() => setLocale('en'));
  const state = toErrorInfo(new DaasError('INVALID_TRANSITION', errorText('error.instance.inState', { name: 'Desk 1', state: 'stopping' }), errorText('fix.instance.statsWhileRunning')));
  const parsed = parseRequest('endpoints.save', { name: 'x', url: 'http://nope' });
  assert.equal(parsed.ok, false);
  setLocale('de');
  assert.equal(errorMessage(state), 'Desk 1 ist im Zustand „Wird beendet“.');
  if (!parsed.ok) assert.match(errorMessage(parsed.error), /^Ungültige Anfrage endpoints\.save: url: .*unix:\/\/\/.*\.$/);
});

test('an unknown key falls back to the English text', (t) => {
  t.after(() => setLocale('en'));
  setLocale('de');
  const info = { code: 'INTERNAL', message: 'Plain English.', action: 'Do this.', messageText: { key: 'error.fromTheFuture', params: {} } } as unknown as ErrorInfo;
  assert.equal(errorMessage(info), 'Plain English.');
  assert.equal(errorAction(info), 'Do this.');
});

test('an instance’s state reason shows in German; an old plain-text reason stays as it is', (t) => {
  t.after(() => setLocale('en'));
  const { text, reason } = stateReason([errorText('reason.idleStopped', { count: 5 })]);
  assert.equal(text, 'Stopped after 5 minutes without a viewer or input.');
  setLocale('de');
  assert.equal(instanceReason({ stateReason: text, stateReasonText: reason }), 'Nach 5 Minuten ohne Betrachter oder Eingabe beendet.');
  assert.equal(instanceReason({ stateReason: 'Stopped by an older version.' }), 'Stopped by an older version.');
  setLocale('en');
  assert.equal(instanceReason({ stateReason: text, stateReasonText: reason }), text);
});

test('Proxmox connection failures: known causes translated, Node’s own words verbatim', (t) => {
  t.after(() => setLocale('en'));
  const refused = toErrorInfo(unreachable('https://pve:8006', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
  const odd = toErrorInfo(unreachable('https://pve:8006', Object.assign(new Error('socket hang up'), { code: 'EPIPE' })));
  const cert = toErrorInfo(untrustedCertificate('https://pve:8006', 'why.cert.selfSigned', 'AB:CD'));
  assert.equal(refused.message, 'Proxmox VE at https://pve:8006 cannot be reached: the connection was refused.');
  assert.equal(cert.message, 'The certificate of https://pve:8006 is not trusted (it is self-signed). Its SHA-256 fingerprint is AB:CD.');
  setLocale('de');
  assert.equal(errorMessage(refused), 'Proxmox VE unter https://pve:8006 ist nicht erreichbar: die Verbindung wurde abgelehnt.');
  assert.equal(errorMessage(odd), 'Proxmox VE unter https://pve:8006 ist nicht erreichbar: socket hang up.');
  assert.equal(errorMessage(cert), 'Dem Zertifikat von https://pve:8006 wird nicht vertraut (es ist selbst signiert). Sein SHA-256-Fingerabdruck ist AB:CD.');
});
