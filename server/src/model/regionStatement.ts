// Region statements: the header creates the region (in statement order, so ids follow the text)
// with its attributes and symbol; the end adds its subregions in statement order, which gives
// QEMU's list order (R-ORD-1/2) exactly as addSubregion one by one would.
import type { Span } from '../base/span.js';
import type { AttributeNode, ErrorNode, RefNode, RegionNode } from '../syntax/ast.js';
import { type Region, MAX_U64, TWO_64, addSubregion, createNamedRegion, setRegionSpan } from './region.js';
import { checkRange, evaluate } from './evaluate.js';
import type { Builder } from './build.js';
import type { PlainRegion } from '../syntax/parser.js';

/** A size of 2^63-1, QEMU's whole-space size before 2014 (MR3003); 2^64-1 is MAX_U64 (MR3002). */
export const INT64_MAX = (1n << 63n) - 1n;

/** `priority` is an int in QEMU. */
const I32_MIN = -(1n << 31n);
const I32_MAX = (1n << 31n) - 1n;

function attrKey(a: AttributeNode | ErrorNode): string {
  switch (a.kind) {
    case 'ValueAttr':
      return a.name;
    case 'FlagAttr':
      return a.name === 'disabled' || a.name === 'enabled' ? 'enabled/disabled' : a.name;
    case 'RomdAttr':
      return 'romd';
    case 'TargetAttr':
      return '->';
    case 'IdAttr':
      return 'id';
    case 'Error':
      return '';
  }
}

/** Lists up to this long are sorted by insertion (no comparator calls). */
const SMALL_SORT = 32;

/**
 * memory_region_add_subregion_overlap for each of `kids` in statement order. Inserting one by
 * one before the first sibling of priority ≤ the new one's (R-ORD-1) is quadratic when many
 * equal-priority siblings are each prepended; into an empty list the same list is produced
 * directly: priority descending, and among equal priorities the later statement first. That
 * list is an exact-size array (a list grown by push keeps at least 16 slots).
 */
export function addInOrder(parent: Region, kids: readonly Region[]): void {
  if (parent.children.length > 0) {
    for (const c of kids) addSubregion(parent, c.addr, c, c.priority);
    return;
  }
  if (kids.length === 0) return;
  const p0 = kids[0].priority;
  let equal = true;
  for (const c of kids) {
    c.container = parent;
    if (c.priority !== p0) equal = false;
  }
  // Newest first is the reverse of statement order; a stable sort by priority keeps it among equals.
  const list = kids.slice().reverse();
  if (!equal) {
    if (list.length > SMALL_SORT) list.sort((a, b) => b.priority - a.priority);
    else {
      // A short list (a device's registers, one of them above the others): insertion sort, stable.
      for (let i = 1; i < list.length; i++) {
        const c = list[i];
        let j = i - 1;
        for (; j >= 0 && list[j].priority < c.priority; j--) list[j + 1] = list[j];
        list[j + 1] = c;
      }
    }
  }
  parent.children = list;
}

/** A region whose statement has begun (header read) and whose body has not yet ended. */
export interface OpenRegion {
  readonly region: Region;
  /** Where the statement starts (its keyword). */
  readonly start: number;
  /** Subregions in statement order. */
  readonly kids: Region[];
}

/**
 * The region's header: the region created (in statement order) and its attributes applied. A
 * subregion keeps its `at` and `priority` as its addr and priority until its parent adds it
 * (addSubregion sets the same values).
 */
