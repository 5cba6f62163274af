// Our own US-English layout for Guacamole.OnScreenKeyboard (its layout format: key names ->
// key definitions, rows of key names and gaps, widths in key units). Modifier keys latch: a
// first press holds them, a second releases them.

/** A key as Guacamole.OnScreenKeyboard reads it; `keysym` defaults to the title's character. */
export interface OskKey {
  title: string;
  keysym?: number;
  modifier?: string;
  requires?: string[];
}

export interface OskLayout {
  language: string;
  type: string;
  width: number;
  keys: Record<string, OskKey | OskKey[]>;
  layout: (string | number)[][];
  keyWidths: Record<string, number>;
}

/** Characters on their key, unshifted then shifted. */
const CHAR_PAIRS = '`~ 1! 2@ 3# 4$ 5% 6^ 7& 8* 9( 0) -_ =+ [{ ]} \\| ;: \'" ,< .> /?'.split(' ');
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

const keys: Record<string, OskKey | OskKey[]> = {
  Esc: { title: 'Esc', keysym: 0xff1b },
  Back: { title: '⌫', keysym: 0xff08 },
  Tab: { title: 'Tab', keysym: 0xff09 },
  Enter: { title: 'Enter', keysym: 0xff0d },
  Del: { title: 'Del', keysym: 0xffff },
  Space: { title: ' ', keysym: 0x20 },
  ShiftLeft: { title: 'Shift', keysym: 0xffe1, modifier: 'shift' },
  ShiftRight: { title: 'Shift', keysym: 0xffe2, modifier: 'shift' },
  CtrlLeft: { title: 'Ctrl', keysym: 0xffe3, modifier: 'control' },
  CtrlRight: { title: 'Ctrl', keysym: 0xffe4, modifier: 'control' },
  AltLeft: { title: 'Alt', keysym: 0xffe9, modifier: 'alt' },
  AltRight: { title: 'Alt', keysym: 0xffea, modifier: 'alt' },
  Super: { title: 'Super', keysym: 0xffeb, modifier: 'super' },
  Left: { title: '←', keysym: 0xff51 },
  Up: { title: '↑', keysym: 0xff52 },
  Right: { title: '→', keysym: 0xff53 },
  Down: { title: '↓', keysym: 0xff54 },
};
for (let i = 1; i <= 12; i++) keys[`F${i}`] = { title: `F${i}`, keysym: 0xffbd + i };
for (const pair of CHAR_PAIRS) keys[pair[0]!] = [{ title: pair[0]! }, { title: pair[1]!, requires: ['shift'] }];
for (const c of LETTERS) keys[c] = [{ title: c }, { title: c.toUpperCase(), requires: ['shift'] }];

const row = (chars: string) => [...chars];

export const EN_US_LAYOUT: OskLayout = {
  language: 'en_US',
  type: 'qwerty',
  width: 15,
  keys,
  layout: [
    ['Esc', 0.25, 'F1', 'F2', 'F3', 'F4', 0.25, 'F5', 'F6', 'F7', 'F8', 0.25, 'F9', 'F10', 'F11', 'F12', 0.25, 'Del'],
    [...row('`1234567890-='), 'Back'],
    ['Tab', ...row('qwertyuiop[]\\')],
    [1.75, ...row("asdfghjkl;'"), 'Enter'],
    ['ShiftLeft', ...row('zxcvbnm,./'), 'ShiftRight'],
    ['CtrlLeft', 'Super', 'AltLeft', 'Space', 'AltRight', 'CtrlRight', 'Left', 'Up', 'Down', 'Right'],
  ],
  keyWidths: {
    Back: 2,
    Tab: 1.5,
    '\\': 1.5,
    Enter: 2.25,
    ShiftLeft: 2.25,
    ShiftRight: 2.75,
    CtrlLeft: 1.25,
    Super: 1.25,
    AltLeft: 1.25,
    Space: 4.75,
    AltRight: 1.25,
    CtrlRight: 1.25,
  },
};
