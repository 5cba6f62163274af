import { useEffect, useId, useRef, useState } from 'react';
import type { InstanceActivity } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { canStop, canView } from '../../src-shared/instance-states';
import { ErrorNotice } from '../components/ErrorNotice';
import { useConfirm } from '../components/use-confirm';
import { currentLocale, useT } from '../i18n/i18n';
import { confirmRequest, inUseLines, type GuardedAction } from './instance-confirm';
import { InstanceColumns } from './InstanceColumns';
import { InstanceDetails } from './InstanceDetails';
import { StateBadge } from './StateBadge';
import { StateReason } from './StateReason';
import { useCatalogue } from './store-context';
import { instanceReason, reportLines } from '../i18n/error-text';

function formatCreated(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  const options: Intl.DateTimeFormatOptions = today ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(currentLocale(), options).format(date);
}

function Busy({ label }: { label: string }) {
  return (
    <>
      <span className="spinner spinner-small" aria-hidden="true" />
      {label}
    </>
  );
}

export function InstanceRow({
  instance,
  selected,
  onSelect,
}: {
  instance: Instance;
  selected: boolean;
  onSelect: (selected: boolean) => void;
}) {
  const t = useT();
  const confirm = useConfirm();
  const error = useCatalogue((s) => s.instanceErrors[instance.id]);
  const dismissError = useCatalogue((s) => s.dismissInstanceError);
  const fetchActivity = useCatalogue((s) => s.fetchActivity);
  const removeInstances = useCatalogue((s) => s.removeInstances);
  const startApp = useCatalogue((s) => s.startApp);
  const startingApp = useCatalogue((s) => s.startingApps[instance.appId] === true);
  const action = useCatalogue((s) => s.instanceActions[instance.id]);
  const progress = useCatalogue((s) => s.instanceProgress[instance.id]);
  const openInstance = useCatalogue((s) => s.openInstance);
  const stopInstance = useCatalogue((s) => s.stopInstance);
  const forceStopInstance = useCatalogue((s) => s.forceStopInstance);
  const restartInstance = useCatalogue((s) => s.restartInstance);
  // The app may be gone (deleted since); its instances keep their rows.
  const app = useCatalogue((s) => s.apps.find((a) => a.id === instance.appId));
  const provider = app?.provider;
  const vm = provider === 'proxmox';
  const [toolsOpen, setToolsOpen] = useState(false);
  const toolsId = useId();
  const created = formatCreated(instance.createdAt);
  const { state } = instance;
  const busy = action !== undefined;
  const ended = state === 'stopped' || state === 'failed';

  // A button used here may turn disabled (busy) or give way to others (the row ended):
  // focus then falls to the page body. Bring it back to this row's main action.
  const rowRef = useRef<HTMLLIElement>(null);
  const focusedHere = useRef(false);
  useEffect(() => {
    if (!focusedHere.current || (document.activeElement && document.activeElement !== document.body)) return;
    const next = rowRef.current?.querySelector<HTMLElement>(
      ended ? '[data-testid="start-again"], [data-testid="remove-instance"]' : '[data-testid="toggle-instance-tools"]',
    );
    next?.focus();
  }, [ended, busy]);

  /** Runs the action at once, or first asks when someone uses the desktop. */
  const guarded = (kind: GuardedAction, run: () => void) => async () => {
    let activity: InstanceActivity | null = null;
    try {
      activity = await fetchActivity(instance.id);
    } catch {
      // Not knowing who uses it: ask.
    }
    const reasons = inUseLines(activity);
    if (reasons === null) run();
    else confirm.ask(confirmRequest(kind, instance, app, reasons, run));
  };

  const remove = () => {
    // The row goes: focus moves to the list's filter, not to the page body.
    const hadFocus = document.activeElement?.closest('[data-testid="instance-row"]');
    void removeInstances([instance.id]).then(() => {
      if (hadFocus && !hadFocus.isConnected) document.querySelector<HTMLElement>('[data-testid="instance-filter"]')?.focus();
    });
  };

  return (
    <li
      ref={rowRef}
      onFocus={() => (focusedHere.current = true)}
      // Focus lost to nothing (a button disabled or gone) still counts as here.
      onBlur={(event) => {
        if (event.relatedTarget !== null) focusedHere.current = rowRef.current?.contains(event.relatedTarget as Node) ?? false;
      }}
      className={`instance-row instance-${state}`}
      data-testid="instance-row"
      data-instance-id={instance.id}
      data-app-id={instance.appId}
      data-state={state}
      data-provider={provider}
    >
      <div className="instance-line">
        <input
          type="checkbox"
          className="instance-select"
          data-testid="select-instance"
          aria-label={t('instance.selectLabel', { name: instance.name })}
          checked={selected}
          onChange={(event) => onSelect(event.target.checked)}
        />
        <div className="instance-main">
          <div className="instance-title">
            <span className="instance-name">{instance.name}</span>
            <StateBadge state={state} />
          </div>
          <div className="instance-meta">
            <span>{instance.appName}</span>
            {vm ? (
              <span className="tag tag-vm" title={t('card.vmTitle')}>
                {t('card.vmBadge')}
              </span>
            ) : null}
            {created ? (
              <>
                <span aria-hidden="true"> · </span>
                <time dateTime={instance.createdAt}>{t('instance.started', { time: created })}</time>
              </>
            ) : null}
          </div>
          {progress && (state === 'creating' || state === 'starting' || state === 'stopping') ? (
            <p className="instance-progress" data-testid="instance-progress" role="status">
              <span className="spinner spinner-small" aria-hidden="true" />
              <span className="instance-progress-text">{reportLines([progress.message], progress.text ? [progress.text] : undefined)[0]}</span>
            </p>
          ) : null}
          <InstanceColumns instance={instance} />
          {instanceReason(instance) ? <StateReason reason={instanceReason(instance)!} failed={state === 'failed'} /> : null}
          {error ? (
            <ErrorNotice
              error={error}
              alert={false}
              testId="instance-error"
              className="inline-error"
              dismissLabel={t('instance.dismissErrorLabel', { name: instance.name })}
              onDismiss={() => dismissError(instance.id)}
            />
          ) : null}
        </div>
        <div className="instance-actions" role="group" aria-label={t('instance.actionsLabel', { name: instance.name })}>
          {ended ? (
            <>
              {app ? (
                <button
                  type="button"
                  className="button button-primary button-small"
                  data-testid="start-again"
                  aria-label={t('instance.startAgainLabel', { app: instance.appName })}
                  // Not disabled while starting: focus stays on the button used.
                  aria-disabled={startingApp}
                  aria-busy={startingApp}
                  onClick={() => void startApp(instance.appId)}
                >
                  {startingApp ? <Busy label={t('card.starting')} /> : t('instance.startAgain')}
                </button>
              ) : null}
              <button
                type="button"
                className="button button-ghost button-small button-ghost-danger"
                data-testid="remove-instance"
                aria-label={t('instance.removeLabel', { name: instance.name })}
                aria-disabled={busy}
                aria-busy={action === 'removing'}
                onClick={() => (busy ? undefined : remove())}
              >
                {action === 'removing' ? <Busy label={t('instance.removing')} /> : t('instance.remove')}
              </button>
            </>
          ) : (
            <>
          <button
            type="button"
            className="button button-primary button-small"
            data-testid="open-instance"
            aria-label={t('instance.openLabel', { name: instance.name })}
            disabled={!canView(state) || busy}
            aria-busy={action === 'opening'}
            onClick={() => void openInstance(instance.id)}
          >
            {action === 'opening' ? <Busy label={t('instance.opening')} /> : t('instance.open')}
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="stop-instance"
            aria-label={t('instance.stopLabel', { name: instance.name })}
            disabled={!canStop(state) || busy}
            aria-busy={action === 'stopping'}
            onClick={guarded('stop', () => void stopInstance(instance.id))}
          >
            {action === 'stopping' ? <Busy label={t('instance.stopping')} /> : t('instance.stop')}
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="restart-instance"
            aria-label={t('instance.restartLabel', { name: instance.name })}
            disabled={state !== 'running' || busy}
            aria-busy={action === 'restarting'}
            onClick={guarded('restart', () => void restartInstance(instance.id))}
          >
            {action === 'restarting' ? <Busy label={t('instance.restarting')} /> : t('instance.restart')}
          </button>
          <button
            type="button"
            className="button button-ghost button-small button-ghost-danger"
            data-testid="force-stop-instance"
            aria-label={t('instance.forceStopLabel', { name: instance.name })}
            // Also while a normal stop hangs.
            disabled={action === 'forceStopping'}
            title={vm ? t('instance.forceStopVmTitle') : t('instance.forceStopTitle')}
            aria-busy={action === 'forceStopping'}
            onClick={guarded('forceStop', () => void forceStopInstance(instance.id))}
          >
            {action === 'forceStopping' ? <Busy label={t('instance.killing')} /> : t('instance.forceStop')}
          </button>
            </>
          )}
          <button
            type="button"
            className="button button-ghost button-small disclosure"
            aria-expanded={toolsOpen}
            aria-controls={toolsOpen ? toolsId : undefined}
            aria-label={t('instance.toolsLabel', { name: instance.name })}
            data-testid="toggle-instance-tools"
            onClick={() => setToolsOpen((open) => !open)}
          >
            {t('instance.tools')}
            <span className="chevron" aria-hidden="true" />
          </button>
        </div>
      </div>
      {toolsOpen ? <InstanceDetails id={toolsId} instance={instance} vm={vm} /> : null}
      {confirm.dialog}
    </li>
  );
}
