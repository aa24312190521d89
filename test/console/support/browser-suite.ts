import type { Browser } from 'playwright-core';
import { chromiumInstalled, launchChromium, personContext } from './browser.js';
import { startPlatform, type RunningPlatform } from './platform.js';

/**
 * Registers, inside a `describe`, the hooks every browser suite needs: the platform and Chromium
 * started before (the suite skipped where Chromium is missing) and stopped after. `person()`
 * opens a new browser context whose CSP violations and page errors `problems()` gathers.
 */
export function browserSuite(options: Parameters<typeof startPlatform>[0] = {}) {
  let platform: RunningPlatform;
  let browser: Browser;
  const problems: string[][] = [];
  before(async function () {
    if (!chromiumInstalled()) this.skip();
    platform = await startPlatform(options);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await platform?.stop();
  });
  return {
    platform: () => platform,
    person: async () => {
      const made = await personContext(browser, platform.base);
      problems.push(made.problems);
      return made;
    },
    problems: () => problems.flat(),
  };
}
