// An instance's logs: followed (polled) or paused, with or without timestamps, searched
// line by line, copied or downloaded. A VM's logs are the Proxmox task logs of its start.
import { useEffect, useState } from 'react';
import { toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import type { Instance } from '../../../src-shared/model';
import { LogView } from '../../components/LogView';
import { usePolling } from '../../components/use-polling';
import { useT } from '../../i18n/i18n';
import { errorMessage } from '../../i18n/error-text';
import { defaultDownload } from '../../store/catalogue-store';
import { useCatalogue } from '../store-context';

const POLL_MS = 2000;

export function LogsTab({ instance, vm }: { instance: Instance; vm: boolean }) {
  const t = useT();
  const fetchLogs = useCatalogue((s) => s.fetchLogs);
  const [text, setText] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [copyNote, setCopyNote] = useState('');
  // A stopped or failed instance has nothing to read from: keep what was shown.
  const live = instance.state !== 'stopped' && instance.state !== 'failed';

  const load = async () => {
    try {
      setText(await fetchLogs(instance.id, timestamps));
      setError(null);
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setLoaded(true);
    }
  };
  usePolling(load, POLL_MS, live && follow);
  // Switching timestamps (or pausing) reads once at once rather than at the next tick.
  useEffect(() => {
    if (live) void load();
  }, [timestamps]);

  const needle = query.trim().toLowerCase();
  const lines = needle ? text.split('\n').filter((line) => line.toLowerCase().includes(needle)) : null;
  const shown = lines ? lines.join('\n') : text;
  const title = vm ? t('tools.taskLog') : t('tools.logs');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shown);
      setCopyNote(t('logs.copied'));
    } catch {
      setCopyNote(t('logs.copyFailed'));
    }
  };
  const download = () => defaultDownload(`${instance.name.replace(/[^\w.-]+/g, '_')}-logs.txt`, shown, 'text/plain;charset=utf-8');

  const status = error ? (
    <span className="logs-error">{errorMessage(error)}</span>
  ) : !live ? (
    <span className="muted">{text ? t('tools.asStopped') : ''}</span>
  ) : follow ? (
    <span className="muted">{t('tools.following', { seconds: POLL_MS / 1000 })}</span>
  ) : (
    <span className="muted">{t('logs.paused')}</span>
  );
  const empty = !live
    ? vm
      ? t('tools.noTaskLog')
      : t('tools.noLogs')
    : loaded
      ? vm
        ? t('tools.noTaskOutput')
        : t('tools.noLogOutput')
      : t('tools.loadingLogs');

  return (
    <div className="logs">
      <div className="logs-toolbar">
        <label className="check">
          <input type="checkbox" data-testid="logs-follow" checked={follow} disabled={!live} onChange={(e) => setFollow(e.target.checked)} />
          {t('logs.follow')}
        </label>
        {!vm ? (
          <label className="check">
            <input type="checkbox" data-testid="logs-timestamps" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />
            {t('logs.timestamps')}
          </label>
        ) : null}
        <label className="logs-search">
          <span>{t('logs.search')}</span>
          <input type="search" className="input" data-testid="logs-search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <button type="button" className="button button-ghost button-small" data-testid="logs-copy" onClick={() => void copy()}>
          {t('logs.copy')}
        </button>
        <button type="button" className="button button-ghost button-small" data-testid="logs-download" onClick={download}>
          {t('logs.download')}
        </button>
      </div>
      <div className="logs-head">
        {status}
        <span className="muted" role="status" data-testid="logs-status">
          {lines ? t('logs.matches', { count: lines.length }) : ''} {copyNote}
        </span>
      </div>
      <LogView text={shown} label={t('tools.logLabel', { log: title, name: instance.name })} testId="instance-logs" empty={empty} />
    </div>
  );
}
