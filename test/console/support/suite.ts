import type { Browser } from 'playwright-core';
import { chromiumInstalled, launchChromium, personContext } from './browser.js';
import { startPlatform, type PlatformOptions, type RunningPlatform } from './platform.js';

/**
 * A describe block's platform and Chromium, started once for its tests (skipped without
 * Chromium), and its people: each a browser context whose CSP violations and script errors are
 * kept for the block's last check.
 */
export function platformInChromium(options: PlatformOptions = {}) {
  let platform: RunningPlatform | undefined;
  let browser: Browser | undefined;
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

  const running = () => {
    if (!platform || !browser) throw new Error('the platform is not started');
    return { platform, browser };
  };
  return {
    platform: () => running().platform,
    person: async () => {
      const made = await personContext(running().browser, running().platform.base);
      problems.push(made.problems);
      return made;
    },
    problems: () => problems.flat(),
  };
}
