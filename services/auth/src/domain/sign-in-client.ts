import { AsyncLocalStorage } from 'node:async_hooks';

/** Where a sign-in came from, as GET /auth/sessions shows it. */
export interface SignInClient {
  ip: string | null;
  userAgent: string | null;
}

const ambient = new AsyncLocalStorage<SignInClient>();

/**
 * The http layer runs each request inside its client, so whichever sign-in issues a session
 * (password, Google, passkey, a second factor) records it without passing it through every use-case.
 */
export const withSignInClient = <T>(client: SignInClient, work: () => Promise<T>): Promise<T> => ambient.run(client, work);

export const currentSignInClient = (): SignInClient => ambient.getStore() ?? { ip: null, userAgent: null };
