// The parser scans tokens into a ring as it advances (parser.ts `run`); what it returns must not
// depend on that: a small ring (refilled every few tokens, wrapping many times) and a buffer of
// every token give the same tree and diagnostics, for the corpus, generated machines and token soups.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithRing } from '../../src/syntax/parser.js';
import { dumpTree } from './dump.js';
import { grammarTokens, loadCorpus } from '../robustness/harness.js';

/** Nested containers of registers, some with quoted names and large numbers, a few thousand tokens. */
function machine(devices: number): string {
  const lines = ['container system size 2^64 {'];
  for (let d = 0; d < devices; d++) {
    lines.push(`  container dev${d} size 64K at 0x${(d * 0x1_0000).toString(16)} priority 1 {`);
    for (let r = 0; r < 6; r++) lines.push(`    io "reg ${r}" size 0x1000 at 0x${(r * 0x1000).toString(16)}`);
    lines.push(`    alias win${d} -> system offset 0x1_0000_0000_0000_0000 size 4K at 0x8000 # a comment`, '  }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function check(text: string, ring: number): void {
  const whole = parseWithRing(text, 0);
  const ringed = parseWithRing(text, ring);
  expect(ringed.diagnostics).toEqual(whole.diagnostics);
  expect(dumpTree(ringed.file, text)).toEqual(dumpTree(whole.file, text));
}

describe('token ring', () => {
  it('parses every corpus text as the whole token buffer does', () => {
    for (const c of loadCorpus()) {
      check(c.text, 16);
      check(c.text, 64);
    }
  });

  it('parses a generated machine as the whole token buffer does', () => {
    check(machine(300), 16);
  });

  it('parses token soups as the whole token buffer does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...grammarTokens, '\n', '\n', '"str"', '"a\\q"', '0x1_0000_0000_0000_0000', '1 << 70'), { maxLength: 120 }),
        fc.constantFrom(16, 32),
        (toks, ring) => check(toks.join(' '), ring),
      ),
      { numRuns: 500 },
    );
  });
});
