import coBody from 'co-body';
import type { Middleware } from 'koa';
import { malformedBody, payloadTooLarge, unsupportedMediaType } from '../errors.js';

export type BodyKind = 'none' | 'json' | 'form' | 'unsupported';

/** ctx.state fields set by `parseBody`; `validate` decides whether the kind is acceptable. */
export interface BodyState {
  bodyKind: BodyKind;
  rawBody: unknown;
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Reads JSON and form bodies up to `limitBytes`. Parsing happens here, once; whether a route
 * accepts the kind it got (415) and whether the content is valid (422) is `validate`'s call.
 */
export function parseBody(limitBytes = DEFAULT_BODY_LIMIT): Middleware {
  return async (ctx, next) => {
    ctx.state.bodyKind = 'none' satisfies BodyKind;
    ctx.state.rawBody = undefined;
    if (!ctx.request.length && !ctx.get('Transfer-Encoding')) return next();

    const declared = Number(ctx.get('Content-Length'));
    if (Number.isFinite(declared) && declared > limitBytes) throw payloadTooLarge(limitBytes);

    const kind = ctx.is('application/json', '+json')
      ? 'json'
      : ctx.is('application/x-www-form-urlencoded')
        ? 'form'
        : 'unsupported';
    ctx.state.bodyKind = kind;
    if (kind === 'unsupported') return next();

    try {
      ctx.state.rawBody =
        kind === 'json'
          ? await coBody.json(ctx.req, jsonOptions(limitBytes))
          : await coBody.form(ctx.req, { limit: limitBytes, queryString: { depth: 0, allowPrototypes: false } });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) throw payloadTooLarge(limitBytes);
      if (status === 415) throw unsupportedMediaType(['UTF-8 encoded']);
      throw malformedBody();
    }
    return next();
  };
}

/**
 * Any JSON value is parsed (a non-object is a 422, not a 400), and `__proto__` keys are
 * dropped like any other unknown field. (@types/co-body lacks `onProtoPoisoning`.)
 */
function jsonOptions(limitBytes: number): coBody.Options {
  return { limit: limitBytes, strict: false, onProtoPoisoning: 'remove' } as coBody.Options;
}
