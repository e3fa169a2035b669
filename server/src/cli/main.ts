// The `mrd` command line over the same facade as the language server. Output goes to
// stdout, problems to stderr; exit 0 = fine, 1 = the input has errors, 2 = usage or I/O.
// Nothing is written to disk unless an output path is given (and never over an existing
// file without --force).
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeDocument } from '../ide/analysis.js';
import { visibilityDiagnostics } from '../ide/visibility.js';
import { printFlat } from '../engine/flatPrint.js';
import { printMtree } from '../engine/mtreePrint.js';
import { importMtree } from '../importer/index.js';
import { type FileDiagnostics, formatJson, formatSarif, formatText } from './diagnosticsOut.js';
import { readIncludeFromDisk } from '../lsp/includes.js';
import { UsageError, readTextFile } from './io.js';
import type { IncludeContext } from '../model/include.js';
import { eventLines, importTraceText, pickRun, summary } from './pciOut.js';
import { documentMapSvg } from '../ide/mapSvg.js';

export const VERSION = '0.1.0';

const USAGE = `usage: mrd <command> [options]
  mrd import-mtree DUMP [--qtree FILE | --cmdline FILE] [-o OUT [--force]]
                                       QEMU 'info mtree -D' dump -> .mrd text
  mrd tree FILE [--disabled]           'info mtree [-D]' format
  mrd flatten FILE                     'info mtree -f' format
  mrd check FILE [--format text|json|sarif]
                                       diagnostics; exit 1 if any is an error
  mrd simulate FILE [--events] [--sequence NAME]
                                       PCI sequence step by step (default: the last one);
                                       --events: one JSON map event per line
  mrd import-trace TRACE.log --pci INFO-PCI.txt [-o OUT [--force]]
                                       QEMU PCI trace + 'info pci' -> .mrd text
  mrd map FILE --svg OUT.svg [--space NAME] [--step N] [--sequence NAME]
          [--scale compressed|linear|log] [--force]
                                       the memory map as a standalone SVG (--svg - : stdout);
                                       --step N: the state after step N of the sequence
  mrd --version | --help`;

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

