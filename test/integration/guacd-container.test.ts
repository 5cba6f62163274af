// guacd run by the app itself as a container (setting guacdContainerImage). The real
// guacamole/guacd image cannot be pulled here (no registry), so these tests run a STAND-IN
// image with guacd's layout and command line that serves guacd's protocol for VNC (see
// test/helpers/guacd-standin.ts). Real Docker, real desktops, real frames.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Core } from '../../src-main/core';
import { DisplayService } from '../../src-main/display/display-service';
import { GuacdContainer, LABEL_GUACD } from '../../src-main/display/guacd/guacd-container';
import type { DisplayTicket, SettingsView } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { docker, removeAllManaged } from '../helpers/docker';
import { GuacTestClient } from '../helpers/guac-client';
import { buildGuacdStandinImage } from '../helpers/guacd-standin';
import { startXvnc, type XvncServer } from '../helpers/xvnc';

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

describe('guacd in a container, started by the app', () => {
  let image: string;
  let xvnc: XvncServer;

  before(async () => {
    image = await buildGuacdStandinImage();
    xvnc = await startXvnc({ password: 'ctr-pw12', width: 320, height: 240 });
  });

  after(async () => {
    await xvnc?.stop();
    for (const c of await guacdContainers()) await docker.getContainer(c.Id).remove({ force: true });
    await removeAllManaged();
  });

  it('binds guacd to 127.0.0.1 on a free port, on the host network, and removes it on stop', async () => {
    const guacd = await GuacdContainer.start({ docker, image, owner: 'test-owner-1' });
    try {
      assert.equal(guacd.host, '127.0.0.1');
      const info = await docker.getContainer(guacd.id).inspect();
      assert.equal(info.HostConfig.NetworkMode, 'host');
      assert.equal(info.Config.Labels[LABEL_GUACD], 'true');
      assert.match(await guacdLog(guacd.id), new RegExp(`starting on 127\\.0\\.0\\.1:${guacd.port}\\b`));

      // guacd on the host network reaches a desktop that listens on loopback only.
      const display = await DisplayService.start({ guacd: guacd.endpoint, connectRetries: 0 });
      try {
        const client = await connectTicket(display.issueTicket('i-ctr', { host: '127.0.0.1', port: xvnc.port, password: 'ctr-pw12' }));
        assert.deepEqual(await client.waitForOpcode('size', 10_000), ['size', '0', '320', '240']);
        await client.waitForOpcode('sync', 10_000);
        assert.ok(client.images.some((i) => i.layer === 0), 'the desktop is drawn through the guacd container');
        assert.match(await guacdLog(guacd.id), new RegExp(`VNC 127\\.0\\.0\\.1:${xvnc.port}: connected`));
        await client.close();
      } finally {
        await display.close();
      }
    } finally {
      await guacd.stop();
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
    try {
      const [container] = await guacdContainers();
      assert.ok(container, 'a guacd container runs');
      assert.equal(core.display.backend.kind, 'guacd');

      const instance = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
      await waitForState(core, instance.id, 'running');
      const client = await connectTicket(await callCore<DisplayTicket>(core, 'display.connect', { instanceId: instance.id }));
      await client.waitForOpcode('sync', 15_000);
      assert.ok(client.images.some((i) => i.layer === 0));
      assert.match(await guacdLog(container.Id), /VNC 127\.0\.0\.1:\d+: connected/);
      await client.close();
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
