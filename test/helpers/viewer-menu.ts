// Driving the viewer's toolbar and menu as a user does: the top edge reveals the hidden
// toolbar, Ctrl+Alt+Shift opens and closes the menu.
import type { Page } from 'playwright';

/**
 * Touches the window's top edge so an unpinned toolbar slides in; `x` picks where (the remote
 * pointer follows, which matters under a focus-follows-mouse window manager such as twm).
 */
export async function revealToolbar(viewer: Page, x?: number): Promise<void> {
  const width = viewer.viewportSize()?.width ?? 800;
  await viewer.mouse.move(x ?? width / 2, 1);
  await viewer.waitForSelector('[data-testid="viewer-toolbar"][data-revealed="true"]');
}

/** Presses Ctrl+Alt+Shift (all three down, then released). */
export async function menuShortcut(viewer: Page): Promise<void> {
  await viewer.keyboard.down('Control');
  await viewer.keyboard.down('Alt');
  await viewer.keyboard.down('Shift');
  await viewer.keyboard.up('Shift');
  await viewer.keyboard.up('Alt');
  await viewer.keyboard.up('Control');
}
