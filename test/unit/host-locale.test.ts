// The time zone and keyboard layout handed to desktop containers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localeEnv, parseKeyboardFile } from '../../src-main/providers/docker/host-locale';

test('/etc/default/keyboard gives the first layout and variant; odd values are dropped', () => {
  assert.deepEqual(parseKeyboardFile('XKBMODEL="pc105"\nXKBLAYOUT="de,us"\nXKBVARIANT="nodeadkeys,"\n'), { layout: 'de', variant: 'nodeadkeys' });
  assert.deepEqual(parseKeyboardFile('XKBLAYOUT=fr\n'), { layout: 'fr', variant: null });
  assert.deepEqual(parseKeyboardFile('XKBLAYOUT="de; rm -rf /"\n'), { layout: null, variant: null });
  assert.deepEqual(parseKeyboardFile(''), { layout: null, variant: null });
});

test('the container gets TZ and XKB_LAYOUT unless the app sets them itself', () => {
  const locale = { timeZone: 'Europe/Berlin', keyboardLayout: 'de', keyboardVariant: 'nodeadkeys' };
  assert.deepEqual(localeEnv(locale, {}), ['TZ=Europe/Berlin', 'XKB_LAYOUT=de', 'XKB_VARIANT=nodeadkeys']);
  assert.deepEqual(localeEnv(locale, { TZ: 'UTC', XKB_LAYOUT: 'us' }), []);
  assert.deepEqual(localeEnv({ timeZone: null, keyboardLayout: null, keyboardVariant: null }, {}), []);
});
