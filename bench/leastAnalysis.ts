// The least any analysis of a description must do, as a lower bound for the open's figure: one
// pass over the text that records every statement (its keyword's first letter, its name's span,
// its parent, `size` / `at` / `priority` as float64) in typed arrays. It does not tokenise
// properly (words are whatever lies between blanks and braces), check anything, make bigints or
// strings, index names, order subregions or resolve a reference: mrd's analysis must do all of
// that as well, so no analysis that publishes mrd's diagnostics can take less time than this on
// the same text. `bench/floorServer.ts --least` runs it on open before publishing.

export interface LeastResult {
  /** Statements other than `address-space` and `include`: the regions of the generated machines. */
  regions: number;
  /** The statements nested deepest, at the end of the statement (a check that nesting is followed). */
  depth: number;
}

const SPACE = 32, TAB = 9, CR = 13, LF = 10, HASH = 35, LBRACE = 123, RBRACE = 125, QUOTE = 34;

function numberAt(t: string, a: number, b: number): number {
  let v = 0;
  if (t.charCodeAt(a) === 48 && t.charCodeAt(a + 1) === 120) {
    for (let i = a + 2; i < b; i++) {
      const c = t.charCodeAt(i);
      v = v * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
    }
    return v;
  }
  for (let i = a; i < b; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return c === 71 ? v * 2 ** 30 : c === 77 ? v * 2 ** 20 : c === 75 ? v * 2 ** 10 : v;
    v = v * 10 + c - 48;
  }
  return v;
}

export function leastAnalysis(t: string): LeastResult {
  const cap = (t.length >> 4) + 16;
  const keyword = new Uint8Array(cap);
  const parent = new Int32Array(cap);
  const nameStart = new Int32Array(cap);
  const nameEnd = new Int32Array(cap);
  const size = new Float64Array(cap);
  const at = new Float64Array(cap);
  const priority = new Float64Array(cap);
  const stack: number[] = [-1];
  let n = 0;
  let regions = 0;
  let depth = 0;
  let cur = -1;
  // 0: a statement's keyword next, 1: its name, 2: its attributes (an attribute's keyword in `attr`).
  let state = 0;
  let attr = 0;
  const end = t.length;
  let p = 0;
  while (p < end) {
    let c = t.charCodeAt(p);
    if (c === LF) {
      if (state === 2) state = 0;
      p++;
      continue;
    }
    if (c === SPACE || c === TAB || c === CR) {
      p++;
      continue;
    }
    if (c === HASH) {
      while (p < end && t.charCodeAt(p) !== LF) p++;
      continue;
    }
    if (c === LBRACE) {
      stack.push(cur);
      if (stack.length - 1 > depth) depth = stack.length - 1;
      state = 0;
      p++;
      continue;
    }
    if (c === RBRACE) {
      if (stack.length > 1) stack.pop();
      state = 0;
      p++;
      continue;
    }
    const s = p;
    if (c === QUOTE) {
      for (p++; p < end && t.charCodeAt(p) !== QUOTE && t.charCodeAt(p) !== LF; p++);
      p++;
    } else {
      for (; p < end; p++) {
        c = t.charCodeAt(p);
        if (c <= SPACE || c === LBRACE || c === RBRACE) break;
      }
    }
    if (state === 0) {
      cur = n < cap ? n++ : cap - 1;
      keyword[cur] = t.charCodeAt(s);
      parent[cur] = stack[stack.length - 1];
      // `address-space` and `include` are the statements that are not regions.
      if (!t.startsWith('address-space', s) && !t.startsWith('include', s)) regions++;
      state = 1;
    } else if (state === 1) {
      nameStart[cur] = s;
      nameEnd[cur] = p;
      state = 2;
      attr = 0;
    } else if (attr === 0) {
      const k = t.charCodeAt(s);
      attr = k === 115 /* s */ ? 1 : k === 97 /* a */ ? 2 : k === 112 /* p */ ? 3 : 4;
    } else {
      const v = numberAt(t, s, p);
      if (attr === 1) size[cur] = v;
      else if (attr === 2) at[cur] = v;
      else if (attr === 3) priority[cur] = v;
      attr = 0;
    }
  }
  return { regions, depth };
}
