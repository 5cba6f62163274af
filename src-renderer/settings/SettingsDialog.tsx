// Settings, as Docker Desktop lays them out: a section list on the left, the sections on the
// right, and Apply/Cancel pinned at the bottom. Leaving with changes not applied (Escape,
// Cancel, the close button) asks first. Endpoints save on their own, row by row.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { SETTINGS_PAGE } from '../../src-shared/setting-fields';
import { Dialog } from '../components/Dialog';
import { useConfirm } from '../components/use-confirm';
import { useCatalogue } from '../catalogue/store-context';
import { useT } from '../i18n/i18n';
import { DockerEndpointsSection } from './DockerEndpointsSection';
import { GeneralSettings, groupSectionId, type SettingsFormStatus } from './GeneralSettings';
import { ProxmoxSection } from './ProxmoxSection';
import { word } from './settings-draft';

/** The section list: the settings groups, then the endpoints. */
function useSections(): { id: string; key: string; label: string }[] {
  const t = useT();
  return [
    ...SETTINGS_PAGE.map(({ group, title }) => ({ id: groupSectionId(group), key: group, label: word(title) })),
    { id: 'settings-section-docker', key: 'docker', label: t('endpoints.heading') },
    { id: 'settings-section-proxmox', key: 'proxmox', label: t('proxmox.heading') },
  ];
}

/** The last section whose top has passed the top of the scrolled pane. */
function topSection(pane: HTMLElement, ids: string[]): string | undefined {
  const top = pane.getBoundingClientRect().top + 24;
  let current = ids[0];
  for (const id of ids) {
    const el = document.getElementById(id);
    if (el && el.getBoundingClientRect().top <= top) current = id;
  }
  return current;
}

function visibleIn(pane: HTMLElement, id: string): boolean {
  const el = document.getElementById(id);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  const view = pane.getBoundingClientRect();
  return box.top < view.bottom && box.bottom > view.top;
}

function SettingsContent({ close }: { close: () => void }) {
  const t = useT();
  const sections = useSections();
  const formId = useId();
  const paneRef = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<SettingsFormStatus>({ dirty: false, saving: false, saved: false });
  const [current, setCurrent] = useState(sections[0]!.id);
  const confirm = useConfirm();
  const onStatus = useCallback((next: SettingsFormStatus) => setStatus(next), []);

  const requestClose = () => {
    if (!status.dirty) {
      close();
      return;
    }
    confirm.ask({
      title: t('settings.discardTitle'),
      message: <p>{t('settings.discardMessage')}</p>,
      confirmLabel: t('settings.discard'),
      danger: true,
      onConfirm: close,
    });
  };

  // A section picked in the list stays current while it is in view: the last ones cannot
  // scroll up to the top of the pane.
  const picked = useRef<string | null>(null);
  const ids = sections.map((s) => s.id);
  const onScroll = () => {
    const pane = paneRef.current;
    if (!pane) return;
    if (picked.current && visibleIn(pane, picked.current)) return;
    picked.current = null;
    const found = topSection(pane, ids);
    if (found) setCurrent(found);
  };
  useEffect(onScroll, []);

  const show = (id: string) => {
    const section = document.getElementById(id);
    if (!section) return;
    section.scrollIntoView({ block: 'start' });
    // Keyboard users land in the section they picked.
    section.querySelector<HTMLElement>('h3')?.focus({ preventScroll: true });
    picked.current = id;
    setCurrent(id);
  };

  return (
    <Dialog
      title={t('page.settings')}
      onClose={requestClose}
      size="large"
      className="dialog-settings"
      testId="settings"
      footer={
        <>
          <span className="muted settings-status" role="status" data-testid="settings-status">
            {status.dirty ? t('settings.unapplied') : status.saved ? t('settings.saved') : ''}
          </span>
          <button type="button" className="button button-secondary" data-testid="settings-cancel" onClick={requestClose}>
            {status.dirty ? t('common.cancel') : t('common.close')}
          </button>
          <button
            type="submit"
            form={formId}
            className="button button-primary"
            data-testid="settings-save"
            disabled={!status.dirty || status.saving}
            aria-busy={status.saving}
          >
            {status.saving ? t('common.saving') : t('settings.apply')}
          </button>
        </>
      }
    >
      <div className="settings-layout">
        <nav className="settings-nav" aria-label={t('settings.sections')} data-testid="settings-nav">
          <ul>
            {sections.map((section) => (
              <li key={section.id}>
                <button
                  type="button"
                  className="settings-nav-item"
                  data-testid={`settings-nav-${section.key}`}
                  aria-current={current === section.id ? 'true' : undefined}
                  onClick={() => show(section.id)}
                >
                  {section.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-pane" ref={paneRef} onScroll={onScroll} data-testid="settings-pane">
          <GeneralSettings formId={formId} onStatus={onStatus} />
          <DockerEndpointsSection />
          <ProxmoxSection />
        </div>
      </div>
      {confirm.dialog}
    </Dialog>
  );
}

export function SettingsDialog() {
  const open = useCatalogue((s) => s.settingsOpen);
  const close = useCatalogue((s) => s.closeSettings);
  if (!open) return null;
  return <SettingsContent close={close} />;
}
