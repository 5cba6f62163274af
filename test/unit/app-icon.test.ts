// Which icon a card draws: our SVGs for the named icons, the emoji earlier catalogues stored
// and an empty field (by backend); any other text is the user's own choice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iconOf } from '../../src-renderer/components/app-icons';

test('named icons and the emoji of earlier catalogues draw as SVG', () => {
  assert.deepEqual(iconOf({ icon: 'linux', provider: 'docker' }), { svg: 'linux' });
  assert.deepEqual(iconOf({ icon: '🐧', provider: 'docker' }), { svg: 'linux' });
  assert.deepEqual(iconOf({ icon: '🖥️', provider: 'docker' }), { svg: 'desktop' });
});

test('an empty icon draws the backend’s SVG; other text stays the user’s', () => {
  assert.deepEqual(iconOf({ icon: null, provider: 'docker' }), { svg: 'desktop' });
  assert.deepEqual(iconOf({ icon: ' ', provider: 'proxmox' }), { svg: 'vm' });
  assert.deepEqual(iconOf({ icon: 'A', provider: 'docker' }), { text: 'A' });
  assert.deepEqual(iconOf({ icon: 'toString', provider: 'docker' }), { text: 'toString' });
});
