// An instance's details, under its row: tabs for Logs, Stats, Inspect and (containers)
// Terminal and Home, as the WAI-ARIA tabs pattern has them (arrow keys, Home and End move between
// tabs; Tab goes into the panel).
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Instance } from '../../src-shared/model';
import { useT } from '../i18n/i18n';
import { HomeTab } from './details/HomeTab';
import { InspectTab } from './details/InspectTab';
import { LogsTab } from './details/LogsTab';
import { StatsTab } from './details/StatsTab';
import { TerminalTab } from './details/TerminalTab';
import { SaveAsAppAction } from './SaveAsAppAction';

type Tab = 'logs' | 'stats' | 'inspect' | 'terminal' | 'home';

export function InstanceDetails({ instance, id, vm = false }: { instance: Instance; id: string; vm?: boolean }) {
  const t = useT();
  const base = useId();
  const [tab, setTab] = useState<Tab>('logs');
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  // A VM has neither a container configuration, nor a shell to open, nor a home folder to pack.
  const tabs: Tab[] = vm ? ['logs', 'stats'] : ['logs', 'stats', 'inspect', 'terminal', 'home'];
  const words: Record<Tab, string> = {
    logs: t('details.logs'),
    stats: t('details.stats'),
    inspect: t('details.inspect'),
    terminal: t('details.terminal'),
    home: t('details.home'),
  };

  const select = (next: Tab) => {
    setTab(next);
    tabRefs.current.get(next)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.indexOf(tab);
    const to =
      event.key === 'ArrowRight' ? tabs[(at + 1) % tabs.length] : event.key === 'ArrowLeft' ? tabs[(at - 1 + tabs.length) % tabs.length] : event.key === 'Home' ? tabs[0] : event.key === 'End' ? tabs.at(-1) : undefined;
    if (!to) return;
    event.preventDefault();
    select(to);
  };

  return (
    <div id={id} className="instance-tools instance-details" data-testid="instance-tools" role="region" aria-label={t('details.tabsLabel', { name: instance.name })}>
      <div className="details-tabs" role="tablist" aria-label={t('details.tabsLabel', { name: instance.name })} onKeyDown={onKeyDown}>
        {tabs.map((name) => (
          <button
            key={name}
            ref={(el) => {
              if (el) tabRefs.current.set(name, el);
              else tabRefs.current.delete(name);
            }}
            type="button"
            role="tab"
            id={`${base}-${name}-tab`}
            className="details-tab"
            data-testid={`details-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`${base}-${name}-panel`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {words[name]}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-${tab}-panel`}
        aria-labelledby={`${base}-${tab}-tab`}
        className="details-panel"
        data-testid={`details-panel-${tab}`}
        // The panel itself takes focus only when it has nothing focusable of its own.
        tabIndex={tab === 'stats' ? 0 : undefined}
      >
        {tab === 'logs' ? <LogsTab instance={instance} vm={vm} /> : null}
        {tab === 'stats' ? <StatsTab instance={instance} /> : null}
        {tab === 'inspect' ? <InspectTab instance={instance} /> : null}
        {tab === 'terminal' ? <TerminalTab instance={instance} onLeave={() => tabRefs.current.get('terminal')?.focus()} /> : null}
        {tab === 'home' ? <HomeTab instance={instance} /> : null}
      </div>
      <SaveAsAppAction instance={instance} vm={vm} />
    </div>
  );
}
