import { eventually } from './eventually.js';
import { request, type JsonResponse } from './http-server.js';

export const PASSWORD = 'Correct-Horse1!';

/**
 * Registers, verifies with the code the log mailer printed (auth's console) and signs in, over
 * real HTTP against a running auth (or all-in-one) process: for tests that start the services
 * as processes and read codes the way a developer does.
 */
export async function verifiedAccount(
  authBase: string,
  consoleOutput: () => string,
  email: string,
): Promise<{ id: string; access: string; refresh: string }> {
  const registered = await request(authBase, 'POST', '/auth/register', {
    json: { email, password: PASSWORD, confirm_password: PASSWORD, first_name: 'Test', last_name: 'Account' },
  });
  if (registered.status !== 201) throw new Error(`register ${email}: ${registered.status} ${registered.text}`);
  const first = await request(authBase, 'POST', '/auth/token', { json: { email, password: PASSWORD } });
  // Either log mailer writes one JSON line per message, with the address and the text holding the code.
  const code = await eventually(
    () =>
      consoleOutput()
        .split('\n')
        .filter((line) => line.includes(`"to":"${email}"`))
        .map((line) => /code is:? (\d{6})/.exec(line)?.[1])
        .findLast(Boolean),
    `the verification code for ${email} on the console`,
  );
  const confirmed = await request(authBase, 'POST', '/auth/email/verification/confirm', { token: first.body.access_token, json: { code } });
  if (confirmed.status !== 200) throw new Error(`verify ${email}: ${confirmed.status} ${confirmed.text}`);
  const signedIn = await request(authBase, 'POST', '/auth/token', { json: { email, password: PASSWORD } });
  return { id: registered.body.user.id, access: signedIn.body.access_token, refresh: signedIn.body.refresh_token };
}

/** Polls a write until it is refused (no longer 2xx) and answers the refusal; fails after `timeoutMs`. */
export function refusedWithin(write: () => Promise<JsonResponse>, timeoutMs: number): Promise<JsonResponse> {
  return eventually(
    async () => {
      const res = await write();
      return res.status < 300 ? undefined : res;
    },
    `the write to be refused within ${timeoutMs} ms`,
    { timeoutMs },
  );
}
