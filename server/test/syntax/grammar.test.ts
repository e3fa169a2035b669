// The TextMate grammar and language configuration: valid JSON, every regex compiles, and a
// crude first-match tokenizer (no begin/end nesting) gives the expected scopes on samples.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const read = (f: string) => JSON.parse(readFileSync(resolve(__dirname, '../../../syntaxes', f), 'utf8'));
const grammar = read('mrd.tmLanguage.json');
const config = read('language-configuration.json');

interface Rule {
  match?: string;
  begin?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
  patterns?: Rule[];
  include?: string;
}
const STRING = String.raw`"(?:[^"\\]|\\.)*"?`;
const rules: Rule[] = [];
const add = (r: Rule): void => {
  if (r.include) return add(grammar.repository[r.include.slice(1)]);
  if (r.patterns && !r.begin) r.patterns.forEach(add);
  else rules.push(r);
};
(grammar.patterns as Rule[]).forEach(add);
const compiled = rules.map((r) => ({ r, re: new RegExp(r.begin ? STRING : r.match!, 'uy') }));

function scopes(line: string): string {
  const out: string[] = [];
  for (let i = 0; i < line.length; ) {
    let hit: { r: Rule; m: RegExpExecArray } | null = null;
    for (const { r, re } of compiled) {
      re.lastIndex = i;
      const m = re.exec(line);
      if (m && m[0].length) {
        hit = { r, m };
        break;
      }
    }
    if (!hit) {
      i++;
      continue;
    }
    const { r, m } = hit;
    if (r.captures) {
      for (const [k, v] of Object.entries(r.captures)) if (m[+k]) out.push(`${m[+k]}:${v.name.replace(/\.mrd$/, '')}`);
    } else out.push(`${m[0]}:${(r.name ?? '').replace(/\.mrd$/, '')}`);
    i += m[0].length;
  }
  return out.join(' ');
}

describe('TextMate grammar', () => {
  it('has the scope name and compiling regexes', () => {
    expect(grammar.scopeName).toBe('source.mrd');
    const all: string[] = [];
    const walk = (x: unknown): void => {
      if (x && typeof x === 'object') {
        for (const [k, v] of Object.entries(x)) {
          if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') all.push(v);
          else walk(v);
        }
      }
    };
    walk(grammar);
    for (const re of all) expect(() => new RegExp(re, 'u')).not.toThrow();
  });

  it.each([
    ['const RAM = 128M # c', 'const:storage.type.const RAM:variable.other.constant =:keyword.operator 128:constant.numeric M:keyword.other.unit # c:comment.line.number-sign'],
    ['address-space "I/O" root io', 'address-space:storage.type.address-space "I/O":entity.name.namespace root:keyword.other.root io:variable.other.region'],
    ['alias ram-below-4g -> pc.ram offset 0x1_000', 'alias:storage.type.region ram-below-4g:entity.name.type.region ->:keyword.operator.arrow pc.ram:variable.other.region offset:keyword.other.attribute 0x1_000:constant.numeric'],
    ['romd f size 4KiB romd off disabled', 'romd:storage.type.region f:entity.name.type.region size:keyword.other.attribute 4:constant.numeric KiB:keyword.other.unit romd:keyword.other.attribute off:constant.language disabled:storage.modifier'],
    ['alias a->b/"c d"', 'alias:storage.type.region a:entity.name.type.region ->:keyword.operator.arrow b:variable.other.region /:punctuation.separator.path "c d":variable.other.region'],
    ['include "x.mrd"', 'include:keyword.control.import "x.mrd":string.quoted.double'],
    ['device 01:10.0 nvme0 model vfio-pci', 'device:storage.type.pci 01:10.0:constant.other.bdf nvme0:entity.name.type.pci model:keyword.other.attribute vfio-pci:string.unquoted.pci'],
    ['bar 0 mem64 size 16K', 'bar:keyword.control.step 0:constant.numeric mem64:storage.modifier.pci size:keyword.other.attribute 16:constant.numeric K:keyword.other.unit'],
  ])('%s', (line, expected) => {
    expect(scopes(line)).toBe(expected);
  });
});

describe('language configuration', () => {
  it('comments, brackets, auto-closing quotes', () => {
    expect(config.comments.lineComment).toBe('#');
    expect(config.brackets).toEqual([['{', '}'], ['(', ')']]);
    expect(config.autoClosingPairs.map((p: { open: string }) => p.open)).toEqual(['{', '(', '"']);
    expect(new RegExp(config.wordPattern).exec('  ram-below-4g->x')?.[0]).toBe('ram-below-4g');
  });
});
