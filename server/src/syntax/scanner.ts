// Scanner: turns text into tokens in a struct of typed arrays, with charCodeAt: the whole text at
// once (`scan`), or for the parser a window of tokens, refilled as it advances (`Scanner.fill`
// into a ring), so that a large file's tokens never exist all at once. Number values are kept as
// float64 while they are safe integers (bigint only beyond 2^53; the parser shares bigints per
// value); keywords are recognised by hash + startsWith, so scanning allocates no string per
// word. Never throws; bad input yields diagnostics.
import type { Diagnostic } from '../base/diagnostic.js';
import { diag } from '../base/catalog/index.js';
import { span } from '../base/span.js';

export enum Tok {
  EOF,
  Word,
  String,
  Number,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Eq,
  Arrow,
  Slash,
  Plus,
  Minus,
  Star,
  Caret,
  Shl,
  Pipe,
  /** A character that starts no token; already reported. */
  Bad,
  /** A PCI device address `bb:ss.f`; value: bus << 8 | devfn, or -1 when malformed (reported). */
  Bdf,
}

/** Keywords are contextual: a Word token carries its keyword id, the parser decides. */
export enum Kw {
  None,
  Const,
  Include,
  AddressSpace,
  Root,
  NoneKw,
  Container,
  Io,
  Mmio,
  Ram,
  Rom,
  Romd,
  Ramd,
  Iommu,
  Alias,
  Id,
  Size,
  At,
  Priority,
  Prio,
  Disabled,
  Enabled,
  Readonly,
  Nonvolatile,
  Off,
  On,
  Offset,
  // PCI statements (docs/pci.md): statement starts first, then body and step keywords.
  PciHost,
  Bridge,
  Device,
  Cpu,
  Sequence,
  Window,
  Bar,
  Read,
  Write,
  Label,
  Reset,
}

export const keywordText: readonly string[] = [
  '',
  'const',
  'include',
  'address-space',
  'root',
  'none',
  'container',
  'io',
  'mmio',
  'ram',
  'rom',
  'romd',
  'ramd',
  'iommu',
  'alias',
  'id',
  'size',
  'at',
  'priority',
  'prio',
  'disabled',
  'enabled',
  'readonly',
  'nonvolatile',
  'off',
  'on',
  'offset',
  'pci-host',
  'bridge',
  'device',
  'cpu',
  'sequence',
  'window',
  'bar',
  'read',
  'write',
  'label',
  'reset',
];

export const tokText: readonly string[] = [
  'end of file',
  'name',
  'string',
  'number',
  "'{'",
  "'}'",
  "'('",
  "')'",
  "'='",
  "'->'",
  "'/'",
  "'+'",
  "'-'",
  "'*'",
  "'^'",
  "'<<'",
  "'|'",
  'invalid character',
  'device address',
];

// Keyword lookup without allocation: a small open-addressing table keyed by a hash the
// scanner computes while it reads the word (kept below 2^28 so it stays a small integer);
// a hit is confirmed with startsWith.
const HASH_MASK = 0x0fffffff;
const TABLE_BITS = 9;
const kwTable = new Uint8Array(1 << TABLE_BITS);
function hashStep(h: number, c: number): number {
  return ((h << 5) - h + c) & HASH_MASK;
}
for (let k = 1; k < keywordText.length; k++) {
  let h = 0;
  for (let i = 0; i < keywordText[k].length; i++) h = hashStep(h, keywordText[k].charCodeAt(i));
  let slot = h & ((1 << TABLE_BITS) - 1);
  while (kwTable[slot] !== 0) slot = (slot + 1) & ((1 << TABLE_BITS) - 1);
  kwTable[slot] = k;
}
function lookupKeyword(text: string, start: number, len: number, h: number): Kw {
  for (let slot = h & ((1 << TABLE_BITS) - 1); kwTable[slot] !== 0; slot = (slot + 1) & ((1 << TABLE_BITS) - 1)) {
    const t = keywordText[kwTable[slot]];
    if (t.length === len && text.startsWith(t, start)) return kwTable[slot] as Kw;
  }
  return Kw.None;
}

/** Unit suffixes: power-of-1024 shift amounts. */
/** Unit suffixes by index (0 = none), as stored in a Number token's `kw` slot. */
export const unitText: readonly (string | undefined)[] = [
  undefined, 'K', 'M', 'G', 'T', 'P', 'E', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB',
];
/** 2 ** (10 * i): the factor of a unit letter's shift (exact doubles). */
const UNIT_SCALE: readonly number[] = [1, 2 ** 10, 2 ** 20, 2 ** 30, 2 ** 40, 2 ** 50, 2 ** 60];
function unitLetterShift(c: number): number {
  switch (c) {
    case 75: return 10; // K
    case 77: return 20; // M
    case 71: return 30; // G
    case 84: return 40; // T
    case 80: return 50; // P
    case 69: return 60; // E
    default: return -1;
  }
}

