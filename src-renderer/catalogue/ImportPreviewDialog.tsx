// What a catalogue file would add, replace or leave alone, with a warning for every entry
// that sends the desktop or a password elsewhere; nothing is written until the user confirms.
import { useRef } from 'react';
import type { ImportFlag, ImportPreviewEntry } from '../../src-shared/contract';
import { Dialog } from '../components/Dialog';
import { useT } from '../i18n/i18n';
import { useCatalogue } from './store-context';

type T = ReturnType<typeof useT>;

function flagText(t: T, flag: ImportFlag): string {
  switch (flag.kind) {
    case 'replacesApp':
      return t('importPreview.flag.replacesApp', { name: flag.name });
    case 'remoteGuacd':
      return t('importPreview.flag.remoteGuacd', { address: flag.address });
    case 'remoteVnc':
      return t('importPreview.flag.remoteVnc', { address: flag.address });
    case 'certChecksOff':
      return t('importPreview.flag.certChecksOff');
    case 'rdpWithoutTls':
      return t('importPreview.flag.rdpWithoutTls');
  }
}

function EntryRow({ entry }: { entry: ImportPreviewEntry }) {
  const t = useT();
  return (
    <li className="import-entry" data-testid="import-entry" data-app-id={entry.id} data-action={entry.action}>
      <div className="import-entry-head">
        <span className={`tag import-action import-action-${entry.action}`}>{t(`importPreview.action.${entry.action}`)}</span>
        <span className="import-entry-name">{entry.name}</span>
        <span className="mono import-entry-id">{entry.id}</span>
      </div>
      {entry.action === 'refused' ? (
        <p className="import-refused" data-testid="import-refused">
          {t(entry.refused === 'managed' ? 'importPreview.refusedManaged' : 'importPreview.refusedBuiltIn', { id: entry.id })}
        </p>
      ) : null}
      {entry.action === 'replace' && entry.changes.length > 0 ? (
        <p className="import-changes">{t('importPreview.changes', { fields: entry.changes.join(', ') })}</p>
      ) : null}
      {entry.flags.length > 0 ? (
        <ul className="import-flags">
          {entry.flags.map((flag, i) => (
            <li key={i} className="confirm-warning" data-testid="import-flag" data-kind={flag.kind}>
              {flagText(t, flag)}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function ImportPreviewDialog() {
  const t = useT();
  const pending = useCatalogue((s) => s.importPreview);
  const busy = useCatalogue((s) => s.catalogueBusy);
  const confirm = useCatalogue((s) => s.confirmImport);
  const cancel = useCatalogue((s) => s.cancelImport);
  const cancelRef = useRef<HTMLButtonElement>(null);
  if (!pending) return null;

  const entries = pending.preview.entries;
  const count = (action: ImportPreviewEntry['action']) => entries.filter((e) => e.action === action).length;
  const writes = count('add') + count('replace');
  const blocked = count('refused') > 0;
  // Replacing an app is listed as a flag too; any flag makes the confirmation say "anyway".
  const risky = entries.some((e) => e.action !== 'refused' && e.action !== 'unchanged' && e.flags.length > 0);

  return (
    <Dialog
      title={t('importPreview.title', { fileName: pending.fileName })}
      onClose={cancel}
      size="large"
      alert
      initialFocus={cancelRef}
      testId="import-preview"
      footer={
        <>
          <button ref={cancelRef} type="button" className="button button-secondary" data-testid="import-preview-cancel" onClick={cancel}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={`button ${risky ? 'button-danger' : 'button-primary'}`}
            data-testid="import-preview-confirm"
            disabled={blocked || writes === 0 || busy !== null}
            onClick={() => void confirm()}
          >
            {t(risky ? 'importPreview.confirmRisky' : 'importPreview.confirm', { count: writes })}
          </button>
        </>
      }
    >
      <p>{t('importPreview.intro')}</p>
      <p data-testid="import-counts">
        {t('importPreview.counts', { add: count('add'), replace: count('replace'), unchanged: count('unchanged'), refused: count('refused') })}
      </p>
      {blocked ? (
        <p className="confirm-warning" role="alert" data-testid="import-blocked">
          {t('importPreview.blocked')}
        </p>
      ) : writes === 0 ? (
        <p>{t('importPreview.nothing')}</p>
      ) : null}
      <ul className="import-entries">
        {entries.map((entry) => (
          <EntryRow key={entry.number} entry={entry} />
        ))}
      </ul>
    </Dialog>
  );
}
