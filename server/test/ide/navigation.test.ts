import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/base/span.js';
import { definition, prepareRename, references, rename } from '../../src/ide/navigation.js';
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
