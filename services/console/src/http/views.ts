import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Context } from 'koa';
import type { Brand } from '../brand.js';
import { consoleSession, takeFlash } from './console-session.js';
import { csrfToken } from './csrf.js';
import { formErrorsFrom, type FormErrors } from './field-errors.js';

/** The same folder from src/ (tests, dev) and dist/ (the image ships src/views beside dist). */
const VIEWS_DIR = fileURLToPath(new URL('../../src/views/', import.meta.url));

export interface ViewData {
  title: string;
  errors?: FormErrors;
  /** What the person typed, put back into the form after a refusal (never a password). */
  values?: Record<string, unknown>;
  [name: string]: unknown;
}

/** What the pages' navigation offers; pages whose API has not landed stay out. */
export interface Features {
  invitations: boolean;
  /** Auth has Google sign-in configured: the sign-in page offers it. */
  google: boolean;
}

/**
 * Eta templates, escaping every `<%= %>` by default. Each page gets the brand, the nonce for
 * its scripts, the CSRF token for its forms, who is signed in and the flash message.
 */
export class Views {
  private readonly eta = new Eta({ views: VIEWS_DIR, autoEscape: true, cache: true });

  constructor(
    private readonly brand: Brand,
    private readonly features: Features,
  ) {}

  render(ctx: Context, view: string, data: ViewData, status = 200): void {
    const session = consoleSession(ctx);
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = this.eta.render(view, {
      errors: { fields: {} },
      values: {},
      ...data,
      brand: this.brand,
      features: this.features,
      nonce: ctx.state.nonce as string,
      csrf: csrfToken(ctx),
      user: session.user,
      flash: takeFlash(ctx),
      path: ctx.path,
    });
  }

  /** The form again after the API refused it: its messages beside the fields, with its status. */
  refused(ctx: Context, view: string, data: ViewData, error: unknown, fieldNames: string[]): void {
    const errors = formErrorsFrom(error, fieldNames);
    this.render(ctx, view, { ...data, errors }, errors.status);
  }
}
