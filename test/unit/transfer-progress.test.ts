// The progress line of an upload or a download (issue 12): bytes of how many, the rate, and the
// time left at that rate, in English and German.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setLocale } from '../../src-renderer/i18n/i18n';
import { formatDuration, transferProgress } from '../../src-renderer/viewer/transfer-progress';

const MIB = 1024 * 1024;
after(() => setLocale('en'));

test('time left: seconds, minutes and seconds, hours and minutes', () => {
  assert.equal(formatDuration(0.2), '1 s');
  assert.equal(formatDuration(59), '59 s');
  assert.equal(formatDuration(75), '1 min 15 s');
  assert.equal(formatDuration(120), '2 min');
  assert.equal(formatDuration(4000), '1 h 7 min');
});

test('a transfer under way shows bytes, percent, rate and time left; an archive of unknown size only bytes and rate', () => {
  setLocale('en');
  assert.equal(transferProgress(2 * MIB, 5 * MIB, 1.5 * MIB), '2.0 MiB of 5.0 MiB (40 %) · 1.5 MiB/s · 2 s left');
  assert.equal(transferProgress(0, 5 * MIB, 0), '0.0 MiB of 5.0 MiB (0 %) · 0 KiB/s', 'no rate yet: no guess');
  assert.equal(transferProgress(300 * MIB, null, 600 * 1024), '300 MiB · 600 KiB/s');
  assert.equal(transferProgress(100 * MIB, 1024 * MIB, MIB), '100 MiB of 1.0 GiB (9 %) · 1.0 MiB/s · 15 min 24 s left');
  setLocale('de');
  assert.equal(transferProgress(2 * MIB, 5 * MIB, 1.5 * MIB), '2,0 MiB von 5,0 MiB (40 %) · 1,5 MiB/s · noch 2 s');
});
