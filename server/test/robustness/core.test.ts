// The core never throws and never hangs: random bytes and token soups, every sampled prefix
// and single-token deletion of every sample, doc example and imported capture, line-end and
// encoding variants, huge names and numbers, deep nesting and long chains. Each input goes
// through every layer (harness.ts). Heavy cases (1M siblings, 50 MB) run with MRD_HEAVY=1
// and in `npm run fuzz -- --heavy`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printFlat } from '../../src/engine/flatPrint.js';
import { MAX_DOCUMENT_LENGTH, analyzeDocument } from '../../src/ide/analysis.js';
import { hover } from '../../src/ide/hover.js';
import { analyzeText } from '../../src/model/analyze.js';
import { exercise, grammarTokens, loadCorpus, rng, tokenSpans } from './harness.js';

const codes = (text: string): string[] => analyzeText(text).diagnostics.map((d) => d.code);
// Times are printed for information; hangs are caught by the test timeouts, never by
// timed assertions (speed belongs to the benchmark).
const ms = (t0: number): number => Math.round(performance.now() - t0);

describe('random input', () => {
  it('random strings of any UTF-16 code units', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (t) => void exercise(t)), { numRuns: 200 });
  });
  it('random bytes decoded as UTF-8 (what a file read gives)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => void exercise(Buffer.from(b).toString('utf8'))),
      { numRuns: 300 },
    );
  });
  const tokens = fc.array(fc.constantFrom(...grammarTokens), { maxLength: 80 });
  it('random token sequences separated by spaces', () => {
    fc.assert(fc.property(tokens, (t) => void exercise(t.join(' '))), { numRuns: 400 });
  });
  it('random token sequences separated by newlines', () => {
    fc.assert(fc.property(tokens, (t) => void exercise(t.join('\n'))), { numRuns: 300 });
  });
  it('random token sequences glued together', () => {
    fc.assert(fc.property(tokens, (t) => void exercise(t.join(''))), { numRuns: 300 });
  });
  it('random statements: a keyword-led line with random attributes', () => {
    const line = fc.tuple(
      fc.constantFrom('container', 'ram', 'alias', 'io', 'rom', 'romd', 'pci-host', 'bridge', 'device', 'bar', 'sequence', 'write', 'read', 'cpu', 'iommu'),
      fc.array(fc.constantFrom(...grammarTokens), { maxLength: 8 }),
    ).map(([k, rest]) => `${k} ${rest.join(' ')}`);
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (ls) => void exercise(ls.join('\n'))), { numRuns: 300 });
  });
});

describe('every sample, doc example and imported capture, cut and damaged', () => {
  const corpus = loadCorpus();
  // Sampled so the whole file stays fast: 20 prefixes and 20 deletions per text (all of them
  // for short texts), at pseudo-random offsets; `npm run fuzz -- --corpus` does every one.
  const PER_FILE = 20;
  it.each(corpus.map((c) => [c.name, c.text] as const))('%s', (_name, text) => {
    const r = rng(text.length);
    const n = text.length;
    const prefixes = n <= PER_FILE ? [...Array(n + 1).keys()] : [...Array(PER_FILE)].map(() => r(n + 1)).concat([n]);
    for (const p of prefixes) {
      const t = text.slice(0, p);
      exercise(t, { offsets: [0, p >> 1, p] });
    }
    const toks = tokenSpans(text);
    const picks = toks.length <= PER_FILE ? toks : [...Array(PER_FILE)].map(() => toks[r(toks.length)]);
    for (const [s, e] of picks) exercise(text.slice(0, s) + text.slice(e), { offsets: [s, Math.max(0, s - 1)] });
  });
});

/** Spaces outside quoted names and comments become tabs. */
function tabify(text: string): string {
  return text.split('\n').map((line) => {
    let out = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (!quoted && c === '#') return out + line.slice(i);
      if (c === '"' && line[i - 1] !== '\\') quoted = !quoted;
      out += c === ' ' && !quoted ? '\t' : c;
    }
    return out;
  }).join('\n');
}

