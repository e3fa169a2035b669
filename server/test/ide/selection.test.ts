// Expand selection: hand-checked ranges on a small file, and the statement-outline path (which
// parses one header) against the syntax-tree path at every offset of the samples.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { selectionRanges } from '../../src/ide/selection.js';
import { fixture } from './support.js';

const samples = path.join(__dirname, '../../../samples');

const src = `# a machine
address-space memory root system
container system size 2^64 {
  container dev size 64K at 0x1000 priority 1 {
    io reg0 size 0x1000
    io reg1 size 0x<|>1000 at 0x1000
  }
  alias lo -> dev offset 0 size 4K
}
`;

describe('selection ranges', () => {
  it('grow from the number to the whole file, through attribute, statement and bodies', () => {
    const { a, offset, text } = fixture(src);
    const texts = selectionRanges(a, offset).map((s) => text.slice(s.start, s.end));
    const dev = text.slice(text.indexOf('container dev'), text.indexOf('  alias') - 1);
    const devBody = dev.slice(dev.indexOf('{'));
    const sys = text.slice(text.indexOf('container system'), text.lastIndexOf('}') + 1);
    const sysBody = sys.slice(sys.indexOf('{'));
    expect(texts).toEqual([
      '0x1000',
      'size 0x1000',
      'io reg1 size 0x1000 at 0x1000',
      devBody.slice(1, -1),
      devBody,
      dev,
      sysBody.slice(1, -1),
      sysBody,
      sys,
      text,
    ]);
  });

  it('in a header: the name, then the statement; between statements: the body', () => {
    const at = (needle: string, delta: number) => {
      const i = src.replace('<|>', '').indexOf(needle) + delta;
      return fixture(src.replace('<|>', '').slice(0, i) + '<|>' + src.replace('<|>', '').slice(i));
    };
    let { a, offset, text } = at('dev size', 1);
    let texts = selectionRanges(a, offset).map((s) => text.slice(s.start, s.end));
    expect(texts.slice(0, 2)).toEqual(['dev', text.slice(text.indexOf('container dev'), text.indexOf('  alias') - 1)]);
    ({ a, offset, text } = at('    io reg1', 0));
    texts = selectionRanges(a, offset).map((s) => text.slice(s.start, s.end));
    expect(texts[0].startsWith('\n    io reg0')).toBe(true);
    expect(texts[1].startsWith('{\n    io reg0')).toBe(true);
    // An alias target: the name, the target attribute, the statement. In a comment: the document.
    ({ a, offset, text } = at('-> dev', 4));
    expect(selectionRanges(a, offset).map((s) => text.slice(s.start, s.end)).slice(0, 3)).toEqual(['dev', '-> dev', 'alias lo -> dev offset 0 size 4K']);
    ({ a, offset, text } = at('a machine', 2));
    expect(selectionRanges(a, offset).map((s) => text.slice(s.start, s.end))).toEqual([text]);
    // An empty document is still one (empty) range: every position has at least one.
    expect(selectionRanges(analyzeDocument(''), 0)).toEqual([{ start: 0, end: 0 }]);
  });

  it('read from the statement outline equal those read from the syntax tree, at every offset', () => {
    const texts = fs.readdirSync(samples).filter((f) => f.endsWith('.mrd')).map((f) => fs.readFileSync(path.join(samples, f), 'utf8'));
    texts.push(
      'const K = 4K\nram r size K * 2 readonly id RR\ncontainer c size 1M {\n  container d size 64K at 2 * K disabled {\n    io x size (K + 1) at 0 priority -2\n  }\n  alias y -> c/d offset K size K at 0x8_0000\n  ) junk @\n}\naddress-space memory root c\n',
      src.replace('<|>', ''), 'container x size 1 {\n  io y size 1 at 0 {\n', 'alias a -> \nconst C = 1 +\nram r size C');
    let outlined = 0;
    for (const text of texts) {
      const a = analyzeDocument(text);
      if (!a.pci) outlined++;
      for (let i = 0; i <= text.length; i++) {
        const viaOutline = selectionRanges(a, i);
        expect(viaOutline, `offset ${i} of ${JSON.stringify(text.slice(0, 40))}`).toEqual(selectionRanges(a, i, 'tree'));
        // Each range holds the offset and the one before it; the last is the whole text.
        for (let k = 0; k < viaOutline.length; k++) {
          const s = viaOutline[k];
          expect(s.start <= i && i <= s.end).toBe(true);
          if (k > 0) expect(s.start <= viaOutline[k - 1].start && s.end >= viaOutline[k - 1].end).toBe(true);
        }
        expect(viaOutline.at(-1)).toEqual({ start: 0, end: text.length });
      }
    }
    expect(outlined).toBeGreaterThanOrEqual(5);
  });
});
