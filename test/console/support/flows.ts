import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { generateSync } from 'otplib';
import { ADMIN_EMAIL, type RunningPlatform } from './platform.js';

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

/** Fills and saves the business profile (the page signing up ends on); answers the merchant's id. */
export async function createBusiness(page: Page, name: string): Promise<string> {
  await page.goto('/merchant');
  await page.getByLabel('Business name').fill(name);
  await page.getByLabel('Street and number').fill('1 Main St');
  await page.getByLabel('City').fill('Springfield');
  await page.getByLabel('Country').fill('US');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.waitForSelector('text=The business profile is saved.');
  return page.locator('input[name="merchant_id"]').first().inputValue();
}

/** Signs up as the ADMIN_EMAILS address, then again in: the admin role is granted at the next sign-in. */
export async function signUpAsAdmin(page: Page, platform: RunningPlatform): Promise<void> {
  await signUpAndVerify(page, platform, ADMIN_EMAIL, 'Root');
  await signOut(page);
  await signIn(page, ADMIN_EMAIL);
  await page.waitForURL('**/account');
}
