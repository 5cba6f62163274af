// The container part of the app editor: image, command and environment, resources, the
// VNC port, the home volume and the Docker endpoint.
import { byDefault, example, useT } from '../../i18n/i18n';
import { useCatalogue } from '../store-context';
import { DEFAULT_VNC_PORT, dockerForm, type DockerFormValues } from './docker-form';
import { registerSection, type SlotProps } from './section-view';

type Props = SlotProps<DockerFormValues>;

function Main({ kit }: Props) {
  const t = useT();
  return (
    <>
      <fieldset className="form-section">
        <legend>{t('editor.sectionContainer')}</legend>
        {kit.text('image', t('editor.image'), {
          required: true,
          mono: true,
          placeholder: example('daas/desktop:latest'),
          hint: t('editor.imageHint'),
        })}
        <div className="form-grid form-grid-2">
          {kit.area('command', t('editor.command'), {
            mono: true,
            rows: 4,
            placeholder: example('/usr/local/bin/start-desktop.sh\n--geometry\n1280x800'),
            hint: t('editor.commandHint'),
          })}
          {kit.area('env', t('editor.env'), {
            mono: true,
            rows: 4,
            placeholder: example('TZ=Europe/Berlin\nLANG=de_DE.UTF-8'),
            hint: t('editor.envHint'),
          })}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('editor.sectionResources')}</legend>
        <div className="form-grid form-grid-3">
          {kit.text('cpus', t('editor.cpus'), { inputMode: 'decimal', placeholder: byDefault(t('editor.noLimit')), hint: t('editor.cpusHint') })}
          {kit.text('memory', t('editor.memory'), { placeholder: byDefault(t('editor.noLimit')), hint: t('editor.memoryHint') })}
          {kit.text('shmSize', t('editor.shmSize'), { placeholder: byDefault('64m'), hint: t('editor.shmSizeHint') })}
          {kit.text('warmPool', t('editor.warmPool'), { inputMode: 'numeric', placeholder: byDefault(t('editor.warmPoolSetting')), hint: t('editor.warmPoolHint') })}
        </div>
      </fieldset>
    </>
  );
}

function Desktop({ kit }: Props) {
  const t = useT();
  return (
    <>
      {kit.text('vncPort', t('editor.vncPort'), { inputMode: 'numeric', placeholder: byDefault(String(DEFAULT_VNC_PORT)) })}
      {kit.checkbox('singleApp', t('editor.singleApp'), t('editor.singleAppHint'))}
    </>
  );
}

function Home({ kit }: Props) {
  const t = useT();
  return (
    <fieldset className="form-section">
      <legend>{t('editor.sectionHome')}</legend>
      <p className="section-hint muted">{t('editor.homeHint')}</p>
      <div className="form-grid form-grid-2">
        {kit.text('homeVolumeName', t('editor.volumeName'), { mono: true, placeholder: example('daas-home') })}
        {kit.text('homeVolumeMountPath', t('editor.mountPath'), { mono: true, placeholder: example('/home/desktop') })}
      </div>
      {kit.text('transferFolder', t('editor.transferFolder'), { mono: true, placeholder: byDefault('~/Desktop'), hint: t('editor.transferFolderHint') })}
      <div className="form-grid form-grid-3">
        {kit.text('sftpUsername', t('editor.sftpUsername'), { mono: true, placeholder: example('user'), hint: t('editor.sftpHint') })}
        {kit.text('sftpPort', t('editor.sftpPort'), { inputMode: 'numeric', placeholder: byDefault('22') })}
        {kit.text('sftpDirectory', t('editor.sftpDirectory'), { mono: true, placeholder: example('/home/user/Desktop') })}
      </div>
    </fieldset>
  );
}

function Placement({ kit }: Props) {
  const t = useT();
  const endpoints = useCatalogue((s) => s.dockerEndpoints);
  const endpointsStatus = useCatalogue((s) => s.dockerEndpointsStatus);
  const { endpointId } = kit.values;
  const known = endpointId === '' || endpoints.some((e) => e.id === endpointId);
  const hint = t('editor.endpointHint');
  return kit.select(
    'endpointId',
    t('editor.dockerEndpoint'),
    { hint, busy: endpointsStatus === 'loading' },
    <>
      <option value="">{t('editor.leastLoaded')}</option>
      {endpoints.map((endpoint) => (
        <option key={endpoint.id} value={endpoint.id}>
          {endpoint.name} — {endpoint.url}
        </option>
      ))}
      {!known ? (
        <option value={endpointId}>{endpointsStatus === 'ready' ? t('editor.removedEndpoint', { id: endpointId }) : endpointId}</option>
      ) : null}
    </>,
  );
}

export const dockerSection = registerSection<DockerFormValues>({
  form: dockerForm,
  view: { label: 'editor.providerDocker', hint: 'editor.providerDockerHint', Main, Desktop, AfterDesktop: Home, Placement },
});
