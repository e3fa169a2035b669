// The workspace's .mrd files that are not open in the editor, for `workspace/symbol`: found
// under the workspace folders (hidden folders and node_modules skipped), each read and analysed
// when first asked for and again after it changed on disk (its size or modification time, or a
// watched-file event), its symbols kept as LSP locations, not its analysis.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkspaceSymbol } from 'vscode-languageserver/node';
import { analyzeDocument } from '../ide/analysis.js';
import { fuzzyMatch, workspaceSymbols } from '../ide/workspaceSymbols.js';
import { normalizePath } from '../model/include.js';
import { Converter } from './convert.js';
import { readIncludeFromDisk } from './includes.js';

/** Limits of the walk: files found, folders read, folder depth. */
const MAX_FILES = 5000;
const MAX_DIRS = 20_000;
const MAX_DEPTH = 32;
/**
 * Reading files not read yet stops after this long in one request (the others are read by the
 * next: editors ask again as the query is typed), so a large workspace never stalls the server.
 */
const READ_BUDGET_MS = 300;
/** Symbols kept of one file (a 100k-region machine has as many). */
const MAX_SYMBOLS_PER_FILE = 200_000;
/** Without watched-file events, the folders are walked and the files checked at most this often. */
const RECHECK_MS = 5000;

interface Indexed {
  readonly size: number;
  readonly mtimeMs: number;
  readonly symbols: readonly WorkspaceSymbol[];
}

export class WorkspaceFiles {
  private files: string[] | null = null;
  private checkedAt = -Infinity;
  private readonly index = new Map<string, Indexed>();

  /** `roots`: the workspace folders' paths. */
  constructor(private readonly roots: readonly string[], private readonly readBudgetMs = READ_BUDGET_MS) {}

  /** Files changed, created or deleted (watched-file events): read again when next asked. */
  changed(paths: readonly string[]): void {
    for (const p of paths) this.index.delete(p);
    // A file may have come or gone: walk again.
    this.files = null;
  }

  /**
   * The symbols of the closed files whose names match `query` (fuzzy, as for open documents),
   * at most `limit`. `isOpen(path)`: the editor has the file (its own symbols come from there).
   */
  symbols(query: string, isOpen: (path: string) => boolean, limit: number): WorkspaceSymbol[] {
    if (this.roots.length === 0 || limit <= 0) return [];
    const now = Date.now();
    const recheck = now - this.checkedAt >= RECHECK_MS;
    if (recheck || this.files === null) {
      this.files = this.walk();
      this.checkedAt = now;
    }
    const out: WorkspaceSymbol[] = [];
    const until = performance.now() + this.readBudgetMs;
    let read = 0;
    for (const file of this.files) {
      if (out.length >= limit) break;
      if (isOpen(file)) continue;
      // At least one new file per request, more while the budget lasts.
      if (!this.index.has(file)) {
        if (read > 0 && performance.now() > until) continue;
        read++;
      }
      const entry = this.entry(file, recheck);
      if (!entry) continue;
      for (const s of entry.symbols) {
        if (fuzzyMatch(query, s.name)) out.push(s);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  /** The file's symbols, read again if it changed (checked when `check`). Null when unreadable. */
  private entry(file: string, check: boolean): Indexed | null {
    const known = this.index.get(file);
    if (known && !check) return known;
    let st;
    try {
      st = statSync(file);
    } catch {
      this.index.delete(file);
      return null;
    }
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return known;
    const read = readIncludeFromDisk(file);
    if (!('text' in read)) {
      this.index.delete(file);
      return null;
    }
    const uri = pathToFileURL(file).href;
    const conv = new Converter(uri, read.text);
    const symbols = workspaceSymbols([{ uri, analysis: analyzeDocument(read.text) }], '', MAX_SYMBOLS_PER_FILE)
      .map((s) => conv.workspaceSymbol(s));
    const entry = { size: st.size, mtimeMs: st.mtimeMs, symbols };
    this.index.set(file, entry);
    return entry;
  }

  /** The .mrd files under the roots, in a stable order. */
  private walk(): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (dir: string, depth: number) => {
      if (depth > MAX_DEPTH || out.length >= MAX_FILES || seen.size >= MAX_DIRS || seen.has(dir)) return;
      seen.add(dir);
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      for (const e of entries) {
        if (out.length >= MAX_FILES) return;
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) visit(p, depth + 1);
        else if (e.isFile() && e.name.endsWith('.mrd')) out.push(normalizePath(p));
      }
    };
    for (const r of this.roots) visit(r, 0);
    return out;
  }
}
