// Parse + build in one call: the entry point for everything that starts from a document's
// text. Diagnostics are the syntax ones followed by the model ones. The builder reads the
// statements as the parser streams them, so no syntax tree is kept alive while the machine
// is built (at 100k regions the tree was half the memory the garbage collector had to copy);
// `file` and the region symbols' nodes come from a tree parsed again when first asked for.
import type { Diagnostic } from '../base/diagnostic.js';
import type { FileNode, RegionNode } from '../syntax/ast.js';
import { parse, parseInto } from '../syntax/parser.js';
import { Builder, type RegionNodes, type SymbolIndex, streamingBuilder, treeNodes } from './build.js';
import { type IncludeContext, Includes } from './include.js';
import type { Machine } from './region.js';
import type { PciModel } from './buildPci.js';

export interface TextAnalysis {
  /** The syntax tree (parsed when first read). */
  readonly file: FileNode;
  machine: Machine;
  diagnostics: Diagnostic[];
  index: SymbolIndex;
  /** PCI topology and sequences, when the text has PCI statements. */
  pci?: PciModel;
  /** The files `include` read, when the analysis could read files. */
  includes?: Includes;
}

/** The tree of `text`, parsed on first use, and its region nodes by region id. */
export class LazyTree implements RegionNodes {
  private tree: FileNode | undefined;
  private nodes: RegionNodes | undefined;
  constructor(private text: string) {}
  /** A new version of the text (incremental analysis keeps the symbols that point here). */
  reset(text: string): void {
    this.text = text;
    this.tree = undefined;
    this.nodes = undefined;
  }
  get file(): FileNode {
    return (this.tree ??= parse(this.text).file);
  }
  node(id: number): RegionNode {
    return (this.nodes ??= treeNodes(this.file)).node(id);
  }
}

/** With `include`, `include` statements read files through it (model/include.ts). */
export function analyzeText(text: string, include?: IncludeContext): TextAnalysis {
  const tree = new LazyTree(text);
  const includes = include ? new Includes(include, text) : undefined;
  const builder = includes ? includeBuilder(tree, includes, text.length) : streamingBuilder(tree, text.length);
  const syntax = parseInto(text, builder);
  const built = builder.finish();
  return {
    get file() {
      return tree.file;
    },
    machine: built.machine,
    diagnostics: syntax.concat(built.diagnostics),
    index: built.index,
    pci: built.pci,
    includes,
  };
}

/** A builder that follows includes; region nodes are looked up in the file each came from. */
export function includeBuilder(tree: LazyTree, includes: Includes, textLength = 0): Builder {
  const b = new Builder(includes.regionNodes(tree), textLength);
  b.includes = includes;
  return b;
}
