// The Proxmox VE part of the app editor: endpoint, clone or existing VM, node, clone
// options, and how the VM's screen is reached.
import { useEffect } from 'react';
import { byDefault, example, useT, type MessageKey } from '../../i18n/i18n';
import { errorMessage } from '../../i18n/error-text';
import { useCatalogue } from '../store-context';
import { DEFAULT_NAME_PATTERN, DEFAULT_RDP_PORT, LEAST_LOADED_NODE, RDP_SECURITY, proxmoxForm, type ProxmoxFormValues } from './proxmox-form';
import { registerSection, type SlotProps } from './section-view';

type Props = SlotProps<ProxmoxFormValues>;

const RDP_SECURITY_LABELS: Record<(typeof RDP_SECURITY)[number], MessageKey> = {
  any: 'editor.rdpSecurityAny',
  nla: 'editor.rdpSecurityNla',
  'nla-ext': 'editor.rdpSecurityNlaExt',
  tls: 'editor.rdpSecurityTls',
  vmconnect: 'editor.rdpSecurityVmconnect',
  rdp: 'editor.rdpSecurityRdp',
};

/** Which endpoint holds the VM, with a way to Settings when there is none. */
function EndpointField({ kit }: Props) {
  const t = useT();
  const openSettings = useCatalogue((s) => s.openSettings);
  const endpoints = useCatalogue((s) => s.proxmoxEndpoints);
  const status = useCatalogue((s) => s.proxmoxStatus);
  const loadError = useCatalogue((s) => s.proxmoxError);
  const load = useCatalogue((s) => s.loadProxmoxEndpoints);
  const { endpointId } = kit.values;
  const { update } = kit;

  // With one endpoint there is nothing to choose; one added from here (Settings, over
  // the editor) is the one meant. Only when the part appears or that endpoint does: a
  // person may still go back to "choose".
  const onlyId = endpoints.length === 1 ? endpoints[0]!.id : null;
  useEffect(() => {
    if (onlyId !== null && endpointId === '') update('endpointId', onlyId);
  }, [onlyId]);

  const known = endpointId === '' || endpoints.some((e) => e.id === endpointId);
  const none = status === 'ready' && endpoints.length === 0;
  const hint = none ? (
    <span data-testid="app-proxmox-no-endpoints">
      {t('editor.noProxmoxBefore')}{' '}
      <button type="button" className="link-button" data-testid="app-open-settings" onClick={openSettings}>
        {t('editor.noProxmoxLink')}
      </button>
      {t('editor.noProxmoxAfter')}
    </span>
  ) : status === 'failed' && loadError ? (
    <span>
      {t('editor.proxmoxLoadFailed', { message: errorMessage(loadError) })}{' '}
      <button type="button" className="link-button" onClick={() => void load()}>
        {t('common.tryAgain')}
      </button>
    </span>
  ) : (
    <span>
      {t('editor.proxmoxEndpointHint')}{' '}
      <button type="button" className="link-button" onClick={openSettings}>
        {t('editor.manageEndpoints')}
      </button>
    </span>
  );

  return kit.select(
    'endpointId',
    t('editor.proxmoxEndpoint'),
    { required: true, hint, busy: status === 'loading' },
    <>
      <option value="">{none ? t('editor.noneSetUp') : t('editor.chooseEndpoint')}</option>
      {endpoints.map((endpoint) => (
        <option key={endpoint.id} value={endpoint.id}>
          {endpoint.name} — {endpoint.url}
        </option>
      ))}
      {!known ? <option value={endpointId}>{status === 'ready' ? t('editor.removedEndpoint', { id: endpointId }) : endpointId}</option> : null}
    </>,
  );
}

function Main(props: Props) {
  const t = useT();
  const { kit } = props;
  const cloning = kit.values.mode === 'clone';
  const modeHint = cloning ? t('editor.modeCloneHint') : t('editor.modeExistingHint');
  const onStopHint = kit.values.onStop === 'delete' ? t('editor.onStopDeleteHint') : t('editor.onStopKeepHint');
  const nodeHint = cloning ? t('editor.nodeCloneHint', { leastLoaded: LEAST_LOADED_NODE }) : t('editor.nodeExistingHint');
  return (
    <fieldset className="form-section" data-testid="app-vm-section">
      <legend>{t('editor.sectionVm')}</legend>
      <div className="form-grid form-grid-2">
        <EndpointField {...props} />
        {kit.select(
          'mode',
          t('editor.eachInstance'),
          { hint: modeHint },
          <>
            <option value="clone">{t('editor.modeClone')}</option>
            <option value="existing">{t('editor.modeExisting')}</option>
          </>,
        )}
      </div>
      <div className="form-grid form-grid-2">
        {cloning
          ? kit.text('templateVmid', t('editor.templateVmid'), {
              required: true,
              inputMode: 'numeric',
              mono: true,
              placeholder: example('9000'),
              hint: t('editor.templateVmidHint'),
            })
          : kit.text('vmid', t('editor.vmid'), {
              required: true,
              inputMode: 'numeric',
              mono: true,
              placeholder: example('120'),
              hint: t('editor.vmidHint'),
            })}
        {kit.text('node', t('editor.node'), {
          required: !cloning,
          mono: true,
          placeholder: cloning ? byDefault(t('editor.nodePlaceholder')) : example('pve1'),
          hint: nodeHint,
          list: cloning ? 'app-proxmox-node-options' : undefined,
        })}
        {cloning ? (
          <datalist id="app-proxmox-node-options">
            <option value={LEAST_LOADED_NODE}>{t('editor.leastLoadedNode')}</option>
          </datalist>
        ) : null}
      </div>
      {cloning ? (
        <>
          <div className="form-grid form-grid-2">
            {kit.text('namePattern', t('editor.vmName'), {
              mono: true,
              placeholder: example(DEFAULT_NAME_PATTERN),
              maxLength: 63,
              hint: t('editor.vmNameHint'),
            })}
            {kit.text('pool', t('editor.pool'), { mono: true, placeholder: byDefault(t('editor.poolPlaceholder')), hint: t('editor.poolHint') })}
          </div>
          <div className="form-grid form-grid-2">
            {kit.select(
              'onStop',
              t('editor.whenStops'),
              { hint: onStopHint },
              <>
                <option value="delete">{t('editor.deleteClone')}</option>
                <option value="keep">{t('editor.keepClone')}</option>
              </>,
            )}
            {kit.checkbox('full', t('editor.fullClone'), t('editor.fullCloneHint'))}
          </div>
          <div className="form-grid form-grid-2">{kit.checkbox('clipboard', t('editor.vmClipboard'), t('editor.vmClipboardHint'))}</div>
        </>
      ) : null}
    </fieldset>
  );
}

