import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/base/span.js';
import { definition, highlights, prepareRename, references, rename } from '../../src/ide/navigation.js';
import { analyzeDocument } from '../../src/ide/analysis.js';
import { fixture } from './support.js';

const src = `
const RAM = 128M
address-space memory root system
container system size 2^64 {
  alias ram-below-4g -> pc.ram size RAM
  alias ram-above-4g -> pc.ram offset RAM - 64M size 64M at 4G
  container pci size 2^64 priority -1 id pcihole {
    rom bios size 256K at 0xfffc_0000
  }
  alias hole-view -> pcihole size 1M
  alias bios-view -> system/pci/bios size 128K at 0xe_0000
}
ram pc.ram size RAM
`;

/** Puts the cursor inside the n-th (0-based) occurrence of `word`. */
function at(word: string, n = 0) {
  let i = -1;
  for (let k = 0; k <= n; k++) i = src.indexOf(word, i + 1);
  if (i < 0) throw new Error(`no ${word}`);
  return fixture(src.slice(0, i + 1) + '<|>' + src.slice(i + 1));
}
const texts = (text: string, spans: Span[]) => spans.map((s) => `${s.start}:${text.slice(s.start, s.end)}`);

describe('definition', () => {
  it('goes from an alias target to the region', () => {
    const { a, offset, text } = at('pc.ram');
    const [d] = definition(a, offset);
    expect(text.slice(d.start, d.end)).toBe('pc.ram');
    expect(d.start).toBe(text.lastIndexOf('pc.ram'));
  });

  it('goes through ids, path segments and constants', () => {
    let { a, offset, text } = at('pcihole', 1);
    expect(definition(a, offset).map((d) => text.slice(d.start, d.end))).toEqual(['pcihole']);
    ({ a, offset, text } = at('/bios'));
    expect(definition(a, offset).map((d) => d.start)).toEqual([text.indexOf('bios size')]);
    ({ a, offset, text } = at('RAM', 1));
    expect(definition(a, offset).map((d) => d.start)).toEqual([text.indexOf('RAM')]);
  });
});

describe('references', () => {
  it('finds every reference, with or without the declaration', () => {
    const { a, offset, text } = at('pc.ram', 2);
    expect(texts(text, references(a, offset, true))).toHaveLength(3);
    expect(texts(text, references(a, offset, false))).toHaveLength(2);
  });
  it('finds constant uses', () => {
    const { a, offset } = at('RAM');
    expect(references(a, offset, true)).toHaveLength(4);
  });
});

