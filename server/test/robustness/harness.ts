// Robustness harness shared by the vitest suites and `npm run fuzz`: runs one text through
// every layer (parse, build, PCI simulation, flat views, printers, every ide feature) and
// checks the invariants that must hold for any input. Throws a plain Error on a violation,
// so it works without vitest.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../../src/base/diagnostic.js';
import { flatViews } from '../../src/engine/addressSpace.js';
import { printFlat } from '../../src/engine/flatPrint.js';
import { printMtree } from '../../src/engine/mtreePrint.js';
import { type Analysis, type AnalysisOptions, analyzeDocument } from '../../src/ide/analysis.js';
import { quickFixes } from '../../src/ide/codeActions.js';
import { completions } from '../../src/ide/completion.js';
import { documentDiagnostics } from '../../src/ide/diagnostics.js';
import { foldingRanges } from '../../src/ide/folding.js';
import { hover } from '../../src/ide/hover.js';
import { inlayHints } from '../../src/ide/inlayHints.js';
import { formatRange } from '../../src/ide/formatting.js';
import { numberRewrites } from '../../src/ide/numberRewrite.js';
import { visibilityDiagnostics } from '../../src/ide/visibility.js';
import { definition, highlights, includeLinks, prepareRename, references, rename } from '../../src/ide/navigation.js';
import { selectionRanges } from '../../src/ide/selection.js';
import { semanticTokens } from '../../src/ide/semanticTokens.js';
import { codeLenses } from '../../src/ide/codeLens.js';
import { documentSymbols } from '../../src/ide/symbols.js';
import { flatViewText, mtreeText, spaceNames } from '../../src/ide/views.js';
import { importMtree } from '../../src/importer/index.js';
import { TWO_64 } from '../../src/model/region.js';
import type { IncludeContext } from '../../src/model/include.js';
import { Tok, scan } from '../../src/syntax/scanner.js';

export const repoRoot = path.resolve(__dirname, '../../..');
export const oracleDir = path.resolve(repoRoot, '../shared/oracle/mtree');

/** Tokens of the grammar, PCI syntax included, plus near misses and troublemakers. */
export const grammarTokens: readonly string[] = [
  // statement and attribute keywords
  'const', 'include', 'address-space', 'root', 'none', 'container', 'io', 'mmio', 'ram', 'rom', 'romd',
  'ramd', 'iommu', 'alias', 'id', 'size', 'at', 'priority', 'prio', 'disabled', 'enabled', 'readonly',
  'nonvolatile', 'off', 'on', 'offset',
  // PCI
  'pci-host', 'bridge', 'device', 'cpu', 'sequence', 'window', 'bar', 'read', 'write', 'label', 'reset',
  'mem', 'mem32', 'mem64', 'pref', 'prefetchable', 'limit', 'expect', 'start', 'programmed', 'model',
  'express', 'command', 'realize-command', 'secondary', 'subordinate', 'primary', 'root-port', 'allow-0',
  'phys-bits', 'aw-bits', 'devices', 'all', 'region', 'name', 'bus', 'serr', 'vendor-id', 'class',
  '01:10.0', '00:1f.3', '00:00.0', 'ff:1f.7', '1:2.3', '00:20.0', '00:01.8', '0:0.0',
  // punctuation and operators
  '{', '}', '(', ')', '=', '->', '/', '+', '-', '*', '^', '<<', '|',
  // names, strings, numbers
  'a', 'b', 'pc.ram', 'system', 'X', 'RAM', '"q s"', '"I/O"', '"open', '"esc\\"', 'é', 'naïve', '𝐀',
  '0', '1', '4', '0x10', '4K', '128M', '16E', '17E', '2^64', '2^64-1', '2^63', '0xffff_ffff_ffff_ffff',
  '0x1_0000_0000_0000_0000', '18446744073709551616', '99999999999999999999999', '0b2', '0x', '12ab', '4KB',
  '-1', '2147483648', '0xfebe_0004',
  // trivia and junk
  '#c\n', '# ünïcode\n', '\n', '\r\n', '\r', '\t', ' ', '&', ';', '😀', '\uFEFF', '\\', '\u0000', '\ud800',
];

