// A labelled form control with its hint and its error next to it.
import type { ReactNode } from 'react';

export interface FieldIds {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** The attributes the control inside a FormField needs. */
export function fieldProps(id: string, opts: { hint?: ReactNode; error?: string | undefined }): FieldIds {
  const described = [opts.error ? `${id}-error` : null, opts.hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return { id, 'aria-invalid': Boolean(opts.error), 'aria-describedby': described || undefined };
}

export function FormField({
  id,
  label,
  hint,
  error,
  errorTestId,
  errorKey,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** data-testid of the error message; data-field gets errorKey. */
  errorTestId?: string;
  errorKey?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="field-error" data-testid={errorTestId} data-field={errorKey}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
