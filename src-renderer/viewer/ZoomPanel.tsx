// The menu's zoom: fit the window (the default), 100 %, or a chosen zoom.
import { useId } from 'react';
import { t } from '../i18n/i18n';
import type { ScaleMode } from './display-session';

const MIN_PERCENT = 10;
const MAX_PERCENT = 400;

export function ZoomPanel({ mode, onChange }: { mode: ScaleMode; onChange: (mode: ScaleMode) => void }) {
  const id = useId();
  const percent = mode.kind === 'fixed' ? Math.round(mode.scale * 100) : 100;
  const custom = mode.kind === 'fixed' && percent !== 100;
  return (
    <fieldset className="menu-zoom">
      <legend className="visually-hidden">{t('viewer.zoom')}</legend>
      <label className="menu-choice">
        <input type="radio" name="zoom" data-testid="zoom-fit" checked={mode.kind === 'fit'} onChange={() => onChange({ kind: 'fit' })} />
        <span>{t('viewer.zoomFit')}</span>
      </label>
      <label className="menu-choice">
        <input
          type="radio"
          name="zoom"
          data-testid="zoom-100"
          checked={mode.kind === 'fixed' && percent === 100}
          onChange={() => onChange({ kind: 'fixed', scale: 1 })}
        />
        <span>100 %</span>
      </label>
      <div className="menu-choice">
        <label htmlFor={id}>{t('viewer.zoomCustom')}</label>
        <input
          id={id}
          type="number"
          data-testid="zoom-percent"
          min={MIN_PERCENT}
          max={MAX_PERCENT}
          step={10}
          value={custom ? percent : ''}
          placeholder="%"
          onChange={(e) => {
            const value = e.currentTarget.valueAsNumber;
            if (Number.isFinite(value) && value >= MIN_PERCENT && value <= MAX_PERCENT) onChange({ kind: 'fixed', scale: value / 100 });
          }}
        />
        <span aria-hidden="true">%</span>
      </div>
    </fieldset>
  );
}
