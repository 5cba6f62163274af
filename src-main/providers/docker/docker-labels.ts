// The labels on every container the app creates: how it finds what it owns after a crash.
export const LABEL_MANAGED = 'io.daas-desktop.managed';
export const LABEL_INSTANCE = 'io.daas-desktop.instance';
export const LABEL_APP = 'io.daas-desktop.app';
export const LABEL_VNC_PORT = 'io.daas-desktop.vnc-port';
/** Which installation (data folder) owns a container: several may share one engine. */
export const LABEL_OWNER = 'io.daas-desktop.owner';
