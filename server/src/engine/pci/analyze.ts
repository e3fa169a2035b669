// The PCI facade for the ide and cli layers: simulate every sequence of a document over its
// topology, collect the checks, and answer "what does BAR n of this device look like after
// step i" for hovers and inlay hints. Sequences share the topology's regions, so after
// `analyzePci` the region graph shows the end of the last sequence (or the start state).
import type { Diagnostic } from '../../base/diagnostic.js';
import { NUM_BARS, type PciDevice, type PciSequence, type PciTopology, ROM_SLOT } from '../../model/pci.js';
import { UNMAPPED, type UnmappedReason, barDecode } from './barAddress.js';
import { checkPci } from './checks.js';
import { PciSimulator, type SimResult } from './simulate.js';

export interface SequenceRun {
  sequence: PciSequence;
  sim: PciSimulator;
  result: SimResult;
}

export interface PciAnalysis {
  runs: SequenceRun[];
  diagnostics: Diagnostic[];
}

/**
 * Run each sequence on its own simulator and check it. Without sequences the declared
 * (programmed) state alone is checked, as an empty sequence.
 */
export function analyzePci(topology: PciTopology, sequences: readonly PciSequence[], text?: string): PciAnalysis {
  const seqs: readonly PciSequence[] = sequences.length
    ? sequences
    : [{ name: '(declared state)', start: 'programmed', steps: [] }];
  const runs: SequenceRun[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const sequence of seqs) {
    const sim = new PciSimulator(topology, { start: sequence.start });
    const result = sim.run(sequence.steps);
    runs.push({ sequence, sim, result });
    for (const d of checkPci({ topology, steps: sequence.steps, result, sim, text })) {
      // Declaration checks repeat in every sequence: report each once.
      const key = `${d.code} ${d.span.start} ${d.span.end} ${d.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        diagnostics.push(d);
      }
    }
  }
  return { runs, diagnostics };
}

export interface BarState {
  bar: number;
  /** The register (type bits included; both dwords of a 64-bit BAR). */
  value: bigint;
  /** Where QEMU maps it, or undefined. */
  mapped?: bigint;
  /** Why it is not mapped. */
  reason?: UnmappedReason;
}

/** Every BAR of `dev` after step `i` of the run (`-1`: the start state). */
export function barStatesAfter(run: SequenceRun, dev: PciDevice, i: number): BarState[] {
  const e = run.sim.stateAfter(i);
  const out: BarState[] = [];
  for (let b = 0; b < NUM_BARS; b++) {
    const bar = dev.bars[b];
    if (!bar) continue;
    const value = e.barValue(dev, b);
    const mapped = e.mappedAt(dev, b);
    const st: BarState = { bar: b, value };
    if (mapped !== UNMAPPED) st.mapped = mapped;
    else {
      st.reason = e.state.power[dev.index]
        ? barDecode({
          kind: bar.kind, rom: b === ROM_SLOT, size: bar.size, value, command: e.command(dev),
          allowZeroAddress: dev.bus.host.allowZeroAddress,
        }).reason
        : undefined;
    }
    out.push(st);
  }
  run.sim.restoreFinal();
  return out;
}
