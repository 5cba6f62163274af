// A real TLS endpoint for Docker: mutual TLS on 127.0.0.1 in front of the local engine's
// socket, with a CA and certificates made by openssl for the test. dockerode talks
// HTTPS to it exactly as it would to a remote `dockerd --tlsverify`.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Pki {
  ca: string;
  cert: string;
  key: string;
}

async function openssl(dir: string, ...args: string[]) {
  await run('openssl', args, { cwd: dir });
}

/** A CA with one server certificate (for 127.0.0.1) and one client certificate. */
export async function makePki(): Promise<{ server: Pki; client: Pki }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'daas-pki-'));
  await openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=daas test CA');
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    await fs.writeFile(path.join(dir, `${name}.ext`), ext);
    await openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    await openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
  const read = (f: string) => fs.readFile(path.join(dir, f), 'utf8');
  const ca = await read('ca.pem');
  return {
    server: { ca, cert: await read('server.pem'), key: await read('server.key') },
    client: { ca, cert: await read('client.pem'), key: await read('client.key') },
  };
}

export async function startTlsDockerProxy(server: Pki, socketPath = '/var/run/docker.sock'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const proxy = tls.createServer({ ...server, requestCert: true, rejectUnauthorized: true }, (client) => {
    const engine = net.connect(socketPath);
    sockets.add(client).add(engine);
    client.pipe(engine).pipe(client);
    const end = () => {
      client.destroy();
      engine.destroy();
    };
    client.on('error', end).on('close', end);
    engine.on('error', end).on('close', end);
  });
  proxy.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
