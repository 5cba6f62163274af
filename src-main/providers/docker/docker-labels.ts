// The labels on every container the app creates: how it finds what it owns after a crash.
export const LABEL_MANAGED = 'io.daas-desktop.managed';
export const LABEL_INSTANCE = 'io.daas-desktop.instance';
export const LABEL_APP = 'io.daas-desktop.app';
export const LABEL_VNC_PORT = 'io.daas-desktop.vnc-port';
/** The sound server's TCP port inside the container, for a guacd's audio-servername (absent: none). */
export const LABEL_AUDIO_PORT = 'io.daas-desktop.audio-port';
/** Which installation (data folder) owns a container: several may share one engine. */
export const LABEL_OWNER = 'io.daas-desktop.owner';
