import { Counter } from 'prom-client';
import { AppError } from '@merchant-platform/common/errors';

export type SignInMethod = 'password' | 'passkey' | 'second_factor';

/**
 * Every sign-in attempt by method and outcome: `success`, or the contract's error code that
 * refused it (`invalid_credentials`, `rate_limited`, `mfa_required`...), or `error` for a fault.
 * One counter for the process, registered on its registry by the auth metrics (metrics.ts), so
 * the use-cases count where the attempt happens without a registry passed down to them.
 */
export const signInAttempts = new Counter({
  name: 'auth_sign_in_attempts_total',
  help: 'Sign-in attempts by method (password, passkey, second_factor) and outcome (success or the error code)',
  labelNames: ['method', 'outcome'] as const,
  registers: [],
});

/** Runs one sign-in attempt and counts its outcome; the attempt's result or error passes through. */
export async function countedSignIn<T>(method: SignInMethod, attempt: () => Promise<T>): Promise<T> {
  try {
    const result = await attempt();
    signInAttempts.inc({ method, outcome: 'success' });
    return result;
  } catch (error) {
    signInAttempts.inc({ method, outcome: error instanceof AppError ? error.code : 'error' });
    throw error;
  }
}
