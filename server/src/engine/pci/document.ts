// The PCI part of one document's analysis: widths left open filled from the settings, every
// sequence simulated and checked (analyze.ts), diagnostics in text order, and the region graph
// left at the end of the last sequence so that flat views and hovers show that state
// (docs/pci.md, "What the flat views show").
import type { PciModel } from '../../model/buildPci.js';
import { type PciAnalysis, type SequenceRun, analyzePci } from './analyze.js';
import { memoryBeyondCpus } from './memoryWidth.js';

export interface PciWidthDefaults {
  /** For a `cpu` without `phys-bits` (setting `mrd.cpu.physBits`). */
  readonly physBits: number;
  /** For an `iommu` without `aw-bits` (setting `mrd.iommu.awBits`). */
  readonly awBits: number;
}

export interface DocumentPci extends PciAnalysis {
  readonly model: PciModel;
  /** The run whose end state the region graph holds: the last sequence (or the declared state). */
  readonly shown: SequenceRun | undefined;
}

export function analyzeDocumentPci(model: PciModel, text: string, widths: PciWidthDefaults): DocumentPci {
  for (const i of model.openWidths) {
    if (i.kind === 'cpu') i.physBits = widths.physBits;
    else i.awBits = widths.awBits;
  }
  const a = analyzePci(model.topology, model.sequences, text);
  // The checks restore each run's final state in turn; make sure the last one stands.
  const shown = a.runs[a.runs.length - 1];
  shown?.sim.restoreFinal();
  // Memory past a CPU's reach, in that state (MR4004). Stable sort: diagnostics at one step keep
  // the checks' order (widths before transients).
  const diagnostics = a.diagnostics.concat(memoryBeyondCpus(model.topology)).sort((x, y) => x.span.start - y.span.start);
  return { runs: a.runs, diagnostics, model, shown };
}