/** How the VM's screen is reached: the console, the host's VNC, or RDP. */
function Display({ kit, app }: Props) {
  const t = useT();
  const { values } = kit;
  const kind = values.displayKind;
  const passwordSet = app?.provider === 'proxmox' && app.displayPasswordSet === true;
  const passwordHint = passwordSet ? t('editor.displayPasswordSet') : t('editor.displayPasswordNone');
  return (
    <>
      {kit.select(
        'displayKind',
        t('editor.displayKind'),
        { hint: t('editor.displayKindHint') },
        <>
          <option value="vncproxy">{t('editor.displayVncproxy')}</option>
          <option value="vnc">{t('editor.displayVnc')}</option>
          <option value="rdp">{t('editor.displayRdp')}</option>
        </>,
      )}
      {kind === 'vnc' ? (
        <div className="form-grid form-grid-2">
          {kit.text('vncHost', t('editor.vncHost'), { required: true, mono: true, placeholder: example('pve1.example.org'), hint: t('editor.vncHostHint') })}
          {kit.text('vncPort', t('editor.vncPortDirect'), { required: true, inputMode: 'numeric', placeholder: example('5977'), hint: t('editor.vncPortDirectHint') })}
        </div>
      ) : null}
      {kind === 'rdp' ? (
        <>
          <div className="form-grid form-grid-3">
            {kit.text('rdpUsername', t('editor.rdpUsername'), { placeholder: example('alice') })}
            {kit.text('rdpDomain', t('editor.rdpDomain'), { placeholder: example('EXAMPLE') })}
            {kit.text('rdpPort', t('editor.rdpPort'), { inputMode: 'numeric', placeholder: byDefault(String(DEFAULT_RDP_PORT)) })}
          </div>
          <div className="form-grid form-grid-2">
            {kit.select(
              'rdpSecurity',
              t('editor.rdpSecurity'),
              { hint: t('editor.rdpSecurityHint') },
              RDP_SECURITY.map((security) => (
                <option key={security} value={security}>
                  {t(RDP_SECURITY_LABELS[security] as 'editor.rdpSecurityAny')}
                </option>
              )),
            )}
            {kit.checkbox('rdpIgnoreCert', t('editor.rdpIgnoreCert'), t('editor.rdpIgnoreCertHint'))}
          </div>
          <div className="form-grid form-grid-2">
            {kit.checkbox('rdpDriveRedirection', t('editor.rdpDriveRedirection'), t('editor.rdpDriveRedirectionHint'))}
          </div>
        </>
      ) : (
        <div className="form-grid form-grid-2">
          {kit.text('guestFolder', t('editor.guestFolder'), { mono: true, placeholder: byDefault('/tmp'), hint: t('editor.guestFolderHint') })}
        </div>
      )}
      {kind !== 'vncproxy' ? (
        <div className="form-grid form-grid-2">
          {kit.wrap(
            'displayPassword',
            t('editor.displayPassword'),
            { hint: passwordHint },
            <input
              {...kit.control('displayPassword', passwordHint)}
              value={values.displayPassword}
              type="password"
              className="input"
              placeholder={passwordSet ? t('editor.displayPasswordKeep') : ''}
              autoComplete="new-password"
              disabled={values.clearPassword}
              onChange={(e) => kit.update('displayPassword', e.currentTarget.value)}
            />,
          )}
          {passwordSet ? kit.checkbox('clearPassword', t('editor.clearPassword')) : null}
        </div>
      ) : null}
    </>
  );
}

export const proxmoxSection = registerSection<ProxmoxFormValues>({
  form: proxmoxForm,
  view: { label: 'editor.providerProxmox', hint: 'editor.providerProxmoxHint', Main, Display },
});
