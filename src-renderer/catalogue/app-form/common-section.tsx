// The fields of the app editor every backend shares: name, icon, description and the
// backend choice; the gateway; the desktop size; the idle timeout.
import type { Ref } from 'react';
import { ICON_NAMES } from '../../components/app-icons';
import { byDefault, example, useT } from '../../i18n/i18n';
import type { CommonFormValues } from './common-form';
import { DEFAULT_DESKTOP_HEIGHT, DEFAULT_DESKTOP_WIDTH, DEFAULT_GUACD_PORT } from './common-form';
import type { FieldKit } from './field-kit';
import type { AppProvider } from './section-form';
import { APP_SECTIONS } from './sections';

/** The common values and the backend choice, as one part of the form. */
export type CommonKit = FieldKit<CommonFormValues & { provider: AppProvider }>;

export function AppFields({ kit, nameRef }: { kit: CommonKit; nameRef: Ref<HTMLInputElement> }) {
  const t = useT();
  const providerHint = t(APP_SECTIONS[kit.values.provider].view.hint as 'editor.providerDockerHint');
  return (
    <fieldset className="form-section">
      <legend>{t('editor.sectionApp')}</legend>
      <div className="form-grid form-grid-name">
        {kit.text('name', t('editor.name'), { required: true, maxLength: 80, inputRef: nameRef })}
        {kit.text('icon', t('editor.icon'), { placeholder: example('linux'), hint: t('editor.iconHint', { names: ICON_NAMES.join(', ') }), maxLength: 16, className: 'field-icon' })}
      </div>
      {kit.area('description', t('editor.description'), { rows: 2 })}
      {kit.text('tags', t('editor.tags'), { placeholder: example('office, dev'), hint: t('editor.tagsHint'), maxLength: 400 })}
      {kit.select(
        'provider',
        t('editor.runsAs'),
        { hint: providerHint, selectClassName: 'select-provider' },
        (Object.keys(APP_SECTIONS) as AppProvider[]).map((provider) => (
          <option key={provider} value={provider}>
            {t(APP_SECTIONS[provider].view.label as 'editor.providerDocker')}
          </option>
        )),
      )}
    </fieldset>
  );
}

export function GatewayFields({ kit }: { kit: CommonKit }) {
  const t = useT();
  return (
    <div className="form-grid form-grid-3">
      {kit.select(
        'gateway',
        t('editor.gateway'),
        { hint: t('editor.gatewayHint') },
        <>
          <option value="default">{t('editor.gatewayDefault')}</option>
          <option value="embedded">{t('editor.gatewayEmbedded')}</option>
          <option value="guacd">{t('editor.gatewayGuacd')}</option>
        </>,
      )}
      {kit.values.gateway === 'guacd' ? (
        <>
          {kit.text('guacdHost', t('editor.guacdHost'), { mono: true, placeholder: example('127.0.0.1'), hint: t('editor.guacdHostHint') })}
          {kit.text('guacdPort', t('editor.guacdPort'), { inputMode: 'numeric', placeholder: byDefault(String(DEFAULT_GUACD_PORT)) })}
        </>
      ) : null}
      {kit.checkbox('microphone', t('editor.microphone'), t('editor.microphoneHint'))}
    </div>
  );
}

export function DesktopSizeFields({ kit }: { kit: CommonKit }) {
  const t = useT();
  return (
    <>
      {kit.text('desktopWidth', t('editor.width'), { inputMode: 'numeric', placeholder: byDefault(String(DEFAULT_DESKTOP_WIDTH)) })}
      {kit.text('desktopHeight', t('editor.height'), { inputMode: 'numeric', placeholder: byDefault(String(DEFAULT_DESKTOP_HEIGHT)) })}
    </>
  );
}

export function IdleField({ kit }: { kit: CommonKit }) {
  const t = useT();
  return kit.text('idleTimeoutMinutes', t('editor.idle'), {
    inputMode: 'numeric',
    placeholder: byDefault(t('editor.never')),
    hint: t('editor.idleHint'),
  });
}
