// Stop, Force stop and Restart ask first when someone uses the desktop: a viewer is open
// or there was input in the last minutes. The question says what is lost and what stays.
import type { InstanceActivity } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { ConfirmRequest } from '../components/ConfirmDialog';
import { t } from '../i18n/i18n';

/** Input this recent counts as someone working in the desktop. */
export const RECENT_INPUT_MINUTES = 5;

export type GuardedAction = 'stop' | 'forceStop' | 'restart';

/** Why to ask, in words; null when nobody uses the desktop. An unknown activity asks. */
export function inUseLines(activity: InstanceActivity | null, now = Date.now()): string[] | null {
  if (!activity) return [];
  const lines: string[] = [];
  if (activity.viewers > 0) lines.push(t('instance.inUseViewers', { count: activity.viewers }));
  const last = activity.lastActivityAt ? Date.parse(activity.lastActivityAt) : NaN;
  const minutesAgo = (now - last) / 60_000;
  if (activity.viewers === 0 && minutesAgo <= RECENT_INPUT_MINUTES) {
    lines.push(t('instance.inUseRecently', { count: Math.max(1, Math.ceil(minutesAgo)) }));
  }
  return lines.length > 0 ? lines : null;
}

export function confirmRequest(
  action: GuardedAction,
  instance: Instance,
  app: App | undefined,
  reasons: string[],
  onConfirm: () => void,
): ConfirmRequest {
  const vm = app?.provider === 'proxmox';
  const homeVolume = app?.provider === 'docker' && Boolean(app.docker.homeVolume);
  const title =
    action === 'stop'
      ? t('instance.confirmStopTitle', { name: instance.name })
      : action === 'forceStop'
        ? t('instance.confirmForceStopTitle', { name: instance.name })
        : t('instance.confirmRestartTitle', { name: instance.name });
  const loses = action === 'restart' ? t('instance.restartLoses') : vm ? t('instance.stopLosesVm') : t('instance.stopLoses');
  return {
    title,
    message: (
      <>
        {reasons.map((line) => (
          <p key={line}>{line}</p>
        ))}
        <p className="confirm-warning">{loses}</p>
        {homeVolume ? <p data-testid="confirm-home-volume">{t('instance.homeVolumeKept')}</p> : null}
      </>
    ),
    confirmLabel: action === 'stop' ? t('instance.stop') : action === 'forceStop' ? t('instance.forceStop') : t('instance.restart'),
    danger: true,
    onConfirm,
  };
}