describe('line ends, BOM, tabs, encodings', () => {
  const corpus = loadCorpus().filter((c) => c.name.startsWith('samples/') || c.name.includes('x86_64-q35-iommu'));
  const flat = (t: string) => printFlat(analyzeDocument(t).machine);
  it.each(corpus.map((c) => [c.name, c.text] as const))('%s: CRLF, lone CR, BOM and tabs change nothing but offsets', (_n, text) => {
    const base = analyzeDocument(text);
    const want = { flat: printFlat(base.machine), codes: base.diagnostics.map((d) => d.code) };
    for (const variant of [
      text.replace(/\n/g, '\r\n'),
      text.replace(/\n/g, '\r'),
      '\uFEFF' + text,
      '\uFEFF' + text.replace(/\n/g, '\r\n'),
      tabify(text),
    ]) {
      const a = exercise(variant);
      expect(printFlat(a.machine)).toBe(want.flat);
      expect(a.diagnostics.map((d) => d.code)).toEqual(want.codes);
    }
  });
  it('a BOM is not a character of the first statement; a BOM elsewhere is reported', () => {
    expect(codes('\uFEFFram a size 4K')).toEqual([]);
    expect(codes('ram a size 4K\n\uFEFFram b size 4K')).toContain('MR1001');
    expect(flat('\uFEFFaddress-space m root a\nram a size 4K')).toContain('0000000000000000-0000000000000fff (prio 0, ram): a');
  });
  it('lone surrogates, NUL, control characters and private-use code points are errors, never crashes', () => {
    for (const ch of ['\ud800', '\udc00', '\u0000', '\u0007', '\u007f', '\ue000', '\u2028', '\u00a0']) {
      exercise(`ram a${ch}b size 4K\n${ch}\ncontainer "${ch}" size 1`);
    }
  });
});

describe('huge names and numbers', () => {
  it('non-ASCII and 100 KB names are kept whole and shown in hover and the flat view', () => {
    for (const unit of ['é', 'x', '𝐀', '名']) {
      const name = unit.repeat(100_000 / unit.length);
      const text = `address-space memory root sys\ncontainer sys size 2^64 {\n  ram ${name} size 4K at 0x1000\n}\nalias q -> sys/${name}\n`;
      const a = exercise(text, { offsets: [text.indexOf(name) + 5, text.lastIndexOf(name) + 5] });
      expect(a.diagnostics).toEqual([]);
      expect(printFlat(a.machine)).toContain(`(prio 0, ram): ${name}\n`);
      expect(hover(a, text.indexOf(name) + 5)?.markdown).toContain('0x1000..0x1fff');
    }
  });
  it('a 100 KB quoted name and a 100 KB unterminated string', () => {
    const long = 'n'.repeat(100_000);
    expect(codes(`ram "${long}" size 4K`)).toEqual([]);
    expect(codes(`ram "${long} size 4K\nram b size 1`)).toContain('MR1002');
  });

  // Nothing wraps: every value beyond its range is a diagnostic at the value.
  const cases: [string, string][] = [
    ['ram a size 2^64', ''],
    ['ram a size 2^64 + 1', 'MR2004'],
    ['ram a size 0x1_0000_0000_0000_0001', 'MR2004'],
    ['ram a size 18446744073709551617', 'MR2004'],
    ['ram a size 17E', 'MR2004'],
    ['ram a size 16E', ''],
    ['ram a size 2^65', 'MR2004'],
    ['ram a size -1', 'MR2004'],
    ['ram a size 99999999999999999999999999999999999999', 'MR2004'],
    ['ram a size 2^4096', 'MR2005'],
    ['ram a size 2^2^40', 'MR2005'],
    ['ram a size 1 << 5000', 'MR2005'],
    ['container c size 2^64 { ram a size 1 at 2^64 }', 'MR2004'],
    ['container c size 2^64 { ram a size 1 at 2^64 - 1 }', ''],
    ['container c size 2^64 { ram a size 1 priority 2^31 }', 'MR2004'],
    ['container c size 2^64 { ram a size 1 priority -2^31 - 1 }', 'MR2004'],
    ['ram r size 4K\nalias a -> r offset 2^64', 'MR2004'],
  ];
  it.each(cases)('%s → %s', (text, code) => {
    const got = codes(text).filter((c) => c !== 'MR2018' && c !== 'MR2017');
    expect(got).toEqual(code ? [code] : []);
  });
  it('PCI values beyond their registers are diagnostics', () => {
    const host = (body: string) => `pci-host h {\n device 00:01.0 d {\n  ${body}\n }\n}\n`;
    for (const t of [
      host('bar 0 mem64 size 2^65'),
      host('bar 0 mem32 size 4K at 2^64'),
      host('bar 0 mem64 size 4K at 0x1_0000_0000_0000_0000'),
      host('bar 2^64 mem32 size 4K'),
      `${host('bar 0 mem32 size 4K')}sequence s on 00:01.0 {\n  write 0x10 4 2^64\n}\n`,
      `${host('bar 0 mem32 size 4K')}sequence s on 00:01.0 {\n  write 2^64 4 0\n}\n`,
      'cpu c phys-bits 2^64',
    ]) {
      const a = exercise(t);
      expect(a.diagnostics.some((d) => d.severity === 'error'), t).toBe(true);
    }
  });
  it('a number literal of 1,000,000 digits is a diagnostic in bounded time, with a bounded message', () => {
    for (const digits of ['9'.repeat(1_000_000), `0x${'f'.repeat(1_000_000)}`, `0b${'1'.repeat(1_000_000)}`]) {
      const a = analyzeDocument(`ram a size ${digits}`);
      expect(a.diagnostics.map((d) => d.code)).toEqual(['MR2005']);
      expect(a.diagnostics[0].message.length).toBeLessThan(200);
    }
  });
  it('leading zeros do not make a number large', () => {
    expect(codes(`ram a size 0x${'0'.repeat(100_000)}1000`)).toEqual([]);
  });
});

