// Core errors are translatable: every key the main process can use (src-shared/error-texts.ts)
// has English and German words with the same parameters, errors carry key + parameters
// across the wire, and a window renders them in its language with English only as fallback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromDockerError } from '../../src-main/providers/docker/docker-errors';
import { fromHttpError, PRIVILEGE_PURPOSE, ProxmoxError, proxmoxOp, proxmoxWho, thenCleanupFailed, unreachable, untrustedCertificate } from '../../src-main/providers/proxmox/proxmox-errors';
import { describeTaskFailure } from '../../src-main/providers/proxmox/proxmox-tasks';
import { validateAppConfig, validateEndpoint } from '../../src-main/providers/proxmox/proxmox-settings';
import { readdirSync, readFileSync } from 'node:fs';
import { parsePolicy } from '../../src-main/config/policy';
import { join } from 'node:path';
import { ERROR_TEXT_KEYS, ERROR_TEXTS, errorText, stateReason } from '../../src-shared/error-texts';
import { parseRequest } from '../../src-shared/contract';
import { DaasError, toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { errorAction, errorMessage, instanceReason, reportLines } from '../../src-renderer/i18n/error-text';
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
  const parsed = parseRequest('docker.endpoints.save', { name: 'x', url: 'http://nope' });
  assert.equal(parsed.ok, false);
  setLocale('de');
  assert.equal(errorMessage(state), 'Desk 1 ist im Zustand „Wird beendet“.');
  if (!parsed.ok) assert.match(errorMessage(parsed.error), /^Die Anfrage docker\.endpoints\.save ist ungültig: url: .*unix:\/\/\/.*\.$/);
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

/** Every string literal in the main process and shared code that names a key of ERROR_TEXTS' families. */
function keysUsedInSources(): Set<string> {
  const used = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/error-texts(-de)?\.ts$/.test(entry.name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/'((?:error|fix|op|why|who|report|reason|problem|progress)\.[A-Za-z0-9.]+)'/g)) used.add(m[1]!);
      }
    }
  };
  for (const dir of ['src-main', 'src-shared']) walk(dir);
  return used;
}

test('every key the code uses exists, with English and German words', () => {
  const used = keysUsedInSources();
  assert.ok(used.has('error.proxmox.forbidden') && used.has('op.proxmox.cloneVm') && used.has('report.proxmox.missingRequired'));
  for (const key of used) {
    assert.ok(key in ERROR_TEXTS, `${key} is used but has no English words`);
    assert.ok(key in (de as Record<string, unknown>), `${key} is used but has no German words`);
  }
  for (const key of Object.values(PRIVILEGE_PURPOSE)) assert.ok(key in ERROR_TEXTS, key);
});

test('a Proxmox error renders in German: the operation, who and the purpose translated, Proxmox’s words verbatim', (t) => {
  t.after(() => setLocale('en'));
  const who = proxmoxWho({ tokenId: 'daas@pve!desk' });
  const doing = proxmoxOp('op.proxmox.cloneVm', { templateVmid: 9000, vmid: 101 });
  const forbidden = toErrorInfo(
    fromHttpError(403, 'Forbidden', { message: 'Permission check failed (/vms/9000, VM.Clone)\n' }, { url: 'https://pve:8006', who, doing }),
  );
  const failed = toErrorInfo(describeTaskFailure('UPID:x', "clone failed: can't lock file", doing, [], who));
  const invalid = (() => {
    try {
      validateAppConfig({ mode: 'existing', vmid: 100, node: 'pve_1' } as never);
    } catch (err) {
      return toErrorInfo(err);
    }
    throw new Error('expected an invalid node name');
  })();
  const badUrl = (() => {
    try {
      validateEndpoint({ url: 'http://pve:8006', auth: { tokenId: 'a@pve!b', secret: 's' } });
    } catch (err) {
      return toErrorInfo(err);
    }
    throw new Error('expected http to be refused');
  })();
  // English stays as it was (logs, the CLI, headless clients).
  assert.equal(forbidden.message, 'Proxmox VE did not allow the API token daas@pve!desk to clone VM 9000 to 101: Permission check failed (/vms/9000, VM.Clone).');
  assert.match(forbidden.action, /give the API token daas@pve!desk VM\.Clone \(to clone the template\) on \/vms\/9000 or a path above it/);
  assert.equal(failed.message, "Proxmox VE could not clone VM 9000 to 101: clone failed: can't lock file.");
  assert.equal(invalid.message, '"pve_1" is not a node name.');
  setLocale('de');
  assert.equal(errorMessage(forbidden), 'Proxmox VE hat nicht erlaubt (API-Token daas@pve!desk): VM 9000 nach 101 klonen – Permission check failed (/vms/9000, VM.Clone).');
  assert.match(errorAction(forbidden), /das Recht VM\.Clone \(nötig für: die Vorlage klonen\) auf \/vms\/9000 .* an API-Token daas@pve!desk,/);
  assert.equal(errorMessage(failed), "Proxmox VE konnte nicht VM 9000 nach 101 klonen: clone failed: can't lock file.");
  assert.equal(errorAction(failed), 'Sehen Sie sich das Aufgabenprotokoll in Proxmox an (die Aufgabenliste; Aufgabe UPID:x).');
  assert.equal(errorMessage(invalid), '„pve_1“ ist kein Knotenname.');
  assert.equal(errorMessage(badUrl), 'Die Proxmox-API wird nur über HTTPS angeboten.');
});

