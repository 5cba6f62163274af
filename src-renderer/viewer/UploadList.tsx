// Per-file progress of uploads into the desktop: name, bytes, rate, time left, Cancel; the reason on failure.
import { useSyncExternalStore } from 'react';
import { t } from '../i18n/i18n';
import { isActive, type FileUploads, type Upload } from './file-uploads';
import { transferProgress } from './transfer-progress';

function statusText(u: Upload): string {
  switch (u.state) {
    case 'queued':
      return t('viewer.uploadQueued');
    case 'opening':
      return t('viewer.uploadOpening');
    case 'sending':
    case 'finishing':
      return transferProgress(u.sent, u.size, u.bytesPerSecond);
    case 'done':
      return t('viewer.uploadDone', { name: u.message || u.name });
    case 'failed':
      return t('viewer.uploadFailed', { reason: u.message || t('viewer.uploadNoReason') });
    case 'cancelled':
      return t('viewer.uploadCancelled');
  }
}

export function UploadList({ uploads }: { uploads: FileUploads }) {
  const list = useSyncExternalStore(uploads.subscribe, uploads.getSnapshot);
  if (list.length === 0) return null;
  return (
    <ul className="upload-list" data-testid="upload-list" aria-label={t('viewer.uploads')}>
      {list.map((u) => (
        <li key={u.id} className={`upload upload-${u.state}`} data-testid="upload" data-state={u.state} data-name={u.name}>
          <span className="upload-name">{u.name}</span>
          <span className="upload-status" data-testid="upload-status" role={u.state === 'failed' ? 'alert' : undefined}>
            {statusText(u)}
          </span>
          {isActive(u) ? (
            <progress className="upload-progress" max={u.size || 1} value={u.sent} />
          ) : null}
          {isActive(u) ? (
            <button type="button" className="toolbar-button" data-testid="upload-cancel" onClick={() => uploads.cancel(u.id)}>
              {t('viewer.uploadCancel')}
            </button>
          ) : (
            <button type="button" className="toolbar-button" data-testid="upload-dismiss" onClick={() => uploads.dismiss(u.id)}>
              {t('viewer.uploadDismiss')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