export function beginRegion(b: Builder, node: RegionNode, depth: number): Region {
  const kind = node.regionKind;
  const name = node.name;
  const r = createNamedRegion(b.machine, name.text, kind, name.start, name.end, b.declared);
  let at = 0n;
  let priority = 0;
  let sizeGiven = false;
  let target: RefNode | null = null;
  let arrow = false;
  let offsetSpan: Span | null = null;
  let sizeSpan: Span | null = null;
  let targetAttrSpan: Span | null = null;
  let id: string | undefined;
  let idSpan: Span | undefined;
  const attrs = node.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    if (a.kind === 'Error') continue;
    checkRepeated(b, attrs, i);
    switch (a.kind) {
      case 'ValueAttr': {
        const v = evaluate(b, a.value);
        if (a.name === 'size') {
          const s = checkRange(b, v, a.value, 'size', 0n, TWO_64, '0..2^64');
          if (s !== null) {
            r.size = s;
            if (s === MAX_U64 || s === INT64_MAX) {
              const value = { start: a.value.start, end: a.value.end };
              b.report(s === MAX_U64 ? 'MR3002' : 'MR3003', value, {}, undefined, { title: 'write 2^64', edits: [{ span: value, text: '2^64' }] });
            }
          }
          sizeGiven = true;
          sizeSpan = { start: a.value.start, end: a.value.end };
        } else if (a.name === 'at') {
          if (depth === 0) b.report('MR2018', a.keywordSpan, { attr: 'at' });
          const s = checkRange(b, v, a.value, 'address', 0n, MAX_U64, '0..2^64-1');
          if (s !== null) at = s;
        } else if (a.name === 'priority') {
          if (depth === 0) b.report('MR2018', a.keywordSpan, { attr: 'priority' });
          const s = checkRange(b, v, a.value, 'priority', I32_MIN, I32_MAX, '-2^31..2^31-1');
          if (s !== null) priority = Number(s);
        } else {
          if (kind !== 'alias') b.report('MR2015', a.keywordSpan, { attr: 'offset', kind: node.keyword });
          offsetSpan = a.span;
          const s = checkRange(b, v, a.value, 'alias offset', 0n, MAX_U64, '0..2^64-1');
          if (s !== null && kind === 'alias') r.aliasOffset = s;
        }
        break;
      }
      case 'FlagAttr':
        if (a.name === 'disabled' || a.name === 'enabled') r.enabled = a.name === 'enabled';
        else if (a.name === 'readonly') r.readonly = true;
        else r.nonvolatile = true;
        break;
      case 'RomdAttr':
        if (kind !== 'romd') b.report('MR2015', a.span, { attr: 'romd', kind: node.keyword });
        else r.romdMode = a.on;
        break;
      case 'TargetAttr':
        arrow = true;
        if (targetAttrSpan === null) targetAttrSpan = a.span;
        if (kind !== 'alias') b.report('MR2015', a.arrowSpan, { attr: '->', kind: node.keyword });
        else target = a.target;
        break;
      case 'IdAttr': {
        if (a.id.missing) break;
        const prev = b.ids.get(a.id.text);
        if (prev) {
          b.report('MR2012', a.id.span, { id: a.id.text }, [
            { span: b.idSpans.get(a.id.text)!, message: `first used by '${prev.name}'` },
          ]);
        } else {
          b.ids.set(a.id.text, r);
          b.idSpans.set(a.id.text, a.id.span);
        }
        id = a.id.text;
        idSpan = a.id.span;
        break;
      }
    }
  }
  // The region's symbol is made when asked for (RegionDecls); only an `id` is kept aside.
  b.declared++;
  if (id !== undefined) b.regionHandles.set(r, { id, span: idSpan! });
  if (name.start < b.namesEnd) b.namesOutOfOrder++;
  b.namesEnd = name.end;
  if (id !== undefined) b.withId.push(b.declared - 1);
  if (kind === 'alias') {
    if (!target && !arrow) b.report('MR2013', name.missing ? node.keywordSpan : name.span, { name: r.name });
    b.aliases.push({ region: r, target, sizeGiven, offsetSpan, sizeSpan, targetAttrSpan });
  }
  if (depth > 0) {
    r.addr = at;
    r.priority = priority;
  }
  return r;
}

/** beginRegion for a statement the parser read as a PlainRegion: the same region, nothing to report. */
export function beginPlainRegion(b: Builder, h: Readonly<PlainRegion>, depth: number): Region {
  const r = createNamedRegion(b.machine, h.name, h.kind, h.nameStart, h.nameEnd, b.declared);
  if (h.size !== null) r.size = h.size;
  if (h.enabled >= 0) r.enabled = h.enabled === 1;
  if (h.readonly) r.readonly = true;
  if (h.nonvolatile) r.nonvolatile = true;
  b.declared++;
  if (h.nameStart < b.namesEnd) b.namesOutOfOrder++;
  b.namesEnd = h.nameEnd;
  if (depth > 0) {
    r.addr = h.at;
    r.priority = h.priority;
  }
  return r;
}

/**
 * The statement's end: its span (`start` to `end`), and its subregions (`kids`, in statement
 * order; null for a statement without a body) added in that order.
 */
export function endRegion(r: Region, start: number, end: number, kids: readonly Region[] | null): Region {
  setRegionSpan(r, start, end); // and so the symbol's declSpan
  // Children: created and added in statement order (R-ORD-1: newest first among equals).
  if (kids !== null && kids.length > 0) addInOrder(r, kids);
  return r;
}

/** MR2016 when attribute `i` repeats an earlier one (`enabled`/`disabled` count as one). */
function checkRepeated(b: Pick<Builder, 'report'>, attrs: readonly (AttributeNode | ErrorNode)[], i: number): void {
  const key = attrKey(attrs[i]);
  for (let j = i - 1; j >= 0; j--) {
    if (attrKey(attrs[j]) !== key) continue;
    const here = attrs[i];
    const s = here.kind === 'ValueAttr' ? here.keywordSpan : here.kind === 'TargetAttr' ? here.arrowSpan : here.span;
    b.report('MR2016', s, { attr: key }, [{ span: attrs[j].span, message: 'given before here' }]);
    return;
  }
}