/**
 * Digits read into a bigint after it passed 2^48: 4100 more digits (at least one bit each)
 * exceed the builder's 4096-bit limit, so the rest is skipped and the value is TOO_LARGE.
 */
const MAX_BIG_DIGITS = 4100;
/** The value of a literal too long to read; wider than 4096 bits, so the builder reports it. */
const TOO_LARGE = 1n << 4200n;

/** Token flag: a line break (or the file start) precedes this token. */
export const FLAG_NEWLINE = 1;

/**
 * A token buffer: token `i` is in slot `i & mask` of each array. A whole-text buffer (`scan`)
 * has every token (mask all ones); the parser's is a ring (`TokenStream`) holding a window
 * of tokens around its cursor, refilled as it advances, so that a large file's tokens never
 * exist all at once.
 */
export interface Tokens {
  /** Tokens scanned so far (all of them once `done`). */
  count: number;
  readonly mask: number;
  /** The EOF token has been scanned. */
  done: boolean;
  kind: Uint8Array;
  /** Word: keyword id (Kw). Number: unit index into `unitText`. */
  kw: Uint8Array;
  flags: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /**
   * String and Bdf tokens, and Number tokens whose value is not a safe integer: an index into
   * `values` (slot `vref & mask`). Other Number tokens: `~k` (negative), their value being
   * `num[k & mask]`.
   */
  vref: Int32Array;
  /** Values of Number tokens (unit applied) that are safe integers, indexed by `~vref`. */
  num: Float64Array;
  /** bigint for a large Number (unit applied) or a Bdf, decoded string for String. */
  values: (bigint | string)[];
}

// ASCII character classes, one table lookup per character in the hot loops.
const C_WORD_START = 1;
const C_WORD_PART = 2;
const C_SPACE = 4;
const cclass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 /* _ */ || c === 46 /* . */ ||
    c === 36 /* $ */ || c === 64; /* @ */
  const part = start || (c >= 48 && c <= 57) || c === 58 /* : */ || c === 45; /* - */
  cclass[c] = (start ? C_WORD_START | C_WORD_PART : part ? C_WORD_PART : 0) |
    (c === 32 || c === 9 || c === 12 || c === 11 ? C_SPACE : 0);
}

function isWordStart(c: number): boolean {
  return c < 128 ? (cclass[c] & C_WORD_START) !== 0 : isNonAsciiLetter(c);
}

function isWordPart(c: number): boolean {
  return c < 128 ? (cclass[c] & C_WORD_PART) !== 0 : isNonAsciiLetter(c);
}

const letterRe = /^[\p{L}\p{Mn}\p{Mc}]$/u;
function isNonAsciiLetter(c: number): boolean {
  // Surrogate halves are handled by the caller (see `astralLetterAt`).
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return letterRe.test(String.fromCharCode(c));
}

