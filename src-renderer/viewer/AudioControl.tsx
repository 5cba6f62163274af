// The viewer's sound controls: mute, volume (kept for every viewer window) and the microphone
// (sent only while switched on; the desktop refuses it unless the app and settings allow it).
import { useEffect, useSyncExternalStore } from 'react';
import { useT } from '../i18n/i18n';
import type { DisplaySession } from './display-session';
import { ViewerAudio } from './viewer-audio';

/** One per window: the toolbar (and this control) comes and goes with the connection, the sound setup stays. */
const audio = new ViewerAudio();

/** Shown only for what the connection's ticket allows: sound (policy audio), the microphone (policy and app). */
export function AudioControl({ session, access }: { session: DisplaySession | null; access: { playback: boolean; microphone: boolean } }) {
  const t = useT();
  useEffect(() => audio.install(), []);
  const state = useSyncExternalStore(audio.subscribe, () => JSON.stringify(audio.snapshot));
  const { volume, muted, microphone } = JSON.parse(state) as typeof audio.snapshot;
  if (!access.playback && !access.microphone) return null;
  return (
    <span className="toolbar-audio" data-testid="audio-control">
      {access.playback ? (
        <>
          <button type="button" className="toolbar-button" data-testid="audio-mute" aria-pressed={muted} onClick={() => audio.set({ muted: !muted })}>
            {muted ? t('viewer.audioUnmute') : t('viewer.audioMute')}
          </button>
          <input
            type="range"
            min={0}
            max={100}
            value={Math.round(volume * 100)}
            aria-label={t('viewer.audioVolume')}
            data-testid="audio-volume"
            onChange={(e) => audio.set({ volume: Number(e.currentTarget.value) / 100, muted: false })}
          />
        </>
      ) : null}
      {access.microphone ? (
        <button
          type="button"
          className="toolbar-button"
          data-testid="audio-microphone"
          aria-pressed={microphone}
          title={audio.microphoneError ?? undefined}
          onClick={() => (microphone ? audio.stopMicrophone() : audio.startMicrophone(session?.audioStreams() ?? null))}
        >
          {microphone ? t('viewer.microphoneOff') : t('viewer.microphoneOn')}
        </button>
      ) : null}
    </span>
  );
}