export interface Corpus {
  name: string;
  text: string;
}

/** samples/*.mrd, the examples in docs/*.md, and the .mrd text import-mtree makes of every capture. */
export function loadCorpus(): Corpus[] {
  const out: Corpus[] = [];
  const samples = path.join(repoRoot, 'samples');
  for (const f of readdirSync(samples).filter((x) => x.endsWith('.mrd')).sort()) {
    out.push({ name: `samples/${f}`, text: readFileSync(path.join(samples, f), 'utf8') });
  }
  for (const doc of ['language.md', 'pci.md']) {
    const md = readFileSync(path.join(repoRoot, 'docs', doc), 'utf8');
    let i = 0;
    for (const m of md.matchAll(/```(?:mrd)?\n([\s\S]*?)```/g)) out.push({ name: `docs/${doc}#${i++}`, text: m[1] });
  }
  for (const f of readdirSync(oracleDir).filter((x) => x.endsWith('.mtreeD.txt')).sort()) {
    const dump = readFileSync(path.join(oracleDir, f), 'utf8');
    out.push({ name: `import-mtree ${f}`, text: importMtree(dump).text });
  }
  return out;
}

/** Token spans of `text` (for single-token deletions). */
export function tokenSpans(text: string): [number, number][] {
  const t = scan(text, []);
  const out: [number, number][] = [];
  for (let i = 0; i < t.count; i++) if (t.kind[i] !== Tok.EOF) out.push([t.start[i], t.end[i]]);
  return out;
}

function fail(what: string): never {
  throw new Error(`invariant violated: ${what}`);
}

function checkSpan(s: { start: number; end: number }, len: number, what: string): void {
  if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= len)) {
    fail(`${what} span ${s.start}..${s.end} outside 0..${len}`);
  }
}

function checkDiagnostics(ds: readonly Diagnostic[], len: number): void {
  for (const d of ds) {
    if (!/^MR\d{4}$/.test(d.code)) fail(`diagnostic code ${d.code}`);
    if (typeof d.message !== 'string' || d.message.length === 0) fail(`empty message for ${d.code}`);
    if (d.file !== undefined) continue; // spans in another document
    checkSpan(d.span, len, d.code);
    for (const r of d.related ?? []) if (r.file === undefined) checkSpan(r.span, len, `${d.code} related`);
    for (const e of d.fix?.edits ?? []) checkSpan(e.span, len, `${d.code} fix`);
  }
}

export interface ExerciseOptions {
  /** Offsets at which the point features (hover, completion, navigation) run; default: a few. */
  offsets?: readonly number[];
  /** Skip the point features entirely (huge inputs). */
  noPointFeatures?: boolean;
  /** Settings-derived widths (default: the settings' defaults). */
  analysis?: AnalysisOptions;
  /** Read included files through this (default: includes are not followed). */
  include?: IncludeContext;
}

/**
 * Everything the editor and the CLI may do with a document. Returns the analysis; throws on
 * an exception from any layer (with the layer named) or a broken invariant.
 */
