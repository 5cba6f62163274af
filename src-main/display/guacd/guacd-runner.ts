// A guacd the app runs itself (setting guacdContainerImage), for users who have guacd's image
// but no guacd running. The display layer asks for one through this interface; a backend that
// can run it supplies it (providers/docker/guacd-service.ts), wired in src-main/backends.ts.
import { DaasError, toErrorInfo } from '../../../src-shared/errors';
import { composeText, errorText } from '../../../src-shared/error-texts';
import type { Settings } from '../../config/settings';
import type { ProviderKind } from '../../providers/providers';

/** An instance as guacd may dial it: where it runs and its resource there. */
export interface GuacdDialled {
  provider: ProviderKind;
  endpointId: string | null;
  resourceId: string | null;
}

export interface RunningGuacd {
  /** Where guacd answers on this machine (loopback). */
  readonly host: string;
  readonly port: number;
  /**
   * The address guacd's connections to desktops come from (on the network they join): their
   * sound servers let it in (LaunchSpec.guacdSound). Undefined: it dials from this machine.
   */
  readonly dialsFrom?: string;
  /**
   * Where guacd reaches the instance's desktop itself (a desktop that joins its network), and
   * its sound server's port there if it has one; undefined: guacd dials the target's own address.
   */
  reach(instance: GuacdDialled): Promise<{ host: string; port: number; audioPort?: number } | undefined>;
  stop(): Promise<void>;
}

export interface GuacdRunner {
  /** Starts guacd from the image and waits until it answers; throws a DaasError saying why not. */
  start(image: string): Promise<RunningGuacd>;
}

/**
 * Starts the guacd the settings ask for. When it cannot start, the app still opens with the
 * built-in gateway, and the banner says why.
 */
export async function startOwnGuacd(runner: GuacdRunner, image: string, settings: Settings): Promise<RunningGuacd | null> {
  try {
    return await runner.start(image);
  } catch (err) {
    const info = toErrorInfo(err);
    const message = err instanceof DaasError ? `${info.message} ${info.action}` : String(err);
    const problem =
      err instanceof DaasError
        ? composeText('problem.guacd.notStarted', {
            message: info.messageText ? { ...info.messageText, text: info.message } : info.message,
            action: info.actionText ? { ...info.actionText, text: info.action } : info.action,
          })
        : errorText('problem.guacd.notStartedBecause', { detail: message });
    settings.problems.push(problem.text);
    // Only alongside lines that already have theirs, so both lists stay in step.
    if (settings.problemTexts?.length === settings.problems.length - 1) settings.problemTexts.push(problem);
    console.warn(`guacd container (${image}) did not start: ${message}`);
    return null;
  }
}
