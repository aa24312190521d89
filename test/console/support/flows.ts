import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { generateSync } from 'otplib';
import type { RunningPlatform } from './platform.js';

export const PASSWORD = 'Correct-Horse1!';

/** Signs up through the page, reads the code from the SES emulator and verifies it; `landing` is where that leads. */
export async function signUpAndVerify(
  page: Page,
  platform: RunningPlatform,
  email: string,
  firstName = 'Ada',
  landing = '**/merchant',
): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('First name').fill(firstName);
  await page.getByLabel('Last name').fill('Lovelace');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/verify-email');
  const code = await platform.codeFor(email, /confirm your e-mail/i);
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(landing);
  assert.match(await page.getByRole('status').first().innerText(), /verified/);
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await page.waitForURL('**/sign-in');
}

/** The code an authenticator app shows for `secret`, `steps` 30-second steps from now. */
export const totpCode = (secret: string, steps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
