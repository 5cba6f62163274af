// Sizes and names from untrusted app configurations: a 400-digit memory value is refused
// (it parsed as Infinity, which Docker takes as no limit at all), and names that exist on
// every object's prototype ("constructor") are not mistaken for known ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appInputSchema, MAX_BYTE_SIZE, parseByteSize } from '../../src-shared/app-config';
import { DaasError } from '../../src-shared/errors';
import { ImageBuilder } from '../../src-main/providers/docker/image-builder';
import type { DockerProvider } from '../../src-main/providers/docker/docker-provider';
import { setLocale } from '../../src-renderer/i18n/i18n';
import { issueMessage, translateSharedMessage } from '../../src-renderer/store/zod-messages';

const app = (docker: Record<string, unknown>) => ({ name: 'Sized', provider: 'docker', docker: { image: 'daas/desktop:latest', ...docker } });
const firstIssue = (input: unknown) => {
  const parsed = appInputSchema.safeParse(input);
  assert.equal(parsed.success, false, 'refused');
  return parsed.error!.issues[0]!;
};

test('sizes parse to whole bytes; beyond a safe integer they are no size at all', () => {
  assert.equal(parseByteSize('512m'), 512 * 1024 ** 2);
  assert.equal(parseByteSize('1.5g'), 1.5 * 1024 ** 3);
  assert.equal(parseByteSize(`${'9'.repeat(400)}g`), undefined, 'Infinity is not a size');
  assert.equal(parseByteSize(`${'9'.repeat(400)}`), undefined);
  assert.equal(parseByteSize('lots'), undefined);
});

test('a 400-digit or absurd memory value is refused with a clear message, in English and German', () => {
  for (const memory of [`${'9'.repeat(400)}g`, '2000g', '99999999999999999999']) {
    const issue = firstIssue(app({ memory }));
    assert.deepEqual(issue.path, ['docker', 'memory']);
    assert.equal(issue.message, 'memory must be at most 1024g');
  }
  assert.equal(firstIssue(app({ shmSize: `${'1'.repeat(400)}m` })).message, 'shared memory must be at most 1024g');
  assert.ok(appInputSchema.safeParse(app({ memory: '1024g', shmSize: '2g' })).success, 'the maximum itself is fine');
  assert.equal(MAX_BYTE_SIZE, 1024 ** 4);
  // One message per problem: "lots" is not a size, and that is all that is said about it.
  const lots = appInputSchema.safeParse(app({ memory: 'lots' }));
  assert.deepEqual(lots.error?.issues.map((i) => i.message), ['write memory as a number with k, m or g, like 512m or 2g']);

  const issue = firstIssue(app({ memory: `${'9'.repeat(400)}g` }));
  setLocale('en');
  assert.equal(issueMessage(issue), 'memory must be at most 1024g');
  setLocale('de');
  assert.equal(issueMessage(issue), 'geben Sie für das Speicherlimit höchstens 1024g an');
  setLocale('en');
});

test('"constructor" and other prototype names are no built-in recipe and cannot be built', async () => {
  const builder = new ImageBuilder('/nonexistent');
  assert.equal(builder.canBuild('daas/desktop:latest'), true);
  for (const image of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.equal(builder.canBuild(image), false, `${image} is not buildable`);
    await assert.rejects(builder.build({} as DockerProvider, image, () => undefined), (err: unknown) => {
      assert.ok(err instanceof DaasError, `a typed error for ${image}, not a TypeError`);
      assert.equal(err.code, 'IMAGE_MISSING');
      return true;
    });
  }
});

test('a message named like a prototype property is no shared message a window translates', () => {
  for (const message of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(translateSharedMessage(message), null, message);
  assert.equal(translateSharedMessage('give the app a name'), 'give the app a name');
});

test('VNC_PASSWORD is refused only as the app’s own variable; prototype names are plain variables', () => {
  assert.equal(firstIssue(app({ env: { VNC_PASSWORD: 'x' } })).message, 'VNC_PASSWORD is set by DaaS Desktop for each instance');
  const parsed = appInputSchema.parse(app({ env: JSON.parse('{"constructor": "c", "toString": "t"}') }));
  assert.equal(parsed.provider === 'docker' && parsed.docker.env.constructor, 'c');
});
