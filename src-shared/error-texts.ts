// The words of every error the core reports, by a stable key: `error.*` says what
// failed, `fix.*` what to do. English lives here (logs, the CLI and headless clients
// read it as ErrorInfo.message/action); the renderer's catalogues (src-renderer/i18n)
// include these keys, so German must translate every one of them or the type check fails.
// `{{name}}` is a parameter; values that are Docker's or Proxmox's own words stay verbatim.
// A parameter whose value is itself a key here (`op.*`, `why.*`) is translated too.
// A message with `one`/`other` forms is a plural chosen by `count`.

export const ERROR_TEXTS = {
  // Anything unexpected, and requests a window got wrong
  'error.internal': 'Something unexpected went wrong inside DaaS Desktop.',
  'fix.internal': 'Try again; if it keeps happening, report it with the application log.',
  'error.request.unknown': 'Unknown request "{{channel}}".',
  'fix.request.updateApp': 'Update DaaS Desktop so its windows and core match.',
  'error.request.invalid': 'Invalid {{channel}} request: {{path}}: {{problem}}.',
  'fix.request.checkValues': 'Check the values sent and try again.',
  'error.request.untrusted': 'Request from an untrusted page.',
  'fix.none': 'None.',
  // The link between a browser window and the headless host (made in the window itself)
  'error.connection.lost': 'Lost the connection to DaaS Desktop.',
  'fix.connection.lost': 'Check that DaaS Desktop is still running; this page reconnects by itself. Then try again.',
  'error.connection.unreachable': 'Cannot reach DaaS Desktop.',
  'fix.connection.unreachable': 'Make sure DaaS Desktop is running. If you opened this page from a link, open that link again.',
  'error.connection.malformed': 'DaaS Desktop sent an answer this window does not understand.',
  'fix.connection.malformed': 'Reload this window; if it keeps happening, update DaaS Desktop.',
  // Settings and administrator policy
  'error.settings.unknown': 'There is no setting "{{key}}".',
  'fix.updateApp': 'Update DaaS Desktop.',
  'error.settings.locked': 'The setting "{{key}}" is managed by your administrator.',
  'fix.askAdminPolicy': 'Ask your administrator to change the policy.',
  'error.settings.invalidValue': 'Invalid value for "{{key}}": {{problem}}.',
  'fix.checkValue': 'Check the value and try again.',
  'error.policy.catalogueManaged': 'Your administrator manages the catalogue.',
  'error.policy.endpointsManaged': 'Your administrator manages the endpoints.',
  'fix.askAdmin': 'Ask your administrator for the change.',
  'error.app.managed': 'This app is managed by your administrator.',
  'fix.app.duplicate': 'Duplicate it to make your own version.',
  'error.secret.unreadable': 'A stored secret cannot be read: {{why}}.',
  'fix.secret.enterAgain': 'Enter the secret again in Settings.',
  // Apps and the catalogue file
  'error.app.notFound': 'There is no app with id "{{appId}}".',
  'fix.app.refreshCatalogue': 'Refresh the catalogue; it may have been deleted.',
  'fix.app.pickFromCatalogue': 'Pick an app from the catalogue.',
  'error.app.instancesRunning': {
    one: '{{name}} still has {{count}} instance running.',
    other: '{{name}} still has {{count}} instances running.',
  },
  'fix.app.stopInstancesFirst': 'Stop its instances first, then delete the app.',
  'error.app.noImageToBuild': '{{name}} is a virtual machine; it has no image to build.',
  'fix.app.buildOnlyContainers': 'Build images only for container apps.',
  'error.catalogue.replacesManaged': 'The file would replace "{{id}}", which your administrator manages.',
  'fix.catalogue.renameEntry': 'Remove that entry or give it another id, then import again.',
  'error.catalogue.notJson': 'The catalogue file is not valid JSON: {{detail}}.',
  'error.catalogue.notCatalogue': 'The catalogue file is not a DaaS Desktop catalogue: {{problem}}.',
  'error.catalogue.entryInvalid': 'Entry {{number}}{{name}} is invalid: {{problem}}.',
  'error.catalogue.entryBadId': 'Entry {{number}}{{name}} has an invalid id.',
  'error.catalogue.entryRepeatsId': 'Entry {{number}}{{name}} repeats the id "{{id}}".',
  'fix.catalogue.fixFile': 'Fix the file (its schema is resources/schemas/catalogue.schema.json) and import it again.',
  // Images
  'error.image.noRecipe': 'DaaS Desktop has no recipe for {{image}}.',
  'fix.image.pullYourself': 'Pull or build it yourself, for example "docker pull {{image}}".',
  'error.image.alreadyBuilding': '{{image}} is already being built.',
  'fix.image.waitForBuild': 'Wait for that build to finish.',
  'error.image.buildFailed': 'Building {{image}} failed: {{detail}}',
  'fix.image.buildOffline': 'Without access to a registry, build it offline: "sudo resources/images/{{folder}}/build-offline.sh".',
  'error.image.missing': 'The image {{image}} is not on this Docker host.',
  'fix.image.buildDesktop':
    'Build it with "resources/images/desktop/build-offline.sh" (no registry needed) or "docker build -t daas/desktop resources/images/desktop".',
  'fix.image.pullFirst': 'Pull or build it first, for example "docker pull {{image}}".',
  // Instances
  'error.instance.notFound': 'There is no instance with id "{{instanceId}}".',
  'fix.instance.refreshList': 'Refresh the instance list.',
  'error.instance.cannotBecome': 'The instance is {{from}}; it cannot become {{to}}.',
  'fix.instance.alreadyStopped': 'It is already stopped; start a new instance instead.',
  'fix.instance.waitForAction': 'Wait for the current action to finish.',
  'error.instance.alreadyStopping': '{{name}} is already {{state}}.',
  'fix.instance.nothingToDo': 'Nothing to do; start a new instance if you need one.',
  'fix.instance.waitForStop': 'Wait for it to finish stopping.',
  'error.instance.cannotRestart': '{{name}} is {{state}}; only a running instance can restart.',
  'fix.instance.startNew': 'Start a new instance instead.',
  'error.instance.inState': '{{name}} is {{state}}.',
  'fix.instance.statsWhileRunning': 'Statistics are shown while it runs.',
  'fix.instance.openWhenRunning': 'Open it once it is running.',
  'error.display.noAddress': 'This instance has no desktop address yet.',
  'fix.display.waitUntilRunning': 'Wait until it is running.',
  'error.display.rdpNeedsGuacd': 'RDP needs guacd: the embedded gateway speaks VNC only.',
  'fix.display.chooseGuacd': 'Edit the app and choose guacd as its gateway.',
  'error.guacd.imageMissing': 'The guacd image "{{image}}" is not on this computer\'s Docker engine.',
  'fix.guacd.pullImage': 'Pull it (docker pull {{image}}) or load it, or choose another display gateway in Settings.',
  'error.guacd.noAnswer': 'guacd in its container did not answer on 127.0.0.1:{{port}} within {{seconds}} s.{{output}}',
  'error.guacd.stopped': 'The guacd container stopped (exit code {{exitCode}}).{{output}}',
  'fix.guacd.checkImage': 'Check that the image is Apache guacd (such as guacamole/guacd), or use the built-in gateway.',
  'error.desktop.vncSilent': "The desktop's VNC server did not answer within {{seconds}} s.",
  'fix.desktop.checkVnc': 'Check that the image runs a VNC server on the configured port; its last log lines are attached.',
  // Docker
  'error.docker.unreachable': 'Docker cannot be reached at {{endpoint}}.',
  'fix.docker.start': 'Start Docker (for example "sudo systemctl start docker"), or check the Docker endpoint in the settings, then try again.',
  'error.docker.tlsFailed': 'The TLS connection to Docker at {{endpoint}} failed ({{code}}).',
  'fix.docker.checkTls': "Check the endpoint's TLS CA, certificate and key in the settings.",
  'error.docker.failed': 'Docker could not {{doing}}: {{detail}}.',
  'fix.docker.checkLog': 'Check the Docker daemon log, then try again.',
  // What Docker was asked to do ({{doing}} above)
  'op.docker.answer': 'answer',
  'op.docker.inspectImage': 'inspect the image {{image}}',
  'op.docker.createContainer': 'create the container',
  'op.docker.startContainer': 'start the container',
  'op.docker.listContainers': 'list containers',
  'op.docker.findContainer': 'find the container',
  'op.docker.restartContainer': 'restart the container',
  'op.docker.readLog': 'read the container log',
  'op.docker.readStats': 'read the container statistics',
  'op.docker.stopContainer': 'stop the container',
  'op.docker.removeContainer': 'remove the container',
  'error.docker.notConfigured': 'The Docker endpoint "{{endpointId}}" is not configured.',
  'error.proxmox.notConfigured': 'The Proxmox endpoint "{{endpointId}}" is not configured.',
  'fix.endpoint.addOrPickAnother': 'Add it in Settings, or pick another endpoint for the app.',
  // Endpoints
  'error.endpoint.noTls': 'Docker at {{url}} would be reached without TLS.',
  'fix.endpoint.addTls': 'Add the TLS CA, certificate and key, or use ssh://.',
  'error.endpoint.localUndeletable': 'The local Docker endpoint cannot be deleted.',
  'fix.endpoint.changeAddress': 'Change its address instead.',
  'error.endpoint.instancesRunning': {
    one: '{{count}} instance still runs on this endpoint.',
    other: '{{count}} instances still run on this endpoint.',
  },
  'fix.endpoint.stopThemFirst': 'Stop them first.',
  'error.endpoint.notFound': 'There is no endpoint "{{endpointId}}".',
  'error.proxmox.notFound': 'There is no Proxmox endpoint "{{endpointId}}".',
  'fix.refreshSettings': 'Refresh the settings.',
  'error.proxmox.tokenSecretMissing': 'The API token secret is missing.',
  'error.proxmox.passwordMissing': 'The password is missing.',
  'fix.proxmox.enterAndSave': 'Enter it, then save again.',
  'error.proxmox.fingerprintMissing': 'Pinning needs the certificate fingerprint.',
  'fix.proxmox.pasteFingerprint': 'Paste the SHA-256 fingerprint shown in Proxmox under System > Certificates.',
  'error.proxmox.endpointInUse': {
    one: '{{names}} uses this endpoint.',
    other: '{{names}} use this endpoint.',
  },
  'fix.proxmox.changeApps': 'Change or delete those apps first.',
  'error.proxmox.unreachable': 'Proxmox VE at {{url}} cannot be reached: {{why}}.',
  'fix.proxmox.checkAddress': 'Check the address and port (usually 8006) in the Proxmox endpoint settings, and that this computer can reach the server.',
  'why.net.refused': 'the connection was refused',
  'why.net.unknownHost': 'the host name is unknown',
  'why.net.timedOut': 'the connection timed out',
  'why.net.reset': 'the connection was reset',
  'error.proxmox.untrusted': 'The certificate of {{url}} is not trusted ({{why}}).',
  'error.proxmox.untrustedWithFingerprint': 'The certificate of {{url}} is not trusted ({{why}}). Its SHA-256 fingerprint is {{fingerprint}}.',
  'fix.proxmox.pinOrTrust':
    'If that fingerprint matches the one Proxmox shows under Datacenter > node > System > Certificates, pin it in the ' +
    "endpoint settings; or install the certificate's CA on this computer. Turn off certificate checks only on a network you trust.",
  'why.cert.selfSigned': 'it is self-signed',
  'why.cert.expired': 'it has expired',
  'why.cert.otherName': 'it was issued for another name',
  'why.cert.untrustedIssuer': 'no trusted authority signed it',
  'error.proxmox.fingerprintMismatch': 'The certificate of {{url}} does not match the pinned fingerprint; it presented {{presented}}.',
  'fix.proxmox.newFingerprint':
    'If the server got a new certificate, pin its new fingerprint in the endpoint settings. Otherwise someone may be intercepting the connection: do not continue.',
  // Why an instance is stopped or failed (Instance.stateReason)
  'reason.restarting': 'Restarting.',
  'reason.stoppedByUser': 'Stopped by the user.',
  'reason.forceStoppedByUser': 'Force-stopped by the user.',
  'reason.stopFailed': 'Stop failed:',
  'reason.idleStopped': {
    one: 'Stopped after {{count}} minute without a viewer or input.',
    other: 'Stopped after {{count}} minutes without a viewer or input.',
  },
  'reason.removedOutside': 'Its container was removed outside DaaS Desktop.',
  'reason.stoppedOutside': 'Its container stopped outside DaaS Desktop.',
  'reason.stoppedOutsideCode': 'Its container stopped outside DaaS Desktop (exit code {{code}}).',
  'reason.killedOutside': 'Its container stopped outside DaaS Desktop (exit code {{code}}, killed).',
  'reason.goneWhenLooked': 'Its container or VM was gone when DaaS Desktop looked.',
  'reason.stoppedWhileAway': 'Its container or VM had stopped outside DaaS Desktop.',
  'reason.closedWhile': 'DaaS Desktop was closed while the instance was {{state}}; it was cleaned up.',
  'reason.adopted': 'Adopted after DaaS Desktop restarted.',
  'reason.lastLogLines': 'Last log lines:',
} as const;

