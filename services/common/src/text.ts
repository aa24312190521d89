/** Text fields never carry control characters (NUL, escapes, newlines): names, addresses, ids. */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML (e-mail bodies, server-rendered pages): the five characters that could open markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
