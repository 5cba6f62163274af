// The draft state both endpoint forms (Docker, Proxmox) share: values, which errors to show
// (after a field was left or the form submitted), "Test" before saving (typing again makes
// the last result stale) and saving with the server's error kept for display.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../src-shared/errors';
import type { Outcome } from '../store/slice';

interface EndpointDraftOptions<V, F extends string, Req, Test, Out extends Outcome> {
  initial: () => V;
  /** The request the values make and each field's error, in the form's field order. */
  build: (values: V) => { request: Req; errors: Partial<Record<F, string>> };
  fields: readonly F[];
  test: (request: Req) => Promise<Test>;
  save: (request: Req) => Promise<Out>;
  onSaved: (outcome: Out) => void;
}

export function useEndpointDraft<V, F extends string, Req, Test extends { state: string }, Out extends Outcome>(
  options: EndpointDraftOptions<V, F, Req, Test, Out>,
) {
  const [values, setValues] = useState<V>(options.initial);
  const [draftTest, setDraftTest] = useState<Test | { state: 'testing' } | undefined>(undefined);
  const [touched, setTouched] = useState<Partial<Record<F, true>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<ErrorInfo | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const base = useId();
  const headingId = `${base}-heading`;
  const idOf = (field: F) => `${base}-${field}`;

  useEffect(() => nameRef.current?.focus(), []);

  // Cheap (field checks), so worked out on every render rather than memoised.
  const { request, errors } = options.build(values);
  const shown = (field: F) => (touched[field] || submitted ? errors[field] : undefined);

  /** Changes values (a key, or a function of the old values); the last test result goes stale. */
  const update = (change: (v: V) => V) => {
    setValues(change);
    setDraftTest(undefined);
  };
  const set = <K extends keyof V>(key: K, value: V[K]) => update((v) => ({ ...v, [key]: value }));
  const touch = (field: F) => setTouched((was) => (was[field] ? was : { ...was, [field]: true }));

  /** Shows every error and focuses the first; true when the values can be sent. */
  const checked = () => {
    setSubmitted(true);
    const first = options.fields.find((f) => errors[f] !== undefined);
    if (first) document.getElementById(idOf(first))?.focus();
    return first === undefined;
  };

  const onTest = async () => {
    if (draftTest?.state === 'testing' || !checked()) return;
    setDraftTest({ state: 'testing' });
    setDraftTest(await options.test(request));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving || !checked()) return;
    setSaving(true);
    setServerError(null);
    const outcome = await options.save(request);
    setSaving(false);
    if (outcome.ok) options.onSaved(outcome);
    else setServerError(outcome.error);
  };

  return { values, set, update, touch, shown, draftTest, onTest, onSubmit, saving, serverError, setServerError, nameRef, headingId, idOf };
}
