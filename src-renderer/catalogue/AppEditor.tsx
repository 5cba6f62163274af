// Creates or edits an app: the fields every app has, then those of its backend (from the
// registry in app-form/sections.tsx), checked as they are typed with the shared schema
// (errors show once a field was left, or on Save).
import { useCallback, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../src-shared/errors';
import type { App } from '../../src-shared/model';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { useConfirm } from '../components/use-confirm';
import { useT } from '../i18n/i18n';
import type { EditorTarget } from '../store/catalogue-store';
import { translateSharedMessage } from '../store/zod-messages';
import { buildAppInput, emptyAppForm, fieldApplies, fieldOfPath, formFromApp, type AppFormErrors, type AppFormValues, type SectionValues } from './app-form/app-form';
import { AppFields, DesktopSizeFields, GatewayFields, IdleField, type CommonKit } from './app-form/common-section';
import { fieldId, fieldKit, type KitState } from './app-form/field-kit';
import { APP_FORMS, APP_SECTIONS } from './app-form/sections';
import { useCatalogue } from './store-context';

/** The main process's own check names a schema path: show it next to that field. */
function serverFieldError(error: ErrorInfo, values: AppFormValues): { key: string; message: string } | null {
  if (error.code !== 'INVALID_REQUEST') return null;
  const text = error.messageText;
  if (text?.key !== 'error.request.invalid') return null;
  const path = String(text.params.path ?? '');
  const problem = String(text.params.problem ?? '');
  if (!path.startsWith('app.')) return null;
  return { key: fieldOfPath(path.slice(4).split('.'), values, APP_FORMS), message: translateSharedMessage(problem) ?? problem };
}

/** The first field with an error, in the order the form shows them. */
function firstErrorKey(form: HTMLFormElement | null, errors: AppFormErrors): string | undefined {
  const named = Array.from(form?.elements ?? []).map((el) => (el as HTMLInputElement).name);
  return named.find((name) => name && errors[name] !== undefined) ?? Object.keys(errors).find((key) => errors[key] !== undefined);
}

function AppEditorForm({ target, app }: { target: EditorTarget; app: App | undefined }) {
  const t = useT();
  const closeEditor = useCatalogue((s) => s.closeEditor);
  const saveApp = useCatalogue((s) => s.saveApp);

  const [initial] = useState<AppFormValues>(() => (app ? formFromApp(app, APP_FORMS) : emptyAppForm(APP_FORMS)));
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Partial<Record<string, true>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<ErrorInfo | null>(null);
  const [serverFieldErrors, setServerFieldErrors] = useState<AppFormErrors>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const confirm = useConfirm();

  const { input, errors } = useMemo(() => buildAppInput(values, APP_FORMS), [values]);
  const dirty = useMemo(() => JSON.stringify(initial) !== JSON.stringify(values), [initial, values]);
  const section = APP_SECTIONS[values.provider];
  const { provider } = values;

  const state: KitState = {
    shown: (key) => ((touched[key] || submitted) && fieldApplies(values, key, APP_FORMS) ? (errors[key] ?? serverFieldErrors[key]) : undefined),
    touch: (key) => setTouched((was) => (was[key] ? was : { ...was, [key]: true })),
  };
  const edited = useCallback((key: string) => setServerFieldErrors(({ [key]: _dropped, ...rest }) => rest), []);
  const updateCommon = useCallback<CommonKit['update']>(
    (field, value) => {
      if (field === 'provider') setValues((v) => ({ ...v, provider: value as AppFormValues['provider'] }));
      else setValues((v) => ({ ...v, common: { ...v.common, [field]: value } }));
      edited(field);
    },
    [edited],
  );
  const updateSection = useCallback(
    (field: string, value: string | boolean) => {
      setValues((v) => ({ ...v, sections: { ...v.sections, [provider]: { ...v.sections[provider], [field]: value } } }));
      edited(APP_FORMS[provider].keyPrefix + field);
    },
    [provider, edited],
  );
  const commonKit: CommonKit = fieldKit('', { ...values.common, provider }, updateCommon, state);
  const kit = fieldKit<SectionValues>(section.form.keyPrefix, values.sections[provider], updateSection, state);
  const { Main, Display, Desktop, AfterDesktop, Placement } = section.view;

  const requestClose = () => {
    if (saving) return;
    if (!dirty) {
      closeEditor();
      return;
    }
    confirm.ask({
      title: t('editor.discardTitle'),
      message: <p>{app ? t('editor.discardEdit', { name: app.name }) : t('editor.discardNew')}</p>,
      confirmLabel: t('editor.discard'),
      danger: true,
      onConfirm: closeEditor,
    });
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSubmitted(true);
    const first = firstErrorKey(formRef.current, errors);
    if (first) {
      document.getElementById(fieldId(first))?.focus();
      return;
    }
    setSaving(true);
    setServerError(null);
    const outcome = await saveApp(target.kind === 'edit' ? target.appId : null, input);
    // On success the store closed the editor.
    if (!outcome.ok) {
      setSaving(false);
      setServerError(outcome.error);
      const onField = serverFieldError(outcome.error, values);
      if (onField) {
        setServerFieldErrors({ [onField.key]: onField.message });
        document.getElementById(fieldId(onField.key))?.focus();
      }
    }
  };

  const title = app ? t('editor.editTitle', { name: app.name }) : t('editor.newTitle');

  return (
    <Dialog
      title={title}
      onClose={requestClose}
      size="large"
      initialFocus={nameRef}
      testId="app-editor-dialog"
      wrap={(content) => (
        <form
          ref={formRef}
          className="dialog-form"
          data-testid="app-editor"
          data-provider={provider}
          aria-label={title}
          noValidate
          onSubmit={(e) => void onSubmit(e)}
        >
          {content}
        </form>
      )}
      footer={
        <>
          <span className="footer-note muted">
            <span className="required" aria-hidden="true">
              *
            </span>{' '}
            {t('common.required')}
          </span>
          <button type="button" className="button button-secondary" onClick={requestClose} disabled={saving}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" data-testid="app-editor-save" disabled={saving} aria-busy={saving}>
            {saving ? (
              <>
                <span className="spinner spinner-small spinner-on-accent" aria-hidden="true" />
                {t('common.saving')}
              </>
            ) : app ? (
              t('editor.save')
            ) : (
              t('editor.create')
            )}
          </button>
        </>
      }
    >
      {serverError ? <ErrorNotice error={serverError} onDismiss={() => setServerError(null)} /> : null}

      <AppFields kit={commonKit} nameRef={nameRef} />

      <Main kit={kit} app={app} />

      <fieldset className="form-section" data-testid="app-display-section">
        <legend>{t('editor.sectionDisplay')}</legend>
        {Display ? <Display kit={kit} app={app} /> : null}
        <GatewayFields kit={commonKit} />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('editor.sectionDesktop')}</legend>
        <div className={`form-grid ${Desktop ? 'form-grid-3' : 'form-grid-2'}`}>
          {Desktop ? <Desktop kit={kit} app={app} /> : null}
          <DesktopSizeFields kit={commonKit} />
        </div>
      </fieldset>

      {AfterDesktop ? <AfterDesktop kit={kit} app={app} /> : null}

      <fieldset className="form-section">
        <legend>{Placement ? t('editor.sectionPlacement') : t('editor.sectionIdle')}</legend>
        <div className="form-grid form-grid-2">
          {Placement ? <Placement kit={kit} app={app} /> : null}
          <IdleField kit={commonKit} />
        </div>
      </fieldset>
      {confirm.dialog}
    </Dialog>
  );
}

/** The editor, when one is open. */
export function AppEditor() {
  const target = useCatalogue((s) => s.editor);
  const app = useCatalogue((s) => (s.editor?.kind === 'edit' ? s.apps.find((a) => a.id === (s.editor as { appId: string }).appId) : undefined));
  const closeEditor = useCatalogue((s) => s.closeEditor);
  const t = useT();
  if (!target) return null;
  if (target.kind === 'edit' && !app) {
    return (
      <Dialog
        title={t('editor.notFoundTitle')}
        onClose={closeEditor}
        size="small"
        footer={
          <button type="button" className="button button-primary" onClick={closeEditor}>
            {t('common.close')}
          </button>
        }
      >
        <p>{t('editor.notFound')}</p>
      </Dialog>
    );
  }
  // A fresh form per app (keyed), filled from the app as it was when the editor opened.
  return <AppEditorForm key={target.kind === 'edit' ? target.appId : 'new'} target={target} app={app} />;
}
