// Synthetic machines for the benchmark: N regions as nested containers (buses of devices
// with sub-registers), aliases onto RAM, priorities and deliberate overlaps. The same
// regions are also written as JSON so that the parse can be compared with JSON.parse.

export interface Generated {
  mrd: string;
  json: string;
  regions: number;
}

interface JsonRegion {
  kind: string;
  name: string;
  size: string;
  at?: string;
  priority?: number;
  target?: string;
  offset?: string;
  children?: JsonRegion[];
}

const hex = (v: bigint) => '0x' + v.toString(16);

export function generate(n: number): Generated {
  const lines: string[] = [];
  const json: JsonRegion[] = [];
  let count = 0;
  lines.push('# generated benchmark machine');
  lines.push('address-space memory root system');
  lines.push('address-space "I/O" root io');
  lines.push('ram pc.ram size 4G');
  json.push({ kind: 'ram', name: 'pc.ram', size: hex(4n << 30n) });
  count++;
  lines.push('io io size 64K');
  json.push({ kind: 'io', name: 'io', size: '0x10000' });
  count++;
  lines.push('container system size 2^64 {');
  const system: JsonRegion = { kind: 'container', name: 'system', size: '0x10000000000000000', children: [] };
  json.push(system);
  count++;
  lines.push('  alias ram-below-4g -> pc.ram offset 0 size 2G');
  lines.push('  alias ram-above-4g -> pc.ram offset 2G size 2G at 4G');
  system.children!.push({ kind: 'alias', name: 'ram-below-4g', target: 'pc.ram', offset: '0', size: hex(2n << 30n) });
  system.children!.push({ kind: 'alias', name: 'ram-above-4g', target: 'pc.ram', offset: hex(2n << 30n), size: hex(2n << 30n), at: hex(4n << 30n) });
  count += 2;
  lines.push('  container pci size 2^64 priority -1 {');
  const pci: JsonRegion = { kind: 'container', name: 'pci', size: '0x10000000000000000', priority: -1, children: [] };
  system.children!.push(pci);
  count++;
  // Buses of 64 devices; each device a 64 KiB BAR container with 6 registers, one of them
  // overlapping its neighbour and one with a higher priority; every 16th device has an alias
  // window onto RAM. Bus windows start at 0x8000_0000 and 0x1_0000_0000_0 (above 4 GiB).
  let bus = 0;
  while (count < n) {
    const busBase = (bus % 2 === 0 ? 0x8000_0000n : 0x10_0000_0000n) + BigInt(bus >> 1) * 0x400_0000n;
    lines.push(`    container bus${bus} size 64M at ${hex(busBase)} {`);
    const b: JsonRegion = { kind: 'container', name: `bus${bus}`, size: hex(64n << 20n), at: hex(busBase), children: [] };
    pci.children!.push(b);
    count++;
    for (let d = 0; d < 64 && count < n; d++) {
      const at = BigInt(d) * 0x1_0000n;
      lines.push(`      container dev${bus}.${d} size 64K at ${hex(at)} priority 1 {`);
      const dev: JsonRegion = { kind: 'container', name: `dev${bus}.${d}`, size: '0x10000', at: hex(at), priority: 1, children: [] };
      b.children!.push(dev);
      count++;
      for (let r = 0; r < 6 && count < n; r++) {
        const rat = BigInt(r) * 0x1000n;
        const size = r === 2 ? 0x2000n : 0x1000n; // reg2 overlaps reg3
        const prio = r === 3 ? 1 : 0;
        lines.push(`        io reg${r} size ${hex(size)} at ${hex(rat)}${prio ? ' priority 1' : ''}`);
        dev.children!.push({ kind: 'io', name: `reg${r}`, size: hex(size), at: hex(rat), ...(prio ? { priority: 1 } : {}) });
        count++;
      }
      if (d % 16 === 15 && count < n) {
        lines.push(`        alias win${bus}.${d} -> pc.ram offset ${hex(BigInt(d) << 12n)} size 4K at 0x8000`);
        dev.children!.push({ kind: 'alias', name: `win${bus}.${d}`, target: 'pc.ram', offset: hex(BigInt(d) << 12n), size: '0x1000', at: '0x8000' });
        count++;
      }
      lines.push('      }');
    }
    lines.push('    }');
    bus++;
  }
  lines.push('  }');
  lines.push('}', '');
  // One join, so that the text is one flat string as a server receives it (appending to the
  // joined text would make a rope that the first read copies whole).
  return { mrd: lines.join('\n'), json: JSON.stringify(json), regions: count };
}
