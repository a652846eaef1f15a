import { accessSync, constants } from 'node:fs';

/**
 * Debian's Chromium (package `chromium`), which playwright-core drives: Playwright's own browser
 * downloads are never used. `CHROMIUM_PATH` points elsewhere (or at nothing, to try the skip).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether Chromium can be run here. */
export const hasChromium = ((): boolean => {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();

/** The reason a test that needs Chromium skips, naming the package to install. */
export const NEEDS_CHROMIUM = 'needs the chromium package: apt-get install chromium';

if (!hasChromium && process.env.CI) {
  // CI installs it first (scripts/install-system-packages.sh): a skip there would hide a failure.
  throw new Error(
    `CI must run the browser tests, but ${CHROMIUM_PATH} is missing (${NEEDS_CHROMIUM})`,
  );
}
if (!hasChromium) console.warn(`Browser tests skipped: ${NEEDS_CHROMIUM}`);
