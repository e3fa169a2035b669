// One document's analysis: the pure function from (text, options) to tree, machine,
// diagnostics and name index. Everything in ide/ reads an Analysis and never mutates it; a
// newer version of the document may be analysed from an older one, which that consumes.
import { diag } from '../base/catalog/index.js';
import type { Diagnostic } from '../base/diagnostic.js';
import { span } from '../base/span.js';
import type { Outline, SymbolIndex } from '../model/build.js';
import { analyzeText } from '../model/analyze.js';
import type { IncludeContext, Includes } from '../model/include.js';
import { type DocumentState, analyzeEdit, analyzeState } from '../model/incremental.js';
import type { Machine } from '../model/region.js';
import { FileNode } from '../syntax/ast.js';
import { type DocumentPci, analyzeDocumentPci } from '../engine/pci/document.js';
import { applySuppressions } from './suppress.js';

export interface AnalysisOptions {
  /** CPU physical address width in bits (`mrd.cpu.physBits`). */
  readonly physBits: number;
  /** IOMMU address width in bits (`mrd.iommu.awBits`). */
  readonly awBits: number;
}

export const defaultAnalysisOptions: AnalysisOptions = { physBits: 46, awBits: 48 };

export interface Analysis {
  readonly text: string;
  readonly options: AnalysisOptions;
  readonly file: FileNode;
  readonly machine: Machine;
  readonly diagnostics: readonly Diagnostic[];
  readonly index: SymbolIndex;
  /** PCI simulation and checks, when the document has PCI statements; `machine` then shows the end of the last sequence. */
  readonly pci?: DocumentPci;
  /**
   * The files `include` read (when analysed with an IncludeContext). Spans at or after
   * `text.length + 1` are in them: `includes.locate` says where.
   */
  readonly includes?: Includes;
}

/**
 * Largest document analysed, in UTF-16 code units (the command line reads at most 16 MiB).
 * Analysis is synchronous and its memory grows with the text: beyond this, MR1098 instead.
 */
export const MAX_DOCUMENT_LENGTH = 16 * 1024 * 1024;

/** The incremental state behind each analysis that a later version may be computed from. */
const states = new WeakMap<Analysis, DocumentState>();

/**
 * The analysis of `text`. With `previous`, the analysis of an earlier version of the same
 * document, only what the edit touched is analysed again (model/incremental.ts) — the result
 * is the same — and `previous` must not be used afterwards: its model has become this one's.
 */
export function analyzeDocument(
  text: string, options: AnalysisOptions = defaultAnalysisOptions, previous?: Analysis, include?: IncludeContext,
): Analysis {
  if (text.length > MAX_DOCUMENT_LENGTH) {
    const empty = analyzeText('');
    const tooLarge = diag('MR1098', span(0, 0), { length: text.length, max: MAX_DOCUMENT_LENGTH });
    return { text, options, file: new FileNode(0, text.length, []), machine: empty.machine, diagnostics: [tooLarge], index: empty.index };
  }
  const before = previous ? states.get(previous) : undefined;
  if (previous) states.delete(previous);
  // Options only matter to PCI documents, which are analysed in full anyway; still, be strict.
  const same = before && previous!.options.physBits === options.physBits && previous!.options.awBits === options.awBits;
  const state = (same ? analyzeEdit(before, text) : null) ?? analyzeState(text, include);
  const r = state.analysis;
  const pci = r.pci ? analyzeDocumentPci(r.pci, text, options) : undefined;
  const all = pci ? r.diagnostics.concat(pci.diagnostics) : r.diagnostics;
  // Diagnostics in included files are summed up at their include (model/include.ts).
  const own = r.includes ? r.includes.surface(all, applySuppressions) : all;
  // `# mrd-ignore` comments apply here, so the editor and `mrd check` drop the same ones.
  const diagnostics = applySuppressions(text, own);
  // `file` stays lazy (model/analyze.ts): most requests never need the syntax tree.
  const a: Analysis = {
    text, options, get file() { return r.file; }, machine: r.machine, diagnostics, index: r.index, pci, includes: r.includes,
  };
  states.set(a, state);
  return a;
}

/**
 * The builder's outline of the analysis' statements (model/outline.ts): each statement's
 * offsets, kind, region and body braces, in document order. The document's own statements
 * only: those of the files it includes are not in it. Undefined once a later version has been
 * analysed from this one.
 */
export function statementOutline(a: Analysis): Outline | undefined {
  return states.get(a)?.builder.outline;
}
