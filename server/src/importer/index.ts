// `mrd import-mtree`: QEMU `info mtree -D` text → Machine → .mrd text. Optional `info qtree`
// or command line recovers address-space creation order (R-DUMP-1); without it the board
// convention is used and an information diagnostic says so.
import type { Diagnostic } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import { span } from '../base/span.js';
import type { Machine } from '../model/region.js';
import { parseMtreeDump } from './mtreeDump.js';
import { importDump } from './importMtree.js';
import { emitMrd } from './emit.js';
import { addressSpaceRank } from './facts.js';

export interface ImportOptions {
  /** `info qtree` output of the same machine. */
  qtree?: string;
  /** The QEMU command line (its `-device` options, in order). */
  cmdline?: string;
  /** Comment lines for the top of the emitted text. */
  header?: string[];
}

export interface ImportMtreeResult {
  text: string;
  machine: Machine;
  diagnostics: Diagnostic[];
}

export function importMtree(dumpText: string, opts: ImportOptions = {}): ImportMtreeResult {
  const dump = parseMtreeDump(dumpText);
  const devices = opts.qtree ? qtreeCreationOrder(opts.qtree) : opts.cmdline ? cmdlineDevices(opts.cmdline) : [];
  const { machine, diagnostics } = importDump(dump, (spaces) => addressSpaceOrder(spaces, devices));
  if (!opts.qtree && !opts.cmdline) {
    diagnostics.push(diag('MR7012', span(0, 0), { reason: 'no info qtree or command line given' }));
  }
  const header = opts.header ?? [
    'Imported from QEMU `info mtree -D` by mrd import-mtree.',
    opts.qtree
      ? 'Address-space order: recovered from `info qtree`.'
      : opts.cmdline
        ? 'Address-space order: board convention, then -device order from the command line.'
        : 'Address-space order: board convention (give --qtree or --cmdline to recover it).',
  ];
  const text = emitMrd(machine, { header });
  return { text, machine, diagnostics };
}

/**
 * Indices of `spaces` in creation order. A name equal to a device type takes the rank of the
 * next unused device of that type; ties keep printed order.
 */
export function addressSpaceOrder(
  spaces: readonly { name: string; root: { name: string } | null }[],
  devices: readonly string[],
): number[] {
  const pos = new Map<string, number[]>();
  devices.forEach((d, i) => {
    let l = pos.get(d);
    if (!l) pos.set(d, (l = []));
    l.push(i);
  });
  const ranks = spaces.map((s, i) => {
    const l = pos.get(s.name);
    return addressSpaceRank(s.name, s.root ? s.root.name : null, i, l && l.length ? l.shift() : undefined);
  });
  const cmp = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = (a[i] ?? -1) - (b[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  };
  return spaces.map((_, i) => i).sort((a, b) => cmp(ranks[a], ranks[b]) || a - b);
}

/**
 * Device types in creation order from `info qtree`. QEMU lists a bus's children newest
 * first and a device's buses newest first (bus_add_child and qbus_init insert at the head),
 * so both lists are reversed; a device precedes the devices on its own buses.
 */
export function qtreeCreationOrder(qtree: string): string[] {
  interface QNode { indent: number; kind: 'dev' | 'bus'; name: string; children: QNode[] }
  const root: QNode = { indent: -1, kind: 'bus', name: '', children: [] };
  const stack: QNode[] = [root];
  for (const raw of qtree.split(/\r?\n/)) {
    const m = /^( *)(dev|bus): ([^,]+)/.exec(raw);
    if (!m) continue;
    const node: QNode = { indent: m[1].length, kind: m[2] as 'dev' | 'bus', name: m[3].trim(), children: [] };
    while (stack.length > 1 && stack[stack.length - 1].indent >= node.indent) stack.pop();
    stack[stack.length - 1].children.push(node);
    stack.push(node);
  }
  const out: string[] = [];
  const visit = (n: QNode) => {
    if (n.kind === 'dev') out.push(n.name);
    for (let i = n.children.length - 1; i >= 0; i--) visit(n.children[i]);
  };
  visit(root);
  return out;
}

/** `-device DRIVER,...` drivers in command-line order (user devices follow board devices). */
export function cmdlineDevices(cmdline: string): string[] {
  const out: string[] = [];
  const words = cmdline
    .split(/\r?\n/)
    .filter((l) => !l.trimStart().startsWith('#'))
    .join(' ')
    .split(/\s+/);
  for (let i = 0; i + 1 < words.length; i++) {
    if (words[i] === '-device' || words[i] === '--device') out.push(words[i + 1].split(',')[0].replace(/^driver=/, ''));
  }
  return out;
}
