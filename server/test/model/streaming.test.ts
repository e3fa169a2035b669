// analyzeText builds the machine from statements streamed by the parser (no tree kept); that
// must be indistinguishable from building it from the parsed tree (buildMachine): the same
// diagnostics, machine, symbol index, region nodes and tree, for the corpus, random token
// soups and damaged corpus texts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/model/analyze.js';
import { buildMachine } from '../../src/model/build.js';
import type { Region } from '../../src/model/region.js';
import { parse } from '../../src/syntax/parser.js';
import { dumpTree } from '../syntax/dump.js';
import { grammarTokens, loadCorpus, rng, tokenSpans } from '../robustness/harness.js';

const id = (r: Region | null | undefined) => (r ? r.id : null);

/** Everything observable about an analysis, as plain data. */
function observe(text: string, a: { file: ReturnType<typeof parse>['file']; machine: any; diagnostics: any; index: any }) {
  return {
    diagnostics: a.diagnostics,
    regions: a.machine.regions.map((r: Region) => ({
      id: r.id, name: r.name, kind: r.kind, size: r.size, addr: r.addr, priority: r.priority, enabled: r.enabled,
      readonly: r.readonly, nonvolatile: r.nonvolatile, romdMode: r.romdMode, alias: id(r.alias), aliasOffset: r.aliasOffset,
      children: r.children.map(id), container: id(r.container), span: r.span, nameSpan: r.nameSpan,
    })),
    spaces: a.machine.spaces.map((s: any) => ({ name: s.name, root: id(s.root), span: s.span })),
    symbols: a.index.regions.map((s: any) => ({
      region: s.region.id, declSpan: s.declSpan, nameSpan: s.nameSpan, id: s.id, idSpan: s.idSpan,
      node: [s.node.start, s.node.end, s.node.keyword],
    })),
    refs: a.index.regionRefs.map((r: any) => ({ ...r, target: id(r.target), candidates: r.candidates.map(id) })),
    constants: a.index.constants,
    constantRefs: a.index.constantRefs,
    spaceSymbols: a.index.spaces.map((s: any) => ({ declSpan: s.declSpan, nameSpan: s.nameSpan, name: s.space.name })),
    ids: [...a.index.ids].map(([k, r]: [string, Region]) => [k, r.id]),
    tree: dumpTree(a.file, text),
  };
}

function check(text: string): void {
  const parsed = parse(text);
  const built = buildMachine(parsed.file);
  const viaTree = { file: parsed.file, machine: built.machine, diagnostics: parsed.diagnostics.concat(built.diagnostics), index: built.index };
  expect(observe(text, analyzeText(text))).toEqual(observe(text, viaTree));
}

