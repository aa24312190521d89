import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { validationFailed } from '@merchant-platform/common/errors';
import type { RenderedEmail } from './email.js';
import { NO_CONTROL_CHARACTERS, escapeHtml } from '@merchant-platform/common/text';


const name = z.string().trim().min(1).max(100).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');
const code = z.string().regex(/^\d{6}$/, 'must be a 6-digit code');

/**
 * The templates and the data each needs. These keys are the contract with the callers (auth
 * sends `name`, the user's first name, and `code`): renaming one is a breaking change.
 */
export const TEMPLATE_DATA = {
  verify_email: z.object({ name, code }),
  password_reset: z.object({ name, code }),
  welcome: z.object({ name }),
} as const;

export type TemplateName = keyof typeof TEMPLATE_DATA;
export const TEMPLATE_NAMES = Object.keys(TEMPLATE_DATA) as [TemplateName, ...TemplateName[]];
export type TemplateData<T extends TemplateName> = z.output<(typeof TEMPLATE_DATA)[T]>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Next to src/ and dist/ alike, so the built service finds the same files. */
export const DEFAULT_TEMPLATE_DIR = new URL('../../templates/', import.meta.url);

interface TemplateFiles {
  subject: string;
  text: string;
  html: string;
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

  static isTemplate(value: string): value is TemplateName {
    return Object.hasOwn(TEMPLATE_DATA, value);
  }

  /** The template's data as it will be stored, or the contract's 422 naming each missing field. */
  parseData(template: TemplateName, data: unknown): Record<string, unknown> {
    const result = TEMPLATE_DATA[template].safeParse(data ?? {});
    if (result.success) return result.data;
    throw validationFailed(
      result.error.issues.map((issue) => ({ path: ['data', ...issue.path.map(String)].join('.'), message: issue.message })),
      `The data does not fit the ${template} template.`,
    );
  }

  /** Renders a stored row; throws if its data no longer fits (a permanent failure for that row). */
  render(template: string, data: Record<string, unknown> | null, to: string): RenderedEmail {
    if (!TemplateCatalog.isTemplate(template)) throw new Error(`unknown template ${template}`);
    const values = this.parseData(template, data) as Record<string, string>;
    const files = this.files.get(template)!;
    const fill = (body: string, escape: (v: string) => string) => body.replace(PLACEHOLDER, (_, key: string) => escape(values[key] ?? ''));
    return {
      to,
      subject: fill(files.subject, (v) => v),
      text: fill(files.text, (v) => v),
      html: fill(files.html, escapeHtml),
    };
  }
}

export { escapeHtml };
