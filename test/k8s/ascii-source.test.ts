import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'mocha';
import { escapeNonAsciiPatternsAndComments, isAscii } from '../../tools/ascii-source.js';

/** The array a script ends with, evaluated in a fresh context (the escaped source must mean the same). */
const evaluate = (source: string): unknown[] => Array.from(runInNewContext(source) as unknown[]);

describe('the bundle sources made ASCII', () => {
  it('escapes patterns so that they match exactly what they matched', () => {
    const source = [
      'const alpha = /^[A-VXYZÇƏĞİıÖŞÜ]+$/i, cyrillic = /^[А-Я]+$/i, identity = /^\\é$/, emoji = /^😀$/u, classed = /^[😀-😂]$/u;',
      "[alpha.test('ÇAĞ'), alpha.test('Ж'), cyrillic.test('ЖИ'), identity.test('é'), identity.test('\\\\é'), emoji.test('😀'),",
      " classed.test('😁'), classed.test('😃')]",
    ].join('\n');
    const escaped = escapeNonAsciiPatternsAndComments(source);
    // Only the patterns were touched: the strings (which esbuild escapes itself) are as they were.
    assert.match(escaped, /\/\^\[A-VXYZ\\u00c7\\u018f/);
    assert.match(escaped, /identity = \/\^\\u00e9\$\//);
    assert.match(escaped, /emoji = \/\^\\ud83d\\ude00\$\/u/);
    assert.match(escaped, /alpha\.test\('ÇAĞ'\)/);
    assert.deepEqual(evaluate(escaped), [true, false, true, true, false, true, true, false]);
    assert.deepEqual(evaluate(escaped), evaluate(source));
  });

  it('escapes comments, legal ones included, and leaves ASCII sources as they are', () => {
    const source = "/*! formdata-polyfill. MIT License. Jimmy Wärting */\n// naïve\nmodule.exports = 'ok';";
    const escaped = escapeNonAsciiPatternsAndComments(source);
    assert.ok(isAscii(escaped));
    assert.match(escaped, /W\\u00e4rting/);
    const ascii = 'export const x = /a+/g; // plain\n';
    assert.equal(escapeNonAsciiPatternsAndComments(ascii), ascii);
  });

  it('reads CommonJS scripts (sloppy mode, a return at the top) and leaves what it cannot parse alone', () => {
    const script = 'if (true) return; with (Math) { var r = /[ä]/ }';
    assert.equal(escapeNonAsciiPatternsAndComments(script), 'if (true) return; with (Math) { var r = /[\\u00e4]/ }');
    const broken = 'const = /ä/';
    assert.equal(escapeNonAsciiPatternsAndComments(broken), broken);
  });

  it('tells an ASCII text from one that is not', () => {
    assert.equal(isAscii('plain text\n'), true);
    assert.equal(isAscii('café'), false);
  });
});