describe('deep and long structures', () => {
  it('10,000-deep nesting of region bodies is one diagnostic, not a stack overflow', () => {
    const text = 'container a size 1 {\n'.repeat(10_000) + '}\n'.repeat(10_000);
    const a = exercise(text);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['MR1015']);
  });
  it('10,000-deep PCI bridges, parentheses, unclosed braces', () => {
    const bridges = 'pci-host h {\n' + 'bridge 00:01.0 b secondary 1 {\n'.repeat(10_000) + '}\n'.repeat(10_001);
    expect(exercise(bridges).diagnostics.some((d) => d.code === 'MR1015')).toBe(true);
    expect(codes(`const X = ${'('.repeat(10_000)}1${')'.repeat(10_000)}`)).toEqual(['MR1015']);
    expect(exercise('container a size 1 {\n'.repeat(10_000)).diagnostics.some((d) => d.code === 'MR1015')).toBe(true);
    exercise(`const X = ${'('.repeat(10_000)}`);
    exercise('}'.repeat(10_000));
  });
  it('100,000-long operator chains (unary, right-associative ^, left-associative +)', () => {
    expect(codes(`const X = ${'-'.repeat(100_000)}1`)).toEqual([]);
    expect(codes(`const X = ${'2^'.repeat(100_000)}1`)).toEqual(['MR2005']);
    expect(codes(`const X = 1${'+1'.repeat(100_000)}`)).toEqual([]);
    exercise(`const X = ${'1 << '.repeat(10_000)}1`);
  });
  it('a path of 100,000 segments and a path 250 levels deep', () => {
    expect(codes(`alias q -> a${'/a'.repeat(100_000)}`)).toEqual(['MR2010']);
    const deep = 'address-space m root c0\ncontainer c0 size 4K {\n' + 'container x size 4K {\n'.repeat(250) + 'ram r size 1\n' +
      '}\n'.repeat(251) + `alias q -> c0${'/x'.repeat(250)}/r\n`;
    expect(exercise(deep).diagnostics).toEqual([]);
  });
  it('20,000 constants each defined from the previous one', () => {
    let s = 'const C0 = 1\n';
    for (let i = 1; i < 20_000; i++) s += `const C${i} = C${i - 1} + 1\n`;
    expect(exercise(s).diagnostics).toEqual([]);
  });

  it('a 10,000-long chain of aliases: flat view and hover in bounded time', () => {
    const N = 10_000;
    let s = `address-space memory root top\ncontainer top size 2^64 { alias entry -> a${N - 1} at 0x1000 }\nram a0 size 4K\n`;
    for (let i = 1; i < N; i++) s += `alias a${i} -> a${i - 1}\n`;
    const a = analyzeDocument(s);
    expect(printFlat(a.machine)).toContain('0000000000001000-0000000000001fff (prio 0, ram): a0');
    // a0 is reached through the whole chain: its hover must say where, not "not mapped".
    const h = hover(a, s.indexOf('ram a0') + 5)!;
    expect(h.markdown).toContain('0x1000..0x1fff');
    expect(h.markdown).toContain('more steps'); // the 10,000-step path is elided
    exercise(s, { offsets: [s.length - 3] });
  });
  it('a 10,000-long chain of containers each aliasing the previous one', () => {
    const N = 10_000;
    let s = `address-space memory root c${N - 1}\ncontainer c0 size 4K { ram r size 4K }\n`;
    for (let i = 1; i < N; i++) s += `container c${i} size 4K { alias a${i} -> c${i - 1} }\n`;
    const a = exercise(s, { offsets: [s.indexOf('ram r') + 4] });
    expect(printFlat(a.machine)).toContain('0000000000000000-0000000000000fff (prio 0, ram): r');
  });
  it('alias fan-out: 200 levels of two aliases each (2^200 render paths) stays bounded', () => {
    let s = 'address-space memory root c0\n';
    for (let i = 0; i < 200; i++) s += `container c${i} size 4K {\n  alias x -> c${i + 1}\n  alias y -> c${i + 1} at 0x800\n}\n`;
    s += 'ram c200 size 4K\n';
    exercise(s, { offsets: [s.indexOf('ram c200') + 5, s.indexOf('alias x') + 7] });
  });
  it('1,000 aliases of their own container (loops) are diagnostics', () => {
    let s = 'address-space memory root s\ncontainer s size 2^64 {\n';
    for (let i = 0; i < 1000; i++) s += `  alias r${i} -> s\n`;
    s += '}\n';
    const a = exercise(s);
    expect(a.diagnostics.filter((d) => d.code === 'MR2014')).toHaveLength(1000);
  });
});

