// The controls of the app form, bound to one part's values: each control gets its id,
// test hook and name from the field's name in the page (`app-field-proxmox-vmid`), shows
// its error once the field was left or Save was pressed, and reports its changes.
import type { ReactNode, Ref } from 'react';
import { FormField, fieldProps } from '../../components/FormField';
import type { FlagField, TextField } from './section-form';

export const fieldId = (key: string) => `app-field-${key}`;

export interface TextOptions {
  hint?: ReactNode;
  placeholder?: string;
  required?: boolean;
  className?: string;
  inputMode?: 'text' | 'numeric' | 'decimal';
  mono?: boolean;
  rows?: number;
  maxLength?: number;
  list?: string;
  inputRef?: Ref<HTMLInputElement>;
}

export interface WrapOptions {
  hint?: ReactNode;
  required?: boolean;
  className?: string;
}

export interface FieldKit<V> {
  values: V;
  update<K extends keyof V & string>(field: K, value: V[K]): void;
  /** id, test hook, name, ARIA and blur of any control. */
  control(
    field: keyof V & string,
    hint: ReactNode | undefined,
  ): ReturnType<typeof fieldProps> & { 'data-testid': string; name: string; onBlur: () => void };
  /** A labelled field around any control, with its hint and its error. */
  wrap(field: keyof V & string, title: string, opts: WrapOptions, children: ReactNode): ReactNode;
  text(field: TextField<V>, title: string, opts?: TextOptions): ReactNode;
  area(field: TextField<V>, title: string, opts?: TextOptions): ReactNode;
  /** A select whose options are the children; `busy` while they load. */
  select(field: keyof V & string, title: string, opts: WrapOptions & { busy?: boolean; selectClassName?: string }, options: ReactNode): ReactNode;
  checkbox(field: FlagField<V>, title: string, hint?: string): ReactNode;
}

export interface KitState {
  /** The error shown on a field (by its name in the page), if any. */
  shown(key: string): string | undefined;
  touch(key: string): void;
}

function Label({ text, required }: { text: string; required?: boolean }) {
  return (
    <>
      {text}
      {required ? (
        <span className="required" aria-hidden="true">
          {' '}
          *
        </span>
      ) : null}
    </>
  );
}

/** The controls for one part of the form, whose field names in the page start with `prefix`. */
export function fieldKit<V>(prefix: string, values: V, update: FieldKit<V>['update'], state: KitState): FieldKit<V> {
  const keyOf = (field: string) => prefix + field;

  const control: FieldKit<V>['control'] = (field, hint) => {
    const key = keyOf(field);
    return {
      ...fieldProps(fieldId(key), { hint, error: state.shown(key) }),
      'data-testid': fieldId(key),
      name: key,
      onBlur: () => state.touch(key),
    };
  };

  const wrap: FieldKit<V>['wrap'] = (field, title, opts, children) => {
    const key = keyOf(field);
    return (
      <FormField
        id={fieldId(key)}
        label={<Label text={title} required={opts.required} />}
        hint={opts.hint}
        error={state.shown(key)}
        errorTestId="app-field-error"
        errorKey={key}
        className={opts.className}
      >
        {children}
      </FormField>
    );
  };

  const textOf = (field: TextField<V>) => values[field] as string;

  return {
    values,
    update,
    control,
    wrap,
    text: (field, title, opts = {}) =>
      wrap(
        field,
        title,
        opts,
        <input
          {...control(field, opts.hint)}
          value={textOf(field)}
          ref={opts.inputRef}
          type="text"
          className={`input${opts.mono ? ' mono' : ''}`}
          placeholder={opts.placeholder}
          inputMode={opts.inputMode}
          maxLength={opts.maxLength}
          list={opts.list}
          aria-required={opts.required || undefined}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => update(field, e.currentTarget.value as V[typeof field])}
        />,
      ),
    area: (field, title, opts = {}) =>
      wrap(
        field,
        title,
        opts,
        <textarea
          {...control(field, opts.hint)}
          value={textOf(field)}
          className={`input textarea${opts.mono ? ' mono' : ''}`}
          rows={opts.rows ?? 3}
          placeholder={opts.placeholder}
          spellCheck={false}
          onChange={(e) => update(field, e.currentTarget.value as V[typeof field])}
        />,
      ),
    select: (field, title, opts, options) =>
      wrap(
        field,
        title,
        opts,
        <select
          {...control(field, opts.hint)}
          value={values[field] as string}
          className={`input select${opts.selectClassName ? ` ${opts.selectClassName}` : ''}`}
          aria-required={opts.required || undefined}
          aria-busy={opts.busy}
          onChange={(e) => update(field, e.currentTarget.value as V[typeof field])}
        >
          {options}
        </select>,
      ),
    checkbox: (field, title, hint) => (
      <div className="field field-checkbox">
        <label className="checkbox">
          <input
            {...control(field, undefined)}
            type="checkbox"
            checked={values[field] as boolean}
            onChange={(e) => update(field, e.currentTarget.checked as V[typeof field])}
          />
          <span>
            {title}
            {hint ? <span className="field-hint checkbox-hint">{hint}</span> : null}
          </span>
        </label>
      </div>
    ),
  };
}
