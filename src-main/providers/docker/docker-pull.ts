// Pulls an image with per-layer progress: the engine's JSON progress stream, folded into
// the latest state of each layer.
import type Docker from 'dockerode';
import type { LayerProgress } from '../../../src-shared/contract';
import { DaasError } from '../../../src-shared/errors';
import { errorText } from '../../../src-shared/error-texts';

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

/** What a pull reports as it goes: a line for the log, and every layer seen so far. */
export type PullProgress = (line: string, layers: LayerProgress[]) => void;

export function pullFailed(image: string, detail: string): DaasError {
  return new DaasError('PROVIDER_FAILED', errorText('error.image.pullFailed', { image, detail: detail.trim() }), errorText('fix.image.pullCheckName'));
}

export async function pullImage(docker: Docker, image: string, onProgress: PullProgress): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(image);
  } catch (err) {
    throw pullFailed(image, (err as { json?: { message?: string } }).json?.message ?? String((err as Error).message ?? err));
  }
  const layers = new Map<string, LayerProgress>();
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: PullEvent[]) => {
        const failure = err?.message ?? output?.find((o) => o.error)?.error;
        if (failure) reject(pullFailed(image, failure));
        else resolve();
      },
      (event: PullEvent) => {
        if (event.error) return;
        const status = event.status ?? '';
        // Lines with an id are a layer's; the others ("Pulling from …", "Digest: …") are the pull's.
        const isLayer = event.id !== undefined && !/^Pulling from|^Digest:|^Status:/.test(status) && event.id !== image.split(':').pop();
        if (isLayer) {
          const previous = layers.get(event.id!);
          layers.set(event.id!, {
            id: event.id!,
            status,
            current: event.progressDetail?.current ?? (status.endsWith('complete') ? (previous?.total ?? 0) : (previous?.current ?? 0)),
            total: event.progressDetail?.total ?? previous?.total ?? 0,
          });
        }
        const line = isLayer ? (event.progressDetail?.current !== undefined ? '' : `${event.id}: ${status}`) : [event.id, status].filter(Boolean).join(': ');
        onProgress(line, [...layers.values()]);
      },
    );
  });
}
