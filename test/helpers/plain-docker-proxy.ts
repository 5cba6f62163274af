// A plain-TCP Docker endpoint: the local engine's socket offered on one loopback address,
// as `dockerd -H tcp://127.0.0.1:2375` would be (no TLS).
import net from 'node:net';

export async function startPlainDockerProxy(host: string, socketPath = '/var/run/docker.sock'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const engine = net.connect(socketPath);
    sockets.add(client).add(engine);
    client.pipe(engine).pipe(client);
    const end = () => {
      client.destroy();
      engine.destroy();
      sockets.delete(client);
      sockets.delete(engine);
    };
    client.on('error', end).on('close', end);
    engine.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve, reject) => proxy.once('error', reject).listen(0, host, resolve));
  const { port } = proxy.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
