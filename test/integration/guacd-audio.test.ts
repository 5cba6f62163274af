// Sound of a Docker desktop shown through guacd (issue 13): guacd records it itself with its own
// PulseAudio client (VNC parameters enable-audio, audio-servername), so the desktop's sound
// server listens on TCP, published on this machine's 127.0.0.1 only and open only to where the
// published port's connections come from. guacd is a STAND-IN here (no guacd can run on these
// machines: test/helpers/standin-guacd.ts, guacd 1.5's VNC arguments); the sound server, the
// published port and the PulseAudio client that records through it are real: `parec` from a
// container in the host's network namespace dials 127.0.0.1 as a guacd on this machine does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Core } from '../../src-main/core';
import { LABEL_AUDIO_PORT, LABEL_OWNER } from '../../src-main/providers/docker/docker-labels';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { firstChannel, fromSound, peak, playInDesktop, RATE, sineWave, strongestFrequency } from '../helpers/audio-pcm';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { GuacTestClient } from '../helpers/guac-client';
import { GUACD_VNC_ARGS, StandInGuacd } from '../helpers/standin-guacd';

/** The PulseAudio clients these tests run are labelled with this owner, and removed with it. */
const CLIENT_OWNER = 'guacd-audio-test-clients';

/**
 * Records `seconds` from a PulseAudio server with `parec` in a throw-away container of the
 * desktop image: network 'host' is this machine's (as a guacd here dials), 'bridge' is Docker's
 * default network (another container beside the desktop). PCM travels base64-encoded in the log.
 */
async function recordFrom(network: 'host' | 'bridge', server: string, seconds: number): Promise<{ exitCode: number; pcm: Buffer; errors: string }> {
  const parec = `parec --server=tcp:${server} --device=desktop.monitor --latency-msec=100 --raw --format=s16le --rate=${RATE} --channels=2`;
  const container = await docker.createContainer({
    Image: 'daas/desktop:latest',
    Entrypoint: ['/bin/sh', '-c'],
    Cmd: [`timeout ${seconds} ${parec} > /tmp/pcm; code=$?; echo "parec exit $code" >&2; base64 -w0 /tmp/pcm; exit $code`],
    Labels: { [LABEL_OWNER]: CLIENT_OWNER },
    HostConfig: { NetworkMode: network },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const out = await container.logs({ stdout: true, stderr: false, follow: false });
    const err = await container.logs({ stdout: false, stderr: true, follow: false });
    const text = (raw: Buffer) => demux(raw).toString('utf8');
    return { exitCode: StatusCode, pcm: Buffer.from(text(out).trim(), 'base64'), errors: text(err) };
  } finally {
    await container.remove({ force: true });
  }
}

/** Docker's log stream without a TTY: 8-byte frame headers, then the bytes. */
function demux(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let o = 0; o + 8 <= raw.length; o += 8 + raw.readUInt32BE(o + 4)) parts.push(raw.subarray(o + 8, o + 8 + raw.readUInt32BE(o + 4)));
  return Buffer.concat(parts);
}

