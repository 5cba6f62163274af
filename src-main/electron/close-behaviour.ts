// What closing a viewer window and quitting the app do to instances.
import type { SettingsValues } from '../../src-shared/settings';
import { ENGLISH, type ShellTranslator } from './shell-texts';

export type ViewerCloseChoice = 'leave-running' | 'stop' | 'cancel';

/** The question asked when viewerCloseBehaviour is 'ask' (buttons in this order). */
export function viewerCloseQuestion(instanceName: string | undefined, { t }: ShellTranslator = ENGLISH) {
  return {
    message: instanceName === undefined ? t('close.messageUnnamed') : t('close.message', { name: instanceName }),
    detail: t('close.detail'),
    buttons: [t('close.leaveRunning'), t('close.stop'), t('close.cancel')],
    defaultId: 0,
    cancelId: 2,
    checkboxLabel: t('close.dontAsk'),
  } as const;
}

/** Maps the dialog's answer to a choice. */
export function viewerCloseChoice(response: number): ViewerCloseChoice {
  return response === 1 ? 'stop' : response === 0 ? 'leave-running' : 'cancel';
}

/** Whether closing this viewer needs the question first. */
export function shouldAskOnViewerClose(settings: Pick<SettingsValues, 'viewerCloseBehaviour'>, instanceState: string | undefined, quitting: boolean): boolean {
  // Quitting follows quitBehaviour; an instance that is not running has nothing to stop.
  return !quitting && settings.viewerCloseBehaviour === 'ask' && instanceState === 'running';
}

/** What quitting does: leave instances running (they are found again next start) or stop them all first. */
export function quitPlan(settings: Pick<SettingsValues, 'quitBehaviour'>): 'leave-running' | 'stop-all' {
  return settings.quitBehaviour;
}
