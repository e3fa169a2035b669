// Output of `mrd simulate` (map events as JSON lines, or a per-step summary) and the text
// of `mrd import-trace`. Steps are numbered from 1 as in diagnostics; step 0 is the start
// state (realize, reset, and the programmed state when the sequence starts there).
import type { DocumentPci } from '../engine/pci/document.js';
import type { SequenceRun } from '../engine/pci/analyze.js';
import { NUM_BARS, ROM_SLOT, bdfString } from '../model/pci.js';
import { UNMAPPED } from '../engine/pci/barAddress.js';
import { emitPci } from '../importer/emitPci.js';
import { importTrace } from '../importer/trace.js';

const hex = (v: number | bigint) => '0x' + v.toString(16);

/** The run `simulate` reports: the named sequence, else the last (the one the flat views show). */
export function pickRun(pci: DocumentPci, name: string | undefined): SequenceRun | undefined {
  if (name === undefined) return pci.shown;
  return pci.runs.find((r) => r.sequence.name === name);
}

/** One JSON object per map event, keys in a fixed order, hex like QEMU's trace (lowercase, no padding). */
export function eventLines(run: SequenceRun): string {
  let out = '';
  for (const e of run.result.events) {
    out += JSON.stringify({ step: e.step + 1, kind: e.kind, dev: e.dev, bar: e.bar, addr: hex(e.addr), size: hex(e.size) }) + '\n';
  }
  return out;
}

const barName = (bar: number) => (bar === ROM_SLOT ? 'ROM' : `BAR${bar}`);

/** A readable account: per step what it did and which mappings it changed, then the end state. */
export function summary(run: SequenceRun): string {
  const { sequence, result } = run;
  const steps = sequence.steps;
  const lines: string[] = [];
  lines.push(`sequence ${sequence.name} (start ${sequence.start}, ${steps.length} step${steps.length === 1 ? '' : 's'}, ${result.events.length} map event${result.events.length === 1 ? '' : 's'})`);
  const events = (i: number) => {
    const from = i < 0 ? 0 : result.eventStart[i];
    const to = i < 0 ? (result.eventStart[0] ?? result.events.length) : result.eventStart[i + 1];
    for (let x = from; x < to; x++) {
      const e = result.events[x];
      lines.push(`      ${e.kind} ${e.dev} ${barName(e.bar)} ${hex(e.addr)}+${hex(e.size)}`);
    }
  };
  lines.push('  step 0: start state');
  events(-1);
  steps.forEach((s, i) => {
    const o = result.outcomes[i];
    const label = s.label ? ` "${s.label}"` : '';
    let what: string;
    if (s.op === 'reset') what = 'system reset';
    else {
      const dev = o?.dev ?? bdfString(s.dev.bus, s.dev.slot, s.dev.func);
      if (s.op === 'write') what = `write ${hex(s.offset)} ${s.len} ${hex(s.value)} to ${dev}`;
      else if (s.op === 'assign') what = `bar ${s.bar} at ${hex(s.addr)} of ${dev}`;
      else {
        what = `read ${hex(s.offset)} ${s.len} of ${dev}`;
        if (o?.read) {
          let v = '';
          for (let k = s.len - 1; k >= 0; k--) {
            v += ((o.read.known >>> (8 * k)) & 0xff) === 0xff ? ((o.read.value >>> (8 * k)) & 0xff).toString(16).padStart(2, '0') : '??';
          }
          what += ` -> 0x${v}`;
        }
      }
      if (o && o.device < 0) what += o.absent === 'bus' ? ' (no device answers: bus not routed)' : ' (no device answers)';
    }
    lines.push(`  step ${i + 1}${label}: ${what}`);
    events(i);
  });
  lines.push('  mapped at the end:');
  const e = run.sim.stateAfter(steps.length - 1);
  let any = false;
  for (const d of run.sim.topo.devices) {
    for (let b = 0; b < NUM_BARS; b++) {
      const a = e.state.mapped[d.index * NUM_BARS + b];
      const bar = d.bars[b];
      if (!bar || a === UNMAPPED) continue;
      any = true;
      lines.push(`      ${e.bdf(d)} ${barName(b)} ${hex(a)}..${hex(a + bar.size - 1n)} (${d.name})`);
    }
  }
  run.sim.restoreFinal();
  if (!any) lines.push('      nothing');
  return lines.join('\n') + '\n';
}

export interface TraceText {
  text: string;
  warnings: string[];
  steps: number;
  devices: number;
}

/** `import-trace`: trace.log + `info pci` → .mrd text with the accesses as one sequence. */
export function importTraceText(trace: string, infoPci: string, source: string): TraceText {
  let imp: ReturnType<typeof importTrace>;
  try {
    imp = importTrace(trace, infoPci);
  } catch (e) {
    // The model refuses contradictory input (two functions at one address, an invalid BAR).
    return { text: '', warnings: [`cannot import: ${e instanceof Error ? e.message : String(e)}`], steps: 0, devices: 0 };
  }
  const header = [
    `Imported from ${source} by mrd import-trace: ${imp.topology.devices.length} functions from \`info pci\`,`,
    `${imp.steps.length} config accesses (lengths inferred, R-PCI-15) and ${imp.recorded.length} map events recorded by QEMU.`,
    'Bus numbers and BAR addresses are those `info pci` shows at the end; the sequence starts at reset.',
  ];
  const text = emitPci(imp.topology, imp.steps, { header, sequenceName: 'trace', start: 'reset' });
  return { text, warnings: imp.warnings, steps: imp.steps.length, devices: imp.topology.devices.length };
}
