// Diagnostic output formats of `mrd check`: text (`file:line:col: severity CODE: message`,
// 1-based like compilers), json (0-based LSP ranges) and SARIF 2.1.0.
import type { Diagnostic } from '../base/diagnostic.js';
import { catalog } from '../base/catalog/index.js';
import { LineIndex } from '../base/span.js';

export interface FileDiagnostics {
  file: string;
  text: string;
  diagnostics: readonly Diagnostic[];
  /** Texts of the files it includes, by path: related locations in them are placed there. */
  others?: ReadonlyMap<string, string>;
}

/** The line index a related location's span is in: its own file's, else the document's. */
function indexFor(f: FileDiagnostics, idx: LineIndex, file: string | undefined, cache: Map<string, LineIndex>): LineIndex {
  const text = file === undefined ? undefined : f.others?.get(file);
  if (text === undefined || file === undefined) return idx;
  let i = cache.get(file);
  if (!i) cache.set(file, (i = new LineIndex(text)));
  return i;
}

function range(idx: LineIndex, d: Diagnostic) {
  return { start: idx.position(d.span.start), end: idx.position(d.span.end) };
}

export function formatText(f: FileDiagnostics): string {
  const idx = new LineIndex(f.text);
  return f.diagnostics
    .map((d) => {
      const p = idx.position(d.span.start);
      return `${f.file}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code}: ${d.message}\n`;
    })
    .join('');
}

export function formatJson(f: FileDiagnostics): string {
  const idx = new LineIndex(f.text);
  const cache = new Map<string, LineIndex>();
  const out = f.diagnostics.map((d) => ({
    file: f.file,
    range: range(idx, d),
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.related && d.related.length > 0
      ? {
          related: d.related.map((r) => {
            const ri = indexFor(f, idx, r.file, cache);
            return { ...(r.file ? { file: r.file } : {}), range: { start: ri.position(r.span.start), end: ri.position(r.span.end) }, message: r.message };
          }),
        }
      : {}),
  }));
  return JSON.stringify(out, null, 2) + '\n';
}

const sarifLevel = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

export function formatSarif(f: FileDiagnostics, version: string): string {
  const idx = new LineIndex(f.text);
  const cache = new Map<string, LineIndex>();
  const codes = [...new Set(f.diagnostics.map((d) => d.code))].sort();
  const rules = codes.map((code) => {
    const e = catalog.get(code);
    return {
      id: code,
      shortDescription: { text: e ? e.message : code },
      ...(e ? { fullDescription: { text: e.explanation } } : {}),
      defaultConfiguration: { level: e ? sarifLevel[e.severity] : 'warning' },
    };
  });
  const results = f.diagnostics.map((d) => {
    const r = range(idx, d);
    return {
      ruleId: d.code,
      ruleIndex: codes.indexOf(d.code),
      level: sarifLevel[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.file },
            region: {
              startLine: r.start.line + 1,
              startColumn: r.start.character + 1,
              endLine: r.end.line + 1,
              endColumn: r.end.character + 1,
            },
          },
        },
      ],
      ...(d.related && d.related.length > 0
        ? {
            relatedLocations: d.related.map((rel, i) => {
              const ri = indexFor(f, idx, rel.file, cache);
              const s = ri.position(rel.span.start);
              const e = ri.position(rel.span.end);
              return {
                id: i,
                message: { text: rel.message },
                physicalLocation: {
                  artifactLocation: { uri: rel.file ?? f.file },
                  region: { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 },
                },
              };
            }),
          }
        : {}),
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'mrd', version, rules } }, results }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
