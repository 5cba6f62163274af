// The instance's home folder (its app's home volume, else the desktop user's home): export it
// as a .tar.gz download, or import one (files in it replace those of the same name; the rest
// stays). Streams through home-transfer.ts; the main process checks the policy's switches.
import { useRef, useState } from 'react';
import { toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import type { Instance } from '../../../src-shared/model';
import { call } from '../../api/call';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useT } from '../../i18n/i18n';
import { formatBytes } from '../../store/format';
import { HomeTransferFailed, receiveExport, saveArchive, sendImport } from '../home-transfer';

type Busy = { direction: 'export' | 'import'; bytes: number; total: number | null } | null;

export function HomeTab({ instance }: { instance: Instance }) {
  const t = useT();
  const picker = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  if (instance.state !== 'running') return <p className="muted">{t('home.whileRunning')}</p>;

  const run = async (direction: 'export' | 'import', file?: File) => {
    setError(null);
    setDone(null);
    setBusy({ direction, bytes: 0, total: file?.size ?? null });
    try {
      const ticket = await call('home.transfer', { instanceId: instance.id, direction });
      const onBytes = (bytes: number) => setBusy({ direction, bytes, total: file?.size ?? null });
      if (direction === 'export') {
        saveArchive(await receiveExport(ticket.url, onBytes), ticket.fileName);
        setDone(t('home.exported', { folder: ticket.folder, file: ticket.fileName }));
      } else {
        await sendImport(ticket.url, file!, onBytes);
        setDone(t('home.imported', { folder: ticket.folder, file: file!.name }));
      }
    } catch (err) {
      setError(err instanceof HomeTransferFailed ? err.info : toErrorInfo(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="home-tools" data-testid="home-tools">
      <p className="muted">{t('home.hint')}</p>
      <div className="logs-toolbar">
        <button type="button" className="button button-secondary button-small" data-testid="home-export" disabled={busy !== null} onClick={() => void run('export')}>
          {t('home.export')}
        </button>
        <button type="button" className="button button-secondary button-small" data-testid="home-import" disabled={busy !== null} onClick={() => picker.current?.click()}>
          {t('home.import')}
        </button>
        <input
          ref={picker}
          type="file"
          accept=".tar.gz,.tgz,application/gzip"
          hidden
          data-testid="home-import-file"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void run('import', file);
          }}
        />
      </div>
      <p role="status" data-testid="home-status">
        {busy
          ? t(busy.direction === 'export' ? 'home.exporting' : 'home.importing', {
              bytes: formatBytes(busy.bytes),
              total: busy.total === null ? '' : formatBytes(busy.total),
            })
          : (done ?? '')}
      </p>
      {error ? <ErrorNotice error={error} testId="home-error" className="inline-error" onDismiss={() => setError(null)} /> : null}
    </div>
  );
}
