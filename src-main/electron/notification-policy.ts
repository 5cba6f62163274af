// When to show a system notification: an instance became running, or failed, and the
// user is not looking at a window that already shows it.
import type { Result } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { ENGLISH, type ShellTranslator } from './shell-texts';

/** Which of our windows has focus: none (another app), the catalogue, or one instance's viewer. */
export type FocusedWindow = { kind: 'none' } | { kind: 'catalogue' } | { kind: 'viewer'; instanceId: string };

export interface NotificationContent {
  title: string;
  body: string;
  /** What a click does. */
  onClick: { action: 'open-viewer'; instanceId: string } | { action: 'show-catalogue' };
}

export function notificationFor(
  previousState: Instance['state'] | undefined,
  instance: Instance,
  focused: FocusedWindow,
  enabled: boolean,
  { t, reason }: ShellTranslator = ENGLISH,
): NotificationContent | null {
  if (!enabled || previousState === instance.state) return null;
  // The catalogue shows every instance's state; its own viewer shows it too.
  if (focused.kind === 'catalogue') return null;
  if (focused.kind === 'viewer' && focused.instanceId === instance.id) return null;
  if (instance.state === 'running' && (previousState === 'creating' || previousState === 'starting')) {
    return {
      title: t('note.readyTitle', { name: instance.name }),
      body: t('note.readyBody'),
      onClick: { action: 'open-viewer', instanceId: instance.id },
    };
  }
  // A failed instance was not asked to stop: say so even if we never saw it start.
  if (instance.state === 'failed') {
    return {
      title: t('note.failedTitle', { name: instance.name }),
      body: reason(instance) ?? t('note.failedBody'),
      onClick: { action: 'show-catalogue' },
    };
  }
  return null;
}

/**
 * A start the core refused (no instance row, so no instance.changed follows): the window that
 * asked shows the error on the card, but a user who switched away meanwhile sees nothing there.
 */
export function refusedStartNotification(
  channel: unknown,
  result: Result<unknown>,
  focused: FocusedWindow,
  enabled: boolean,
  { t, error }: ShellTranslator = ENGLISH,
): NotificationContent | null {
  if (!enabled || channel !== 'instances.start' || result.ok || focused.kind !== 'none') return null;
  const { message, action } = error(result.error);
  return { title: t('note.refusedTitle'), body: action ? `${message} ${action}` : message, onClick: { action: 'show-catalogue' } };
}
