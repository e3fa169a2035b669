// Real machines through the builder: each QEMU 7.2 `info mtree -D` capture is imported, emitted
// as .mrd, and analysed again; the rebuilt machine must equal the imported one region by region
// (kind, size, address, priority, flags, alias target and offset, subregion list order).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMtree } from '../../src/importer/index.js';
import { analyzeText } from '../../src/model/analyze.js';
import type { Machine } from '../../src/model/region.js';

const dir = resolve(__dirname, '../../../../shared/oracle/mtree') + '/';
const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.mtreeD.txt')).map((f) => f.slice(0, -'.mtreeD.txt'.length)) : [];

function describeMachine(m: Machine): string[] {
  const lines = m.regions.map((r) =>
    [r.name, r.kind, r.size, r.addr, r.priority, r.enabled, r.readonly, r.nonvolatile, r.romdMode,
      r.alias ? r.alias.name : '-', r.aliasOffset, r.container?.name ?? '-', r.children.map((c) => c.name).join(',')].join('|'),
  );
  const spaces = m.spaces.map((s) => `space ${s.name} root ${s.root?.name ?? 'none'}`);
  return [...lines.sort(), ...spaces];
}

describe.skipIf(names.length === 0)('import → emit → analyzeText', () => {
  it.each(names)('%s', (name) => {
    const qtreeFile = dir + name + '.qtree.txt';
    const qtree = existsSync(qtreeFile) ? readFileSync(qtreeFile, 'utf8') : undefined;
    const imported = importMtree(readFileSync(dir + name + '.mtreeD.txt', 'utf8'), { qtree });
    const { machine, diagnostics } = analyzeText(imported.text);
    // Real machines analyse without errors or warnings. The only information they carry is an
    // alias window past its target, which some make on purpose (malta's pci0-io, MR3001).
    expect(diagnostics.filter((d) => d.code !== 'MR3001' || d.severity !== 'information')).toEqual([]);
    expect(describeMachine(machine)).toEqual(describeMachine(imported.machine));
  });
});