test('a failure and the failed clean-up after it render together in German', (t) => {
  t.after(() => setLocale('en'));
  const who = proxmoxWho({ username: 'alice@pve' });
  const first = describeTaskFailure('UPID:y', 'unexpected status', proxmoxOp('op.proxmox.startVm', { vmid: 120 }), [], who);
  const cleanup = new ProxmoxError('api', errorText('error.proxmox.vmLocked', { vmid: 120, node: 'pve1', lock: 'clone' }), errorText('fix.proxmox.unlockClone', { vmid: 120, node: 'pve1' }));
  const info = toErrorInfo(new ProxmoxError('api', thenCleanupFailed(first, cleanup), errorText('fix.proxmox.waitForLock')));
  assert.equal(info.message, 'Proxmox VE could not start VM 120: unexpected status. Then: VM 120 on pve1 is locked (clone), so DaaS Desktop cannot remove it.');
  setLocale('de');
  assert.equal(errorMessage(info), 'Proxmox VE konnte nicht VM 120 starten: unexpected status. Danach: VM 120 auf pve1 ist gesperrt (clone), daher kann DaaS Desktop sie nicht entfernen.');
});

test('a connection test’s report renders in German; English lines without keys stay', (t) => {
  t.after(() => setLocale('en'));
  const lines = [
    errorText('report.proxmox.connectedToken', { version: '9.1.3', tokenId: 'daas@pve!desk' }),
    errorText('report.proxmox.missingRequired', { privilege: 'VM.Clone', path: '/vms', purpose: PRIVILEGE_PURPOSE['VM.Clone'] }),
    errorText('report.proxmox.grantedOnlyOn', { privilege: 'VM.PowerMgmt', paths: '/vms/9000', purpose: PRIVILEGE_PURPOSE['VM.PowerMgmt'] }),
  ];
  const english = lines.map((l) => l.text);
  assert.deepEqual(english, [
    'Connected to Proxmox VE 9.1.3 as API token daas@pve!desk.',
    'Missing VM.Clone on /vms: DaaS Desktop cannot clone the template.',
    'VM.PowerMgmt is granted only on /vms/9000: DaaS Desktop can start and stop virtual machines only there.',
  ]);
  const refs = lines.map(({ key, params }) => ({ key, params }));
  setLocale('de');
  assert.deepEqual(reportLines(english, refs), [
    'Mit Proxmox VE 9.1.3 verbunden als API-Token daas@pve!desk.',
    'VM.Clone fehlt auf /vms: DaaS Desktop kann nicht die Vorlage klonen.',
    'VM.PowerMgmt ist nur auf /vms/9000 vergeben: DaaS Desktop kann nur dort virtuelle Maschinen starten und beenden.',
  ]);
  assert.deepEqual(reportLines(english, undefined), english);
  // A start's progress line: DaaS Desktop's step translated, a task log line as Proxmox wrote it.
  const step = errorText('progress.proxmox.cloning', { templateVmid: 9000, vmid: 105, name: 'daas-office-1a2b', node: 'pve2' });
  assert.equal(step.text, 'Cloning VM 9000 to 105 (daas-office-1a2b) on pve2');
  assert.deepEqual(reportLines([step.text], [{ key: step.key, params: step.params }]), ['VM 9000 wird nach 105 (daas-office-1a2b) auf pve2 geklont']);
  assert.deepEqual(reportLines(['create full clone of drive scsi0'], undefined), ['create full clone of drive scsi0']);
});

test('the policy banner: fixed words in German, keys, files and the validator’s detail as written', (t) => {
  t.after(() => setLocale('en'));
  const loaded = parsePolicy(
    JSON.stringify({ locked: { theme: 'purple', colour: 'red' }, extras: {}, apps: 'none' }),
    '/etc/daas-desktop/policy.json',
  );
  const broken = parsePolicy('{', '/etc/daas-desktop/policy.json');
  assert.equal(loaded.problemTexts.length, loaded.problems.length);
  assert.deepEqual(loaded.problems.slice(0, 2), [
    '/etc/daas-desktop/policy.json: version: missing; add "version": 1 (read as version 1)',
    '/etc/daas-desktop/policy.json: extras: unknown section, ignored (known: recommended, locked, apps, dockerEndpoints, proxmoxEndpoints)',
  ]);
  const wire = (lines: typeof loaded.problemTexts) => JSON.parse(JSON.stringify(lines.map(({ key, params }) => ({ key, params })))) as { key: string; params: Record<string, string> }[];
  setLocale('de');
  const german = reportLines(loaded.problems, wire(loaded.problemTexts));
  assert.equal(german[0], 'In /etc/daas-desktop/policy.json: version: fehlt; ergänzen Sie "version": 1 (wird als Version 1 gelesen)');
  assert.equal(german[1], 'In /etc/daas-desktop/policy.json: extras: unbekannter Abschnitt, ignoriert (bekannt: recommended, locked, apps, dockerEndpoints, proxmoxEndpoints)');
  assert.ok(german.some((line) => /^In \/etc\/daas-desktop\/policy\.json: locked\.theme: .+; ignoriert$/.test(line)), german.join('\n'));
  assert.ok(german.some((line) => /locked\.colour: unbekannte Einstellung, ignoriert \(bekannt: /.test(line)), german.join('\n'));
  assert.ok(german.some((line) => /apps: muss eine Liste sein; alles darin wird ignoriert$/.test(line)), german.join('\n'));
  assert.match(reportLines(broken.problems, wire(broken.problemTexts))[0]!, /^In \/etc\/daas-desktop\/policy\.json: kein gültiges JSON \(.+\); die ganze Richtlinie wird ignoriert$/);
  // A line this window has no key for (an older core): all lines in English, as sent.
  assert.deepEqual(reportLines(loaded.problems, undefined), loaded.problems);
});
