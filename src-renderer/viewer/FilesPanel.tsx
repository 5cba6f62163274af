// The Files panel: the desktop's transfer folder and outbox (name, size, modified), into
// sub-folders and back, a file or a folder (as .tar) downloaded with progress. The list of
// downloads below it also carries the files the desktop's ~/Outbox offers, shown whether or
// not the panel is open.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { t } from '../i18n/i18n';
import { formatBytes } from '../store/format';
import type { DisplaySession } from './display-session';
import { FileDownloads, listFolder, type Download, type RemoteEntry } from './file-downloads';
import { transferProgress } from './transfer-progress';

function statusText(d: Download): string {
  switch (d.state) {
    case 'offered':
      return t('viewer.downloadOffered', { size: d.size === null ? '' : formatBytes(d.size) });
    case 'receiving':
      return transferProgress(d.received, d.size, d.bytesPerSecond);
    case 'done':
      return t('viewer.downloadDone');
    case 'failed':
      return t('viewer.downloadFailed', { reason: d.message || t('viewer.uploadNoReason') });
    case 'cancelled':
      return t('viewer.uploadCancelled');
  }
}

function DownloadList({ downloads }: { downloads: FileDownloads }) {
  const list = useSyncExternalStore(downloads.subscribe, downloads.getSnapshot);
  if (list.length === 0) return null;
  return (
    <ul className="upload-list download-list" data-testid="download-list" aria-label={t('viewer.downloads')}>
      {list.map((d) => (
        <li key={d.id} className={`upload upload-${d.state}`} data-testid="download" data-state={d.state} data-name={d.name}>
          <span className="upload-name">{d.name}</span>
          <span className="upload-status" data-testid="download-status" role={d.state === 'failed' || d.state === 'offered' ? 'alert' : undefined}>
            {statusText(d)}
          </span>
          {d.state === 'receiving' ? <progress className="upload-progress" max={d.size || 1} value={d.size ? d.received : undefined} /> : null}
          <span className="download-actions">
          {d.state === 'offered' ? (
            <button type="button" className="toolbar-button" data-testid="download-accept" onClick={() => downloads.accept(d.id)}>
              {t('viewer.downloadSave')}
            </button>
          ) : null}
          {d.state === 'receiving' ? (
            <button type="button" className="toolbar-button" data-testid="download-cancel" onClick={() => downloads.cancel(d.id)}>
              {t('viewer.uploadCancel')}
            </button>
          ) : (
            <button type="button" className="toolbar-button" data-testid="download-dismiss" onClick={() => downloads.dismiss(d.id)}>
              {t('viewer.uploadDismiss')}
            </button>
          )}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function FilesPanel({ session, open, onClose }: { session: DisplaySession | null; open: boolean; onClose: () => void }) {
  const [downloads] = useState(() => new FileDownloads());
  const [root, setRoot] = useState(0);
  const [path, setPath] = useState('/');
  const [entries, setEntries] = useState<RemoteEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const connected = session?.getSnapshot().state === 'connected';
  const folders = session?.remoteFolders() ?? [];
  const folder = folders[root];

  useEffect(() => {
    session?.setDownloads(downloads);
    return () => session?.setDownloads(null);
  }, [session, downloads]);
  useEffect(() => {
    // Streams of the old connection end with it.
    if (!connected) downloads.failActive(t('viewer.uploadConnectionLost'));
  }, [connected, downloads]);
  useEffect(() => {
    if (!open || !folder) return;
    let current = true;
    setError(null);
    listFolder(folder, path).then(
      (list) => current && setEntries(list),
      (err: unknown) => {
        if (!current) return;
        setEntries([]);
        setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      current = false;
    };
  }, [open, folder, path, reload]);

  const parts = path.split('/').filter(Boolean);
  const panel =
    open && connected ? (
      <aside className="files-panel" data-testid="files-panel" aria-label={t('viewer.files')}>
        <header className="files-header">
          <h2>{t('viewer.files')}</h2>
          {folders.length > 1 ? (
            <select
              data-testid="files-root"
              aria-label={t('viewer.filesFolder')}
              value={root}
              onChange={(e) => {
                setRoot(Number(e.currentTarget.value));
                setPath('/');
              }}
            >
              {folders.map((f, i) => (
                <option key={f.name} value={i}>
                  {f.name}
                </option>
              ))}
            </select>
          ) : null}
          <button type="button" className="toolbar-button" data-testid="files-refresh" onClick={() => setReload(reload + 1)}>
            {t('viewer.filesRefresh')}
          </button>
          <button type="button" className="toolbar-button" data-testid="files-close" onClick={onClose}>
            {t('viewer.filesClose')}
          </button>
        </header>
        {folder ? (
          <nav className="files-path" aria-label={t('viewer.filesPath')}>
            <button type="button" data-testid="files-crumb" onClick={() => setPath('/')}>
              {folder.name}
            </button>
            {parts.map((p, i) => (
              <span key={i}>
                {' / '}
                <button type="button" data-testid="files-crumb" onClick={() => setPath(`/${parts.slice(0, i + 1).join('/')}`)}>
                  {p}
                </button>
              </span>
            ))}
          </nav>
        ) : (
          <p>{t('viewer.filesNone')}</p>
        )}
        {error ? (
          <p className="files-error" role="alert" data-testid="files-error">
            {error}
          </p>
        ) : null}
        {folder && entries ? (
          <table className="files-table" data-testid="files-table" data-path={path}>
            <thead>
              <tr>
                <th>{t('viewer.filesName')}</th>
                <th>{t('viewer.filesSize')}</th>
                <th>{t('viewer.filesModified')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.path} data-testid="files-entry" data-name={e.name} data-kind={e.folder ? 'folder' : 'file'}>
                  <td>
                    {e.folder ? (
                      <button type="button" className="files-open" data-testid="files-open" onClick={() => setPath(e.path)}>
                        {`${e.name}/`}
                      </button>
                    ) : (
                      e.name
                    )}
                  </td>
                  <td>{e.size === null ? '' : formatBytes(e.size)}</td>
                  <td>{e.modified === null ? '' : new Date(e.modified).toLocaleString()}</td>
                  <td>
                    <button type="button" className="toolbar-button" data-testid="files-download" onClick={() => downloads.fetch(folder, e)}>
                      {e.folder ? t('viewer.filesDownloadTar') : t('viewer.filesDownload')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </aside>
    ) : null;
  return (
    <>
      {panel}
      <DownloadList downloads={downloads} />
    </>
  );
}
