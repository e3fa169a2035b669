// Syntax-tree nodes of the PCI statements (docs/pci.md): host bridges, bridges, devices, BARs,
// windows, initiators and sequences with their steps. Like ast.ts: immutable, a UTF-16 span on
// every node, required pieces present as zero-width nodes when missing. Bodies reuse BlockNode.
import type { Span } from '../base/span.js';
import type { BlockNode, ErrorNode, ExprNode, NameNode, RefNode } from './ast.js';

abstract class PciNode {
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

/** A device address `bb:ss.f`; `valid` is false when malformed (reported) or missing. */
export class BdfNode extends PciNode {
  declare readonly bus: number;
  declare readonly slot: number;
  declare readonly func: number;
  declare readonly valid: boolean;
  declare readonly missing: boolean;
  declare readonly kind: 'Bdf';
  constructor(start: number, end: number, bus: number, slot: number, func: number, valid: boolean, missing: boolean) {
    super(start, end);
    this.kind = 'Bdf';
    this.bus = bus;
    this.slot = slot;
    this.func = func;
    this.valid = valid;
    this.missing = missing;
  }
}

/** What an attribute takes after its keyword. */
export type PciAttrValue = ExprNode | RefNode | NameNode | BdfNode | null;

/**
 * One attribute of a PCI statement: `command 0x6`, `mem pci`, `model vfio-pci`, `on 01:10.0`,
 * `express` (a flag: value null). `name` is the keyword as written.
 */
export class PciAttrNode extends PciNode {
  declare readonly name: string;
  declare readonly keywordEnd: number;
  declare readonly value: PciAttrValue;
  declare readonly kind: 'PciAttr';
  constructor(start: number, end: number, name: string, keywordEnd: number, value: PciAttrValue) {
    super(start, end);
    this.kind = 'PciAttr';
    this.name = name;
    this.keywordEnd = keywordEnd;
    this.value = value;
  }
  get keywordSpan(): Span {
    return { start: this.start, end: this.keywordEnd };
  }
}

export type PciAttributes = readonly (PciAttrNode | ErrorNode)[];

/** `pci-host NAME ATTRIBUTES { window … device … bridge … }` */
export class PciHostNode extends PciNode {
  declare readonly name: NameNode;
  declare readonly attributes: PciAttributes;
  declare readonly body: BlockNode | null;
  declare readonly kind: 'PciHost';
  constructor(start: number, end: number, name: NameNode, attributes: PciAttributes, body: BlockNode | null) {
    super(start, end);
    this.kind = 'PciHost';
    this.name = name;
    this.attributes = attributes;
    this.body = body;
  }
}

/** `device BB:SS.F NAME ATTRIBUTES { bar … }` or `bridge BB:SS.F NAME ATTRIBUTES { … }` */
export class PciFunctionNode extends PciNode {
  declare readonly keyword: 'device' | 'bridge';
  declare readonly address: BdfNode;
  declare readonly name: NameNode;
  declare readonly attributes: PciAttributes;
  declare readonly body: BlockNode | null;
  declare readonly kind: 'PciFunction';
  constructor(start: number, end: number, keyword: 'device' | 'bridge', address: BdfNode, name: NameNode, attributes: PciAttributes, body: BlockNode | null) {
    super(start, end);
    this.kind = 'PciFunction';
    this.keyword = keyword;
    this.address = address;
    this.name = name;
    this.attributes = attributes;
    this.body = body;
  }
}

/** `bar N KIND ATTRIBUTES` or `rom ATTRIBUTES` (index and kind null). */
export class PciBarNode extends PciNode {
  declare readonly keyword: 'bar' | 'rom';
  declare readonly index: ExprNode | null;
  /** `io`, `mem32`, `mem64` or `rom` as written; a missing kind is a zero-width name. */
  declare readonly barKind: NameNode | null;
  declare readonly attributes: PciAttributes;
  declare readonly kind: 'PciBar';
  constructor(start: number, end: number, keyword: 'bar' | 'rom', index: ExprNode | null, barKind: NameNode | null, attributes: PciAttributes) {
    super(start, end);
    this.kind = 'PciBar';
    this.keyword = keyword;
    this.index = index;
    this.barKind = barKind;
    this.attributes = attributes;
  }
}

/** `window mem|io|pref BASE (size SIZE | limit LIMIT) [name NAME]` */
export class PciWindowNode extends PciNode {
  declare readonly windowKind: NameNode;
  declare readonly base: ExprNode;
  declare readonly attributes: PciAttributes;
  declare readonly kind: 'PciWindow';
  constructor(start: number, end: number, windowKind: NameNode, base: ExprNode, attributes: PciAttributes) {
    super(start, end);
    this.kind = 'PciWindow';
    this.windowKind = windowKind;
    this.base = base;
    this.attributes = attributes;
  }
}

/** `cpu NAME phys-bits N` */
export class CpuNode extends PciNode {
  declare readonly name: NameNode;
  declare readonly attributes: PciAttributes;
  declare readonly kind: 'Cpu';
  constructor(start: number, end: number, name: NameNode, attributes: PciAttributes) {
    super(start, end);
    this.kind = 'Cpu';
    this.name = name;
    this.attributes = attributes;
  }
}

/** `iommu NAME aw-bits N [model M] { devices … }`: an initiator, not a region. */
export class IommuInitiatorNode extends PciNode {
  declare readonly name: NameNode;
  declare readonly attributes: PciAttributes;
  declare readonly body: BlockNode | null;
  declare readonly kind: 'IommuInitiator';
  constructor(start: number, end: number, name: NameNode, attributes: PciAttributes, body: BlockNode | null) {
    super(start, end);
    this.kind = 'IommuInitiator';
    this.name = name;
    this.attributes = attributes;
    this.body = body;
  }
}

/** `devices BDF…` or `devices all` inside an iommu body. */
export class DevicesNode extends PciNode {
  /** Span of `all`, or null. */
  declare readonly all: NameNode | null;
  declare readonly items: readonly BdfNode[];
  declare readonly kind: 'Devices';
  constructor(start: number, end: number, all: NameNode | null, items: readonly BdfNode[]) {
    super(start, end);
    this.kind = 'Devices';
    this.all = all;
    this.items = items;
  }
}

/** `sequence NAME [on BDF] [start programmed|reset] { STEPS }` */
export class SequenceNode extends PciNode {
  declare readonly name: NameNode;
  declare readonly attributes: PciAttributes;
  declare readonly body: BlockNode | null;
  declare readonly kind: 'Sequence';
  constructor(start: number, end: number, name: NameNode, attributes: PciAttributes, body: BlockNode | null) {
    super(start, end);
    this.kind = 'Sequence';
    this.name = name;
    this.attributes = attributes;
    this.body = body;
  }
}

/** `read OFFSET LEN [expect VALUE]` */
export class ReadStepNode extends PciNode {
  declare readonly offset: ExprNode;
  declare readonly len: ExprNode;
  declare readonly expect: ExprNode | null;
  declare readonly kind: 'ReadStep';
  constructor(start: number, end: number, offset: ExprNode, len: ExprNode, expect: ExprNode | null) {
    super(start, end);
    this.kind = 'ReadStep';
    this.offset = offset;
    this.len = len;
    this.expect = expect;
  }
}

/** `write OFFSET LEN VALUE` */
export class WriteStepNode extends PciNode {
  declare readonly offset: ExprNode;
  declare readonly len: ExprNode;
  declare readonly value: ExprNode;
  declare readonly kind: 'WriteStep';
  constructor(start: number, end: number, offset: ExprNode, len: ExprNode, value: ExprNode) {
    super(start, end);
    this.kind = 'WriteStep';
    this.offset = offset;
    this.len = len;
    this.value = value;
  }
}

/** `bar N at ADDR` (a step: program the BAR's address bits). */
export class BarStepNode extends PciNode {
  declare readonly bar: ExprNode;
  declare readonly addr: ExprNode;
  declare readonly kind: 'BarStep';
  constructor(start: number, end: number, bar: ExprNode, addr: ExprNode) {
    super(start, end);
    this.kind = 'BarStep';
    this.bar = bar;
    this.addr = addr;
  }
}

/** `reset`: a system reset step. */
export class ResetStepNode extends PciNode {
  declare readonly kind: 'ResetStep';
  constructor(start: number, end: number) {
    super(start, end);
    this.kind = 'ResetStep';
  }
}

/** `label NAME`: names the next step. */
export class LabelNode extends PciNode {
  declare readonly name: NameNode;
  declare readonly kind: 'Label';
  constructor(start: number, end: number, name: NameNode) {
    super(start, end);
    this.kind = 'Label';
    this.name = name;
  }
}

/** `on BDF { STEPS }`: the steps inside address that device. */
export class OnBlockNode extends PciNode {
  declare readonly address: BdfNode;
  declare readonly body: BlockNode | null;
  declare readonly kind: 'OnBlock';
  constructor(start: number, end: number, address: BdfNode, body: BlockNode | null) {
    super(start, end);
    this.kind = 'OnBlock';
    this.address = address;
    this.body = body;
  }
}

export type StepStatementNode = ReadStepNode | WriteStepNode | BarStepNode | ResetStepNode | LabelNode | OnBlockNode;

export type PciStatementNode =
  | PciHostNode | PciFunctionNode | PciBarNode | PciWindowNode | CpuNode | IommuInitiatorNode | DevicesNode
  | SequenceNode | StepStatementNode;

const pciKinds = new Set([
  'PciHost', 'PciFunction', 'PciBar', 'PciWindow', 'Cpu', 'IommuInitiator', 'Devices', 'Sequence',
  'ReadStep', 'WriteStep', 'BarStep', 'ResetStep', 'Label', 'OnBlock',
]);

/** True for the statement kinds this file defines. */
export function isPciStatement(st: { kind: string }): st is PciStatementNode {
  return pciKinds.has(st.kind);
}
