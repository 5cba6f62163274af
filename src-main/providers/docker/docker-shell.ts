// A shell inside a container: Docker exec with a TTY, its hijacked stream decoded as
// UTF-8. Closing the stream does not end an exec, so close() kills the shell and what it
// started: each of them carries the terminal's mark in its environment.
import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ShellSession } from '../provider';

/** bash where the image has it, else sh. */
const SHELL = ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'];

export async function openContainerShell(container: Docker.Container, size: { cols: number; rows: number }): Promise<ShellSession> {
  const mark = `DAAS_TERMINAL=${randomUUID()}`;
  const exec = await container.exec({
    Cmd: SHELL,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Env: ['TERM=xterm-256color', mark],
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  const decoder = new StringDecoder('utf8');
  const dataListeners: ((text: string) => void)[] = [];
  const exitListeners: (() => void)[] = [];
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    for (const listener of exitListeners) listener();
  };
  stream.on('data', (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) for (const listener of dataListeners) listener(text);
  });
  stream.on('end', end);
  stream.on('close', end);
  // A broken connection ends this terminal only.
  stream.on('error', end);
  const resize = async (cols: number, rows: number) => {
    await exec.resize({ w: cols, h: rows });
  };
  await resize(size.cols, size.rows).catch(() => undefined);

  return {
    write: (data) => {
      if (!ended) stream.write(data);
    },
    resize,
    onData: (listener) => dataListeners.push(listener),
    onExit: (listener) => exitListeners.push(listener),
    async close() {
      // Every process that still carries the mark (the shell and its children) goes.
      const killer = await container
        .exec({
          Cmd: ['/bin/sh', '-c', `for p in /proc/[0-9]*; do tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx '${mark}' && kill -9 "\${p#/proc/}"; done; true`],
          AttachStdout: true,
          AttachStderr: true,
        })
        .catch(() => null);
      if (killer) {
        const out = (await killer.start({ hijack: true, stdin: false }).catch(() => null)) as Duplex | null;
        if (out) {
          out.on('error', () => undefined);
          out.resume();
          await new Promise<void>((resolve) => out.once('close', resolve).once('end', resolve));
        }
      }
      stream.destroy();
      end();
    },
  };
}