describe('sound of a Docker desktop through guacd', () => {
  let guacd: StandInGuacd;
  let core: Core;
  let instance: Instance;
  let containerId: string;
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

  /** The stand-in guacd's VNC parameters for one new viewer, by name, at the positions it announced. */
  const handshake = async (): Promise<(name: (typeof GUACD_VNC_ARGS)[number]) => string> => {
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
    try {
      const all = await guacd.waitForHandshakes(guacd.handshakes.length + 1);
      const { select, connectValues } = all.at(-1)!;
      assert.equal(select, 'vnc');
      assert.equal(connectValues.length, 1 + GUACD_VNC_ARGS.length, 'one value per announced name');
      return (name) => connectValues[1 + GUACD_VNC_ARGS.indexOf(name)]!;
    } finally {
      await viewer.close();
    }
  };

  before(async () => {
    guacd = await StandInGuacd.start();
    core = await openCore(await tempDataDir());
    const app = await call<App>('apps.create', {
      app: { name: 'Desktop through guacd', provider: 'docker', display: { gateway: 'guacd', guacd: { host: guacd.host, port: guacd.port } }, docker: { image: 'daas/desktop:latest' } },
    });
    instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    containerId = (await containersOf(instance.id))[0]!.Id;
  });

  after(async () => {
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
    await removeOwnedBy(CLIENT_OWNER);
    await guacd?.close();
  });

  it("publishes the sound server on 127.0.0.1 only and hands guacd enable-audio and audio-servername by guacd's names", async () => {
    const info = await docker.getContainer(containerId).inspect();
    assert.equal(info.Config.Labels[LABEL_AUDIO_PORT], '4713');
    const published = info.NetworkSettings.Ports['4713/tcp'];
    assert.deepEqual(published?.map((b) => b.HostIp), ['127.0.0.1'], 'loopback only, like the VNC port');
    const vnc = info.NetworkSettings.Ports['5901/tcp']![0]!.HostPort;

    const param = await handshake();
    assert.equal(param('hostname'), '127.0.0.1');
    assert.equal(param('port'), vnc);
    assert.equal(param('enable-audio'), 'true');
    assert.equal(param('audio-servername'), `127.0.0.1:${published![0]!.HostPort}`);

    await call('settings.update', { audio: false });
    try {
      const off = await handshake();
      assert.deepEqual([off('enable-audio'), off('audio-servername')], ['', ''], 'policy audio off: guacd gets no sound');
    } finally {
      await call('settings.update', { audio: true });
    }
  });

  it("a PulseAudio client on this machine records the desktop's tone through the published port; a container beside it is refused", async () => {
    const info = await docker.getContainer(containerId).inspect();
    const port = info.NetworkSettings.Ports['4713/tcp']![0]!.HostPort;
    // The tone outlasts the recording: starting the recording container can take seconds on a busy machine.
    const playing = playInDesktop(containerId, sineWave(440, 8));
    const recorded = await recordFrom('host', `127.0.0.1:${port}`, 4);
    await playing;
    assert.equal(recorded.exitCode, 124, `parec recorded until stopped (${recorded.errors.trim()})`);
    const sound = fromSound(firstChannel(recorded.pcm));
    assert.ok(peak(sound) > 8000, `the tone is loud in the recording (peak ${peak(sound)})`);
    const hz = strongestFrequency(sound);
    assert.ok(Math.abs(hz - 440) <= 5, `strongest frequency ${hz} Hz`);

    // Docker's default bridge lets containers reach each other: the sound server's address list
    // (the gateway, where published connections come from) keeps them out.
    const address = info.NetworkSettings.Networks.bridge?.IPAddress;
    assert.ok(address, 'the desktop is on the default bridge');
    const beside = await recordFrom('bridge', `${address}:4713`, 2);
    assert.notEqual(beside.exitCode, 124, 'parec did not get to record');
    assert.match(beside.errors, /Access denied|Connection refused|Connection terminated/i);
    assert.equal(beside.pcm.length, 0);
  });

  it('an app on the embedded gateway opens no sound port', async () => {
    const app = await call<App>('apps.create', { app: { name: 'Embedded', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } } });
    const other = await call<Instance>('instances.start', { appId: app.id });
    // What it opens is fixed when the container is made: no need to wait for its desktop.
    let created = await containersOf(other.id);
    while (!created.length) {
      await new Promise((r) => setTimeout(r, 100));
      created = await containersOf(other.id);
    }
    const info = await docker.getContainer(created[0]!.Id).inspect();
    assert.equal(info.NetworkSettings.Ports['4713/tcp'], undefined);
    assert.equal(info.Config.Labels[LABEL_AUDIO_PORT], undefined);
    assert.ok(!info.Config.Env.some((e) => e.startsWith('AUDIO_TCP_')));
    await call('instances.forceStop', { instanceId: other.id });
  });
});
