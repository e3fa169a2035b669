// The acceptance of traces.test.ts through the text: every real trace in
// ../shared/oracle/bar-traces goes `mrd import-trace` → .mrd text → `mrd simulate --events`,
// and the JSON lines must equal QEMU's recorded map events (events.json), each attributed to
// the config access that caused it (step = number of accesses up to and including it).
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { analyzeDocument } from '../../src/ide/analysis.js';

const ROOT = resolve(__dirname, '../../../../shared/oracle/bar-traces');
const folders = existsSync(ROOT)
  ? readdirSync(ROOT).filter((f) => existsSync(join(ROOT, f, 'trace.log'))).sort()
  : [];
const tmp = mkdtempSync(join(tmpdir(), 'mrd-roundtrip-'));

function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

interface JsonEvent { kind: string; dev: string; bar?: number; addr?: string; size?: string }

/** events.json map events as `simulate --events` prints them. */
function recorded(f: string): string[] {
  const events: JsonEvent[] = JSON.parse(readFileSync(join(ROOT, f, 'events.json'), 'utf8'));
  let accesses = 0;
  const out: string[] = [];
  for (const e of events) {
    if (e.kind === 'cfg-read' || e.kind === 'cfg-write') accesses++;
    else if (e.kind === 'map-add' || e.kind === 'map-del') {
      out.push(JSON.stringify({ step: accesses, kind: e.kind, dev: e.dev, bar: e.bar, addr: e.addr, size: e.size }));
    }
  }
  return out;
}

describe.skipIf(folders.length === 0)('text round trip of the real QEMU 7.2 BAR traces', () => {
  it('finds the trace folders', () => {
    expect(folders.length).toBeGreaterThanOrEqual(5);
  });

  for (const f of folders) {
    it(`${f}: import-trace → .mrd → simulate --events gives QEMU's map events`, () => {
      const mrd = join(tmp, `${f}.mrd`);
      const imp = run('import-trace', join(ROOT, f, 'trace.log'), '--pci', join(ROOT, f, 'info-pci.txt'), '-o', mrd);
      expect(imp.err).toBe('');
      expect(imp.code).toBe(0);
      const sim = run('simulate', mrd, '--events');
      expect(sim.err).toBe('');
      expect(sim.code).toBe(0);
      const want = recorded(f);
      expect(want.length).toBeGreaterThan(0);
      expect(sim.out.trimEnd().split('\n')).toEqual(want);
    });

    it(`${f}: the imported text has no errors and every read matches (no MR6003)`, () => {
      const text = readFileSync(join(tmp, `${f}.mrd`), 'utf8');
      const a = analyzeDocument(text);
      expect(a.diagnostics.filter((d) => d.severity === 'error' || d.code === 'MR6004' || d.code === 'MR2033')).toEqual([]);
      // Sizing with decode on is what trace f exists for; the others size with decode off.
      const sizing = a.diagnostics.filter((d) => d.code === 'MR6001');
      if (f.includes('decode-on')) expect(sizing.length).toBeGreaterThan(0);
      else expect(sizing).toEqual([]);
    });
  }
});
