/**
 * Polls `probe` until it returns a value other than `undefined` (a thrown error counts as "not
 * yet"), or fails after `timeoutMs` naming what it waited for. Tests, the bench and the cluster
 * rehearsal wait for a state with this instead of sleeping a fixed time. `giveUpIf` ends the
 * wait early with its reason (a process that exited will never become ready).
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number; giveUpIf?: () => string | undefined } = {},
): Promise<T> {
  // Under mocha's 20 s test timeout, so a wait that never ends says what it waited for.
  const { timeoutMs = 15_000, intervalMs = 50, giveUpIf } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    const reason = giveUpIf?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${what}: ${reason}`);
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** True once `GET url` answers 200 (each try bounded by a second, so a frozen server cannot stall the wait). */
export async function answers200(url: string): Promise<true | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.status === 200 ? true : undefined;
}
