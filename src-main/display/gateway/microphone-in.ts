// A viewer's `audio,<stream>,<mimetype>` stream (guacamole-common-js AudioRecorder): its
// microphone, played into the desktop's microphone input through the connection's audio grant.
// Refused without a grant, with the microphone off, or in a format other than 16-bit PCM.
import { errorText } from '../../../src-shared/error-texts';
import { parseL16, type AudioInput } from '../audio/desktop-audio';
import type { AudioGrant } from '../audio/audio-grants';
import { GuacStatus, GuacStatusError } from './status';
import { InboundStreams, StreamWriter } from './streams';

/** Opens the microphone (or acks the refusal) of one `audio` stream. */
export function openMicrophoneStream(streams: InboundStreams, grant: AudioGrant | undefined, stream: string, mimetype: string | undefined): void {
  const refuse = (message: string, status: GuacStatusError['status']) => streams.refuse(stream, new GuacStatusError(message, status));
  if (!grant) return refuse(errorText('error.audio.micUnsupported').text, GuacStatus.UNSUPPORTED);
  if (!grant.microphone) return refuse(errorText('error.audio.micOff').text, GuacStatus.CLIENT_FORBIDDEN);
  const format = parseL16(mimetype);
  if (!format) return refuse(errorText('error.audio.micFormat', { mimetype: String(mimetype).slice(0, 100) }).text, GuacStatus.CLIENT_BAD_TYPE);
  streams.acceptWriter(stream, 'audio', () => microphoneWriter(grant.audio.microphone(grant.instanceId, format)), {
    // A microphone has no end: its limit is how far it may run ahead of the desktop.
    maxBytes: Number.MAX_SAFE_INTEGER,
    overLimit: errorText('error.audio.micOverrun').text,
    overrun: errorText('error.audio.micOverrun').text,
    tooMany: errorText('error.audio.micTooMany').text,
  });
}

function microphoneWriter(opening: Promise<AudioInput>): StreamWriter {
  const failed = (err: unknown) => new GuacStatusError(errorText('error.audio.micFailed', { detail: String((err as Error)?.message ?? err) }).text, GuacStatus.SERVER_ERROR);
  const input = opening.catch((err: unknown) => {
    throw failed(err);
  });
  return {
    opened: input.then(() => undefined),
    async write(data) {
      await (await input).write(data).catch((err: unknown) => {
        throw failed(err);
      });
    },
    async end() {
      (await input).close();
      return 'OK';
    },
    abort: () =>
      input.then(
        (i) => i.close(),
        () => undefined,
      ),
  };
}
