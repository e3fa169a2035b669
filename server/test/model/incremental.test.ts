// Incremental analysis must be indistinguishable from a fresh one: after every edit of a chain
// of random edits (numbers, names, whole lines, braces, garbage, single characters), the
// patched state equals analyzeText(new text) in diagnostics, machine, symbol index, region
// nodes and flat views; and most edits inside region bodies are in fact patched, not redone.
import { describe, expect, it } from 'vitest';
import { flatViews } from '../../src/engine/addressSpace.js';
import { analyzeText } from '../../src/model/analyze.js';
import { type DocumentState, analyzeEdit, analyzeState } from '../../src/model/incremental.js';
import type { Region } from '../../src/model/region.js';
import { grammarTokens, loadCorpus, rng, tokenSpans } from '../robustness/harness.js';
import { checkRecordedOrder } from './recordedOrder.js';

const id = (r: Region | null | undefined) => (r ? r.id : null);

function observe(a: ReturnType<typeof analyzeText>, nodes: boolean) {
  return {
    diagnostics: a.diagnostics,
    regions: a.machine.regions.map((r) => ({
      id: r.id, name: r.name, kind: r.kind, size: r.size, addr: r.addr, priority: r.priority, enabled: r.enabled,
      readonly: r.readonly, nonvolatile: r.nonvolatile, romdMode: r.romdMode, alias: id(r.alias), aliasOffset: r.aliasOffset,
      children: r.children.map(id), container: id(r.container), span: r.span, nameSpan: r.nameSpan,
    })),
    spaces: a.machine.spaces.map((s) => ({ name: s.name, root: id(s.root), span: s.span })),
    symbols: a.index.regions.map((s) => ({
      region: s.region.id, declSpan: s.declSpan, nameSpan: s.nameSpan, id: s.id, idSpan: s.idSpan,
      node: nodes ? [s.node.start, s.node.end, s.node.name.text] : null,
    })),
    refs: a.index.regionRefs.map((r) => ({ ...r, target: id(r.target), candidates: r.candidates.map(id) })),
    constants: a.index.constants,
    constantRefs: a.index.constantRefs.map((c) => ({ ...c, constant: c.constant ? c.constant.nameSpan.start : null })),
    spaceSymbols: a.index.spaces.map((s) => ({ declSpan: s.declSpan, nameSpan: s.nameSpan })),
    ids: [...a.index.ids].map(([k, r]) => [k, r.id]),
    flat: flatViews(a.machine).map((g) => ({
      root: id(g.root), spaces: g.spaces.map((s) => s.name),
      ranges: g.ranges.map((r) => [r.start, r.size, r.mr.id, r.offsetInRegion, r.readonly, r.nonvolatile]),
    })),
  };
}

/** A machine like the benchmark's (bench/generate.ts): buses of devices with registers, aliases onto RAM. */
function generate(n: number): { mrd: string } {
  const lines = ['address-space memory root system', 'address-space "I/O" root io', 'ram pc.ram size 4G', 'io io size 64K',
    'container system size 2^64 {', '  alias ram-below-4g -> pc.ram offset 0 size 2G', '  container pci size 2^64 priority -1 {'];
  let count = 6;
  for (let bus = 0; count < n; bus++) {
    lines.push(`    container bus${bus} size 64M at 0x${(0x8000_0000 + bus * 0x400_0000).toString(16)} {`);
    count++;
    for (let d = 0; d < 16 && count < n; d++) {
      lines.push(`      container dev${bus}.${d} size 64K at 0x${(d * 0x1_0000).toString(16)} priority 1 {`);
      count++;
      for (let r = 0; r < 6 && count < n; r++, count++) {
        lines.push(`        io reg${r} size 0x${(r === 2 ? 0x2000 : 0x1000).toString(16)} at 0x${(r * 0x1000).toString(16)}${r === 3 ? ' priority 1' : ''}`);
      }
      if (d % 4 === 3) lines.push(`        alias win${bus}.${d} -> pc.ram offset 0x${(d << 12).toString(16)} size 4K at 0x8000`);
      lines.push('      }');
    }
    lines.push('    }');
  }
  lines.push('  }', '}');
  return { mrd: lines.join('\n') + '\n' };
}

interface Stats { patched: number; full: number }

