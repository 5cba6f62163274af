// Reads from a desktop as the viewer's Files panel does: `get,<object>,<name>`, the `body`
// stream it answers with (acknowledged "Ready", then blob by blob), or an offered `file`
// stream accepted with an OK ack. Resolves with the mimetype and the bytes; a refusal comes
// as a body of the transfer-error mimetype, a failure half-way as an error `ack` from the gateway.
import type { Instruction } from '../../src-main/display/guacamole/protocol';
import type { GuacTestClient } from './guac-client';

export interface Received {
  mimetype: string;
  data: Buffer;
  /** The gateway's error ack for the stream (a failure half-way), if any. */
  failed?: { message: string; status: number };
}

/** Each instruction from `from` on, as it arrives, until `handle` returns true. */
async function follow(client: GuacTestClient, from: number, handle: (ins: Instruction) => boolean, timeoutMs: number): Promise<void> {
  let pos = from;
  for (;;) {
    if (pos >= client.instructions.length) await client.waitForNext(() => true, timeoutMs, 'more of the stream');
    while (pos < client.instructions.length) if (handle(client.instructions[pos++]!)) return;
  }
}

/** Collects stream `index` (acking each blob) until its `end` or an error ack. */
async function collect(client: GuacTestClient, from: number, index: string, mimetype: string, timeoutMs: number): Promise<Received> {
  const parts: Buffer[] = [];
  let failed: Received['failed'];
  await follow(
    client,
    from,
    ([op, stream, a, b]) => {
      if (stream !== index) return false;
      if (op === 'blob') {
        parts.push(Buffer.from(a!, 'base64'));
        client.send('ack', index, 'OK', 0);
      } else if (op === 'ack') failed = { message: a!, status: Number(b) };
      return op === 'end' || op === 'ack';
    },
    timeoutMs,
  );
  return { mimetype, data: Buffer.concat(parts), ...(failed ? { failed } : {}) };
}

export async function getFromDesktop(client: GuacTestClient, object: number, name: string, timeoutMs = 30_000): Promise<Received> {
  const from = client.instructions.length;
  client.send('get', object, name);
  let body: Instruction | undefined;
  await follow(client, from, (ins) => ins[0] === 'body' && ins[1] === String(object) && ins[4] === name && (body = ins) !== undefined, timeoutMs);
  const [, , index, mimetype] = body!;
  client.send('ack', index!, 'Ready', 0);
  return collect(client, client.instructions.indexOf(body!) + 1, index!, mimetype!, timeoutMs);
}

/** Waits for the gateway to offer `name` with a `file` stream, accepts it and reads it. */
export async function acceptOffer(client: GuacTestClient, name: string, timeoutMs = 30_000): Promise<Received> {
  const offer = await client.waitFor((i) => i[0] === 'file' && i[3] === name, timeoutMs, `an offer of ${name}`);
  const from = client.instructions.indexOf(offer) + 1;
  client.send('ack', offer[1]!, 'OK', 0);
  return collect(client, from, offer[1]!, offer[2]!, timeoutMs);
}
