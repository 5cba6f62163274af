// Sound in and out of a container's desktop (display/audio/desktop-audio.ts), with Docker's exec
// API and the PulseAudio tools of the desktop image: `parec` records the default sink's monitor
// to the exec's stdout, `pacat` plays the exec's stdin into the "mic" sink (the desktop's
// microphone is that sink's monitor). No port is published for it; the exec's stream is the pipe.
import { once } from 'node:events';
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { DESKTOP_PCM, type AudioCapture, type AudioInput, type DesktopAudio, type PcmFormat } from '../../display/audio/desktop-audio';

/** The desktop image's PulseAudio socket (resources/images/desktop/pulse.pa). */
const PULSE_SOCKET = '/tmp/pulse/native';
const PULSE_ENV = [`PULSE_SERVER=unix:${PULSE_SOCKET}`];
/**
 * The image starts its sound server once the display answers (start-desktop.sh), so a viewer
 * that connects at once may come first: the tool waits up to 5 s for the socket, then runs
 * (and fails as before if there is still none).
 */
const AFTER_SOUND_SERVER = ['sh', '-c', `i=0; until [ -S ${PULSE_SOCKET} ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i+1)); done; exec "$@"`, 'sh'];
/** Small buffers: what plays reaches the viewer within tens of milliseconds. */
const LATENCY_MS = '20';
/** A microphone arrives over the network with jitter: a larger buffer plays it without gaps. */
const MICROPHONE_LATENCY_MS = '100';

export class DockerDesktopAudio implements DesktopAudio {
  constructor(private readonly containerOf: (instanceId: string) => Promise<Docker.Container>) {}

  async record(instanceId: string): Promise<AudioCapture> {
    const { stream, stdout } = await start(await this.containerOf(instanceId), [
      'parec',
      '--raw',
      '--format=s16le',
      `--rate=${DESKTOP_PCM.rate}`,
      `--channels=${DESKTOP_PCM.channels}`,
      `--latency-msec=${LATENCY_MS}`,
      '--device=@DEFAULT_MONITOR@',
    ], false);
    return { pcm: stdout, close: () => stream.destroy() };
  }

  async microphone(instanceId: string, format: PcmFormat): Promise<AudioInput> {
    const { stream } = await start(await this.containerOf(instanceId), [
      'pacat',
      '--playback',
      '--raw',
      '--format=s16le',
      `--rate=${format.rate}`,
      `--channels=${format.channels}`,
      `--latency-msec=${MICROPHONE_LATENCY_MS}`,
      '--device=mic',
    ], true);
    let ended = false;
    const gone = new Promise<void>((resolve) => stream.once('close', resolve)).then(() => {
      ended = true;
    });
    return {
      async write(pcm) {
        if (ended) throw new Error('the microphone in the desktop stopped');
        if (!stream.write(pcm)) await Promise.race([once(stream, 'drain'), gone]);
      },
      close: () => {
        stream.end();
        // pacat drains what it has, then exits; a hung one is cut.
        setTimeout(() => stream.destroy(), 2_000).unref();
      },
    };
  }
}

/** Runs `cmd` in the container with the sound server's address; stdout demultiplexed. */
async function start(container: Docker.Container, cmd: string[], stdin: boolean): Promise<{ stream: Duplex; stdout: PassThrough }> {
  const exec = await container.exec({ Cmd: [...AFTER_SOUND_SERVER, ...cmd], Env: PULSE_ENV, AttachStdin: stdin, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = (await exec.start({ hijack: true, stdin })) as Duplex;
  const stdout = new PassThrough();
  const stderr = new PassThrough().resume();
  container.modem.demuxStream(stream, stdout, stderr);
  // Kept for the stream's life: a socket error with no listener would throw.
  stream.on('error', () => stream.destroy());
  stream.once('close', () => stdout.end());
  return { stream, stdout };
}
