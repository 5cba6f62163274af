// A picture of every open page when an end-to-end step fails, in test-results/, named in
// the failure's message: what the user would have seen.
import fs from 'node:fs/promises';
import type { Page } from 'playwright';

export async function withFailureScreenshots<T>(name: string, pages: () => Page[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    await fs.mkdir('test-results', { recursive: true }).catch(() => undefined);
    const files: string[] = [];
    for (const [i, page] of pages().entries()) {
      const file = `test-results/${name}-failure-${i}.png`;
      if (await page.screenshot({ path: file, fullPage: true }).then(() => true, () => false)) files.push(file);
    }
    if (err instanceof Error && files.length) err.message += `\n(screenshots: ${files.join(', ')})`;
    throw err;
  }
}
