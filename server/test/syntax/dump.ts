// Test helper: a compact, reviewable text dump of a syntax tree (one node per line, spans as
// `@start..end` with the source text of leaves), for golden files.
import type { FileNode } from '../../src/syntax/ast.js';

type Obj = Record<string, unknown> & { kind?: string; start?: number; end?: number };

export function dumpTree(file: FileNode, text: string): string {
  const out: string[] = [];
  const walk = (label: string, v: unknown, depth: number): void => {
    const pad = '  '.repeat(depth);
    if (v === null || v === undefined) {
      if (v === null) out.push(`${pad}${label}: null`);
      return;
    }
    if (Array.isArray(v)) {
      out.push(`${pad}${label}: [${v.length === 0 ? ']' : ''}`);
      if (v.length === 0) return;
      for (const x of v) walk('-', x, depth + 1);
      out.push(`${pad}]`);
      return;
    }
    if (typeof v === 'object') {
      const o = v as Obj;
      const scalars: string[] = [];
      const nested: [string, unknown][] = [];
      for (const [k, x] of Object.entries(o)) {
        if (k === 'kind' || k === 'start' || k === 'end') continue;
        if (x !== null && typeof x === 'object') nested.push([k, x]);
        else if (x !== undefined && x !== false) scalars.push(`${k}=${typeof x === 'string' ? JSON.stringify(x) : String(x)}`);
      }
      const src = nested.length === 0 ? ` ${JSON.stringify(text.slice(o.start, o.end))}` : '';
      const head = `${pad}${label === '-' ? '' : label + ': '}${o.kind} @${o.start}..${o.end}${scalars.length ? ' ' + scalars.join(' ') : ''}${src}`;
      out.push(head);
      for (const [k, x] of nested) walk(k, x, depth + 1);
      return;
    }
    out.push(`${pad}${label}: ${String(v)}`);
  };
  walk('file', file, 0);
  return out.join('\n') + '\n';
}
