// One document's analysis: the pure function from (text, options) to tree, machine,
// diagnostics and name index. Everything in ide/ reads an Analysis and never mutates it.
import type { Diagnostic } from '../base/diagnostic.js';
import { type Machine, newMachine } from '../model/region.js';

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
  readonly machine: Machine;
  readonly diagnostics: readonly Diagnostic[];
}

export function analyzeDocument(text: string, options: AnalysisOptions = defaultAnalysisOptions): Analysis {
  // The model's analyzeText is not available yet: an empty machine keeps the server usable.
  return { text, options, machine: newMachine(), diagnostics: [] };
}
