// The parser's plain-region path (parser.ts PlainRegion): which statements a sink that takes
// plain regions receives without nodes, and what it reads of them. That the model built this
// way equals the tree's is checked in model/streaming.test.ts.
import { describe, expect, it } from 'vitest';
import type { RegionNode, StatementNode } from '../../src/syntax/ast.js';
import { type PlainRegion, type StatementSink, parseInto } from '../../src/syntax/parser.js';

type Call = { plain: PlainRegion & { open: number; depth: number } } | { node: string; depth: number } | { close: number };

function record(text: string, plain = true): { calls: Call[]; diagnostics: number } {
  const calls: Call[] = [];
  const sink: StatementSink = {
    statement: (st: StatementNode, depth) => calls.push({ node: text.slice(st.start, st.end), depth }),
    openRegion: (h: RegionNode, depth) => calls.push({ node: text.slice(h.start, h.end), depth }),
    closeRegion: (end) => calls.push({ close: end }),
  };
  // A copy: the parser reuses its record for the next statement.
  if (plain) sink.plainRegion = (r, depth, open) => calls.push({ plain: { ...r, open, depth } });
  const diagnostics = parseInto(text, sink).length;
  return { calls, diagnostics };
}

const names = (calls: Call[]) => calls.map((c) => ('plain' in c ? `plain ${c.plain.name}` : 'node' in c ? `node ${c.node}` : 'close'));

describe('plain region statements', () => {
  it('are handed over without nodes, with their values, flags, spans and body', () => {
    const text = 'container top size 2^64 {\n  io reg0 size 0x1000 at 0x10 priority 3 readonly disabled\n  ram r\n  mmio m prio 2147483647 nonvolatile enabled {\n  }\n}\n';
    const { calls, diagnostics } = record(text);
    expect(diagnostics).toBe(0);
    // `size 2^64` is an expression, not a number: `top` is read into nodes.
    expect(names(calls)).toEqual(['node container top size 2^64', 'plain reg0', 'plain r', 'plain m', 'close', 'close']);
    const reg0 = (calls[1] as { plain: PlainRegion & { open: number; depth: number } }).plain;
    const line = 'io reg0 size 0x1000 at 0x10 priority 3 readonly disabled';
    const at = text.indexOf(line);
    expect(reg0).toEqual({
      kind: 'io', start: at, end: at + line.length, name: 'reg0', nameStart: at + 3, nameEnd: at + 7,
      size: 0x1000n, at: 0x10n, priority: 3, enabled: 0, readonly: true, nonvolatile: false, open: -1, depth: 1,
    });
    const r = (calls[2] as { plain: PlainRegion }).plain;
    expect([r.kind, r.size, r.at, r.priority, r.enabled]).toEqual(['ram', null, 0n, 0, -1]);
    const m = (calls[3] as { plain: PlainRegion & { open: number } }).plain;
    // `mmio` is the model's `io`; the body's `{` is `open`.
    expect([m.kind, m.priority, m.enabled, m.nonvolatile, m.open]).toEqual(['io', 2147483647, 1, true, text.indexOf('{\n  }')]);
    expect((calls[4] as { close: number }).close).toBe(text.indexOf('}\n}') + 1);
  });

  it('take attributes on the lines after the keyword, and end where a line begins something else', () => {
    const text = 'container c {\n  ram a\n    size 4K\n    readonly\n  ram b size 1\n}\n';
    const { calls } = record(text);
    expect(names(calls)).toEqual(['plain c', 'plain a', 'plain b', 'close']);
    expect((calls[1] as { plain: PlainRegion }).plain).toMatchObject({ size: 4096n, readonly: true, end: text.indexOf('readonly') + 8 });
  });

  it('leave every other shape to the nodes', () => {
    const cases = [
      'alias x -> a size 1', // alias
      'iommu x size 1', // iommu
      'ram x size 1 at 0', // `at` at the top level (MR2018)
      'ram x size 1 size 2', // repeated
      'ram x disabled enabled', // repeated (enabled/disabled are one)
      'ram x size 1 + 1', // expression
      'ram x size K', // constant
      'ram x size 18446744073709551617', // above 2^64
      'ram x offset 0', // offset on a non-alias
      'ram x id X', // id
      'ram x romd on', // romd on a ram
      'ram "x" size 1', // quoted name
      'ram io size 1', // keyword as a name
      'ram\nx size 1', // name on the next line
      'ram x size 1 5', // garbage on the line
      'ram x size 1\n  offset 0', // attribute on the next line the shape leaves out
      'ram size 1', // missing name
    ];
    for (const text of cases) {
      const { calls } = record(text);
      expect(names(calls)[0], text).toMatch(/^node /);
    }
    // Inside a body, `at` and `priority` up to 2^64-1 and 2^31-1 are plain; one more is not.
    const body = (attrs: string) => names(record(`container c {\n  ram x ${attrs}\n}`).calls)[1];
    expect(body('at 18446744073709551615 priority 2147483647')).toBe('plain x');
    expect(body('at 18446744073709551616')).toMatch(/^node /);
    expect(body('priority 2147483648')).toMatch(/^node /);
  });

  it('are not taken by a sink that does not ask for them', () => {
    const text = 'container c {\n  ram a size 4K\n}\n';
    expect(names(record(text, false).calls)).toEqual(['node container c', 'node ram a size 4K', 'close']);
  });

  it('are what a typical large machine is made of', () => {
    const device = (i: number) => `  container dev${i} size 64K at ${i * 0x10000} priority 1 {\n    io reg0 size 0x1000 at 0x0\n    io reg1 size 0x1000 at 0x1000 priority 1\n  }\n`;
    const text = `container bus size 64M {\n${Array.from({ length: 50 }, (_, i) => device(i)).join('')}}\n`;
    const calls = record(text).calls.filter((c) => !('close' in c));
    expect(calls.length).toBe(151);
    expect(calls.every((c) => 'plain' in c)).toBe(true);
  });
});
