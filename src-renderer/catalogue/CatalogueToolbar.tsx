// New app, import and export: the catalogue's own actions.
import { useId } from 'react';
import { useT } from '../i18n/i18n';
import { MAX_CATALOGUE_BYTES } from '../store/apps-slice';
import { useCatalogue } from './store-context';

export function CatalogueToolbar() {
  const busy = useCatalogue((s) => s.catalogueBusy);
  const openEditor = useCatalogue((s) => s.openEditor);
  const importCatalogue = useCatalogue((s) => s.importCatalogue);
  const exportCatalogue = useCatalogue((s) => s.exportCatalogue);
  const showError = useCatalogue((s) => s.showError);
  const inputId = useId();
  const t = useT();
  // Hidden while the settings load, and when the administrator switched editing off.
  const canEdit = useCatalogue((s) => s.settings?.allowCatalogueEditing ?? s.settingsStatus === 'failed');

  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      if (file.size > MAX_CATALOGUE_BYTES) {
        showError({ code: 'INVALID_REQUEST', message: t('toolbar.tooLarge', { fileName: file.name }), action: t('toolbar.pickExported') });
        return;
      }
      let text: string;
      try {
        text = await file.text();
      } catch {
        showError({ code: 'INVALID_REQUEST', message: t('toolbar.unreadable', { fileName: file.name }), action: t('toolbar.pickExported') });
        return;
      }
      await importCatalogue(file.name, text);
    } finally {
      // The same file can be picked again after fixing it.
      input.value = '';
    }
  };

  return (
    <div className="toolbar" role="group" aria-label={t('toolbar.label')}>
      {canEdit ? (
        <>
          <button
            type="button"
            className="button button-primary button-small"
            data-testid="new-app"
            onClick={() => openEditor({ kind: 'new' })}
          >
            {t('toolbar.newApp')}
          </button>
          <span className={`file-button button button-secondary button-small${busy ? ' is-disabled' : ''}`}>
            <input
              id={inputId}
              type="file"
              accept=".json,application/json"
              className="file-input"
              data-testid="import-catalogue"
              disabled={busy !== null}
              aria-busy={busy === 'importing'}
              onChange={(event) => void onFile(event.currentTarget)}
            />
            <label htmlFor={inputId}>{busy === 'importing' ? t('toolbar.importing') : t('toolbar.import')}</label>
          </span>
        </>
      ) : null}
      <button
        type="button"
        className="button button-secondary button-small"
        data-testid="export-catalogue"
        disabled={busy !== null}
        onClick={() => void exportCatalogue()}
      >
        {busy === 'exporting' ? t('toolbar.exporting') : t('toolbar.export')}
      </button>
    </div>
  );
}
