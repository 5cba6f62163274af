// A desktop is ready when its VNC server sends the RFB banner, not when its container runs.
import net from 'node:net';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import { parseRfbBanner, RFB_BANNER_LENGTH } from '../rfb/banner';

/** One attempt: connect, read 12 bytes, close. Resolves true if they are an RFB banner. */
function probeOnce(host: string, port: number, attemptTimeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      clearTimeout(timer);
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), attemptTimeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length >= RFB_BANNER_LENGTH) finish(parseRfbBanner(received.slice(0, RFB_BANNER_LENGTH)) !== null);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

/**
 * How long between probes. A probe is one loopback connection, so polling often is cheap, and
 * the desktop is seen within this of answering (a doubling back-off up to 250 ms let a start
 * wait up to a quarter second for nothing; npm run bench prints the VNC banner phase).
 */
export const PROBE_INTERVAL_MS = 20;

/** Polls until the VNC banner answers or the timeout passes (or `signal` ends the wait: it then resolves). */
export async function waitForVncBanner(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) return;
    if (await probeOnce(host, port, Math.min(1000, Math.max(50, deadline - Date.now())))) return;
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
  }
  throw new DaasError(
    'DESKTOP_NOT_READY',
    errorText('error.desktop.vncSilent', { seconds: Math.round(timeoutMs / 1000) }),
    errorText('fix.desktop.checkVnc'),
  );
}
