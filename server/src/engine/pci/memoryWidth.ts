// MR4004: memory mapped where a declared CPU cannot reach it (R-CPU-1, R-CPU-2, R-CPU-3). The
// `memory` address space's flat view, in the state the document shows (the end of the last
// sequence), against each `cpu`'s phys-bits. BARs are MR4002's, step by step, so they and what
// is inside them are left out here.
import { diag } from '../../base/catalog/index.js';
import type { Diagnostic } from '../../base/diagnostic.js';
import type { PciTopology } from '../../model/pci.js';
import type { Region } from '../../model/region.js';
import { resolveFlatViewRoot } from '../addressSpace.js';
import { flattenView } from '../flatten.js';
import { addr64 } from './checks.js';

/** Region kinds QEMU backs with memory. */
const MEMORY = new Set(['ram', 'rom', 'ramd', 'romd']);

export function memoryBeyondCpus(t: PciTopology): Diagnostic[] {
  const cpus = t.initiators.flatMap((x) => (x.kind === 'cpu' ? [x] : []));
  const space = t.machine.spaces.find((s) => s.name === 'memory');
  if (cpus.length === 0 || !space) return [];
  const ranges = flattenView(resolveFlatViewRoot(space.root));
  const pciOwned = new Set<Region>();
  for (const d of t.devices) {
    for (const b of d.bars) if (b) pciOwned.add(b.region);
    if (d.vga) pciOwned.add(d.vga.mem);
  }
  const inPci = (r: Region) => {
    for (let x: Region | null = r, g = 0; x && g < 1000; x = x.container, g++) if (pciOwned.has(x)) return true;
    return false;
  };
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const cpu of cpus) {
    const limit = 1n << BigInt(cpu.physBits);
    for (const r of ranges) {
      const last = r.start + r.size - 1n;
      if (last < limit || !MEMORY.has(r.mr.kind) || !r.mr.nameSpan || inPci(r.mr)) continue;
      // The first piece of each region past the limit, once per CPU.
      const key = `${cpu.name} ${r.mr.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(diag('MR4004', r.mr.nameSpan, {
        kind: r.mr.kind, name: r.mr.name, start: addr64(r.start), end: addr64(last), bits: cpu.physBits, max: addr64(limit - 1n),
      }, cpu.span ? [{ span: cpu.span, message: `CPU ${cpu.name} with phys-bits ${cpu.physBits}` }] : undefined));
    }
  }
  return out;
}
