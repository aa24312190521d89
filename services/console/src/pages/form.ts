import type { Context } from 'koa';

/** A form field as a trimmed string ('' when absent or not a string: forms send only strings). */
export function field(ctx: Context, name: string): string {
  const body = ctx.state.rawBody as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A password exactly as typed: surrounding spaces are part of it. */
export function secretField(ctx: Context, name: string): string {
  const body = ctx.state.rawBody as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

/** The fields given, without the empty ones: an optional field left blank is not sent. */
export function filled(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
}

/** The JSON body of the passkey scripts' calls. */
export function jsonBody(ctx: Context): Record<string, unknown> {
  const body = ctx.state.rawBody as unknown;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** The values of a field sent once or several times under one name (ticked checkboxes). */
export function fieldValues(ctx: Context, name: string): string[] {
  const value = (ctx.state.rawBody as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((s): s is string => typeof s === 'string');
}
