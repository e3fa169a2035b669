// Parse + build in one call: the entry point for everything that starts from a document's
// text. Diagnostics are the syntax ones followed by the model ones.
import type { Diagnostic } from '../base/diagnostic.js';
import type { FileNode } from '../syntax/ast.js';
import { parse } from '../syntax/parser.js';
import { buildMachine, type SymbolIndex } from './build.js';
import type { Machine } from './region.js';
import type { PciModel } from './buildPci.js';

export interface TextAnalysis {
  file: FileNode;
  machine: Machine;
  diagnostics: Diagnostic[];
  index: SymbolIndex;
  /** PCI topology and sequences, when the text has PCI statements. */
  pci?: PciModel;
}

export function analyzeText(text: string): TextAnalysis {
  const parsed = parse(text);
  const built = buildMachine(parsed.file);
  return {
    file: parsed.file,
    machine: built.machine,
    diagnostics: parsed.diagnostics.concat(built.diagnostics),
    index: built.index,
    pci: built.pci,
  };
}
