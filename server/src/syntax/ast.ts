// The syntax tree of an .mrd file: immutable nodes, each with a UTF-16 `span`. Missing pieces
// are present as nodes (`missing: true`, zero-width), so later passes never meet `undefined`
// where the grammar requires something. Nodes store `start`/`end` as numbers and build `span`
// objects on demand: a 100k-statement file then allocates half as many objects.
import type { Span } from '../base/span.js';

/** Region kinds as written; `mmio` is a synonym of `io` (see `RegionNode.regionKind`). */
export type RegionKeyword = 'container' | 'io' | 'mmio' | 'ram' | 'rom' | 'romd' | 'ramd' | 'iommu' | 'alias';
export type RegionKindName = 'container' | 'io' | 'ram' | 'rom' | 'romd' | 'ramd' | 'iommu' | 'alias';

abstract class Node {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/** A name: a bare word or a quoted string. `text` is the decoded value. */
export class NameNode extends Node {
  readonly kind = 'Name' as const;
  constructor(
    start: number,
    end: number,
    readonly text: string,
    readonly quoted: boolean,
    /** True when the grammar required a name and none was written (zero-width). */
    readonly missing: boolean,
  ) {
    super(start, end);
  }
}

/** A reference: one name, or a path `a/b/c`. */
export class RefNode extends Node {
  readonly kind = 'Ref' as const;
  constructor(
    start: number,
    end: number,
    readonly segments: readonly NameNode[],
  ) {
    super(start, end);
  }
}

// ---- Expressions -------------------------------------------------------------------------

export class NumberNode extends Node {
  readonly kind = 'Number' as const;
  constructor(
    start: number,
    end: number,
    /** Value with the unit applied. */
    readonly value: bigint,
    /** The unit suffix as written (`K`, `MiB`, …), if any. */
    readonly unit: string | undefined,
  ) {
    super(start, end);
  }
}

export class ConstRefNode extends Node {
  readonly kind = 'ConstRef' as const;
  constructor(readonly name: NameNode) {
    super(name.start, name.end);
  }
}

export type BinaryOp = '|' | '<<' | '+' | '-' | '*' | '^';

export class BinaryNode extends Node {
  readonly kind = 'Binary' as const;
  constructor(
    readonly op: BinaryOp,
    readonly opStart: number,
    readonly left: ExprNode,
    readonly right: ExprNode,
  ) {
    super(left.start, right.end);
  }
  get opSpan(): Span {
    return { start: this.opStart, end: this.opStart + this.op.length };
  }
}

export class UnaryNode extends Node {
  readonly kind = 'Unary' as const;
  readonly op = '-' as const;
  constructor(
    start: number,
    readonly operand: ExprNode,
  ) {
    super(start, operand.end);
  }
}

export class ParenNode extends Node {
  readonly kind = 'Paren' as const;
  constructor(
    start: number,
    end: number,
    readonly expr: ExprNode,
  ) {
    super(start, end);
  }
}

/** An expression the grammar required but that is absent (zero-width) or was skipped. */
export class MissingExprNode extends Node {
  readonly kind = 'MissingExpr' as const;
}

export type ExprNode = NumberNode | ConstRefNode | BinaryNode | UnaryNode | ParenNode | MissingExprNode;

// ---- Attributes --------------------------------------------------------------------------

export type ValueAttrName = 'size' | 'at' | 'priority' | 'offset';

/** `size E`, `at E`, `priority E` (or `prio E`), `offset E`. */
export class ValueAttrNode extends Node {
  readonly kind = 'ValueAttr' as const;
  constructor(
    start: number,
    end: number,
    readonly name: ValueAttrName,
    /** End of the keyword (it starts at `start`). */
    readonly keywordEnd: number,
    readonly value: ExprNode,
  ) {
    super(start, end);
  }
  get keywordSpan(): Span {
    return { start: this.start, end: this.keywordEnd };
  }
}

export type FlagAttrName = 'disabled' | 'enabled' | 'readonly' | 'nonvolatile';

export class FlagAttrNode extends Node {
  readonly kind = 'FlagAttr' as const;
  constructor(
    start: number,
    end: number,
    readonly name: FlagAttrName,
  ) {
    super(start, end);
  }
}

/** `romd on` / `romd off`. */
export class RomdAttrNode extends Node {
  readonly kind = 'RomdAttr' as const;
  constructor(
    start: number,
    end: number,
    readonly on: boolean,
  ) {
    super(start, end);
  }
}

/** `-> REF` (the arrow is at `start`). */
export class TargetAttrNode extends Node {
  readonly kind = 'TargetAttr' as const;
  constructor(
    start: number,
    end: number,
    readonly target: RefNode,
  ) {
    super(start, end);
  }
  get arrowSpan(): Span {
    return { start: this.start, end: this.start + 2 };
  }
}

/** `id IDENT` */
export class IdAttrNode extends Node {
  readonly kind = 'IdAttr' as const;
  constructor(
    start: number,
    end: number,
    readonly id: NameNode,
  ) {
    super(start, end);
  }
}

export type AttributeNode = ValueAttrNode | FlagAttrNode | RomdAttrNode | TargetAttrNode | IdAttrNode;

// ---- Statements --------------------------------------------------------------------------

export class ConstNode extends Node {
  readonly kind = 'Const' as const;
  constructor(
    start: number,
    end: number,
    readonly name: NameNode,
    readonly value: ExprNode,
  ) {
    super(start, end);
  }
}

export class IncludeNode extends Node {
  readonly kind = 'Include' as const;
  constructor(
    start: number,
    end: number,
    /** The quoted path (a NameNode: decoded text, own span). */
    readonly path: NameNode,
  ) {
    super(start, end);
  }
}

export class AddressSpaceNode extends Node {
  readonly kind = 'AddressSpace' as const;
  constructor(
    start: number,
    end: number,
    readonly name: NameNode,
    /** null for `root none`, and when `root` is missing (then `rootMissing`). */
    readonly root: RefNode | null,
    readonly rootMissing: boolean,
  ) {
    super(start, end);
  }
}

export class BlockNode extends Node {
  readonly kind = 'Block' as const;
  constructor(
    start: number,
    end: number,
    /** Start of the closing `}`, or -1 when it is missing. */
    readonly closeStart: number,
    readonly statements: readonly StatementNode[],
  ) {
    super(start, end);
  }
  get open(): Span {
    return { start: this.start, end: this.start + 1 };
  }
  get close(): Span | null {
    return this.closeStart < 0 ? null : { start: this.closeStart, end: this.closeStart + 1 };
  }
}

export class RegionNode extends Node {
  readonly kind = 'Region' as const;
  constructor(
    start: number,
    end: number,
    /** The kind as written (at `start`). */
    readonly keyword: RegionKeyword,
    readonly name: NameNode,
    /** Attributes in source order; skipped garbage among them appears as ErrorNode. */
    readonly attributes: readonly (AttributeNode | ErrorNode)[],
    readonly body: BlockNode | null,
  ) {
    super(start, end);
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
  readonly kind = 'Error' as const;
}

export type StatementNode = ConstNode | IncludeNode | AddressSpaceNode | RegionNode | ErrorNode;

export class FileNode extends Node {
  readonly kind = 'File' as const;
  constructor(
    start: number,
    end: number,
    readonly statements: readonly StatementNode[],
  ) {
    super(start, end);
  }
}

export type AnyNode = FileNode | StatementNode | BlockNode | AttributeNode | ExprNode | NameNode | RefNode;
