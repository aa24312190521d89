import type { IncomingMessage } from 'node:http';
import coBody from 'co-body';
import type { Middleware } from 'koa';
import { type AppError, malformedBody, payloadTooLarge, unsupportedMediaType } from '../errors.js';

export type BodyKind = 'none' | 'json' | 'form' | 'unsupported';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Reads JSON and form bodies up to `limitBytes`. Parsing happens here, once; whether a route
 * accepts the kind it got (415) and whether the content is valid (422) is `validate`'s call.
 */
export function parseBody(limitBytes = DEFAULT_BODY_LIMIT): Middleware {
  return async (ctx, next) => {
    ctx.state.bodyKind = 'none';
    ctx.state.rawBody = undefined;
    if (!ctx.request.length && !ctx.get('Transfer-Encoding')) return next();

    const declared = Number(ctx.get('Content-Length'));
    if (Number.isFinite(declared) && declared > limitBytes) throw await tooLarge(ctx.req, limitBytes);

    const kind = ctx.is('application/json', '+json') ? 'json' : ctx.is('application/x-www-form-urlencoded') ? 'form' : 'unsupported';
    ctx.state.bodyKind = kind;
    if (kind === 'unsupported') return next();

    try {
      ctx.state.rawBody =
        kind === 'json'
          ? await coBody.json(ctx.req, jsonOptions(limitBytes))
          : await coBody.form(ctx.req, { limit: limitBytes, queryString: { depth: 0, allowPrototypes: false } });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 413) throw await tooLarge(ctx.req, limitBytes);
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

/** Beyond this much (or this long) an oversize upload is cut off rather than read to its end. */
const DISCARD_CAP_BYTES = 16 * 1024 * 1024;
const DISCARD_DEADLINE_MS = 10_000;

/**
 * The 413, once the rest of the body has been read and thrown away: a server that answers and
 * closes while the client is still writing resets the connection, and the client sees EPIPE or
 * ECONNRESET instead of the answer.
 */
async function tooLarge(req: IncomingMessage, limitBytes: number): Promise<AppError> {
  await discardRest(req);
  return payloadTooLarge(limitBytes);
}

function discardRest(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      clearTimeout(deadline);
      req.off('data', count).off('end', finish).off('close', finish).off('error', finish);
      resolve();
    };
    const count = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DISCARD_CAP_BYTES) finish();
    };
    const deadline = setTimeout(finish, DISCARD_DEADLINE_MS);
    req.on('data', count).on('end', finish).on('close', finish).on('error', finish);
    req.resume();
  });
}
