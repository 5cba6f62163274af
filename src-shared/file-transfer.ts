// What the gateway and the viewer agree on for files out of a desktop (the Guacamole
// `filesystem` object's `get` and `body`, and the outbox's offered `file` streams).

/** Guacamole's mimetype of a folder listing: a JSON object, full name -> mimetype. */
export const STREAM_INDEX_MIMETYPE = 'application/vnd.glyptodon.guacamole.stream-index+json';
/** A `body` that carries, instead of what was asked for, why not (UTF-8 text). */
export const TRANSFER_ERROR_MIMETYPE = 'application/vnd.daas.transfer-error';
/** A `get` name that asks for a folder as a tar archive: "tar:" and the folder's path. */
export const ARCHIVE_PREFIX = 'tar:';

/** A file's mimetype with its size and modification time as parameters (as listings carry them). */
export function fileMimetype(size: number | null, modified: number | null): string {
  let type = 'application/octet-stream';
  if (size !== null) type += `; size=${size}`;
  if (modified !== null) type += `; modified=${modified}`;
  return type;
}

/** The size and modification time (ms) a file's mimetype carries, where it does. */
export function fileDetails(mimetype: string): { size: number | null; modified: number | null } {
  const param = (name: string) => {
    const m = new RegExp(`;\\s*${name}=(\\d+)`).exec(mimetype);
    return m ? Number(m[1]) : null;
  };
  return { size: param('size'), modified: param('modified') };
}

/**
 * An upload's blobs (the viewer's `file` stream): 48 KiB is 64 Ki base64 characters, the largest
 * element the gateway takes from a viewer. Fewer, larger blobs mean fewer instructions, acks and
 * WebSocket frames per MiB.
 */
export const UPLOAD_BLOB_BYTES = 48 * 1024;
/**
 * Blobs a viewer sends ahead of the gateway's acks (1.5 MiB): on a loaded machine an ack's round
 * trip takes milliseconds, and the window, not the CPU, then sets the rate.
 */
export const UPLOAD_WINDOW = 32;

/**
 * A `file` stream that is part of a folder upload carries "; folder=<drop id>" in its mimetype,
 * and the file's path in the dropped tree as its name ("project/src/main.c"). The gateway gives
 * each top folder of one drop one new folder ("project", or "project (1)" on a clash) and puts
 * the drop's files under it, creating the sub-folders.
 */
export function folderUploadMimetype(type: string, dropId: string): string {
  return `${type || 'application/octet-stream'}; folder=${dropId}`;
}

/** The drop id of a folder upload's stream, or null for a single file. */
export function folderUploadOf(mimetype: string): string | null {
  return /;\s*folder=([A-Za-z0-9_-]{1,64})\b/.exec(mimetype)?.[1] ?? null;
}

/**
 * The transfer lane: a file's bytes as binary WebSocket messages on the display tunnel's
 * loopback listener (path LANE_PATH, `?lane=<token>`), beside the Guacamole stream that opened
 * it. The gateway offers a lane per stream with a one-time token — in the `STREAM BEGIN` ack's
 * message of an upload, in the `body` mimetype of a download — and everything else (policy,
 * names, acks, `end`, cancel, errors) stays on the Guacamole stream. A client that ignores the
 * offer sends and gets base64 blobs as before (guacamole-common-js, Apache Guacamole).
 */
export const LANE_PATH = '/files';
/** Upload bytes per lane message, each acknowledged on the Guacamole stream like a blob. */
export const LANE_PIECE_BYTES = 512 * 1024;
/** Lane pieces a viewer sends ahead of the acks (4 MiB; the gateway allows twice that). */
export const LANE_WINDOW = 8;

const LANE_TOKEN = /(?:^|[\s;])lane=([A-Za-z0-9_-]{16,64})(?:$|[\s;])/;

/** A message or mimetype with the lane's token added ("OK (STREAM BEGIN); lane=<token>"). */
export function withLane(text: string, token: string): string {
  return `${text}; lane=${token}`;
}

/** The lane token an ack's message or a body's mimetype carries, or null. */
export function laneOf(text: string): string | null {
  return LANE_TOKEN.exec(text)?.[1] ?? null;
}

/** The lane's address for `token`, on the listener of the tunnel at `tunnelUrl` (ws://127.0.0.1:port/). */
export function laneUrl(tunnelUrl: string, token: string): string {
  const url = new URL(LANE_PATH, tunnelUrl);
  url.searchParams.set('lane', token);
  return url.toString();
}
