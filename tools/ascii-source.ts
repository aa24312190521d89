/**
 * Makes a bundle's source ASCII where esbuild leaves it not: esbuild escapes every non-ASCII
 * character of strings, templates and names (its `charset: 'ascii'`, the default), but writes
 * regular-expression literals and legal comments as they were, so that a pattern's `source` stays
 * the same (evanw/esbuild#4205). One such character anywhere in a file (Sequelize bundles
 * validator's locale alphabets, `/^[А-Я]+$/i`) makes V8 hold the whole bundle's source as a
 * two-byte string for the life of the process: 4.5 MB more resident memory per service, and a
 * slower decode at start.
 *
 * `\uXXXX` matches the same character in every pattern, with or without the `u` flag (under `u`,
 * a surrogate pair's two escapes are read as one code point), and means nothing in a comment.
 * A pattern's `source` then shows the escapes; nothing in the services reads it.
 */
import { parse, type Options, type Token } from 'acorn';

/** Whether `text` is ASCII only (what a bundle must be for V8 to hold it one byte a character). */
export const isAscii = (text: string): boolean => !/[\u0080-\uffff]/.test(text);

const unicodeEscape = (unit: string) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** An escape pair is taken whole, so that `\é` (an identity escape) becomes `\u00e9`, not `\\u00e9`. */
const escaped = (text: string) =>
  text.replace(/\\[\s\S]|[\u0080-\uffff]/g, (match) => {
    if (match.length === 1) return unicodeEscape(match);
    return isAscii(match[1]!) ? match : unicodeEscape(match[1]!);
  });

/** The places in `source` (half-open ranges) that hold a regular-expression literal or a comment. */
function regExpsAndComments(source: string): Array<[number, number]> | undefined {
  const ranges: Array<[number, number]> = [];
  const options = (sourceType: Options['sourceType']): Options => ({
    ecmaVersion: 'latest',
    sourceType,
    allowHashBang: true,
    allowReturnOutsideFunction: sourceType === 'script',
    onToken: (token: Token) => void (token.type.label === 'regexp' && ranges.push([token.start, token.end])),
    onComment: (_block: boolean, _text: string, start: number, end: number) => void ranges.push([start, end]),
  });
  // An ES module, or else a CommonJS file (which may be sloppy-mode script).
  for (const sourceType of ['module', 'script'] as const) {
    ranges.length = 0;
    try {
      parse(source, options(sourceType));
      return ranges.sort((a, b) => a[0] - b[0]);
    } catch {
      // try the other kind
    }
  }
  return undefined;
}

/**
 * `source` with every non-ASCII character in its regular-expression literals and comments
 * written as a `\uXXXX` escape. Everything else is left to esbuild. A file acorn cannot parse is
 * returned as it is: esbuild will report it if it is really broken.
 */
export function escapeNonAsciiPatternsAndComments(source: string): string {
  if (isAscii(source)) return source;
  const ranges = regExpsAndComments(source);
  if (!ranges) return source;
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += source.slice(at, start) + escaped(source.slice(start, end));
    at = end;
  }
  return out + source.slice(at);
}
