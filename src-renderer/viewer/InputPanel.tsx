// The menu's input methods (as the Guacamole client's): the physical keyboard, text input for
// IMEs, the on-screen keyboard; and modifiers that stay held until released here.
import { t } from '../i18n/i18n';

export type InputMode = 'keyboard' | 'text' | 'osk';

/** Modifiers that can be held (X keysyms). */
export const STICKY_MODIFIERS: ReadonlyArray<{ label: string; keysym: number }> = [
  { label: 'Ctrl', keysym: 0xffe3 },
  { label: 'Alt', keysym: 0xffe9 },
  { label: 'Shift', keysym: 0xffe1 },
  { label: 'Super', keysym: 0xffeb },
];

const MODES: ReadonlyArray<{ mode: InputMode; label: 'viewer.inputKeyboard' | 'viewer.inputText' | 'viewer.inputOsk'; hint: 'viewer.inputKeyboardHint' | 'viewer.inputTextHint' | 'viewer.inputOskHint' }> = [
  { mode: 'keyboard', label: 'viewer.inputKeyboard', hint: 'viewer.inputKeyboardHint' },
  { mode: 'text', label: 'viewer.inputText', hint: 'viewer.inputTextHint' },
  { mode: 'osk', label: 'viewer.inputOsk', hint: 'viewer.inputOskHint' },
];

export interface InputPanelProps {
  mode: InputMode;
  onMode: (mode: InputMode) => void;
  held: ReadonlySet<number>;
  onToggleHeld: (keysym: number) => void;
}

export function InputPanel({ mode, onMode, held, onToggleHeld }: InputPanelProps) {
  return (
    <div className="menu-input">
      <fieldset>
        <legend>{t('viewer.inputMethod')}</legend>
        {MODES.map((m) => (
          <label key={m.mode} className="menu-choice">
            <input type="radio" name="input-mode" data-testid={`input-${m.mode}`} checked={mode === m.mode} onChange={() => onMode(m.mode)} />
            <span>
              {t(m.label)}
              <small>{t(m.hint)}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('viewer.stickyModifiers')}</legend>
        <div className="menu-row">
          {STICKY_MODIFIERS.map((m) => (
            <button
              key={m.keysym}
              type="button"
              className="toolbar-button"
              data-testid={`hold-${m.label.toLowerCase()}`}
              aria-pressed={held.has(m.keysym)}
              onClick={() => onToggleHeld(m.keysym)}
            >
              {m.label}
            </button>
          ))}
        </div>
        <small>{t('viewer.stickyModifiersHint')}</small>
      </fieldset>
    </div>
  );
}
