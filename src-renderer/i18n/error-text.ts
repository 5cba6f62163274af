// A core error in the interface language: its message and action are rendered from
// their key and parameters through the catalogue; the English text the core sent is
// used only when this window does not know the key (an older or newer core).
import { isErrorTextKey } from '../../src-shared/error-texts';
import type { ErrorInfo, ErrorTextRef } from '../../src-shared/errors';
import { INSTANCE_STATES, type Instance, type InstanceState } from '../../src-shared/model';
import { translateSharedMessage } from '../store/zod-messages';
import { currentLocale, t, type MessageKey } from './i18n';

/** Parameters that name an instance state are shown as the state's label. */
const STATE_PARAMS = new Set(['state', 'from', 'to']);

function isState(value: string): value is InstanceState {
  return (INSTANCE_STATES as readonly string[]).includes(value);
}

function localParams(textRef: ErrorTextRef): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(textRef.params)) {
    if (typeof value !== 'string') out[name] = value;
    // A parameter that is itself a key (what Docker was asked to do) is translated too.
    else if (isErrorTextKey(value) && value !== textRef.key) out[name] = render({ key: value, params: { ...textRef.params, [name]: '' } });
    else if (STATE_PARAMS.has(name) && isState(value)) out[name] = currentLocale() === 'en' ? value : t(`state.${value}`);
    // A validation problem in the shared schemas' words.
    else if (name === 'problem') out[name] = translateSharedMessage(value) ?? value;
    else out[name] = value;
  }
  return out;
}

function render(textRef: ErrorTextRef): string {
  // The catalogue has every key of ERROR_TEXTS (the type check makes sure of it).
  return (t as (key: MessageKey, params: Record<string, string | number>) => string)(textRef.key, localParams(textRef));
}

/** Sentences the core sent by key (a connection test's report, the policy problems), in the interface language; the English lines if this window does not know a key. */
export function reportLines(english: readonly string[], texts: readonly { key: string; params: ErrorTextRef['params'] }[] | undefined): string[] {
  if (!texts || texts.length !== english.length || !texts.every((text): text is ErrorTextRef => isErrorTextKey(text.key))) return [...english];
  return texts.map(render);
}

/** What failed, in the interface language. */
export function errorMessage(error: ErrorInfo): string {
  return error.messageText && isErrorTextKey(error.messageText.key) ? render(error.messageText) : error.message;
}

/** What to do about it, in the interface language. */
export function errorAction(error: ErrorInfo): string {
  return error.actionText && isErrorTextKey(error.actionText.key) ? render(error.actionText) : error.action;
}

/** Why an instance is stopped or failed, in the interface language (log lines verbatim). */
export function instanceReason(instance: Pick<Instance, 'stateReason' | 'stateReasonText'>): string | null {
  const reason = instance.stateReasonText;
  if (!reason || !reason.texts.every((text) => isErrorTextKey(text.key))) return instance.stateReason;
  const sentences = reason.texts.map(render).join(' ');
  return reason.logs ? `${sentences}\n${t('reason.lastLogLines')}\n${reason.logs}` : sentences;
}