describe('streaming build', () => {
  const corpus = loadCorpus();

  it('equals the tree build on every corpus text', () => {
    for (const c of corpus) check(c.text);
  });

  it('equals the tree build on random token soups', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...grammarTokens), { maxLength: 60 }), (toks) => check(toks.join(' '))),
      { numRuns: 400 },
    );
  });

  // The parser hands a region statement of the plain shape to the builder without nodes
  // (parser.ts PlainRegion); statements at and just past that shape's edges must still build
  // exactly what their nodes build: values at the ends of their ranges, repeats, operators,
  // attributes and names on the next line, attributes the shape leaves out, bodies, depth.
  it('equals the tree build on region statements at the edges of the plain shape', () => {
    const keyword = fc.constantFrom('container', 'io', 'mmio', 'ram', 'rom', 'romd', 'ramd', 'iommu', 'alias');
    const name = fc.constantFrom('a', 'b', 'reg0', 'io', 'size', '"q r"', '', 'dev.0');
    const value = fc.constantFrom(
      '0', '1', '0x1000', '4K', '2^64', '18446744073709551616', '18446744073709551615', '18446744073709551617',
      '2147483647', '2147483648', '1+1', '(1)', 'K', '-1', '0x', '99999999999999999999999', '1 |', '4 ( 2',
    );
    const attribute = fc.oneof(
      fc.tuple(fc.constantFrom('size', 'at', 'priority', 'prio', 'offset'), value).map(([k, v]) => `${k} ${v}`),
      fc.constantFrom('disabled', 'enabled', 'readonly', 'nonvolatile', 'romd on', 'romd off', 'id X', '-> a', '(', '5', '"s"', 'root', 'on'),
    );
    const sep = fc.constantFrom(' ', ' ', ' ', '\n', '\n  ', ' # c\n');
    const header = fc.tuple(keyword, sep, name, fc.array(fc.tuple(sep, attribute), { maxLength: 5 }))
      .map(([k, s, n, attrs]) => `${k}${n === '' ? '' : s + n}${attrs.map(([s2, a]) => s2 + a).join('')}`);
    const statement: fc.Arbitrary<string> = fc.letrec((tie) => ({
      st: fc.oneof(
        { weight: 3, arbitrary: header },
        { weight: 1, arbitrary: fc.tuple(header, fc.array(tie('st') as fc.Arbitrary<string>, { maxLength: 3 }), fc.boolean())
          .map(([h, body, closed]) => `${h} {\n${body.join('\n')}\n${closed ? '}' : ''}`) },
      ),
    })).st;
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.boolean(), (sts, nested) => {
        const body = sts.join('\n');
        check(nested ? `const K = 4\ncontainer top size 2^64 {\n${body}\n}\n` : `const K = 4\n${body}\n`);
      }),
      { numRuns: 1500 },
    );
  });

  it('equals the tree build on corpus texts with tokens deleted or inserted', () => {
    const rnd = rng(7);
    for (let k = 0; k < 300; k++) {
      const c = corpus[rnd(corpus.length)];
      const spans = tokenSpans(c.text);
      if (spans.length === 0) continue;
      const [s, e] = spans[rnd(spans.length)];
      const text = rnd(2) === 0
        ? c.text.slice(0, s) + c.text.slice(e)
        : c.text.slice(0, s) + grammarTokens[rnd(grammarTokens.length)] + ' ' + c.text.slice(s);
      check(text);
    }
  });
});

describe("a large text's regions array (sized ahead from the text's length)", () => {
  /** Ids are the indexes, with no hole and nothing past the last region. */
  function dense(regions: readonly Region[]): void {
    for (let i = 0; i < regions.length; i++) {
      expect(i in regions).toBe(true);
      expect(regions[i].id).toBe(i);
    }
  }
  const device = (i: number) =>
    `container dev${i} size 64K at ${i * 0x10000} {\n  io reg0 size 0x1000 at 0x0\n  io reg1 size 0x1000 at 0x1000 priority 1\n}\n`;

  it('holds exactly the regions, whether the text has fewer or more of them than it was sized for', () => {
    const typical = `container top size 2^64 {\n${Array.from({ length: 2000 }, (_, i) => device(i)).join('')}}\n`;
    const sparse = `# ${'x'.repeat(200_000)}\n${device(0)}${device(1)}`;
    const crowded = Array.from({ length: 20_000 }, (_, i) => `io r${i} size 1\n`).join('');
    for (const [text, n] of [[typical, 6001], [sparse, 6], [crowded, 20_000]] as const) {
      expect(text.length).toBeGreaterThanOrEqual(1 << 16);
      const a = analyzeText(text);
      expect(a.machine.regions.length).toBe(n);
      dense(a.machine.regions);
      check(text);
    }
  });

  it('gives the regions made after the statements (PCI) the next ids', () => {
    const withPci = loadCorpus().filter((c) => /^\s*(host-bridge|pci-host)\b/m.test(c.text));
    expect(withPci.length).toBeGreaterThan(0);
    let made = 0;
    for (const c of withPci) {
      const text = `# ${'x'.repeat(70_000)}\n${c.text}`;
      const a = analyzeText(text);
      const small = analyzeText(c.text);
      expect(a.machine.regions.length).toBe(small.machine.regions.length);
      dense(a.machine.regions);
      expect(a.machine.regions.map((r) => r.name)).toEqual(small.machine.regions.map((r) => r.name));
      made += a.machine.regions.filter((r) => !r.span).length;
    }
    expect(made).toBeGreaterThan(0); // regions the PCI model made, after the statements' ones
  });
});
