import type { ZodType, z } from 'zod';
import type { Context } from 'koa';
import { unsupportedMediaType, validationFailed, type ErrorDetail } from '../errors.js';

function issuesToDetails(issues: z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Parses `value` with `schema` or throws the contract's 422 with one detail per problem. */
export function parseOr422<S extends ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issuesToDetails(result.error.issues).map((d) =>
    prefix ? { ...d, path: d.path === '(root)' ? prefix : `${prefix}.${d.path}` } : d,
  );
  throw validationFailed(details);
}

/**
 * The body a route receives: JSON always, a form only where the route accepts one
 * (`POST /auth/token`). A missing body counts as `{}` so the 422 names the missing fields.
 */
export function readBody<S extends ZodType>(ctx: Context, schema: S, acceptForm: boolean): z.output<S> {
  const kind = ctx.state.bodyKind;
  if (kind === 'unsupported' || (kind === 'form' && !acceptForm)) {
    throw unsupportedMediaType(acceptForm ? ['application/json', 'application/x-www-form-urlencoded'] : ['application/json']);
  }
  return parseOr422(schema, kind === 'none' ? {} : ctx.state.rawBody);
}
