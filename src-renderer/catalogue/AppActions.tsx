// An app's actions, the same on its card and its table row, in keyboard order: Start first,
// Open (when an instance runs), then a "more" menu with Edit, Duplicate and, last, Delete.
// Focus stays on the control used; after a delete it moves to the next app's Start.
import { useShallow } from 'zustand/react/shallow';
import type { App } from '../../src-shared/model';
import { isActive } from '../../src-shared/instance-states';
import { ActionMenu, type MenuAction } from '../components/ActionMenu';
import type { useConfirm } from '../components/use-confirm';
import { t, useT } from '../i18n/i18n';
import { useCatalogue } from './store-context';

/** Start, or its progress; never disabled, so focus does not drop to the page body. */
export function StartButton({ app }: { app: App }) {
  useT();
  const starting = useCatalogue((s) => s.startingApps[app.id] === true);
  const startApp = useCatalogue((s) => s.startApp);
  return (
    <button
      type="button"
      className="button button-primary"
      data-testid="start-app"
      aria-label={t('card.startLabel', { name: app.name })}
      aria-disabled={starting}
      aria-busy={starting}
      onClick={() => void startApp(app.id)}
    >
      {starting ? (
        <>
          <span className="spinner spinner-small spinner-on-accent" aria-hidden="true" />
          {t('card.starting')}
        </>
      ) : (
        t('card.start')
      )}
    </button>
  );
}

/** Opens the newest running instance of the app. */
export function OpenLatestButton({ app }: { app: App }) {
  useT();
  const latest = useCatalogue((s) => s.instances.find((i) => i.appId === app.id && i.state === 'running'));
  const openInstance = useCatalogue((s) => s.openInstance);
  if (!latest) return null;
  return (
    <button
      type="button"
      className="button button-secondary button-small"
      data-testid="card-open-instance"
      aria-label={t('instance.openLabel', { name: latest.name })}
      onClick={() => void openInstance(latest.id)}
    >
      {t('instance.open')}
    </button>
  );
}

/** How many instances of the app run or are on their way. */
export function useRunningCounts(app: App): { running: number; starting: number } {
  return useCatalogue(
    useShallow((s) => {
      const mine = s.instances.filter((i) => i.appId === app.id);
      return {
        running: mine.filter((i) => i.state === 'running').length,
        starting: mine.filter((i) => i.state === 'creating' || i.state === 'starting').length,
      };
    }),
  );
}

/** After the app's element left the page: the next app's Start, else the previous one's, else the Apps heading. */
function focusAfterDelete(next: string | null, previous: string | null): void {
  for (const id of [next, previous]) {
    const start = id ? document.querySelector<HTMLElement>(`[data-app-id="${CSS.escape(id)}"] [data-testid="start-app"]`) : null;
    if (start) {
      start.focus();
      return;
    }
  }
  document.getElementById('apps-heading')?.focus();
}

/** Edit, Duplicate and Delete behind the "more" button; only while catalogue editing is allowed. */
export function MoreActions({ app, confirm }: { app: App; confirm: ReturnType<typeof useConfirm> }) {
  useT();
  const canEdit = useCatalogue((s) => s.settings?.allowCatalogueEditing ?? s.settingsStatus === 'failed');
  const action = useCatalogue((s) => s.appActions[app.id]);
  // The main process refuses to delete an app while instances of it run (failed ones do not count).
  const liveCount = useCatalogue((s) => s.instances.filter((i) => i.appId === app.id && isActive(i.state) && i.state !== 'failed').length);
  const openEditor = useCatalogue((s) => s.openEditor);
  const duplicateApp = useCatalogue((s) => s.duplicateApp);
  const deleteApp = useCatalogue((s) => s.deleteApp);
  if (!canEdit) return null;

  const remove = async (options: { deleteHomeVolume: boolean }) => {
    const mine = document.querySelector(`[data-app-id="${CSS.escape(app.id)}"]`);
    const ids = [...(mine?.parentElement?.querySelectorAll<HTMLElement>(':scope > [data-app-id]') ?? [])].map((el) => el.dataset.appId!);
    const at = ids.indexOf(app.id);
    await deleteApp(app.id, options);
    requestAnimationFrame(() => {
      if (!document.querySelector(`[data-app-id="${CSS.escape(app.id)}"]`)) focusAfterDelete(ids[at + 1] ?? null, ids[at - 1] ?? null);
    });
  };

  const homeVolume = app.provider === 'docker' ? app.docker.homeVolume?.name : undefined;
  const askDelete = () => {
    // The dialog's checkbox, read when Delete is pressed: the volume goes only when asked.
    const choice = { deleteHomeVolume: false };
    confirm.ask({
      title: t('card.deleteTitle', { name: app.name }),
      message: (
        <>
          <p>{t('card.deleteMessage')}</p>
          {liveCount > 0 ? <p className="confirm-warning">{t('card.deleteStillRunning', { count: liveCount })}</p> : null}
          {homeVolume ? (
            <label className="confirm-choice">
              <input type="checkbox" data-testid="delete-home-volume" onChange={(e) => (choice.deleteHomeVolume = e.currentTarget.checked)} />{' '}
              {t('card.deleteHomeVolume', { volume: homeVolume })}
            </label>
          ) : null}
        </>
      ),
      confirmLabel: t('common.delete'),
      danger: true,
      onConfirm: () => void remove(choice),
    });
  };

  const actions: MenuAction[] = [
    {
      testId: 'edit-app',
      label: t('common.edit'),
      ariaLabel: t('card.editLabel', { name: app.name }),
      title: app.managed ? t('card.managedTitle') : undefined,
      disabled: app.managed,
      onSelect: () => openEditor({ kind: 'edit', appId: app.id }),
    },
    {
      testId: 'duplicate-app',
      label: action === 'duplicating' ? t('card.duplicating') : t('card.duplicate'),
      ariaLabel: t('card.duplicateLabel', { name: app.name }),
      disabled: action !== undefined,
      busy: action === 'duplicating',
      onSelect: () => void duplicateApp(app.id),
    },
    {
      testId: 'delete-app',
      label: action === 'deleting' ? t('card.deleting') : t('common.delete'),
      ariaLabel: t('card.deleteLabel', { name: app.name }),
      title: app.managed ? t('card.managedTitle') : undefined,
      disabled: action !== undefined || app.managed,
      busy: action === 'deleting',
      danger: true,
      onSelect: askDelete,
    },
  ];
  return <ActionMenu label={t('card.moreLabel', { name: app.name })} testId="app-more" actions={actions} />;
}
