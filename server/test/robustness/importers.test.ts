// The importers on cut, shuffled and garbled captures: `info mtree -D` dumps and BAR traces
// (trace.log + info pci). They never throw, and whatever they emit is a .mrd text without a
// single syntax error (a corrupted capture is diagnosed, never turned into broken text).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTraceText } from '../../src/cli/pciOut.js';
import { importMtree } from '../../src/importer/index.js';
import { analyzeText } from '../../src/model/analyze.js';
import { oracleDir, rng } from './harness.js';

const junk = ['\r', '\n', '\r\n', '"', '\\', '@', '-', ' ', '0', 'f', ':', '{', '}', '#', 'é', '\u0000', '\t', 'alias ', '(prio '];

/** Truncations, deleted or duplicated lines, and single-character damage. */
function mutations(text: string, count: number, seed: number): string[] {
  const r = rng(seed);
  const lines = text.split('\n');
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    switch (k % 4) {
      case 0: out.push(text.slice(0, r(text.length + 1))); break;
      case 1: {
        const ls = lines.slice();
        ls.splice(r(ls.length), 1 + r(4));
        out.push(ls.join('\n'));
        break;
      }
      case 2: {
        const ls = lines.slice();
        const i = r(ls.length);
        ls.splice(r(ls.length), 0, ls[i]);
        out.push(ls.join('\n'));
        break;
      }
      default: {
        let t = text;
        for (let j = 1 + r(3); j > 0; j--) {
          const i = r(t.length);
          t = t.slice(0, i) + junk[r(junk.length)] + t.slice(i + 1);
        }
        out.push(t);
      }
    }
  }
  return out;
}

const syntaxErrors = (text: string) =>
  analyzeText(text).diagnostics.filter((d) => d.code.startsWith('MR1')).map((d) => `${d.code} ${JSON.stringify(text.slice(d.span.start - 40, d.span.end + 20))}`);

describe('import-mtree on damaged dumps', () => {
  const dumps = readdirSync(oracleDir).filter((f) => f.endsWith('.mtreeD.txt')).sort();
  it.each(dumps)('%s', (f) => {
    const dump = readFileSync(path.join(oracleDir, f), 'utf8');
    for (const t of [...mutations(dump, 24, f.length * 7919), dump.replace(/\r\n/g, '\r'), dump.replace(/\r?\n/g, '\n')]) {
      const r = importMtree(t);
      expect(syntaxErrors(r.text)).toEqual([]);
    }
  });
  it('a name holding a lone CR (a damaged CRLF dump) is not emitted as a broken string', () => {
    const dump = readFileSync(path.join(oracleDir, 'aarch64-virt-smmuv3.mtreeD.txt'), 'utf8');
    const i = dump.indexOf('address-space: smmuv3-iommu-memory-region');
    const eol = dump.indexOf('\r\n', i);
    const damaged = dump.slice(0, eol + 1) + '>' + dump.slice(eol + 2);
    expect(syntaxErrors(importMtree(damaged).text)).toEqual([]);
  });
});

describe('import-trace on damaged traces', () => {
  const traces = path.resolve(oracleDir, '../bar-traces');
  const dirs = readdirSync(traces, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  it.each(dirs)('%s', (d) => {
    const trace = readFileSync(path.join(traces, d, 'trace.log'), 'utf8');
    const info = readFileSync(path.join(traces, d, 'info-pci.txt'), 'utf8');
    const cases: [string, string][] = [
      ...mutations(trace, 8, d.length * 31).map((t): [string, string] => [t, info]),
      ...mutations(info, 8, d.length * 37).map((i): [string, string] => [trace, i]),
      ['', info], [trace, ''], [trace.replace(/\n/g, '\r\n'), info.replace(/\n/g, '\r')],
    ];
    for (const [t, i] of cases) {
      const r = importTraceText(t, i, 'trace.log');
      expect(syntaxErrors(r.text)).toEqual([]);
    }
  }, 60_000);
});