/** Applies `text` to the state like the language server does, checking it against a fresh analysis. */
function step(s: DocumentState, text: string, stats: Stats, nodes: boolean): DocumentState {
  const next = analyzeEdit(s, text);
  if (next) stats.patched++;
  else stats.full++;
  const got = next ?? analyzeState(text);
  expect(got.text).toBe(text);
  expect(observe(got.analysis, nodes)).toEqual(observe(analyzeText(text), nodes));
  checkRecordedOrder(got.analysis.index, got.analysis.machine);
  return got;
}

/** A random edit of `text`: a whole line, a number, a name, a brace, a token, or characters. */
function randomEdit(text: string, rnd: (n: number) => number): string {
  const lines = text.split('\n');
  const l = rnd(lines.length);
  const lineStart = lines.slice(0, l).join('\n').length + (l > 0 ? 1 : 0);
  const line = lines[l];
  const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)];
  switch (rnd(12)) {
    case 0: // change a number on the line
    case 1: {
      const m = [...line.matchAll(/0x[0-9a-f_]+|\b\d+[KMG]?\b/g)];
      if (m.length === 0) break;
      const x = pick(m);
      const s = lineStart + x.index!;
      return text.slice(0, s) + pick(['0x1800', '0x2000', '4K', '7', '0', '2^64', '0x1_0000_0000', '2^64+1', 'RAM', 'X-1']) + text.slice(s + x[0].length);
    }
    case 2: { // rename: a word after a region keyword
      const m = /\b(io|ram|rom|container|alias|mmio|romd) (\S+)/.exec(line);
      if (!m) break;
      const s = lineStart + m.index + m[1].length + 1;
      return text.slice(0, s) + pick(['pc.ram', 'pc.ram2', 'reg0', 'dup', 'system', 'io', 'new.one', '"q s"', 'w']) + text.slice(s + m[2].length);
    }
    case 3: // insert a line
    case 4:
      return text.slice(0, lineStart) + pick([
        '  io extra size 0x1000 at 0x3000\n', '  alias w -> pc.ram size 4K at 0x100\n', '  alias w2 -> reg1 at 0x10\n',
        '  alias w3 -> pc.ram offset 1G at 0x200\n', '  alias w4 -> w3 offset 4K\n', '  alias w5 -> system/pci offset 0x10\n',
        '  container c size 64K priority 2 {\n    ram c.ram size 4K\n  }\n', '  ram r size 2G disabled\n',
        '  alias loop -> loop\n', '  io x size 4K prio 1 readonly\n', '  garbage here\n', '  io size 4K\n',
        '  io id-thing id ID1 size 16\n', '  const K = 4\n', '  }\n', '  {\n', '  alias bad -> nowhere/x\n',
        'ram late size 4K\n', 'address-space more root late\n',
      ]) + text.slice(lineStart);
    case 5: // delete a line
      return text.slice(0, lineStart) + text.slice(Math.min(text.length, lineStart + line.length + 1));
    case 6: { // delete or insert a brace
      const i = line.indexOf(pick(['{', '}']));
      if (i >= 0) return text.slice(0, lineStart + i) + text.slice(lineStart + i + 1);
      return text.slice(0, lineStart + line.length) + pick([' {', ' }']) + text.slice(lineStart + line.length);
    }
    case 7: { // a token deleted
      const spans = tokenSpans(text);
      if (spans.length === 0) break;
      const [s, e] = pick(spans);
      return text.slice(0, s) + text.slice(e);
    }
    case 8: { // a grammar token inserted
      const spans = tokenSpans(text);
      const s = spans.length > 0 ? pick(spans)[0] : 0;
      return text.slice(0, s) + pick(grammarTokens) + ' ' + text.slice(s);
    }
    case 9: { // a few characters typed or deleted
      const s = rnd(text.length + 1);
      if (rnd(2) === 0) return text.slice(0, s) + pick(['a', ' ', '\n', '0', '-', '"', '#', 'x ', '\r\n']) + text.slice(s);
      return text.slice(0, s) + text.slice(Math.min(text.length, s + 1 + rnd(3)));
    }
    case 10: { // the line's attributes changed
      return text.slice(0, lineStart + line.length) + pick([' priority 3', ' at 0x8000', ' size 0', ' offset 4K', ' enabled', ' disabled', ' romd off', ' -> pc.ram']) + text.slice(lineStart + line.length);
    }
    default: // the line replaced by another line of the document
      return text.slice(0, lineStart) + pick(lines) + text.slice(lineStart + line.length);
  }
  return text;
}

