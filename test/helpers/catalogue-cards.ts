// An app's Edit, Duplicate and Delete live behind its "more" menu, on a card or a table row.
import type { Locator } from 'playwright';

export type AppMenuAction = 'edit-app' | 'duplicate-app' | 'delete-app';

/** Opens the app's "more" menu and chooses an action. */
export async function chooseAppAction(app: Locator, action: AppMenuAction): Promise<void> {
  await app.locator('[data-testid="app-more"]').click();
  await app.locator(`[role="menu"] [data-testid="${action}"]`).click();
}
