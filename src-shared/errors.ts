// Typed error codes with a human message and the action that fixes it. The message and
// the action carry a stable key and parameters (src-shared/error-texts.ts) so each
// window shows them in its own language; the English text travels along for logs,
// the CLI and any client that lacks the key.
import { errorText, isErrorTextKey, type ErrorParams, type ErrorText, type ErrorTextKey } from './error-texts';

export const ERROR_CODES = [
  'INVALID_REQUEST',
  'APP_NOT_FOUND',
  'INSTANCE_NOT_FOUND',
  'INVALID_TRANSITION',
  'DOCKER_UNREACHABLE',
  'IMAGE_MISSING',
  'PROVIDER_FAILED',
  'DESKTOP_NOT_READY',
  'DISPLAY_UNAVAILABLE',
  // A start would go beyond a limit of the settings (instances per app, in total, memory).
  'LIMIT_REACHED',
  // The data folder cannot be written: its disk is full or read-only.
  'STORAGE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A translatable sentence as it crosses a process boundary. */
export interface ErrorTextRef {
  key: ErrorTextKey;
  params: ErrorParams;
}

/** The serialisable shape of an error as it crosses a process boundary. */
export interface ErrorInfo {
  code: ErrorCode;
  /** What failed, in plain words (English). */
  message: string;
  /** What the user can do about it (English). */
  action: string;
  /** The message's key and parameters, for windows to translate; absent for untranslated text. */
  messageText?: ErrorTextRef;
  /** The action's key and parameters. */
  actionText?: ErrorTextRef;
}

type Text = string | ErrorText;

function plain(text: Text): string {
  return typeof text === 'string' ? text : text.text;
}

function ref(text: Text): ErrorTextRef | undefined {
  return typeof text === 'string' ? undefined : { key: text.key, params: text.params };
}

export class DaasError extends Error {
  readonly code: ErrorCode;
  readonly action: string;
  readonly messageText?: ErrorTextRef;
  readonly actionText?: ErrorTextRef;

  /** The main process passes errorText(...) for both; plain strings are for text already translated (renderer). */
  constructor(code: ErrorCode, message: Text, action: Text, options?: { cause?: unknown }) {
    super(plain(message), options);
    this.name = 'DaasError';
    this.code = code;
    this.action = plain(action);
    this.messageText = ref(message);
    this.actionText = ref(action);
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message, action: this.action };
    if (this.messageText) info.messageText = this.messageText;
    if (this.actionText) info.actionText = this.actionText;
    return info;
  }

  static fromInfo(info: ErrorInfo): DaasError {
    return new DaasError(info.code, asText(info.messageText, info.message), asText(info.actionText, info.action));
  }
}

function asText(textRef: ErrorTextRef | undefined, english: string): Text {
  return textRef ? { key: textRef.key, params: textRef.params, text: english } : english;
}

/** A received key and parameters, if they are well-formed: unknown keys are dropped (the English text stays). */
export function parseErrorTextRef(value: unknown): ErrorTextRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { key, params } = value as { key?: unknown; params?: unknown };
  if (!isErrorTextKey(key)) return undefined;
  const clean: ErrorParams = {};
  if (typeof params === 'object' && params !== null) {
    for (const [name, v] of Object.entries(params)) {
      if (typeof v === 'string' || typeof v === 'number') clean[name] = v;
    }
  }
  return { key, params: clean };
}

/** Turns anything thrown into an ErrorInfo without leaking internals. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof DaasError) return err.toInfo();
  return new DaasError('INTERNAL', errorText('error.internal'), errorText('fix.internal')).toInfo();
}