describe('incremental analysis', () => {
  it('equals a fresh analysis after each of many random edits of a generated machine', () => {
    const stats: Stats = { patched: 0, full: 0 };
    const rnd = rng(42);
    for (let chain = 0; chain < 40; chain++) {
      let text = generate(150 + rnd(200)).mrd;
      let s = analyzeState(text);
      for (let i = 0; i < 12; i++) {
        text = randomEdit(text, rnd);
        s = step(s, text, stats, i % 4 === 0);
      }
    }
    // Most edits of a machine's lines are patched (PCI, const, id and structure edits are not).
    expect(stats.patched).toBeGreaterThan(stats.full);
  });

  it('equals a fresh analysis after random edits of the corpus', () => {
    const stats: Stats = { patched: 0, full: 0 };
    const rnd = rng(9);
    const corpus = loadCorpus();
    for (let chain = 0; chain < 60; chain++) {
      let text = corpus[rnd(corpus.length)].text;
      let s = analyzeState(text);
      for (let i = 0; i < 8; i++) {
        text = randomEdit(text, rnd);
        s = step(s, text, stats, i % 3 === 0);
      }
    }
    expect(stats.patched).toBeGreaterThan(0);
  });

  it('equals a fresh analysis through scripted edits: alias targets renamed, loops, ids moving, headers', () => {
    const base = `const RAM = 4G
address-space memory root system
ram pc.ram size RAM
container system size 2^64 {
  alias low -> pc.ram offset 1G at 0x1000
  alias again -> low offset 4K
  container bus size 64M at 0x8000_0000 {
    io reg0 size 0x1000
    io reg1 size 0x1000 at 0x1000 priority 1
  }
  io tail size 16 at 0x10
}
const LATE = 8
`;
    const edits: [string, string][] = [
      ['ram pc.ram size RAM', 'ram pc.ram2 size RAM'], // the aliases lose their target: sizes back to 0
      ['ram pc.ram2 size RAM', 'ram pc.ram size RAM'],
      ['alias again -> low offset 4K', 'alias again -> again offset 4K'], // a loop
      ['alias again -> again offset 4K', 'alias again -> low offset 4K'],
      ['    io reg0 size 0x1000\n', '    io reg0 size 0x1000\n    io new0 size 8\n    io new1 size 8 at 8\n'], // ids move
      ['  container bus size 64M at 0x8000_0000 {', '  container bus size 128M at 0x9000_0000 priority 2 {'], // a header
      ['io tail size 16 at 0x10', 'io tail size LATE at 0x10'], // used before its definition (MR2003)
      ['io tail size LATE at 0x10', 'io tail size RAM-1 at 0x10'], // MR2001 with a fix
      ['    io new1 size 8 at 8\n', ''],
      ['  io tail', '  }\n  io tail'], // a stray brace: structure changes
    ];
    const stats: Stats = { patched: 0, full: 0 };
    let text = base;
    let s = analyzeState(text);
    for (const [from, to] of edits) {
      expect(text).toContain(from);
      text = text.replace(from, to);
      s = step(s, text, stats, true);
    }
    expect(stats.patched).toBeGreaterThanOrEqual(7);
  });

  // Skipped garbage runs across lines up to a statement keyword: unmaking the keyword of the
  // statement after it lets the statement before read on.
  it('reads the statement before again when an edit unmakes the keyword of the one it edits', () => {
    const before = 'container bus size 64M {\n  io reg0 size 4K 0x1000\n  alias w -> reg0 at 0x1000\n}\n';
    const stats: Stats = { patched: 0, full: 0 };
    for (const after of [before.replace('alias w', 'al w'), before.replace('alias w', 'aliasx w'), before.replace('alias w', 'xalias w')]) {
      const s = step(analyzeState(before), after, stats, true);
      expect(s.analysis.diagnostics.map((d) => d.code)).toContain('MR2015'); // `->` read as the io region's
    }
    expect(stats.patched).toBe(3);
  });

  // `0x2000` then `-` on the next line is a subtraction missing its operand, reported where the
  // `-` ends: where the next statement begins. It belongs to the statement before.
  it('keeps the statement before\'s missing-piece diagnostic at the start of the one it reads again', () => {
    const before = 'ram a size 1 at 0x2000\n-container bus size 64M at 0x8000\n';
    const stats: Stats = { patched: 0, full: 0 };
    const s = step(analyzeState(before), before.replace('64M at', '64M '), stats, true);
    expect(s.analysis.diagnostics.map((d) => d.code)).toContain('MR1020');
    expect(stats.patched).toBe(1);
  });

  it('a state is consumed by the edit applied to it', () => {
    const text = generate(100).mrd;
    const s = analyzeState(text);
    const edited = text.replace('size 0x1000 at 0x2000', 'size 0x1800 at 0x2000');
    expect(analyzeEdit(s, edited)).not.toBeNull();
    expect(analyzeEdit(s, text)).toBeNull();
  });
});

