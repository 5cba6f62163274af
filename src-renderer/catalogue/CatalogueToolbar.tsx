// New app, import and export: the catalogue's own actions.
import { useId } from 'react';
import { MAX_CATALOGUE_BYTES } from '../store/apps-slice';
import { useCatalogue } from './store-context';

const PICK_EXPORTED = 'Pick a catalogue file exported from DaaS Desktop (JSON).';

export function CatalogueToolbar() {
  const busy = useCatalogue((s) => s.catalogueBusy);
  const openEditor = useCatalogue((s) => s.openEditor);
  const importCatalogue = useCatalogue((s) => s.importCatalogue);
  const exportCatalogue = useCatalogue((s) => s.exportCatalogue);
  const showError = useCatalogue((s) => s.showError);
  const inputId = useId();

  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      if (file.size > MAX_CATALOGUE_BYTES) {
        showError({ code: 'INVALID_REQUEST', message: `${file.name} is larger than 5 MB, too large for a catalogue.`, action: PICK_EXPORTED });
        return;
      }
      let text: string;
      try {
        text = await file.text();
      } catch {
        showError({ code: 'INVALID_REQUEST', message: `Could not read ${file.name}.`, action: PICK_EXPORTED });
        return;
      }
      await importCatalogue(file.name, text);
    } finally {
      // The same file can be picked again after fixing it.
      input.value = '';
    }
  };

  return (
    <div className="toolbar" role="group" aria-label="Catalogue">
      <button
        type="button"
        className="button button-primary button-small"
        data-testid="new-app"
        onClick={() => openEditor({ kind: 'new' })}
      >
        New app
      </button>
      <span className={`file-button button button-secondary button-small${busy ? ' is-disabled' : ''}`}>
        <input
          id={inputId}
          type="file"
          accept=".json,application/json"
          className="file-input"
          data-testid="import-catalogue"
          disabled={busy !== null}
          onChange={(event) => void onFile(event.currentTarget)}
        />
        <label htmlFor={inputId}>{busy === 'importing' ? 'Importing…' : 'Import…'}</label>
      </span>
      <button
        type="button"
        className="button button-secondary button-small"
        data-testid="export-catalogue"
        disabled={busy !== null}
        onClick={() => void exportCatalogue()}
      >
        {busy === 'exporting' ? 'Exporting…' : 'Export'}
      </button>
    </div>
  );
}
