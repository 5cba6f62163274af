// The viewer's input pieces that need no browser: the on-screen keyboard layout is complete
// and its rows line up, and only Ctrl+Alt+Shift (no other key) opens the menu.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EN_US_LAYOUT } from '../../src-renderer/viewer/osk-layout-en-us';
import { isMenuShortcut } from '../../src-renderer/viewer/menu-shortcut';

test('every key of the en-US layout is defined and every row is as wide as the keyboard', () => {
  for (const [i, row] of EN_US_LAYOUT.layout.entries()) {
    let width = 0;
    for (const item of row) {
      if (typeof item === 'number') {
        width += item;
        continue;
      }
      assert.ok(EN_US_LAYOUT.keys[item], `row ${i}: key ${item} is defined`);
      width += EN_US_LAYOUT.keyWidths[item] ?? 1;
    }
    assert.equal(width, EN_US_LAYOUT.width, `row ${i} is ${width} units wide`);
  }
  // Shifted characters exist for the keys that have them.
  const two = EN_US_LAYOUT.keys['2'];
  assert.ok(Array.isArray(two) && two.some((k) => k.title === '@' && k.requires?.includes('shift')));
});

test('only Ctrl+Alt+Shift, completed by one of its own keys, is the menu shortcut', () => {
  const all = { ctrlKey: true, altKey: true, shiftKey: true, metaKey: false };
  for (const key of ['Control', 'Alt', 'Shift']) assert.ok(isMenuShortcut({ key, ...all }), key);
  assert.ok(!isMenuShortcut({ key: 'a', ...all }), 'Ctrl+Alt+Shift+A goes to the desktop');
  assert.ok(!isMenuShortcut({ key: 'Shift', ...all, altKey: false }), 'Ctrl+Shift is not the shortcut');
  assert.ok(!isMenuShortcut({ key: 'Shift', ...all, metaKey: true }), 'with Super held it is not');
});
