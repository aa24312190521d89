import { AsyncLocalStorage } from 'node:async_hooks';

/** Where the current request came from, as an event records it. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

const origins = new AsyncLocalStorage<RequestOrigin>();

/** The request being served, if any: the event recorder reads it so no use-case has to pass it on. */
export const currentRequestOrigin = (): RequestOrigin | undefined => origins.getStore();

export const runWithRequestOrigin = <T>(origin: RequestOrigin, work: () => Promise<T>): Promise<T> => origins.run(origin, work);
