// The app editor's form logic, per backend section: what a filled form sends, where each
// error shows (by the field's name in the page), and which fields a choice shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appInputSchema } from '../../src-shared/app-config';
import type { App } from '../../src-shared/model';
import { anySectionForm, buildAppInput, emptyAppForm, fieldApplies, fieldOfPath, formFromApp, type AppForms, type AppFormValues } from '../../src-renderer/catalogue/app-form/app-form';
import { dockerForm } from '../../src-renderer/catalogue/app-form/docker-form';
import { proxmoxForm } from '../../src-renderer/catalogue/app-form/proxmox-form';

// The same backends the editor's registry (app-form/sections.tsx) holds, without their views.
const FORMS: AppForms = { docker: anySectionForm(dockerForm), proxmox: anySectionForm(proxmoxForm) };

function form(edit: (v: AppFormValues) => void): AppFormValues {
  const values = emptyAppForm(FORMS);
  edit(values);
  return values;
}

function app(config: unknown): App {
  return { ...appInputSchema.parse(config), id: 'a1', builtIn: false, managed: false } as App;
}

describe('app form', () => {
  it('sends a container app as the shared schema has it', () => {
    const values = form((v) => {
      v.common.name = ' Desk ';
      v.common.idleTimeoutMinutes = '30';
      // Commas separate tags; blanks and repeats go.
      v.common.tags = ' office, dev ,, office';
      Object.assign(v.sections.docker, { image: 'daas/desktop:latest', command: 'start.sh\n\n--flag', env: 'A=1\nB=x=y', memory: '512m', homeVolumeName: 'home', homeVolumeMountPath: '/home/u', transferFolder: ' ~/Inbox ' });
    });
    const { input, errors } = buildAppInput(values, FORMS);
    assert.deepEqual(errors, {});
    assert.deepEqual(input, {
      name: 'Desk',
      description: '',
      tags: ['office', 'dev'],
      icon: null,
      desktopWidth: 1280,
      desktopHeight: 800,
      idleTimeoutMinutes: 30,
      display: { gateway: 'default', guacd: null, microphone: false },
      provider: 'docker',
      docker: {
        image: 'daas/desktop:latest',
        command: ['start.sh', '--flag'],
        env: { A: '1', B: 'x=y' },
        cpus: null,
        memory: '512m',
        shmSize: null,
        vncPort: 5901,
        homeVolume: { name: 'home', mountPath: '/home/u' },
        transferFolder: '~/Inbox',
        endpointId: null,
        warmPool: null,
        singleApp: false,
        sftp: null,
      },
    });
  });

  it('sends a VM app with only the chosen mode and display, the password write-only', () => {
    const values = form((v) => {
      v.provider = 'proxmox';
      v.common.name = 'VM';
      v.common.gateway = 'guacd';
      // Left behind in the container section: not read for a VM app.
      v.sections.docker.memory = 'lots';
      Object.assign(v.sections.proxmox, { endpointId: 'pve', mode: 'existing', vmid: '120', node: 'pve2', templateVmid: 'junk', displayKind: 'rdp', rdpUsername: 'alice', displayPassword: 's3cret' });
    });
    const { input, errors } = buildAppInput(values, FORMS);
    assert.deepEqual(errors, {});
    assert.ok(input.provider === 'proxmox');
    assert.equal(input.proxmox.mode, 'existing');
    assert.equal(input.proxmox.vmid, 120);
    assert.equal(input.proxmox.templateVmid, null);
    assert.deepEqual(input.proxmox.display, {
      kind: 'rdp',
      port: 3389,
      username: 'alice',
      domain: '',
      security: 'any',
      ignoreCert: false,
      driveRedirection: true,
      password: 's3cret',
    });
    assert.equal(input.proxmox.guestFolder, '/tmp', "an RDP app's files go through its drive, not the guest agent");
    assert.deepEqual(input.display, { gateway: 'guacd', guacd: null, microphone: false });
  });

  it('keys errors by the field names of the page, and keeps the form\'s own message over the schema\'s', () => {
    const docker = buildAppInput(
      form((v) => {
        v.sections.docker.memory = 'lots';
        v.sections.docker.env = 'NOEQUALS';
        v.common.desktopWidth = 'wide';
      }),
      FORMS,
    ).errors;
    assert.deepEqual(Object.keys(docker).sort(), ['desktopWidth', 'env', 'image', 'memory', 'name']);
    assert.match(docker.desktopWidth!, /whole number, like 1280/);
    assert.match(docker.env!, /line 1/);

    const vm = buildAppInput(
      form((v) => {
        v.provider = 'proxmox';
        v.common.name = 'VM';
        Object.assign(v.sections.proxmox, { endpointId: 'pve', templateVmid: 'nine', displayKind: 'vnc', vncHost: 'h', vncPort: '70000' });
      }),
      FORMS,
    ).errors;
    assert.deepEqual(Object.keys(vm).sort(), ['proxmox-templateVmid', 'proxmox-vncPort']);
    assert.match(vm['proxmox-templateVmid']!, /whole number, like 9000/);
  });

  it('maps schema paths (also from the main process) to the field that edits them', () => {
    const values = form((v) => {
      v.sections.proxmox.displayKind = 'rdp';
    });
    assert.equal(fieldOfPath(['proxmox', 'display', 'port'], values, FORMS), 'proxmox-rdpPort');
    assert.equal(fieldOfPath(['proxmox', 'display', 'password'], values, FORMS), 'proxmox-displayPassword');
    assert.equal(fieldOfPath(['proxmox', 'vmid'], values, FORMS), 'proxmox-vmid');
    assert.equal(fieldOfPath(['docker', 'homeVolume', 'mountPath'], values, FORMS), 'homeVolumeMountPath');
    assert.equal(fieldOfPath(['docker', 'constructor'], values, FORMS), 'image');
    assert.equal(fieldOfPath(['display', 'guacd', 'port'], values, FORMS), 'guacdPort');
    assert.equal(fieldOfPath(['display', 'gateway'], values, FORMS), 'gateway');
    assert.equal(fieldOfPath(['idleTimeoutMinutes'], values, FORMS), 'idleTimeoutMinutes');
    assert.equal(fieldOfPath(['constructor'], values, FORMS), 'name');
  });

  it('shows only the chosen backend\'s fields, and within it those its choices need', () => {
    const values = form((v) => {
      v.provider = 'proxmox';
    });
    assert.equal(fieldApplies(values, 'image', FORMS), false);
    assert.equal(fieldApplies(values, 'proxmox-templateVmid', FORMS), true);
    assert.equal(fieldApplies(values, 'proxmox-vmid', FORMS), false);
    assert.equal(fieldApplies(values, 'proxmox-vncHost', FORMS), false);
    assert.equal(fieldApplies(values, 'guacdHost', FORMS), false);
    assert.equal(fieldApplies(values, 'name', FORMS), true);
    values.provider = 'docker';
    assert.equal(fieldApplies(values, 'image', FORMS), true);
    assert.equal(fieldApplies(values, 'proxmox-endpointId', FORMS), false);
  });

  it('keeps single-app mode through the editor', () => {
    const single = app({ name: 'Editor', provider: 'docker', docker: { image: 'daas/editor:latest', singleApp: true } });
    const values = formFromApp(single, FORMS);
    assert.equal((values.sections.docker as { singleApp: boolean }).singleApp, true);
    const { input } = buildAppInput(values, FORMS);
    assert.equal((input as { docker: { singleApp: boolean } }).docker.singleApp, true);
  });

  it('fills the editor from an app, leaving the other backend at its defaults', () => {
    const vm = formFromApp(
      app({ name: 'VM', provider: 'proxmox', proxmox: { endpointId: 'pve', templateVmid: 9000, display: { kind: 'rdp', port: 3390 } } }),
      FORMS,
    );
    assert.equal(vm.provider, 'proxmox');
    assert.equal(vm.sections.proxmox.templateVmid, '9000');
    assert.equal(vm.sections.proxmox.rdpPort, '3390');
    assert.deepEqual(vm.sections.docker, dockerForm.empty());
    // Unchanged, it sends back what it was filled from.
    const again = buildAppInput(vm, FORMS);
    assert.deepEqual(again.errors, {});
    assert.equal(again.input.provider, 'proxmox');
  });
});
