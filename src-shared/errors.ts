// Typed error codes with a human message and the action that fixes it.

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
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The serialisable shape of an error as it crosses a process boundary. */
export interface ErrorInfo {
  code: ErrorCode;
  /** What failed, in plain words. */
  message: string;
  /** What the user can do about it. */
  action: string;
}

export class DaasError extends Error {
  readonly code: ErrorCode;
  readonly action: string;

  constructor(code: ErrorCode, message: string, action: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DaasError';
    this.code = code;
    this.action = action;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, action: this.action };
  }

  static fromInfo(info: ErrorInfo): DaasError {
    return new DaasError(info.code, info.message, info.action);
  }
}

/** Turns anything thrown into an ErrorInfo without leaking internals. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof DaasError) return err.toInfo();
  return {
    code: 'INTERNAL',
    message: 'Something unexpected went wrong inside DaaS Desktop.',
    action: 'Try again; if it keeps happening, report it with the application log.',
  };
}
