import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RenderedEmail } from './email.js';
import { NO_CONTROL_CHARACTERS, escapeHtml } from '@merchant-platform/common/text';

const name = z.string().trim().min(1).max(100).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');
const code = z.string().regex(/^\d{6}$/, 'must be a 6-digit code');
const invitationToken = z.string().regex(/^mpi_[A-Za-z0-9_-]{43}$/, 'must be an invitation token (mpi_…)');
/** A merchant's business name: chosen by whoever set the merchant up, so the template keeps it apart from the token. */
const merchantName = z.string().trim().min(1).max(200).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

/** The link carries the very token of the mail, over http(s) only: a caller cannot point the button elsewhere than the token says. */
const memberInvitation = z
  .object({
    merchant_name: merchantName,
    role: z.enum(['owner', 'admin', 'developer', 'viewer']),
    token: invitationToken,
    accept_url: z.url({ protocol: /^https?$/ }).max(2000),
  })
  .refine((data) => new URL(data.accept_url).searchParams.get('token') === data.token, {
    path: ['accept_url'],
    message: 'must carry the token as its ?token= parameter',
  });

/**
 * The templates and the data each takes: the contract with the callers (renaming a key is a
 * breaking change). A mail that carries a code takes nothing else, so no text a caller chose
 * (a name that reads "click here") stands beside the code; fields a template does not declare
 * are dropped. A new template is one line here and a folder of three files.
 */
export const TEMPLATE_DATA = {
  verify_email: z.object({ code }),
  password_reset: z.object({ code }),
  welcome: z.object({ name }),
  /** Sent by auth when a per-email sign-in limit trips: no data, it says what happened and how to reset. */
  account_locked: z.object({}),
  /** To the new address of an email change: the code that proves it. */
  email_change_code: z.object({ code }),
  /** To the current address of an email change: no data, and it names no address. */
  email_change_notice: z.object({}),
  /** From merchants: an invitation to a merchant's team. No inviter's name or note: only the merchant's name is caller-chosen. */
  member_invitation: memberInvitation,
} as const;

export type TemplateName = keyof typeof TEMPLATE_DATA;
export const TEMPLATE_NAMES = Object.keys(TEMPLATE_DATA) as [TemplateName, ...TemplateName[]];

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Next to src/ and dist/ alike, so the built service finds the same files. */
const DEFAULT_TEMPLATE_DIR = new URL('../../templates/', import.meta.url);

interface TemplateFiles {
  subject: string;
  text: string;
  html: string;
}

/** A stored row that cannot be rendered (its template or data no longer fits): a permanent failure. */
class TemplateRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

/** The template files, read and checked once at start-up; rendering is then pure string work. */
export class TemplateCatalog {
  private readonly files = new Map<TemplateName, TemplateFiles>();

  constructor(directory: URL = DEFAULT_TEMPLATE_DIR) {
    for (const template of TEMPLATE_NAMES) {
      const read = (file: string) => readFileSync(new URL(`${template}/${file}`, directory), 'utf8');
      const files = { subject: read('subject.txt').trim(), text: read('text.txt'), html: read('html.html') };
      const declared = new Set(Object.keys(TEMPLATE_DATA[template].shape));
      for (const [part, body] of Object.entries(files)) {
        for (const [, key] of body.matchAll(PLACEHOLDER)) {
          if (!declared.has(key!)) throw new Error(`template ${template}/${part} uses {{${key}}}, which its data does not declare`);
        }
      }
      this.files.set(template, files);
    }
  }

  /** Renders a stored row; throws TemplateRenderError if its template or data no longer fits. */
  render(template: string, data: Record<string, unknown> | null, to: string): RenderedEmail {
    if (!Object.hasOwn(TEMPLATE_DATA, template)) throw new TemplateRenderError(`unknown template ${template}`);
    const parsed = TEMPLATE_DATA[template as TemplateName].safeParse(data ?? {});
    if (!parsed.success) throw new TemplateRenderError(`the stored data does not fit the ${template} template`);
    const values = parsed.data as Record<string, string>;
    const files = this.files.get(template as TemplateName)!;
    const fill = (body: string, escape: (v: string) => string) => body.replace(PLACEHOLDER, (_, key: string) => escape(values[key] ?? ''));
    return {
      to,
      subject: fill(files.subject, (v) => v),
      text: fill(files.text, (v) => v),
      html: fill(files.html, escapeHtml),
      ...(values.code ? { code: values.code } : {}),
    };
  }
}