export function exercise(text: string, opts: ExerciseOptions = {}): Analysis {
  const len = text.length;
  const step = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      err.message = `${what}: ${err.message}`;
      throw err;
    }
  };
  const a = step('analyzeDocument', () => analyzeDocument(text, opts.analysis, undefined, opts.include));
  // A span of the document, or one an include put after it that lies inside its own file.
  const checkPlace = (s: { start: number; end: number }, what: string) => {
    const l = a.includes?.locate(s);
    if (l) checkSpan(l.span, l.file.text.length, `${what} in ${l.file.display}`);
    else checkSpan(s, len, what);
  };
  if (a.file.span.start !== 0 || a.file.span.end !== len) fail(`file span ${a.file.span.start}..${a.file.span.end}`);
  checkDiagnostics(a.diagnostics, len);
  step('flatViews', () => {
    for (const g of flatViews(a.machine)) {
      let prevEnd = 0n;
      for (const r of g.ranges) {
        if (r.size <= 0n || r.start < prevEnd || r.start + r.size > TWO_64) fail(`flat range ${r.start}+${r.size}`);
        prevEnd = r.start + r.size;
      }
    }
  });
  // The visibility checks (MR3010, MR3011): in the document, inside its text.
  step('visibilityDiagnostics', () => checkDiagnostics(visibilityDiagnostics(a), len));
  step('printFlat', () => printFlat(a.machine));
  step('printMtree', () => printMtree(a.machine, { disabled: false }));
  step('printMtree -D', () => printMtree(a.machine, { disabled: true }));
  step('views', () => {
    for (const s of spaceNames(a)) flatViewText(a, s);
    flatViewText(a, 'no such space');
    mtreeText(a, true);
  });
  step('documentDiagnostics', () => {
    for (const d of documentDiagnostics(a, { severity: { MR2010: 'off', MR1001: 'hint' } })) checkSpan(d.span, len, d.code);
  });
  step('documentSymbols', () => documentSymbols(a));
  step('foldingRanges', () => foldingRanges(a));
  step('inlayHints', () => {
    for (const h of inlayHints(a, { start: 0, end: len })) if (h.offset < 0 || h.offset > len) fail(`inlay hint at ${h.offset}`);
  });
  step('quickFixes', () => quickFixes(a, { start: 0, end: len }));
  step('semanticTokens', () => semanticTokens(a).forEach((t) => checkSpan(t.span, len, 'semantic token')));
  step('codeLenses', () => codeLenses(a).forEach((l) => checkSpan(l.span, len, 'code lens')));
  step('includeLinks', () => includeLinks(a).forEach((l) => checkSpan(l.span, len, 'include link')));
  for (const d of a.includes?.fileDiagnostics ?? []) {
    const f = a.includes!.files.find((x) => x.path === d.file);
    if (!f) fail(`${d.code} in unknown file ${d.file}`);
    checkSpan(d.span, f.text.length, `${d.code} in ${f.display}`);
  }
  if (opts.noPointFeatures) return a;
  const offsets = opts.offsets ?? [0, len >> 1, len];
  for (const o of offsets) {
    step(`hover@${o}`, () => {
      const h = hover(a, o);
      if (h) checkSpan(h.span, len, 'hover');
    });
    step(`completions@${o}`, () => completions(a, o));
    step(`definition@${o}`, () => definition(a, o).forEach((s) => checkPlace(s, 'definition')));
    step(`references@${o}`, () => references(a, o, true).forEach((s) => checkPlace(s, 'reference')));
    step(`highlights@${o}`, () => highlights(a, o).forEach((h) => checkSpan(h.span, len, 'highlight')));
    step(`selectionRanges@${o}`, () => {
      const rs = selectionRanges(a, o);
      const at = Math.max(0, Math.min(o, len));
      rs.forEach((r, k) => {
        checkSpan(r, len, 'selection range');
        if (r.start > at || r.end < at) fail(`selection range ${r.start}..${r.end} misses ${at}`);
        if (k > 0 && (r.start > rs[k - 1].start || r.end < rs[k - 1].end)) fail(`selection range ${r.start}..${r.end} inside the one before`);
      });
      if (rs.at(-1)?.start !== 0 || rs.at(-1)?.end !== len) fail('the last selection range is not the document');
      // The statement outline and the syntax tree agree (ide/selection.ts).
      const viaTree = selectionRanges(a, o, 'tree');
      if (JSON.stringify(viaTree) !== JSON.stringify(rs)) fail(`selection ranges differ: outline ${JSON.stringify(rs)}, tree ${JSON.stringify(viaTree)}`);
    });
    step(`numberRewrites@${o}`, () => numberRewrites(a, { start: o, end: o }).forEach((r) => r.edits.forEach((e) => checkSpan(e.span, len, 'rewrite'))));
    step(`formatRange@${o}`, () => formatRange(a.text, { start: Math.max(0, o - 40), end: Math.min(len, o + 40) }).forEach((e) => checkSpan(e.span, len, 'format edit')));
    step(`prepareRename@${o}`, () => prepareRename(a, o));
    step(`rename@${o}`, () => rename(a, o, 'renamed'));
    step(`quickFixes@${o}`, () => quickFixes(a, { start: o, end: o }));
  }
  return a;
}

/** Deterministic PRNG (xorshift32) for sampling without fast-check. */
export function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s % n;
  };
}
