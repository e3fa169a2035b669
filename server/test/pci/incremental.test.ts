// Incremental re-simulation must be indistinguishable from a fresh run: same events, same
// per-step outcomes, same region lists (property test over random edits), and fast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PciStep, type PciTopology, addBar, addBridge, addDevice } from '../../src/model/pci.js';
import { PciSimulator, type SimResult } from '../../src/engine/pci/simulate.js';
import { bigScenario, bridge, device, topology, w, r, reset } from './support.js';

function machine(): PciTopology {
  const t = topology();
  device(t, 1, [{ index: 0, kind: 'mem32', size: 0x1000n, at: 0xfe000000n }, { index: 2, kind: 'mem64', size: 0x4000n, at: 0x1_0000_0000n }], { command: 2 });
  device(t, 2, [{ index: 0, kind: 'io', size: 0x20n, at: 0xc000n }, { index: 6, kind: 'mem32', size: 0x40000n }], { command: 3 });
  const br = bridge(t, 3, { secondary: 1, subordinate: 1, command: 3 });
  device(t, 0, [{ index: 1, kind: 'mem32', size: 0x1000n, at: 0xfe800000n }], { bus: br, command: 2 });
  // Legacy VGA ranges: a device's (R-PCI-10), and the bridge's aliases when 0x3e sets bit 3 (R-BR-5).
  addDevice(t, t.hosts[0].bus, { name: 'gpu', slot: 5, vga: true, initialCommand: 3 });
  addDevice(t, br.bridge!.secondary, { name: 'gpu2', slot: 1, vga: true, initialCommand: 1 });
  return t;
}

const devs = ['00:01.0', '00:02.0', '00:03.0', '01:00.0', '02:00.0', '00:05.0', '01:01.0'];
const offsets = [0x04, 0x10, 0x14, 0x18, 0x19, 0x1a, 0x20, 0x24, 0x30, 0x3e];
const values = [0, 1, 2, 3, 0xffffffff, 0xfe000000, 0xfe00000c, 0xfebe0004, 0x1, 0x2, 0xfea00001, 0xfe90fe80, 0x8];

const stepArb: fc.Arbitrary<PciStep> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...devs), fc.constantFrom(...offsets), fc.constantFrom(...values)).map(([d, o, v]) => w(d, o, o % 4 ? 1 : 4, o === 4 ? v & 0xffff : v)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...devs), fc.constantFrom(...offsets)).map(([d, o]) => r(d, o, o % 4 ? 1 : 4)) },
  { weight: 1, arbitrary: fc.constant(reset) },
);

type Edit = { kind: 'set' | 'insert' | 'delete'; at: number; step: PciStep };
const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('set', 'insert', 'delete') as fc.Arbitrary<Edit['kind']>,
  at: fc.nat(),
  step: stepArb,
});

function applyEdit(steps: PciStep[], e: Edit): PciStep[] {
  const out = steps.slice();
  if (out.length === 0) return [e.step];
  const i = e.at % out.length;
  if (e.kind === 'set') out[i] = e.step;
  else if (e.kind === 'insert') out.splice(i, 0, e.step);
  else out.splice(i, 1);
  return out;
}

const hex = (v: bigint) => v.toString(16);
function fingerprint(t: PciTopology, res: SimResult): unknown {
  return {
    events: res.events.map((e) => `${e.step} ${e.kind} ${e.dev} ${e.bar} ${hex(e.addr)}`),
    eventStart: res.eventStart,
    outcomes: res.outcomes,
    lists: t.buses.flatMap((b) => [b.mem, b.io]).map((c) => c.children.map((x) => `${x.id}@${hex(x.addr)}+${hex(x.size)}${x.enabled ? '' : ' off'}`)),
  };
}

describe('incremental simulation', () => {
  it('update() after random edits equals a fresh run', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 0, maxLength: 40 }), fc.array(editArb, { minLength: 1, maxLength: 4 }), (steps, edits) => {
        const t = machine();
        const sim = new PciSimulator(t, { start: 'programmed', snapshotEvery: 4 });
        sim.run(steps);
        let cur = steps;
        for (const e of edits) {
          cur = applyEdit(cur, e);
          const inc = fingerprint(t, sim.update(cur));
          const fresh = fingerprint(t, new PciSimulator(t, { start: 'programmed', snapshotEvery: 4 }).run(cur));
          expect(inc).toEqual(fresh);
          // The fresh simulator moved the shared regions; put the incremental one back.
          sim.restoreFinal();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stateAfter(i) equals a fresh run of the first i+1 steps', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 30 }), fc.nat(), (steps, pick) => {
        const t = machine();
        const sim = new PciSimulator(t, { start: 'programmed', snapshotEvery: 4 });
        sim.run(steps);
        const i = pick % steps.length;
        const graph = () => t.buses.flatMap((b) => [b.mem, b.io])
          .map((c) => c.children.map((x) => `${x.id}@${hex(x.addr)}${x.enabled ? '' : ' off'}${x.container === c ? '' : ' misplaced'}`));
        // A region that names a container is in its list, and only then.
        const stray = () => t.machine.regions.filter((x) => x.container && !x.container.children.includes(x)).map((x) => x.name);
        const mapped = sim.mappingsAfter(i);
        const lists = graph();
        expect(stray()).toEqual([]);
        const fresh = new PciSimulator(t, { start: 'programmed', snapshotEvery: 4 });
        fresh.run(steps.slice(0, i + 1));
        expect(mapped).toEqual(fresh.mappingsAfter(i));
        expect(lists).toEqual(graph());
      }),
      { numRuns: 200 },
    );
  });
});

// Speed of the 1,000-device × 1,000-step case is measured by `npm run bench` (bench/pci.ts),
// never asserted here; this keeps the correctness half of that scenario.
describe('1,000 devices × 1,000 steps', () => {
  it('a one-step edit gives the same result as a fresh run', () => {
    const { t, steps } = bigScenario();
    const sim = new PciSimulator(t, { start: 'programmed' });
    const full = sim.run(steps);
    expect(full.events.length).toBeGreaterThan(2000);
    const edited = steps.slice();
    edited[500] = w('01:00.0', 0x04, 2, 0);
    const updated = sim.update(edited);
    const fresh = new PciSimulator(t, { start: 'programmed' }).run(edited);
    expect(updated.events).toEqual(fresh.events);
  });
});