export type ErrorTextKey = keyof typeof ERROR_TEXTS;
/** The shape every language's error texts have: the same keys, strings or plural forms. */
export type ErrorTexts = {
  readonly [K in ErrorTextKey]: (typeof ERROR_TEXTS)[K] extends string ? string : { readonly one: string; readonly other: string };
};
export const ERROR_TEXT_KEYS = Object.keys(ERROR_TEXTS) as ErrorTextKey[];

type TextOf<V> = V extends string ? V : V extends { readonly one: infer O; readonly other: infer R } ? O | R : never;
type NamesIn<S> = S extends `${string}{{${infer P}}}${infer Rest}` ? P | NamesIn<Rest> : never;
type ParamNames<K extends ErrorTextKey> = NamesIn<TextOf<(typeof ERROR_TEXTS)[K]>> | ((typeof ERROR_TEXTS)[K] extends string ? never : 'count');

export type ErrorParams = Record<string, string | number>;
/** The values a text needs: none, or one per `{{name}}` (plurals also need `count`). */
export type ErrorTextArgs<K extends ErrorTextKey> = [ParamNames<K>] extends [never] ? [] : [params: { [P in ParamNames<K>]: string | number }];

/** One translatable sentence: its key, its parameters, and its English text. */
export interface ErrorText {
  readonly key: ErrorTextKey;
  readonly params: ErrorParams;
  readonly text: string;
}

