// The TextMate grammar and language configuration: valid JSON, every regex compiles, and a
// crude first-match tokenizer (no begin/end nesting) gives the expected scopes on samples.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OnigScanner, OnigString, loadWASM } from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar } from 'vscode-textmate';
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

/** The lines of `it.each` below and, for the real engine, every keyword in each of its groups. */
const cases: [string, string][] = [
  ['const RAM = 128M # c', 'const:storage.type.const RAM:variable.other.constant =:keyword.operator 128:constant.numeric M:keyword.other.unit # c:comment.line.number-sign'],
  ['address-space "I/O" root io', 'address-space:storage.type.address-space "I/O":entity.name.namespace root:keyword.other.root io:variable.other.region'],
  ['alias ram-below-4g -> pc.ram offset 0x1_000', 'alias:storage.type.region ram-below-4g:entity.name.type.region ->:keyword.operator.arrow pc.ram:variable.other.region offset:keyword.other.attribute 0x1_000:constant.numeric'],
  ['romd f size 4KiB romd off disabled', 'romd:storage.type.region f:entity.name.type.region size:keyword.other.attribute 4:constant.numeric KiB:keyword.other.unit romd:keyword.other.attribute off:constant.language disabled:storage.modifier'],
  ['alias a->b/"c d"', 'alias:storage.type.region a:entity.name.type.region ->:keyword.operator.arrow b:variable.other.region /:punctuation.separator.path "c d":variable.other.region'],
  ['include "x.mrd"', 'include:keyword.control.import "x.mrd":string.quoted.double'],
  ['device 01:10.0 nvme0 model vfio-pci', 'device:storage.type.pci 01:10.0:constant.other.bdf nvme0:entity.name.type.pci model:keyword.other.attribute vfio-pci:string.unquoted.pci'],
  ['bar 0 mem64 size 16K', 'bar:keyword.control.step 0:constant.numeric mem64:storage.modifier.pci size:keyword.other.attribute 16:constant.numeric K:keyword.other.unit'],
];

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

  it.each(cases)('%s', (line, expected) => {
    expect(scopes(line)).toBe(expected);
  });
});

// The engine VS Code runs (vscode-textmate on Oniguruma), with begin/end rules and the order in
// which the patterns are tried: each token's scope under the root, adjacent ones merged.
describe('TextMate grammar in vscode-textmate', () => {
  const load = async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new OnigScanner(p), createOnigString: (t: string) => new OnigString(t) }),
      loadGrammar: async () => parseRawGrammar(readFileSync(resolve(__dirname, '../../../syntaxes/mrd.tmLanguage.json'), 'utf8'), 'mrd.tmLanguage.json'),
    });
    return (await registry.loadGrammar('source.mrd'))!;
  };
  const engine = load();
  const tokens = async (line: string): Promise<string> => {
    const g = await engine;
    const out: [string, string][] = [];
    for (const t of g.tokenizeLine(line, INITIAL).tokens) {
      const scope = (t.scopes[1] ?? '').replace(/\.mrd$/, '');
      const text = line.slice(t.startIndex, t.endIndex);
      if (scope === '') continue;
      const last = out[out.length - 1];
      if (last && last[1] === scope && out.length > 0 && line.slice(0, t.startIndex).endsWith(last[0])) last[0] += text;
      else out.push([text, scope]);
    }
    return out.map(([t, sc]) => `${t}:${sc}`).join(' ');
  };

  it.each(cases)('%s', async (line, expected) => {
    expect(await tokens(line)).toBe(expected);
  });

  it.each([
    ['include', 'keyword.control.import'],
    ...['size', 'at', 'priority', 'prio', 'offset', 'id', 'root'].map((w) => [w, 'keyword.other.attribute']),
    ...['disabled', 'enabled', 'readonly', 'nonvolatile'].map((w) => [w, 'storage.modifier']),
    ['none', 'constant.language.none'],
    ...['container', 'io', 'mmio', 'ram', 'rom', 'romd', 'ramd', 'iommu', 'alias', 'const', 'address-space'].map((w) => [w, 'storage.type']),
    ...['window', 'bar', 'read', 'write', 'reset', 'devices'].map((w) => [w, 'keyword.control.step']),
    ...['mem32', 'mem64', 'pref', 'prefetchable', 'express', 'root-port', 'allow-0', 'all', 'programmed', 'x-vga'].map((w) => [w, 'storage.modifier.pci']),
    ...['mem', 'bus', 'model', 'vendor-id', 'device-id', 'class', 'command', 'realize-command', 'serr', 'secondary', 'subordinate',
      'primary', 'limit', 'region', 'name', 'start', 'expect', 'phys-bits', 'aw-bits'].map((w) => [w, 'keyword.other.attribute']),
  ])('the keyword %s, alone at the end of a line, is %s', async (word, scope) => {
    // Alone (nothing after it): the rules that also take a name do not apply. Glued to more
    // letters it is no keyword (only a `-` inside it may still be read as an operator).
    expect(await tokens(`x ${word}`)).toBe(`${word}:${scope}`);
    expect(await tokens(`x ${word}x`)).toBe(word.includes('-') ? '-:keyword.operator' : '');
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