function parseArgs(args: string[], valued: string[], booleans: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a !== '-') {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (valued.includes(name)) {
        const v = inline ?? args[++i];
        if (v === undefined) throw new UsageError(`${name} needs a value`);
        flags.set(name, v);
      } else if (booleans.includes(name)) {
        flags.set(name, true);
      } else {
        throw new UsageError(`unknown option ${name}`);
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

function oneFile(p: Parsed, cmd: string): string {
  if (p.positional.length !== 1) throw new UsageError(`${cmd} takes exactly one FILE`);
  return p.positional[0];
}

function hasErrors(f: FileDiagnostics): boolean {
  return f.diagnostics.some((d) => d.severity === 'error');
}

/** Includes are read from disk, relative to the including file. */
function includesFrom(path: string): IncludeContext {
  return { path: resolve(path), read: readIncludeFromDisk };
}

/** Analyse FILE; report its errors on stderr (for commands whose stdout is something else). */
function analyzeFile(path: string, io: CliIo) {
  const text = readTextFile(path);
  const a = analyzeDocument(text, undefined, undefined, includesFrom(path));
  const f: FileDiagnostics = { file: path, text, diagnostics: a.diagnostics.filter((d) => d.severity === 'error') };
  if (f.diagnostics.length > 0) io.err(formatText(f));
  return { a, errors: hasErrors(f) };
}

function writeOutput(text: string, out: string | true | undefined, force: boolean, io: CliIo): void {
  if (typeof out !== 'string') {
    io.out(text);
    return;
  }
  try {
    // 'wx' creates the file or fails if it exists, in one step: nothing created between a
    // check and the write can be overwritten without --force.
    writeFileSync(out, text, { flag: force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${out}: exists (use --force to overwrite)`);
    throw new UsageError(`${out}: cannot write (${code ?? 'error'})`);
  }
}

export function runCli(argv: string[], io: CliIo): number {
  try {
    const [cmd, ...rest] = argv;
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        (cmd === undefined ? io.err : io.out)(USAGE + '\n');
        return cmd === undefined ? 2 : 0;
      case '--version':
        io.out(`mrd ${VERSION}\n`);
        return 0;
      case 'import-mtree': {
        const p = parseArgs(rest, ['--qtree', '--cmdline', '-o', '--output'], ['--force']);
        const dump = readTextFile(oneFile(p, cmd));
        const qtreePath = p.flags.get('--qtree');
        const cmdPath = p.flags.get('--cmdline');
        const r = importMtree(dump, {
          qtree: typeof qtreePath === 'string' ? readTextFile(qtreePath) : undefined,
          cmdline: typeof cmdPath === 'string' ? readTextFile(cmdPath) : undefined,
        });
        const f: FileDiagnostics = { file: p.positional[0], text: dump, diagnostics: r.diagnostics };
        const errors = r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
        if (errors.length > 0) io.err(formatText({ ...f, diagnostics: errors }));
        if (r.machine.spaces.length === 0 && r.machine.regions.length === 0) {
          io.err(`mrd: ${p.positional[0]}: no 'info mtree' content found\n`);
          return 1;
        }
        writeOutput(r.text, p.flags.get('-o') ?? p.flags.get('--output'), p.flags.has('--force'), io);
        return hasErrors(f) ? 1 : 0;
      }
      case 'tree': {
        const p = parseArgs(rest, [], ['--disabled', '-D']);
        const { a, errors } = analyzeFile(oneFile(p, cmd), io);
        io.out(printMtree(a.machine, { disabled: p.flags.has('--disabled') || p.flags.has('-D') }));
        return errors ? 1 : 0;
      }
      case 'flatten': {
        const p = parseArgs(rest, [], []);
        const { a, errors } = analyzeFile(oneFile(p, cmd), io);
        io.out(printFlat(a.machine));
        return errors ? 1 : 0;
      }
      case 'check': {
        const p = parseArgs(rest, ['--format'], []);
        const file = oneFile(p, cmd);
        const fmt = p.flags.get('--format') ?? 'text';
        if (fmt !== 'text' && fmt !== 'json' && fmt !== 'sarif') throw new UsageError(`--format must be text, json or sarif`);
        const text = readTextFile(file);
        const a = analyzeDocument(text, undefined, undefined, includesFrom(file));
        const others = new Map(a.includes?.files.map((x) => [x.path, x.text]));
        // The visibility checks need the flat views, which the analysis leaves to its callers.
        const diagnostics = a.diagnostics.concat(visibilityDiagnostics(a)).sort((x, y) => x.span.start - y.span.start);
        const f: FileDiagnostics = { file, text, diagnostics, others };
        io.out(fmt === 'json' ? formatJson(f) : fmt === 'sarif' ? formatSarif(f, VERSION) : formatText(f));
        return hasErrors(f) ? 1 : 0;
      }
      case 'simulate': {
        const p = parseArgs(rest, ['--sequence'], ['--events']);
        const file = oneFile(p, cmd);
        const { a, errors } = analyzeFile(file, io);
        if (!a.pci) {
          io.err(`mrd: ${file}: no PCI statements (pci-host, sequence, …) to simulate\n`);
          return 1;
        }
        const name = p.flags.get('--sequence');
        const run = pickRun(a.pci, typeof name === 'string' ? name : undefined);
        if (!run) throw new UsageError(`${file}: no sequence named '${String(name)}'`);
        io.out(p.flags.has('--events') ? eventLines(run) : summary(run));
        return errors ? 1 : 0;
      }
      case 'import-trace': {
        const p = parseArgs(rest, ['--pci', '-o', '--output'], ['--force']);
        const tracePath = oneFile(p, cmd);
        const infoPath = p.flags.get('--pci');
        if (typeof infoPath !== 'string') throw new UsageError('import-trace needs --pci INFO-PCI.txt (the `info pci` output)');
        const r = importTraceText(readTextFile(tracePath), readTextFile(infoPath), tracePath);
        for (const w of r.warnings) io.err(`mrd: ${tracePath}: ${w}\n`);
        if (r.devices === 0) {
          io.err(`mrd: ${infoPath}: no devices found in the 'info pci' output\n`);
          return 1;
        }
        writeOutput(r.text, p.flags.get('-o') ?? p.flags.get('--output'), p.flags.has('--force'), io);
        return r.steps === 0 ? 1 : 0;
      }
      case 'map': {
        const p = parseArgs(rest, ['--svg', '--space', '--step', '--sequence', '--scale'], ['--force']);
        const file = oneFile(p, cmd);
        const out = p.flags.get('--svg');
        if (typeof out !== 'string') throw new UsageError('map needs --svg OUT.svg (or --svg - for stdout)');
        const scale = p.flags.get('--scale') ?? 'compressed';
        if (scale !== 'compressed' && scale !== 'linear' && scale !== 'log') throw new UsageError('--scale must be compressed, linear or log');
        const stepFlag = p.flags.get('--step');
        if (stepFlag !== undefined && !/^\d{1,9}$/.test(String(stepFlag))) throw new UsageError('--step must be a step number (0 = the start state)');
        const str = (k: string) => { const v = p.flags.get(k); return typeof v === 'string' ? v : undefined; };
        if (out !== '-' && existsSync(out) && !p.flags.has('--force')) throw new UsageError(`${out}: exists (use --force to overwrite)`);
        const { a, errors } = analyzeFile(file, io);
        const r = documentMapSvg(a, {
          name: file.split(/[\\/]/).pop() ?? file, space: str('--space'), sequence: str('--sequence'),
          step: stepFlag === undefined ? undefined : Number(stepFlag), scale,
        });
        if ('error' in r) throw new UsageError(`${file}: ${r.error}`);
        writeOutput(r.svg, out === '-' ? undefined : out, p.flags.has('--force'), io);
        return errors ? 1 : 0;
      }
      default:
        throw new UsageError(`unknown command '${cmd}'\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`mrd: ${e.message}\n`);
      return 2;
    }
    // An internal failure is still one line on stderr, never a stack trace.
    io.err(`mrd: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

/** Entry point of the bundled binary. */
export function main(): void {
  let stdout = '';
  const code = runCli(process.argv.slice(2), {
    out: (s) => {
      stdout += s;
      if (stdout.length > 1 << 16) {
        process.stdout.write(stdout);
        stdout = '';
      }
    },
    err: (s) => process.stderr.write(s),
  });
  process.stdout.write(stdout, () => process.exit(code));
}

// Run when this module is the entry of the CommonJS bundle (server/out/cli.js), not when
// a test imports it.
declare const require: { main?: unknown } | undefined;
declare const module: unknown;
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) main();
