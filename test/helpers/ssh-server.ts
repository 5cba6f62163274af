// A real OpenSSH server on 127.0.0.1 for ssh:// Docker endpoints: its own host key and
// config in a temp folder, one authorised key, and an ssh-agent holding that key
// (dockerode, like the docker CLI, takes keys from the agent).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export interface SshFixture {
  port: number;
  user: string;
  agentSocket: string;
  /** The server's public host key, "ssh-ed25519 AAAA… comment" (known_hosts and fingerprints). */
  hostKey: string;
  close(): Promise<void>;
}

export async function startSshServer(): Promise<SshFixture> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'daas-ssh-'));
  await fs.chmod(dir, 0o700);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'user_key')]);
  await fs.copyFile(path.join(dir, 'user_key.pub'), path.join(dir, 'authorized_keys'));
  const port = await freePort();
  const user = os.userInfo().username;
  await fs.writeFile(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      // The docker CLI on the far side must be found for `docker system dial-stdio`.
      `SetEnv PATH=${process.env.PATH}`,
    ].join('\n') + '\n',
  );
  await fs.mkdir('/run/sshd', { recursive: true });
  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const agentSocket = path.join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fs.stat(agentSocket).then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await run('ssh-add', [path.join(dir, 'user_key')], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket } });
  return {
    port,
    user,
    agentSocket,
    hostKey: (await fs.readFile(path.join(dir, 'host_key.pub'), 'utf8')).trim(),
    async close() {
      sshd.kill();
      agent.kill();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
