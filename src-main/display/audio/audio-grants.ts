// Which instance's sound a viewer connection may hear, and whether its microphone may reach the
// desktop. As with file grants, the display ticket carries only the grant's id (inside its
// encrypted settings); the embedded gateway takes the grant once, when the handshake completes.
import type { DesktopAudio } from './desktop-audio';

export interface AudioGrant {
  instanceId: string;
  audio: DesktopAudio;
  /** Policy audio: off sends the viewer no audio stream, whatever it asks for. */
  playback: boolean;
  /** Policy microphone and the app's option: off refuses the viewer's `audio` streams. */
  microphone: boolean;
}

/** The connection parameter (after the file grant's) that carries the grant id. */
export const AUDIO_GRANT_ARG = 'daas-audio-grant';