function siblings(n: number): string {
  const parts = ['address-space memory root s\ncontainer s size 2^64 {\n'];
  for (let i = 0; i < n; i++) parts.push(`  ram r${i} size 4K at ${i * 4096}\n`);
  parts.push('}\n');
  return parts.join('');
}

describe('many regions', () => {
  it('20,000 siblings (timed; 1M with MRD_HEAVY)', () => {
    const text = siblings(20_000);
    const t0 = performance.now();
    const a = analyzeDocument(text);
    const t1 = performance.now();
    const flat = printFlat(a.machine);
    const t2 = performance.now();
    console.log(`20k siblings: analyzeDocument ${Math.round(t1 - t0)} ms, printFlat ${Math.round(t2 - t1)} ms`);
    expect(flat.split('\n')).toHaveLength(20_000 + 5);
    exercise(text, { offsets: [text.length >> 1] });
  });
  it('20,000 overlapping siblings with tied priorities', () => {
    const parts = ['address-space memory root s\ncontainer s size 2^64 {\n'];
    for (let i = 0; i < 20_000; i++) parts.push(`  ram r size 2^64 priority ${i % 7}\n`);
    parts.push('}\n');
    const a = exercise(parts.join(''), { offsets: [100] });
    // The newest of the priority-6 regions (the last one written) covers everything.
    expect(printFlat(a.machine)).toContain('0000000000000000-ffffffffffffffff (prio 6, ram): r\n');
  });
});

describe('documents past the size limit', () => {
  it('a text over MAX_DOCUMENT_LENGTH is one MR1098, at once, and every feature still answers', () => {
    const text = `ram a size 4K\n${' '.repeat(MAX_DOCUMENT_LENGTH)}`;
    const a = exercise(text, { offsets: [0, 5, text.length] });
    expect(a.diagnostics.map((d) => [d.code, d.span.start, d.span.end])).toEqual([['MR1098', 0, 0]]);
    expect(a.diagnostics[0].message).toBe(`the document is too large to analyse: ${text.length} characters, the limit is ${MAX_DOCUMENT_LENGTH}`);
    expect(a.machine.regions).toEqual([]);
    // The core itself has no limit: the same text minus one space analyses normally.
    expect(codes(text.slice(0, MAX_DOCUMENT_LENGTH))).toEqual([]);
  });
});

// Heavy cases (also in `npm run fuzz -- --heavy`).
describe.skipIf(!process.env.MRD_HEAVY)('heavy (MRD_HEAVY=1)', () => {
  it('1,000,000 siblings: the core (parse, build, flatten) completes (timed)', () => {
    const text = siblings(1_000_000);
    const t0 = performance.now();
    const r = analyzeText(text);
    const t1 = performance.now();
    const flat = printFlat(r.machine);
    console.log(`1M siblings (${(text.length / 1e6).toFixed(1)} MB): analyzeText ${Math.round(t1 - t0)} ms, printFlat ${ms(t1)} ms`);
    expect(flat.split('\n')).toHaveLength(1_000_000 + 5);
  }, 600_000);
  it('a 50 MB text through analyzeDocument: MR1098 at once, no memory taken', () => {
    const unit = 'container c size 4K { ram r size 1K at 0x10 }   # comment\n';
    const text = unit.repeat(Math.ceil(50e6 / unit.length));
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const a = analyzeDocument(text);
    const dt = ms(t0);
    const after = process.memoryUsage().heapUsed;
    console.log(`50 MB: analyzeDocument ${dt} ms, ${a.diagnostics.length} diagnostics, heap +${Math.round((after - before) / 1e6)} MB`);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['MR1098']);
  }, 120_000);
});
