// The display gateway setting: the built-in gateway, guacd at an address, or guacd run
// from an image. One choice that sets two settings (guacd and guacdContainerImage).
import type { MessageKey } from '../i18n/i18n';
import { example, useT } from '../i18n/i18n';
import { FormField, fieldProps } from '../components/FormField';
import type { DraftErrors, GatewayChoice, GatewayDraft } from './settings-draft';

const CHOICES = [
  { value: 'builtin', testId: 'setting-guacd-builtin', label: 'settings.gatewayBuiltIn', hint: 'settings.gatewayBuiltInHint' },
  { value: 'external', testId: 'setting-guacd-external', label: 'settings.gatewayExternal', hint: 'settings.gatewayExternalHint' },
  { value: 'container', testId: 'setting-guacd-container', label: 'settings.gatewayContainer', hint: 'settings.gatewayContainerHint' },
] as const satisfies readonly { value: GatewayChoice; testId: string; label: MessageKey; hint: MessageKey }[];

export function GatewaySetting({
  draft,
  label,
  locked,
  describedBy,
  errors,
  idOf,
  onChange,
}: {
  draft: GatewayDraft;
  label: string;
  locked: boolean;
  describedBy: string | undefined;
  errors: DraftErrors;
  idOf: (name: string) => string;
  onChange: (next: GatewayDraft) => void;
}) {
  const t = useT();
  const edit = (part: Partial<GatewayDraft>) => onChange({ ...draft, ...part });
  return (
    <fieldset
      className="form-section radio-group"
      data-testid="setting-guacd"
      disabled={locked}
      aria-disabled={locked || undefined}
      aria-describedby={describedBy}
    >
      <legend>{label}</legend>
      {CHOICES.map(({ value, testId, label: choiceLabel, hint }) => (
        <label className="radio" key={value}>
          <input type="radio" name={idOf('guacd')} data-testid={testId} checked={draft.choice === value} onChange={() => edit({ choice: value })} />
          <span>
            {t(choiceLabel)} <span className="muted">{t(hint)}</span>
          </span>
        </label>
      ))}
      {draft.choice === 'container' ? (
        <FormField id={idOf('guacdImage')} label={t('settings.guacdImage')} error={errors.guacdImage}>
          <input
            {...fieldProps(idOf('guacdImage'), { error: errors.guacdImage })}
            data-testid="setting-guacd-image"
            type="text"
            className="input mono"
            value={draft.image}
            placeholder={example('guacamole/guacd')}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => edit({ image: e.currentTarget.value })}
          />
        </FormField>
      ) : null}
      {draft.choice === 'external' ? (
        <div className="form-grid form-grid-host">
          <FormField id={idOf('guacdHost')} label={t('settings.guacdHost')} error={errors.guacdHost}>
            <input
              {...fieldProps(idOf('guacdHost'), { error: errors.guacdHost })}
              data-testid="setting-guacd-host"
              type="text"
              className="input mono"
              value={draft.host}
              placeholder={example('guacd.example.org')}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => edit({ host: e.currentTarget.value })}
            />
          </FormField>
          <FormField id={idOf('guacdPort')} label={t('settings.guacdPort')} error={errors.guacdPort}>
            <input
              {...fieldProps(idOf('guacdPort'), { error: errors.guacdPort })}
              data-testid="setting-guacd-port"
              type="text"
              inputMode="numeric"
              className="input input-narrow mono"
              value={draft.port}
              onChange={(e) => edit({ port: e.currentTarget.value })}
            />
          </FormField>
        </div>
      ) : null}
    </fieldset>
  );
}