/** Fills `{{name}}` from params; unknown names stay as written. */
export function fillTemplate(template: string, params: ErrorParams): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

/** The English text of a key (plurals by English rules). */
export function englishErrorText(key: ErrorTextKey, params: ErrorParams = {}): string {
  return renderErrorText(ERROR_TEXTS, 'en', key, params);
}

/** Fills a key's words in a language (plurals by that language's rules); nested keys too. */
export function renderErrorText(texts: ErrorTexts, locale: string, key: ErrorTextKey, params: ErrorParams = {}): string {
  const template: string | { readonly one: string; readonly other: string } = texts[key];
  const filled: ErrorParams = {};
  for (const [name, value] of Object.entries(params)) {
    filled[name] = isErrorTextKey(value) && value !== key ? renderErrorText(texts, locale, value, { ...params, [name]: '' }) : value;
  }
  if (typeof template === 'string') return fillTemplate(template, filled);
  return fillTemplate(new Intl.PluralRules(locale).select(Number(params.count)) === 'one' ? template.one : template.other, filled);
}

/** A translatable error sentence: `new DaasError(code, errorText('error.x', {...}), errorText('fix.y'))`. */
export function errorText<K extends ErrorTextKey>(key: K, ...args: ErrorTextArgs<K>): ErrorText {
  const params: ErrorParams = { ...((args[0] as ErrorParams | undefined) ?? {}) };
  return { key, params, text: englishErrorText(key, params) };
}

/** Why an instance is in its state, translatable: sentences, then log lines kept verbatim. */
export interface StateReasonText {
  texts: { key: ErrorTextKey; params: ErrorParams }[];
  logs?: string;
}

/** A state reason from sentences (and log lines): its English text and its translatable form. */
export function stateReason(texts: readonly ErrorText[], logs?: string): { text: string; reason: StateReasonText } {
  const english = texts.map((t) => t.text).join(' ') + (logs ? `\n${englishErrorText('reason.lastLogLines')}\n${logs}` : '');
  return { text: english, reason: { texts: texts.map(({ key, params }) => ({ key, params })), ...(logs ? { logs } : {}) } };
}

export function isErrorTextKey(value: unknown): value is ErrorTextKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_TEXTS, value);
}
