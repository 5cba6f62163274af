// Real Chromium (Debian's), driven by Playwright. Never downloads a browser.
import { chromium, type Browser } from 'playwright';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.DAAS_CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
