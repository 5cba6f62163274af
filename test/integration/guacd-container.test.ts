// guacd run by the app itself as a container (setting guacdContainerImage) on its own bridge
// network, published on 127.0.0.1 (finding 14). The real
// guacamole/guacd image cannot be pulled here (no registry), so these tests run a STAND-IN
// image with guacd's layout and command line that serves guacd's protocol for VNC (see
// test/helpers/guacd-standin.ts). Real Docker, real desktops, real frames.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import { DisplayService } from '../../src-main/display/display-service';
import { LABEL_MANAGED, LABEL_OWNER } from '../../src-main/providers/docker/docker-labels';
import { GuacdContainer, LABEL_GUACD } from '../../src-main/providers/docker/guacd-container';
import type { DisplayTicket, SettingsView } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { execRaw, firstChannel, fromSound, peak, RATE, sineWave, strongestFrequency } from '../helpers/audio-pcm';
import { callCore, openCore, tempDataDir, TEST_HOST, waitForState } from '../helpers/core';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { GuacTestClient } from '../helpers/guac-client';
import { buildGuacdStandinImage } from '../helpers/guacd-standin';

async function guacdContainers(): Promise<{ Id: string; Names: string[] }[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_GUACD}=true`] } });
}

async function connectTicket(ticket: DisplayTicket): Promise<GuacTestClient> {
  return GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
}

/** The stand-in's gateway logs each VNC connection it makes. */
async function guacdLog(containerId: string): Promise<string> {
  return (await docker.getContainer(containerId).logs({ stdout: true, stderr: true, follow: false })).toString('utf8');
}

/** Every container these tests make carries one of these owners: only those are removed. */
const TEST_OWNER = 'guacd-container-test';
const owners = [TEST_OWNER];

/** A desktop container as the app runs one: VNC published on the host's 127.0.0.1 only. */
async function startDesktopContainer(password: string) {
  const container = await docker.createContainer({
    Image: 'daas/desktop:latest',
    Env: [`VNC_PASSWORD=${password}`, 'DESKTOP_WIDTH=320', 'DESKTOP_HEIGHT=240'],
    Labels: { [LABEL_MANAGED]: 'true', [LABEL_OWNER]: TEST_OWNER },
    ExposedPorts: { '5901/tcp': {} },
    HostConfig: { Init: true, PortBindings: { '5901/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  await container.start();
  return container;
}

/** The local addresses the host listens on at `port` (ss). */
async function hostListeners(port: number): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ss', ['-ltnH', `sport = :${port}`]);
  return stdout.split('\n').filter(Boolean).map((line) => line.trim().split(/\s+/)[3]!);
}

/**
 * Sound (issue 13): the audio-servername the app hands its own guacd is reachable from guacd's
 * network namespace: a real `parec` run inside the guacd container (the stand-in image has
 * PulseAudio's tools) records the desktop's 440 Hz tone from it, as guacd's PulseAudio client
 * would. Another container on guacd's network dialling the same address is refused.
 */
async function soundReachesOwnGuacd(core: Core, instance: Instance, guacdId: string): Promise<void> {
  // The parameters the app hands guacd travel encrypted in the ticket: read them on their way in.
  const params: { audioServername?: string; enableAudio?: boolean }[] = [];
  const issue = core.display.issueTicket.bind(core.display);
  core.display.issueTicket = (id, target, size, options) => {
    if (options && options.protocol !== 'rdp') params.push({ ...options.params });
    return issue(id, target, size, options);
  };
  await callCore<DisplayTicket>(core, 'display.connect', { instanceId: instance.id });
  const server = params[0]?.audioServername;
  assert.match(server ?? '', /^(?!127\.)[\d.]+:4713$/, "the desktop's address on guacd's network");
  assert.equal(params[0]?.enableAudio, true);

  const [desktop] = await containersOf(instance.id);
  const parec = ['parec', `--server=tcp:${server}`, '--device=desktop.monitor', '--latency-msec=100', '--raw', '--format=s16le', `--rate=${RATE}`, '--channels=2'];
  const network = Object.keys((await docker.getContainer(guacdId).inspect()).NetworkSettings.Networks)[0]!;
  // The tone outlasts the recording (whose exec may take a while to start on a busy machine);
  // it is cut once the recording has it. The refused client runs meanwhile.
  const player = await execRaw(desktop!.Id, ['paplay', '--raw', '--format=s16le', `--rate=${RATE}`, '--channels=2'], true);
  player.stream.end(sineWave(440, 6));
  const [recorded, beside] = await Promise.all([recordIn(guacdId, ['timeout', '3', ...parec]), refusedOn(network, parec)]);
  player.stream.destroy();

  const sound = fromSound(firstChannel(recorded));
  assert.ok(peak(sound) > 8000, `the tone is loud in guacd's recording (peak ${peak(sound)})`);
  const hz = strongestFrequency(sound);
  assert.ok(Math.abs(hz - 440) <= 5, `strongest frequency ${hz} Hz`);
  assert.match(beside, /Access denied|Connection refused|Connection terminated/i);
  assert.match(beside, /(^|\D)0\s*$/, 'nothing recorded beside guacd');
}

