// Test helpers: small PCI topologies built directly on the model (no parser), and step
// shorthands that read like the proposed `.mrd` sequence syntax.
import {
  type AccessLen, type BarKind, type PciDevice, type PciStep, type PciTopology, addBar, addBridge, addDevice,
  addHost, newPciTopology, parseBdf,
} from '../../src/model/pci.js';
import { newMachine } from '../../src/model/region.js';
import type { PciEvent } from '../../src/engine/pci/engine.js';

export function topology(allowZeroAddress = false): PciTopology {
  const t = newPciTopology(newMachine());
  addHost(t, { name: 'host', allowZeroAddress });
  return t;
}

export interface BarSpec {
  index: number;
  kind: BarKind;
  size: bigint;
  prefetchable?: boolean;
  at?: bigint;
}

export function device(
  t: PciTopology, slot: number, bars: BarSpec[], opts: { command?: number; bus?: PciDevice; name?: string } = {},
): PciDevice {
  const bus = opts.bus ? opts.bus.bridge!.secondary : t.hosts[0].bus;
  const d = addDevice(t, bus, { name: opts.name ?? `dev${slot}`, slot, initialCommand: opts.command });
  for (const b of bars) addBar(t, d, { ...b, initialAddress: b.at });
  return d;
}

export function bridge(
  t: PciTopology, slot: number,
  opts: { secondary?: number; subordinate?: number; command?: number; bus?: PciDevice; root?: boolean } = {},
): PciDevice {
  const bus = opts.bus ? opts.bus.bridge!.secondary : t.hosts[0].bus;
  const d = addDevice(t, bus, { name: `br${slot}`, slot, headerType: 1, initialCommand: opts.command });
  addBridge(t, d, { secondaryBus: opts.secondary, subordinateBus: opts.subordinate, resetDisablesWindows: opts.root });
  return d;
}

const bdf = (s: string) => {
  const a = parseBdf(s);
  if (!a) throw new Error(`bad bdf ${s}`);
  return a;
};

export const w = (dev: string, offset: number, len: AccessLen, value: number): PciStep =>
  ({ op: 'write', dev: bdf(dev), offset, len, value });
export const r = (dev: string, offset: number, len: AccessLen, expect?: number): PciStep =>
  ({ op: 'read', dev: bdf(dev), offset, len, expect });
export const bar = (dev: string, n: number, addr: bigint): PciStep =>
  ({ op: 'assign', dev: bdf(dev), bar: n, addr });
export const reset: PciStep = { op: 'reset' };

/** `step kind dev barN 0xaddr` lines, easy to read in a failing diff. */
export function eventLines(events: PciEvent[]): string[] {
  return events.map((e) => `${e.step} ${e.kind} ${e.dev} bar${e.bar} 0x${e.addr.toString(16)}+0x${e.size.toString(16)}`);
}

/**
 * The scale scenario: 1,000 devices behind four bridges, each with a 64-bit and a 32-bit
 * BAR, and a 1,000-step sequence that sizes 125 of them with decode on (8 steps each).
 * Shared by the incremental test and the benchmark.
 */
export function bigScenario(): { t: PciTopology; steps: PciStep[]; addrs: string[] } {
  const t = topology();
  const addrs: string[] = [];
  for (let b = 0; b < 4; b++) {
    const brd = addDevice(t, t.hosts[0].bus, { name: `br${b}`, slot: b + 1, headerType: 1, initialCommand: 3 });
    const br = addBridge(t, brd, { secondaryBus: b + 1, subordinateBus: b + 1 });
    for (let k = 0; k < 250; k++) {
      const d = addDevice(t, br.secondary, { name: `d${b}.${k}`, slot: k >> 3, func: k & 7, initialCommand: 2 });
      addBar(t, d, { index: 0, kind: 'mem64', size: 0x4000n, initialAddress: 0x1_0000_0000n + BigInt((b * 250 + k) * 0x4000) });
      addBar(t, d, { index: 2, kind: 'mem32', size: 0x1000n, initialAddress: 0xc000_0000n + BigInt((b * 250 + k) * 0x1000) });
      addrs.push(`0${b + 1}:${(k >> 3).toString(16).padStart(2, '0')}.${k & 7}`);
    }
  }
  const steps: PciStep[] = [];
  for (let i = 0; steps.length < 1000; i++) {
    const d = addrs[(i * 7) % addrs.length];
    steps.push(r(d, 0x10, 4), w(d, 0x10, 4, 0xffffffff), r(d, 0x10, 4), w(d, 0x10, 4, 0), r(d, 0x14, 4), w(d, 0x14, 4, 0xffffffff), r(d, 0x14, 4), w(d, 0x14, 4, 1));
  }
  return { t, steps, addrs };
}
