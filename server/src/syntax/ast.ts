// The syntax tree of an .mrd file: immutable nodes, each with a UTF-16 `span`. Missing pieces
// are present as nodes (`missing: true`, zero-width), so later passes never meet `undefined`
// where the grammar requires something. Nodes store `start`/`end` as numbers and build `span`
// objects on demand: a 100k-statement file then allocates half as many objects. `kind` lives on
// each class's prototype, not in every node (one field less in some 800k nodes).
// Region bodies nest at most MAX_DEPTH (256) deep, but expression trees can be as deep as they
// are long (`1 + 1 + … + 1` is left-deep): walk expressions iteratively, as model/build.ts does.
import type { Span } from '../base/span.js';
import type { PciStatementNode } from './pciAst.js';

/** Region kinds as written; `mmio` is a synonym of `io` (see `RegionNode.regionKind`). */
export type RegionKeyword = 'container' | 'io' | 'mmio' | 'ram' | 'rom' | 'romd' | 'ramd' | 'iommu' | 'alias';
export type RegionKindName = 'container' | 'io' | 'ram' | 'rom' | 'romd' | 'ramd' | 'iommu' | 'alias';

abstract class Node {
  declare readonly start: number;
  declare readonly end: number;
  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
  }
  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/** A name: a bare word or a quoted string. `text` is the decoded value. */
export class NameNode extends Node {
  declare readonly text: string;
  declare readonly quoted: boolean;
  /** True when the grammar required a name and none was written (zero-width). */
  declare readonly missing: boolean;
  declare readonly kind: 'Name';
  constructor(start: number, end: number, text: string, quoted: boolean, missing: boolean) {
    super(start, end);
    this.text = text;
    this.quoted = quoted;
    this.missing = missing;
  }
}

/** A reference: one name, or a path `a/b/c`. */
export class RefNode extends Node {
  declare readonly segments: readonly NameNode[];
  declare readonly kind: 'Ref';
  constructor(start: number, end: number, segments: readonly NameNode[]) {
    super(start, end);
    this.segments = segments;
  }
}

// ---- Expressions -------------------------------------------------------------------------

export class NumberNode extends Node {
  /** Value with the unit applied. */
  declare readonly value: bigint;
  /** The unit suffix as written (`K`, `MiB`, …), if any. */
  declare readonly unit: string | undefined;
  declare readonly kind: 'Number';
  constructor(start: number, end: number, value: bigint, unit: string | undefined) {
    super(start, end);
    this.value = value;
    this.unit = unit;
  }
}

export class ConstRefNode extends Node {
  declare readonly name: NameNode;
  declare readonly kind: 'ConstRef';
  constructor(name: NameNode) {
    super(name.start, name.end);
    this.name = name;
  }
}

export type BinaryOp = '|' | '<<' | '+' | '-' | '*' | '^';

export class BinaryNode extends Node {
  declare readonly op: BinaryOp;
  declare readonly opStart: number;
  declare readonly left: ExprNode;
  declare readonly right: ExprNode;
  declare readonly kind: 'Binary';
  constructor(op: BinaryOp, opStart: number, left: ExprNode, right: ExprNode) {
    super(left.start, right.end);
    this.op = op;
    this.opStart = opStart;
    this.left = left;
    this.right = right;
  }
  get opSpan(): Span {
    return { start: this.opStart, end: this.opStart + this.op.length };
  }
}

export class UnaryNode extends Node {
  declare readonly operand: ExprNode;
  declare readonly kind: 'Unary';
  declare readonly op: '-';
  constructor(start: number, operand: ExprNode) {
    super(start, operand.end);
    this.op = '-';
    this.operand = operand;
  }
}

export class ParenNode extends Node {
  declare readonly expr: ExprNode;
  declare readonly kind: 'Paren';
  constructor(start: number, end: number, expr: ExprNode) {
    super(start, end);
    this.expr = expr;
  }
}

/** An expression the grammar required but that is absent (zero-width) or was skipped. */
export class MissingExprNode extends Node {
  declare readonly kind: 'MissingExpr';
  constructor(start: number, end: number) {
    super(start, end);
  }
}

export type ExprNode = NumberNode | ConstRefNode | BinaryNode | UnaryNode | ParenNode | MissingExprNode;

// ---- Attributes --------------------------------------------------------------------------

export type ValueAttrName = 'size' | 'at' | 'priority' | 'offset';

/** `size E`, `at E`, `priority E` (or `prio E`), `offset E`. */
export class ValueAttrNode extends Node {
  declare readonly name: ValueAttrName;
  /** End of the keyword (it starts at `start`). */
  declare readonly keywordEnd: number;
  declare readonly value: ExprNode;
  declare readonly kind: 'ValueAttr';
  constructor(start: number, end: number, name: ValueAttrName, keywordEnd: number, value: ExprNode) {
    super(start, end);
    this.name = name;
    this.keywordEnd = keywordEnd;
    this.value = value;
  }
  get keywordSpan(): Span {
    return { start: this.start, end: this.keywordEnd };
  }
}

export type FlagAttrName = 'disabled' | 'enabled' | 'readonly' | 'nonvolatile';

export class FlagAttrNode extends Node {
  declare readonly name: FlagAttrName;
  declare readonly kind: 'FlagAttr';
  constructor(start: number, end: number, name: FlagAttrName) {
    super(start, end);
    this.name = name;
  }
}

/** `romd on` / `romd off`. */
export class RomdAttrNode extends Node {
  declare readonly on: boolean;
  declare readonly kind: 'RomdAttr';
  constructor(start: number, end: number, on: boolean) {
    super(start, end);
    this.on = on;
  }
}

