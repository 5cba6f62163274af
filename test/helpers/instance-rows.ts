// Driving an instance row in the catalogue page as a person does.
import type { Locator, Page } from 'playwright';

/**
 * Clicks the row's Stop and, when the catalogue asks first (a viewer is open, or the
 * desktop was used in the last minutes), confirms. Resolves once the question is answered
 * or the row moved on without one.
 */
export async function stopFromRow(page: Page, row: Locator): Promise<void> {
  const state = await row.getAttribute('data-state');
  await row.locator('[data-testid="stop-instance"]').click();
  const dialog = page.locator('[data-testid="confirm-dialog"]');
  const asked = await Promise.race([
    dialog.waitFor({ timeout: 30_000 }).then(() => true),
    page
      .waitForFunction(([el, before]) => el?.getAttribute('data-state') !== before, [await row.elementHandle(), state] as const, { timeout: 30_000 })
      .then(() => false),
  ]);
  if (asked) await dialog.locator('[data-testid="confirm-dialog-confirm"]').click();
}