/** Runs `cmd` in a running container and returns its stdout. */
async function recordIn(containerId: string, cmd: string[]): Promise<Buffer> {
  const { stdout, done } = await execRaw(containerId, cmd, false);
  const pcm: Buffer[] = [];
  stdout.on('data', (b: Buffer) => pcm.push(b));
  await done;
  return Buffer.concat(pcm);
}

/** `parec` from a throw-away container on `network`: its output (errors, then the bytes it recorded). */
async function refusedOn(network: string, parec: string[]): Promise<string> {
  const container = await docker.createContainer({
    Image: 'daas/desktop:latest',
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: [`timeout 2 ${parec.join(' ')} | wc -c; exit 0`],
    Labels: { [LABEL_OWNER]: TEST_OWNER },
    HostConfig: { NetworkMode: network },
  });
  try {
    await container.start();
    await container.wait();
    return (await container.logs({ stdout: true, stderr: true, follow: false })).toString('utf8');
  } finally {
    await container.remove({ force: true });
  }
}

describe('guacd in a container, started by the app', () => {
  let image: string;

  before(async () => {
    image = await buildGuacdStandinImage();
  });

  after(async () => {
    for (const c of await guacdContainers()) await docker.getContainer(c.Id).remove({ force: true });
    for (const owner of owners) await removeOwnedBy(owner);
  });

  it('runs guacd on its own bridge network, published on 127.0.0.1 only, reaching desktops over that network', async () => {
    const owner = 'test-owner-1';
    const desktop = await startDesktopContainer('ctr-pw12');
    const guacd = await GuacdContainer.start({ docker, image, owner });
    try {
      assert.equal(guacd.host, '127.0.0.1');
      const info = await docker.getContainer(guacd.id).inspect();
      assert.equal(info.HostConfig.NetworkMode, GuacdContainer.networkName(owner), 'not host networking');
      assert.equal(info.Config.Labels[LABEL_GUACD], 'true');
      // The port Docker picked and holds, read back from the container: no pick-release-bind race.
      const published = info.NetworkSettings.Ports['4822/tcp'];
      assert.deepEqual(published?.map((b) => b.HostIp), ['127.0.0.1']);
      assert.equal(Number(published?.[0]?.HostPort), guacd.port);
      assert.deepEqual(await hostListeners(guacd.port), [`127.0.0.1:${guacd.port}`], 'the host listens on loopback only');
      assert.match(await guacdLog(guacd.id), /starting on 0\.0\.0\.0:4822\b/);

      // The desktop publishes VNC on the host's 127.0.0.1 only; guacd reaches it over its network.
      const target = await guacd.reach(desktop.id);
      assert.ok(target && !target.host.startsWith('127.'), `a network address (${target?.host})`);
      assert.equal(target.port, 5901);
      assert.deepEqual(
        (await desktop.inspect()).NetworkSettings.Ports['5901/tcp']?.map((b) => b.HostIp),
        ['127.0.0.1'],
        'the desktop gains no host listener',
      );
      const display = await DisplayService.start({ guacd: guacd.endpoint, connectRetries: 0 });
      try {
        const client = await connectTicket(display.issueTicket('i-ctr', { ...target, password: 'ctr-pw12' }));
        await client.waitForOpcode('sync', 15_000);
        assert.ok(client.images.some((i) => i.layer === 0), 'the desktop is drawn through the guacd container');
        assert.match(await guacdLog(guacd.id), new RegExp(`VNC ${target.host.replace(/\./g, '\\.')}:5901: connected`));
        await client.close();
      } finally {
        await display.close();
      }
    } finally {
      await guacd.stop();
    }
    assert.deepEqual(await guacdContainers(), []);
    assert.deepEqual(await docker.listNetworks({ filters: { name: [GuacdContainer.networkName(owner)] } }), [], 'its network is gone');
    assert.equal((await desktop.inspect()).State.Running, true, 'the desktop left the network and runs on');
  });

  it('an image locked by the policy is the guacd the app runs, and the user cannot change it', async () => {
    const dir = await tempDataDir();
    const policy = path.join(dir, 'policy.json');
    await fs.writeFile(policy, JSON.stringify({ version: 1, locked: { guacdContainerImage: image } }));
    const core = await Core.open(loadSettings(path.join(dir, 'data'), { DAAS_POLICY_FILE: policy }));
    try {
      const [container] = await guacdContainers();
      assert.equal((await docker.getContainer(container!.Id).inspect()).Config.Image, image);
      const view = await callCore<SettingsView>(core, 'settings.get', {});
      assert.ok(view.managed.includes('guacdContainerImage'), 'shown as managed');
      const changed = await core.handle('settings.update', { guacdContainerImage: null }, TEST_HOST);
      assert.equal(changed.ok, false, 'the locked setting is refused');
    } finally {
      await core.close();
    }
    assert.deepEqual(await guacdContainers(), []);
  });

  it('an image without guacd is refused with its output, and nothing is left behind', async () => {
    await assert.rejects(GuacdContainer.start({ docker, image: 'daas/desktop:latest', owner: 'test-owner-2' }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'DISPLAY_UNAVAILABLE');
      assert.match(err.message, /guacd container stopped \(exit code 127\).*no guacd executable in this image/s);
      return true;
    });
    assert.deepEqual(await guacdContainers(), []);
  });

  it('a missing image is a readable IMAGE_MISSING error', async () => {
    await assert.rejects(GuacdContainer.start({ docker, image: 'example/no-such-guacd:0', owner: 'test-owner-3' }), (err: Error & { code?: string; action?: string }) => {
      assert.equal(err.code, 'IMAGE_MISSING');
      assert.match(err.action ?? '', /docker pull example\/no-such-guacd:0/);
      return true;
    });
  });

  it('the app runs the configured image as its guacd: desktops are drawn through it; closing the app removes it', async () => {
    const dataDir = await tempDataDir();
    const first: Core = await openCore(dataDir);
    await callCore(first, 'settings.update', { guacdContainerImage: image });
    await first.close();
    assert.deepEqual(await guacdContainers(), [], 'the setting takes effect when the app starts');

    const core = await openCore(dataDir);
    owners.push(core.installationId);
    try {
      const [container] = await guacdContainers();
      assert.ok(container, 'a guacd container runs');
      assert.equal(core.display.backend.kind, 'guacd');

      const instance = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
      await waitForState(core, instance.id, 'running');
      const client = await connectTicket(await callCore<DisplayTicket>(core, 'display.connect', { instanceId: instance.id }));
      await client.waitForOpcode('sync', 15_000);
      assert.ok(client.images.some((i) => i.layer === 0));
      // Over guacd's network to the desktop's own VNC port, not through the host's loopback.
      assert.match(await guacdLog(container.Id), /VNC (?!127\.)[\d.]+:5901: connected/);
      await client.close();
      await soundReachesOwnGuacd(core, instance, container.Id);
      await callCore(core, 'instances.stop', { instanceId: instance.id });
    } finally {
      await core.close();
    }
    assert.deepEqual(await guacdContainers(), []);
  });

  it('when the image is missing the app still opens, on the built-in gateway, and the banner says why', async () => {
    const dataDir = await tempDataDir();
    const first = await openCore(dataDir);
    await callCore(first, 'settings.update', { guacdContainerImage: 'example/no-such-guacd:0' });
    await first.close();

    const core = await openCore(dataDir);
    try {
      assert.equal(core.display.backend.kind, 'embedded');
      const view = await callCore<SettingsView>(core, 'settings.get', {});
      assert.ok(
        view.policyProblems.some((p) => /guacd did not start.*example\/no-such-guacd:0/.test(p)),
        view.policyProblems.join('\n'),
      );
    } finally {
      await core.close();
    }
    assert.deepEqual(await guacdContainers(), []);
  });
});
