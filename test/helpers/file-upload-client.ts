// Sends a file through a Guacamole connection as guacamole-common-js does
// (Client.createFileStream, then a BlobWriter): `file`, wait for the begin `ack`, then one
// `blob` of at most 6048 bytes per `ack`, then `end` and its `ack`.
import type { GuacTestClient } from './guac-client';

export interface UploadResult {
  /** The status of the `ack` that ended the stream (0 when the file was saved). */
  status: number;
  /** Its message: the name the file got, or why it failed. */
  message: string;
  /** Bytes the gateway acknowledged before the stream ended. */
  sent: number;
}

/** guacamole-common-js's BlobWriter chunk size. */
const CHUNK = 6048;

export async function uploadFile(
  client: GuacTestClient,
  stream: number,
  name: string,
  data: Buffer,
  /** Stop after this many bytes: 'cancel' sends the error `ack` a viewer cancels with, 'hang' sends nothing more. */
  stop?: { after: number; how: 'cancel' | 'hang' },
  mimetype = 'application/octet-stream',
): Promise<UploadResult> {
  const index = String(stream);
  const nextAck = () => client.waitForNext((i) => i[0] === 'ack' && i[1] === index, 20_000, `ack of stream ${index}`);
  let ack = nextAck();
  client.send('file', stream, mimetype, name);
  let reply = await ack;
  let sent = 0;
  while (reply[3] === '0' && sent < data.length) {
    if (stop && sent >= stop.after) {
      if (stop.how === 'cancel') client.send('ack', stream, 'Cancelled', 0x0206);
      return { status: -1, message: 'stopped', sent };
    }
    const chunk = data.subarray(sent, sent + CHUNK);
    ack = nextAck();
    client.send('blob', stream, chunk.toString('base64'));
    reply = await ack;
    if (reply[3] === '0') sent += chunk.length;
  }
  if (reply[3] !== '0') return { status: Number(reply[3]), message: reply[2] ?? '', sent };
  ack = nextAck();
  client.send('end', stream);
  reply = await ack;
  return { status: Number(reply[3]), message: reply[2] ?? '', sent };
}
