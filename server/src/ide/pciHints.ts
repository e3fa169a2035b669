// Inlay hints on sequence steps: after a step that moves a BAR, where it decodes now
// (`→ BAR0 @ 0xffff_ffff_febe_0000`) or that it is unmapped; after a read without `expect`,
// the value the simulation reads. Straight from the run's map events: no replay needed.
import type { Span } from '../base/span.js';
import type { SequenceRun } from '../engine/pci/analyze.js';
import type { PciEvent } from '../engine/pci/engine.js';
import type { Analysis } from './analysis.js';
import { hex, hexRange } from './format.js';
import { barName, stepEvents, stepName } from './pciInfo.js';
import type { IdeInlayHint } from './types.js';

/** Mapping changes named per step before "+N more". */
const MAX_PER_STEP = 3;

export function stepInlayHints(a: Analysis, range: Span, max: number): IdeInlayHint[] {
  const out: IdeInlayHint[] = [];
  for (const run of a.pci?.runs ?? []) {
    const seq = run.sequence.span;
    if (seq && (seq.end < range.start || seq.start > range.end)) continue;
    run.sequence.steps.forEach((step, i) => {
      const s = step.span;
      if (!s || s.end < range.start || s.start > range.end || out.length >= max) return;
      const hint = mappingHint(run, i);
      if (hint) out.push({ offset: s.end, ...hint });
      else if (step.op === 'read' && step.expect === undefined) {
        const r = run.result.outcomes[i]?.read;
        if (!r) return;
        let v = '';
        for (let k = step.len - 1; k >= 0; k--) {
          v += ((r.known >>> (8 * k)) & 0xff) === 0xff ? ((r.value >>> (8 * k)) & 0xff).toString(16).padStart(2, '0') : '??';
        }
        out.push({ offset: s.end, label: `= 0x${v}`, tooltip: `the value ${stepName({ index: i, step })} reads (?? = not modelled)` });
      }
    });
  }
  return out;
}

/** Where each BAR the step moved ends up: the step's last event per (device, BAR). */
function mappingHint(run: SequenceRun, i: number): { label: string; tooltip: string } | null {
  const last = new Map<string, PciEvent>();
  for (const e of stepEvents(run, i)) last.set(`${e.device}.${e.bar}`, e);
  if (last.size === 0) return null;
  const addressed = run.result.outcomes[i]?.device;
  const parts: string[] = [];
  const tips: string[] = [];
  for (const e of last.values()) {
    // Name the device only when the step addressed another one (a reset, a bridge).
    const who = e.device === addressed ? barName(e.bar) : `${e.dev} ${barName(e.bar)}`;
    parts.push(e.kind === 'map-add' ? `${who} @ ${hex(e.addr)}` : `${who} unmapped`);
    tips.push(e.kind === 'map-add'
      ? `${barName(e.bar)} of ${e.dev} mapped at ${hexRange(e.addr, e.addr + e.size)}`
      : `${barName(e.bar)} of ${e.dev} unmapped (was at ${hexRange(e.addr, e.addr + e.size)})`);
  }
  const more = parts.length > MAX_PER_STEP ? ` +${parts.length - MAX_PER_STEP}` : '';
  return {
    label: `→ ${parts.slice(0, MAX_PER_STEP).join(', ')}${more}`,
    tooltip: `after ${stepName({ index: i, step: run.sequence.steps[i] })}: ${tips.join('; ')}`,
  };
}
