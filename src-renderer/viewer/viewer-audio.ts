// Sound in the viewer window. guacamole-common-js plays a desktop's `audio` stream through its
// one shared AudioContext (AudioContextFactory.singleton) straight to its destination; handing
// it a context whose destination is our gain node gives one volume/mute for all of it. The
// microphone is guacamole-common-js's AudioRecorder on an `audio` stream to the desktop.
import Guacamole from 'guacamole-common-js';

const STORE_KEY = 'daas.viewer.audio';
/** What the gateway plays into the desktop's microphone. */
export const MICROPHONE_MIMETYPE = 'audio/L16;rate=44100,channels=2';

export interface AudioSettings {
  /** 0..1 */
  volume: number;
  muted: boolean;
}

/** The desktop end of an `audio` stream the viewer sends (DisplaySession.audioStreams). */
export interface AudioStreamPort {
  open(mimetype: string): Guacamole.OutputStream;
}

type Factory = { singleton: AudioContext | null };

export class ViewerAudio {
  private settings: AudioSettings = loadSettings();
  private gain: GainNode | null = null;
  private context: AudioContext | null = null;
  /** Ends the running microphone stream, or null. */
  private stopRecorder: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();
  /** Why the microphone stopped (the desktop refused it), or null. */
  microphoneError: string | null = null;

  /** Puts the gain-controlled context in place before any sound arrives. */
  install(): void {
    if (this.context || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const gain = context.createGain();
    gain.connect(context.destination);
    this.context = context;
    this.gain = gain;
    this.apply();
    // The players only use the context's own methods and `destination`.
    const routed = new Proxy(context, {
      get(target, key) {
        if (key === 'destination') return gain;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    (Guacamole as unknown as { AudioContextFactory: Factory }).AudioContextFactory.singleton = routed;
    // A context made before any user gesture starts suspended: the first click or key wakes it.
    const wake = () => void context.resume().catch(() => undefined);
    window.addEventListener('pointerdown', wake, true);
    window.addEventListener('keydown', wake, true);
  }

  get snapshot(): AudioSettings & { microphone: boolean } {
    return { ...this.settings, microphone: this.stopRecorder !== null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  set(change: Partial<AudioSettings>): void {
    this.settings = { ...this.settings, ...change, volume: Math.min(1, Math.max(0, change.volume ?? this.settings.volume)) };
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(this.settings));
    } catch {
      // Storage full or off: the setting lasts for this window only.
    }
    this.apply();
  }

  /** Starts sending the microphone; the desktop's refusal (an error ack) stops it again. */
  startMicrophone(port: AudioStreamPort | null): void {
    if (this.stopRecorder || !port) return;
    const stream = port.open(MICROPHONE_MIMETYPE);
    const recorder = Guacamole.AudioRecorder.getInstance(stream, MICROPHONE_MIMETYPE);
    if (!recorder) return;
    this.microphoneError = null;
    // The recorder listens for acks on the stream; it has no stop of its own, but stops
    // capturing and ends the stream when told the stream is closed.
    const toRecorder = stream.onack;
    const stop = () => toRecorder?.call(stream, new Guacamole.Status(Guacamole.Status.Code.RESOURCE_CLOSED, 'Stopped'));
    stream.onack = (status) => {
      if (status.isError()) this.microphoneError = status.message ?? null;
      toRecorder?.call(stream, status);
    };
    recorder.onclose = recorder.onerror = () => {
      if (this.stopRecorder !== stop) return;
      this.stopRecorder = null;
      this.notify();
    };
    this.stopRecorder = stop;
    this.notify();
  }

  stopMicrophone(): void {
    this.stopRecorder?.();
  }

  private apply(): void {
    if (this.gain) this.gain.gain.value = this.settings.muted ? 0 : this.settings.volume;
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}

function loadSettings(): AudioSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null') as Partial<AudioSettings> | null;
    if (saved && typeof saved.volume === 'number' && typeof saved.muted === 'boolean') return { volume: Math.min(1, Math.max(0, saved.volume)), muted: saved.muted };
  } catch {
    // Unreadable: the defaults.
  }
  return { volume: 1, muted: false };
}
