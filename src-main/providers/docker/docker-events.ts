// Follows Docker's event stream for the app's containers, reconnecting when it drops,
// so containers that die or vanish outside the app are noticed at once. A container that
// dies because its engine is shutting down is not reported: the engine may bring it back
// (restart policy), and the reconcile after the stream reconnects decides what it is.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { ResourceEvent } from '../provider';
import { LABEL_INSTANCE, LABEL_OWNER } from './docker-labels';


interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

export function toResourceEvent(event: DockerEvent): ResourceEvent | undefined {
  const attributes = event.Actor?.Attributes ?? {};
  const instanceId = attributes[LABEL_INSTANCE];
  if (event.Type !== 'container' || !instanceId) return undefined;
  if (event.Action === 'die') {
    const exitCode = Number(attributes.exitCode);
    return { instanceId, kind: 'died', exitCode: Number.isFinite(exitCode) ? exitCode : null };
  }
  if (event.Action === 'destroy') return { instanceId, kind: 'removed', exitCode: null };
  return undefined;
}

export function watchDockerEvents(
  docker: Docker,
  owner: string,
  onEvent: (event: ResourceEvent) => void,
  onReconnect: () => void,
  /** False while the engine is going away (it no longer takes new connections). */
  acceptsConnections: () => Promise<boolean>,
): () => void {
  let stopped = false;
  // Events are delivered in order; a `die` waits for the engine check.
  let delivering = Promise.resolve();
  const deliver = (event: ResourceEvent) => {
    delivering = delivering
      .then(async () => {
        if (event.kind === 'died' && !(await acceptsConnections())) return;
        if (!stopped) onEvent(event);
      })
      .catch(() => undefined);
  };
  let stream: Readable | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let delay = 500;

  const scheduleRetry = () => {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect();
    }, delay);
    delay = Math.min(delay * 2, 10_000);
  };

  const connect = () => {
    docker.getEvents(
      { filters: { type: ['container'], label: [`${LABEL_OWNER}=${owner}`], event: ['die', 'destroy'] } },
      (err, result) => {
        if (stopped) return (result as Readable | undefined)?.destroy();
        if (err || !result) return scheduleRetry();
        stream = result as Readable;
        delay = 500;
        // Events may have been missed before this connection: let the owner look again.
        onReconnect();
        let buffered = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (!line) continue;
            try {
              const event = toResourceEvent(JSON.parse(line) as DockerEvent);
              if (event) deliver(event);
            } catch {
              // A malformed line is skipped; the next reconcile catches up.
            }
          }
        });
        stream.on('error', scheduleRetry);
        stream.on('close', scheduleRetry);
        stream.on('end', scheduleRetry);
      },
    );
  };

  connect();
  return () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    stream?.destroy();
  };
}