/** True if a surrogate pair starting at `pos` encodes a letter (e.g. U+1D400). */
function astralLetterAt(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  if (c < 0xd800 || c > 0xdbff) return false;
  const cp = text.codePointAt(pos)!;
  return cp > 0xffff && letterRe.test(String.fromCodePoint(cp));
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * A part of a text to scan (incremental re-parsing): from `from`, which must not lie inside a
 * token, string or comment (a token's end is right), up to and including the first `extra`
 * tokens that start at or after `stopAt`. Offsets stay those of the whole text.
 */
export interface ScanRange {
  readonly from: number;
  readonly stopAt: number;
  readonly extra: number;
}

/** The longest keyword ('address-space'): longer words are never looked up. */
const MAX_KEYWORD_LENGTH = 13;
/** Whole-buffer slots: every token index is its own slot. */
const ALL = 0x3fffffff;

/** Scans the whole of `text` (or of `range`) into one buffer. */
export function scan(text: string, diagnostics: Diagnostic[], range?: ScanRange): Tokens {
  // Real files have a token per 5–7 characters; the buffers grow if that is not enough.
  const cap = range ? 256 : Math.max(16, ((text.length / 5) | 0) + 16);
  const sc = new Scanner(text, diagnostics, cap, false, range);
  sc.fill(Infinity);
  return sc.t;
}

/**
 * The resumable scanner: `fill` appends tokens to its buffer `t` (growing it, or for a ring
 * overwriting the slots of tokens before the caller's window) until a given count or the end.
 */
export class Scanner {
  readonly t: Tokens;
  private pos: number;
  private newline: number;
  /** Values stored so far (String, Bdf and big Number tokens) and safe-integer numbers. */
  private nvalues = 0;
  private nums = 0;
  private readonly ring: boolean;
  private readonly n: number;
  /** With a range: stop after `extra` tokens that start at or after `stopAt`. */
  private readonly stopAt: number;
  private readonly extra: number;
  private extraSeen = 0;

  /** `ring`: `cap` (a power of two) slots reused as a ring; else a buffer that grows from `cap`. */
  constructor(
    private readonly text: string,
    private readonly diagnostics: Diagnostic[],
    cap: number,
    ring: boolean,
    range?: ScanRange,
  ) {
    this.ring = ring;
    this.n = text.length;
    this.t = {
      count: 0,
      mask: ring ? cap - 1 : ALL,
      done: false,
      kind: new Uint8Array(cap),
      kw: new Uint8Array(cap),
      flags: new Uint8Array(cap),
      start: new Int32Array(cap),
      end: new Int32Array(cap),
      vref: new Int32Array(cap),
      num: new Float64Array(ring ? cap : cap >> 2),
      values: ring ? new Array<bigint | string>(cap).fill('') : [],
    };
    let pos = range ? range.from : 0;
    this.newline = pos === 0 ? 1 : 0;
    if (pos === 0 && this.n > 0 && text.charCodeAt(0) === 0xfeff) pos = 1; // BOM: skipped, offsets unchanged
    this.pos = pos;
    this.stopAt = range ? range.stopAt : Infinity;
    this.extra = range ? range.extra : 0;
  }

  private grow(): void {
    const t = this.t;
    const cap = t.kind.length * 2;
    const k2 = new Uint8Array(cap); k2.set(t.kind); t.kind = k2;
    const w2 = new Uint8Array(cap); w2.set(t.kw); t.kw = w2;
    const f2 = new Uint8Array(cap); f2.set(t.flags); t.flags = f2;
    const s2 = new Int32Array(cap); s2.set(t.start); t.start = s2;
    const e2 = new Int32Array(cap); e2.set(t.end); t.end = e2;
    const v2 = new Int32Array(cap); v2.set(t.vref); t.vref = v2;
  }

  /** Appends a token; returns its slot. `vref` is left as it was (callers with a value set it). */
  private push(k: Tok, s: number, e: number, w: number): number {
    const t = this.t;
    if (!this.ring && t.count === t.kind.length) this.grow();
    const i = t.count & t.mask;
    t.kind[i] = k;
    t.kw[i] = w;
    t.flags[i] = this.newline;
    t.start[i] = s;
    t.end[i] = e;
    this.newline = 0;
    if (s >= this.stopAt) this.extraSeen++;
    t.count++;
    return i;
  }

  private pushValue(k: Tok, s: number, e: number, v: bigint | string, w: number): void {
    const i = this.push(k, s, e, w);
    const t = this.t;
    t.vref[i] = this.nvalues;
    if (this.ring) t.values[this.nvalues & t.mask] = v;
    else t.values.push(v);
    this.nvalues++;
  }

  /**
   * Scans until `t.count` reaches `limit` or the end; at the end it appends the EOF token (one
   * past `limit` if need be) and sets `t.done`.
   */
  fill(limit: number): void {
    const t = this.t;
    if (t.done) return;
    const text = this.text;
    const n = this.n;
    let pos = this.pos;
    while (pos < n && t.count < limit) {
      if (this.extraSeen > 0 && this.extraSeen >= this.extra) break;
      const c = text.charCodeAt(pos);
      const cc = c < 128 ? cclass[c] : 0;
      // Whitespace and line ends.
      if ((cc & C_SPACE) !== 0) { pos++; continue; }
      if (c === 10 || c === 13) { this.newline = FLAG_NEWLINE; pos++; continue; }
      if (c === 35 /* # */) {
        while (pos < n) {
          const d = text.charCodeAt(pos);
          if (d === 10 || d === 13) break;
          pos++;
        }
        continue;
      }
      const s = pos;
      if ((cc & C_WORD_START) !== 0 || (c >= 128 && (isNonAsciiLetter(c) || astralLetterAt(text, pos)))) {
        pos += c >= 0xd800 && c <= 0xdbff ? 2 : 1; // an astral letter is a surrogate pair
        while (pos < n) {
          const d = text.charCodeAt(pos);
          if (d < 128) {
            if ((cclass[d] & C_WORD_PART) === 0) break;
            // `a->b`: the arrow is not part of the word.
            if (d === 45 && text.charCodeAt(pos + 1) === 62) break;
            pos++;
          } else if (isNonAsciiLetter(d)) pos++;
          else if (astralLetterAt(text, pos)) pos += 2;
          else break;
        }
        // Keywords are short lower-case ASCII words: only such words are hashed and looked up.
        let k = Kw.None;
        const len = pos - s;
        if (len <= MAX_KEYWORD_LENGTH && c >= 97 && c <= 122) {
          let h = 0;
          for (let j = s; j < pos; j++) h = hashStep(h, text.charCodeAt(j));
          k = lookupKeyword(text, s, len, h);
        }
        this.push(Tok.Word, s, pos, k);
        continue;
      }
      if (c >= 48 && c <= 57) {
        // `01:10.0`: a bus number is one or two hex digits directly followed by ':'.
        const c1 = text.charCodeAt(s + 1);
        pos = c1 === 58 || (text.charCodeAt(s + 2) === 58 && hexVal(c1) >= 0) ? this.scanBdf(s) : this.scanNumber(s);
        continue;
      }
      if (c === 34 /* " */) {
        pos = this.scanString(s);
        continue;
      }
      pos++;
      // One push for every punctuation token: a push per case made the optimised fill many
      // times larger, and it took the optimising compiler tens of milliseconds to produce.
      let k: Tok;
      switch (c) {
        case 123: k = Tok.LBrace; break;
        case 125: k = Tok.RBrace; break;
        case 40: k = Tok.LParen; break;
        case 41: k = Tok.RParen; break;
        case 61: k = Tok.Eq; break;
        case 47: k = Tok.Slash; break;
        case 43: k = Tok.Plus; break;
        case 42: k = Tok.Star; break;
        case 94: k = Tok.Caret; break;
        case 124: k = Tok.Pipe; break;
        case 45:
          if (text.charCodeAt(pos) === 62) { pos++; k = Tok.Arrow; }
          else k = Tok.Minus;
          break;
        default:
          if (c === 60 && text.charCodeAt(pos) === 60) { pos++; k = Tok.Shl; break; }
          pos = this.bad(s, pos);
          k = Tok.Bad;
      }
      this.push(k, s, pos, Kw.None);
    }
    this.pos = pos;
    if (t.count >= limit && pos < n && !(this.extraSeen > 0 && this.extraSeen >= this.extra)) return;
    this.push(Tok.EOF, pos >= n ? n : pos, pos >= n ? n : pos, Kw.None); // short of the text's end: a range's end
    t.done = true;
  }

  /** MR1001 for the character at `s`; returns its end (`pos`, or past a surrogate pair). */
  private bad(s: number, pos: number): number {
    // Keep a surrogate pair together so the message shows the whole character.
    const c = this.text.charCodeAt(s);
    if (c >= 0xd800 && c <= 0xdbff && pos < this.n) pos++;
    this.diagnostics.push(diag('MR1001', span(s, pos), { char: this.text.slice(s, pos) }));
    return pos;
  }

  private scanNumber(s: number): number {
    const text = this.text;
    const n = this.n;
    let p = s;
    let radix = 10;
    const c1 = text.charCodeAt(p + 1);
    if (text.charCodeAt(p) === 48 && (c1 === 120 || c1 === 88)) { radix = 16; p += 2; }
    else if (text.charCodeAt(p) === 48 && (c1 === 98 || c1 === 66)) { radix = 2; p += 2; }
    let small = 0; // exact while digit count stays small
    let digits = 0;
    let big: bigint | null = null;
    let bigDigits = 0;
    let bad = false;
    while (p < n) {
      const d = text.charCodeAt(p);
      if (d === 95) { p++; continue; }
      let v: number;
      if (radix === 16) v = hexVal(d);
      else if (d >= 48 && d <= 57) v = d - 48;
      else v = -1;
      if (v < 0) break;
      if (v >= radix) bad = true; // `0b102`
      digits++;
      if (big !== null) {
        // Past MAX_BIG_DIGITS digits the value exceeds any expression's 4096 bits: stop
        // accumulating (quadratic in the length) and let the builder report it (MR2005).
        if (++bigDigits <= MAX_BIG_DIGITS) big = big * BigInt(radix) + BigInt(v);
        else big = TOO_LARGE;
      } else {
        small = small * radix + v;
        if (small > 2 ** 48) { big = BigInt(small); small = 0; }
      }
      p++;
    }
    if (digits === 0 || bad) {
      this.diagnostics.push(diag('MR1004', span(s, p), { text: p - s > 40 ? `${text.slice(s, s + 32)}…` : text.slice(s, p) }));
      big = null;
      small = 0;
    }
    // Unit suffix, then anything word-like glued to the number is an error.
    const us = p;
    while (p < n) {
      const d = text.charCodeAt(p);
      if (!(isWordPart(d) || (d >= 48 && d <= 57)) || d === 45) break;
      p++;
    }
    let unit = 0;
    let shift = 0;
    let scale = 1; // 2 ** shift
    if (p > us) {
      // Recognise the unit without slicing: one letter, optionally followed by `iB`.
      const len = p - us;
      const sh = len === 1 || (len === 3 && text.charCodeAt(us + 1) === 105 && text.charCodeAt(us + 2) === 66)
        ? unitLetterShift(text.charCodeAt(us)) : -1;
      if (sh >= 0) { unit = len === 1 ? sh / 10 : sh / 10 + 6; shift = sh; scale = UNIT_SCALE[sh / 10]; }
      else if (digits > 0 && !bad) this.diagnostics.push(diag('MR1005', span(us, p), { suffix: text.slice(us, p) }));
    }
    // Number tokens carry their unit (index into `unitText`) in the `kw` slot.
    if (big === null && small * scale <= Number.MAX_SAFE_INTEGER) {
      const i = this.push(Tok.Number, s, p, unit);
      const t = this.t;
      if (!this.ring && this.nums === t.num.length) {
        const n2 = new Float64Array(t.num.length * 2 + 16);
        n2.set(t.num);
        t.num = n2;
      }
      t.vref[i] = ~this.nums;
      t.num[this.nums & t.mask] = small * scale;
      this.nums++;
    } else {
      this.pushValue(Tok.Number, s, p, (big ?? BigInt(small)) << BigInt(shift), unit);
    }
    return p;
  }

  /** `bb:ss.f` (hex bus and slot, slot ≤ 0x1f, function 0–7); anything glued to it is part of it. */
  private scanBdf(s: number): number {
    const text = this.text;
    let p = s;
    while (p < this.n) {
      const d = text.charCodeAt(p);
      if (!((d >= 48 && d <= 58) || hexVal(d) >= 0 || d === 46 || d === 95 || (d >= 65 && d <= 90) || (d >= 97 && d <= 122))) break;
      p++;
    }
    const t = text.slice(s, p);
    const m = /^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/.exec(t);
    let value = -1n;
    if (!m) {
      this.diagnostics.push(diag('MR1033', span(s, p), { text: t, why: 'expected bb:ss.f (hex bus and slot, function 0-7)' }));
    } else if (parseInt(m[2], 16) > 0x1f) {
      this.diagnostics.push(diag('MR1033', span(s, p), { text: t, why: `slot 0x${m[2]} is above 0x1f` }));
    } else {
      value = BigInt((parseInt(m[1], 16) << 8) | (parseInt(m[2], 16) << 3) | Number(m[3]));
    }
    this.pushValue(Tok.Bdf, s, p, value, Kw.None);
    return p;
  }

  private scanString(s: number): number {
    const text = this.text;
    const n = this.n;
    let p = s + 1;
    let out: string | null = null; // built only when there are escapes
    let chunk = p;
    while (p < n) {
      const d = text.charCodeAt(p);
      if (d === 34) break;
      if (d === 10 || d === 13) break;
      if (d === 92 /* \ */) {
        const e = text.charCodeAt(p + 1);
        out = (out ?? '') + text.slice(chunk, p);
        if (e === 34 || e === 92) { out += String.fromCharCode(e); p += 2; }
        else if (p + 1 >= n || e === 10 || e === 13) { p++; }
        else {
          this.diagnostics.push(diag('MR1003', span(p, p + 2), { char: text.slice(p + 1, p + 2) }));
          out += text.slice(p, p + 2);
          p += 2;
        }
        chunk = p;
        continue;
      }
      p++;
    }
    const value = out === null ? text.slice(s + 1, p) : out + text.slice(chunk, p);
    if (p < n && text.charCodeAt(p) === 34) p++;
    else this.diagnostics.push(diag('MR1002', span(s, p)));
    this.pushValue(Tok.String, s, p, value, Kw.None);
    return p;
  }
}