// A document that includes files: their regions sit among the document's (ids in reading order)
// at offsets after the text, so an edit moves their windows and, before an include, their ids.
describe('incremental analysis of a document with includes', () => {
  const files: Record<string, string> = {
    '/p/soc.mrd': `${generate(60).mrd}include "regs.mrd"\nconst SOC = 4K\n`,
    '/p/regs.mrd': 'container regs size 64K {\n  io r0 size 0x1000\n  io r0b size 0x1000 # same name twice below\n  io r0 size 0x10 at 0x2000\n  alias toram -> pc.ram size 4K at 0x8000\n}\nram "bad" size 1 size 2\n',
    '/p/tail.mrd': 'io t0 size 16\nalias t1 -> regs/toram size 8\n',
    '/p/empty.mrd': '# nothing but a comment\n',
  };
  const ctx = { path: '/p/board.mrd', read: (p: string) => (p in files ? { text: files[p] } : { error: 'missing' as const }) };
  const board = [
    'include "soc.mrd"',
    'container board size 4G {',
    '  alias low -> pc.ram offset 1G at 0x1000',
    '  io dev0 size SOC at 0x2000',
    '  container bus size 64M at 0x8000_0000 {',
    '    io reg0 size 0x1000',
    '    alias w -> toram at 0x1000',
    '  }',
    '}',
    'include "empty.mrd"',
    '# a file that makes no region, then garbage',
    'oops garbage here',
    'io late size 16',
    'include "tail.mrd"',
    'ram last size 4K',
    'include "missing.mrd"',
    '',
  ].join('\n');

  function observeIncludes(s: DocumentState) {
    const inc = s.builder.includes!;
    return {
      files: inc.files.map((f) => [f.path, f.base, f.via.start, f.via.end, f.parent, f.firstId, f.endId]),
      links: inc.links.map((l) => [l.span.start, l.span.end, l.file]),
      located: s.analysis.machine.regions.map((r) => {
        const l = r.nameSpan ? inc.locate(r.nameSpan) : null;
        return l ? [l.file.path, l.span.start, l.span.end] : null;
      }),
      surfaced: inc.surface(s.analysis.diagnostics, (_t, ds) => ds),
      inFiles: inc.fileDiagnostics,
    };
  }

  it('equals a fresh analysis after each of many random edits', () => {
    const stats: Stats = { patched: 0, full: 0 };
    const rnd = rng(5);
    for (let chain = 0; chain < 30; chain++) {
      let text = board;
      let s = analyzeState(text, ctx);
      for (let i = 0; i < 10; i++) {
        text = randomEdit(text, rnd);
        const next = analyzeEdit(s, text);
        if (next) stats.patched++;
        else stats.full++;
        const got = next ?? analyzeState(text, ctx);
        const fresh = analyzeState(text, ctx);
        expect(observe(got.analysis, true)).toEqual(observe(fresh.analysis, true));
        expect(observeIncludes(got)).toEqual(observeIncludes(fresh));
        checkRecordedOrder(got.analysis.index, got.analysis.machine);
        s = got;
      }
    }
    expect(stats.patched).toBeGreaterThan(stats.full);
  });

  it('patches an edit before, between and after the includes', () => {
    let text = board;
    let s = analyzeState(text, ctx);
    for (const [from, to] of [
      ['io reg0 size 0x1000', 'io reg0 size 0x1800\n    io reg1 size 8'], // ids move: tail.mrd's regions come after
      ['io late size 16', 'io later size 32'],
      ['oops garbage here', 'oops garbage here\nio mid size 8'], // a region right after empty.mrd's (empty) ids
      ['ram last size 4K', 'ram last size 8K'],
      ['alias low -> pc.ram', 'alias low -> r0b'],
    ]) {
      text = text.replace(from, to);
      const next = analyzeEdit(s, text);
      expect(next, from).not.toBeNull();
      const fresh = analyzeState(text, ctx);
      expect(observe(next!.analysis, true)).toEqual(observe(fresh.analysis, true));
      expect(observeIncludes(next!)).toEqual(observeIncludes(fresh));
      s = next!;
    }
  });
});