describe('highlights', () => {
  const marks = (text: string, hs: ReturnType<typeof highlights>) =>
    hs.map((h) => `${h.declaration ? 'decl' : 'use'} ${h.span.start}:${text.slice(h.span.start, h.span.end)}`);

  it("marks a region's declaration and its uses by name and by path", () => {
    const { a, offset, text } = at('pc.ram', 1);
    expect(marks(text, highlights(a, offset))).toEqual([
      `use ${text.indexOf('pc.ram')}:pc.ram`,
      `use ${text.indexOf('pc.ram', text.indexOf('pc.ram') + 1)}:pc.ram`,
      `decl ${text.lastIndexOf('pc.ram')}:pc.ram`,
    ]);
    // From a path segment: the region it names, not the words spelt the same.
    const b = at('/bios');
    expect(marks(b.text, highlights(b.a, b.offset))).toEqual([
      `decl ${b.text.indexOf('bios size')}:bios`,
      `use ${b.text.indexOf('/bios') + 1}:bios`,
    ]);
  });

  it("marks a region's name and id as declarations, and the uses of either", () => {
    const { a, offset, text } = at('pcihole', 1);
    expect(marks(text, highlights(a, offset))).toEqual([
      `decl ${text.indexOf('pci size')}:pci`,
      `decl ${text.indexOf('pcihole')}:pcihole`,
      `use ${text.lastIndexOf('pcihole')}:pcihole`,
      // The path `system/pci/bios` goes through it by name.
      `use ${text.indexOf('/pci/') + 1}:pci`,
    ]);
  });

  it('marks constant uses', () => {
    const { a, offset, text } = at('RAM', 2);
    const hs = highlights(a, offset);
    expect(hs.filter((h) => h.declaration).map((h) => h.span.start)).toEqual([text.indexOf('RAM')]);
    expect(hs.filter((h) => !h.declaration)).toHaveLength(3);
  });

  it('keeps to the one region when another of the same name is elsewhere', () => {
    const src2 = [
      'container top size 2^64 {',
      '  container a size 64K { io reg size 0x1000 }',
      '  container b size 64K at 0x10000 { io reg size 0x1000 }',
      '  alias v -> top/a/reg size 0x100 at 0x20000',
      '  alias w -> top/b/reg size 0x100 at 0x30000',
      '}',
      'address-space memory root top',
    ].join('\n');
    const text = src2;
    const a = analyzeDocument(text);
    expect(a.diagnostics).toEqual([]);
    const onRef = text.indexOf('a/reg') + 3;
    expect(marks(text, highlights(a, onRef))).toEqual([
      `decl ${text.indexOf('reg size')}:reg`,
      `use ${onRef - 1}:reg`,
    ]);
    const secondDecl = text.indexOf('reg size', text.indexOf('container b'));
    expect(marks(text, highlights(a, secondDecl + 1))).toEqual([
      `decl ${secondDecl}:reg`,
      `use ${text.indexOf('b/reg') + 2}:reg`,
    ]);
  });

  it('marks a device address and the sequences and IOMMUs naming it', () => {
    const text = readFileSync(path.join(__dirname, '../../../samples/q35-vfio-sizing.mrd'), 'utf8');
    const a = analyzeDocument(text);
    const decl = text.indexOf('device 01:10.0') + 'device '.length;
    const hs = highlights(a, decl + 1);
    expect(hs[0]).toEqual({ span: { start: decl, end: decl + 7 }, declaration: true });
    expect(hs.length).toBeGreaterThan(1);
    for (const h of hs.slice(1)) {
      expect(h.declaration).toBe(false);
      expect(text.slice(h.span.start, h.span.end)).toBe('01:10.0');
    }
    // Where the sample names the device: its declaration, the IOMMU's devices, the sequence;
    // not the comment or the region names that spell the address too.
    expect(hs.map((h) => h.span.start)).toEqual([
      decl, text.indexOf('devices 01:10.0') + 'devices '.length, text.indexOf('on 01:10.0 {') + 'on '.length,
    ]);
    expect(text.indexOf('01:10.0')).toBeLessThan(decl);
  });

  it('is empty off a symbol', () => {
    const { a, offset } = at('size');
    expect(highlights(a, offset)).toEqual([]);
  });
});

describe('rename', () => {
  const apply = (text: string, edits: readonly { span: Span; text: string }[]) =>
    [...edits].sort((x, y) => y.span.start - x.span.start).reduce((t, e) => t.slice(0, e.span.start) + e.text + t.slice(e.span.end), text);

  it('renames a region and its references', () => {
    const { a, offset, text } = at('pc.ram');
    const r = rename(a, offset, 'ram0');
    expect(r.ok).toBe(true);
    const out = apply(text, r.ok ? r.edits : []);
    expect(out).toContain('-> ram0 size RAM');
    expect(out).toContain('ram ram0 size RAM');
    expect(out).not.toContain('pc.ram');
  });

  it('quotes a name that is not a bare word', () => {
    const { a, offset, text } = at('bios');
    const r = rename(a, offset, 'boot rom');
    expect(r.ok && apply(text, r.edits)).toContain('system/pci/"boot rom"');
  });

  it('renames an id without touching the name', () => {
    const { a, offset, text } = at('pcihole', 1);
    const r = rename(a, offset, 'hole');
    const out = apply(text, r.ok ? r.edits : []);
    expect(out).toContain('id hole');
    expect(out).toContain('-> hole size 1M');
    expect(out).toContain('container pci size');
  });

  it('refuses names that would make references ambiguous, and invalid names', () => {
    let { a, offset } = at('pc.ram');
    expect(rename(a, offset, 'system')).toMatchObject({ ok: false });
    ({ a, offset } = at('RAM'));
    expect(rename(a, offset, '1x')).toMatchObject({ ok: false });
    ({ a, offset } = at('size 2^64'));
    expect(rename(a, offset, 'x')).toMatchObject({ ok: false });
  });

  it('prepares a rename with the current name', () => {
    const { a, offset } = at('pc.ram');
    expect(prepareRename(a, offset)?.placeholder).toBe('pc.ram');
  });
});