/** `-> REF` (the arrow is at `start`). */
export class TargetAttrNode extends Node {
  declare readonly target: RefNode;
  declare readonly kind: 'TargetAttr';
  constructor(start: number, end: number, target: RefNode) {
    super(start, end);
    this.target = target;
  }
  get arrowSpan(): Span {
    return { start: this.start, end: this.start + 2 };
  }
}

/** `id IDENT` */
export class IdAttrNode extends Node {
  declare readonly id: NameNode;
  declare readonly kind: 'IdAttr';
  constructor(start: number, end: number, id: NameNode) {
    super(start, end);
    this.id = id;
  }
}

export type AttributeNode = ValueAttrNode | FlagAttrNode | RomdAttrNode | TargetAttrNode | IdAttrNode;

// ---- Statements --------------------------------------------------------------------------

export class ConstNode extends Node {
  declare readonly name: NameNode;
  declare readonly value: ExprNode;
  declare readonly kind: 'Const';
  constructor(start: number, end: number, name: NameNode, value: ExprNode) {
    super(start, end);
    this.name = name;
    this.value = value;
  }
}

export class IncludeNode extends Node {
  /** The quoted path (a NameNode: decoded text, own span). */
  declare readonly path: NameNode;
  declare readonly kind: 'Include';
  constructor(start: number, end: number, path: NameNode) {
    super(start, end);
    this.path = path;
  }
}

export class AddressSpaceNode extends Node {
  declare readonly name: NameNode;
  /** null for `root none`, and when `root` is missing (then `rootMissing`). */
  declare readonly root: RefNode | null;
  declare readonly rootMissing: boolean;
  declare readonly kind: 'AddressSpace';
  constructor(start: number, end: number, name: NameNode, root: RefNode | null, rootMissing: boolean) {
    super(start, end);
    this.name = name;
    this.root = root;
    this.rootMissing = rootMissing;
  }
}

export class BlockNode extends Node {
  /** Start of the closing `}`, or -1 when it is missing. */
  declare readonly closeStart: number;
  declare readonly statements: readonly StatementNode[];
  declare readonly kind: 'Block';
  constructor(start: number, end: number, closeStart: number, statements: readonly StatementNode[]) {
    super(start, end);
    this.closeStart = closeStart;
    this.statements = statements;
  }
  get open(): Span {
    return { start: this.start, end: this.start + 1 };
  }
  get close(): Span | null {
    return this.closeStart < 0 ? null : { start: this.closeStart, end: this.closeStart + 1 };
  }
}

export class RegionNode extends Node {
  /** The kind as written (at `start`). */
  declare readonly keyword: RegionKeyword;
  declare readonly name: NameNode;
  /** Attributes in source order; skipped garbage among them appears as ErrorNode. */
  declare readonly attributes: readonly (AttributeNode | ErrorNode)[];
  declare readonly body: BlockNode | null;
  declare readonly kind: 'Region';
  constructor(start: number, end: number, keyword: RegionKeyword, name: NameNode, attributes: readonly (AttributeNode | ErrorNode)[], body: BlockNode | null) {
    super(start, end);
    this.keyword = keyword;
    this.name = name;
    this.attributes = attributes;
    this.body = body;
  }
  /** The model kind (`mmio` → `io`). */
  get regionKind(): RegionKindName {
    return this.keyword === 'mmio' ? 'io' : this.keyword;
  }
  get keywordSpan(): Span {
    return { start: this.start, end: this.start + this.keyword.length };
  }
}

/** Skipped tokens. The diagnostic explaining why is reported at or before its start. */
export class ErrorNode extends Node {
  declare readonly kind: 'Error';
  constructor(start: number, end: number) {
    super(start, end);
  }
}

/** PCI statements (topology, initiators, sequences and their steps) are in pciAst.ts. */
export type StatementNode = ConstNode | IncludeNode | AddressSpaceNode | RegionNode | ErrorNode | PciStatementNode;

export class FileNode extends Node {
  declare readonly statements: readonly StatementNode[];
  declare readonly kind: 'File';
  constructor(start: number, end: number, statements: readonly StatementNode[]) {
    super(start, end);
    this.statements = statements;
  }
}

export type AnyNode = FileNode | StatementNode | BlockNode | AttributeNode | ExprNode | NameNode | RefNode;

// `kind` is a per-class constant: stored once on the prototype (see the file comment).
for (const [cls, kind] of [
  [NameNode, 'Name'],
  [RefNode, 'Ref'],
  [NumberNode, 'Number'],
  [ConstRefNode, 'ConstRef'],
  [BinaryNode, 'Binary'],
  [UnaryNode, 'Unary'],
  [ParenNode, 'Paren'],
  [MissingExprNode, 'MissingExpr'],
  [ValueAttrNode, 'ValueAttr'],
  [FlagAttrNode, 'FlagAttr'],
  [RomdAttrNode, 'RomdAttr'],
  [TargetAttrNode, 'TargetAttr'],
  [IdAttrNode, 'IdAttr'],
  [ConstNode, 'Const'],
  [IncludeNode, 'Include'],
  [AddressSpaceNode, 'AddressSpace'],
  [BlockNode, 'Block'],
  [RegionNode, 'Region'],
  [ErrorNode, 'Error'],
  [FileNode, 'File'],
] as const) {
  Object.defineProperty(cls.prototype, 'kind', { value: kind, enumerable: true });
}
