// Arrays whose elements are made on first access (a Proxy over a sparse array): the memory map's
// view holds 100k bands, regions and axis stops but reads a few hundred of them per frame.
// Pure: the webview bundles this file.

/**
 * An array of `n` elements made by `make` on first access: a view of 100k bands shows a few
 * hundred of them. Anything that asks for all the keys (equality, spreading) gets them all.
 */
export function lazyList<T>(n: number, make: (i: number) => T): T[] {
  // Only the length is set: no backing store of n holes is allocated up front.
  const target: T[] = [];
  target.length = n;
  let full = false;
  const index = (k: string | symbol): number => {
    if (typeof k !== 'string') return -1;
    const i = Number(k);
    return Number.isInteger(i) && i >= 0 && i < n && String(i) === k ? i : -1;
  };
  const at = (i: number): T => (i in target ? target[i] : (target[i] = make(i)));
  return new Proxy(target, {
    get: (t, k, r) => {
      const i = index(k);
      return i >= 0 ? at(i) : Reflect.get(t, k, r);
    },
    has: (t, k) => index(k) >= 0 || Reflect.has(t, k),
    ownKeys: (t) => {
      if (!full) for (let i = 0; i < n; i++) at(i);
      full = true;
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor: (t, k) => {
      const i = index(k);
      if (i >= 0) at(i);
      return Reflect.getOwnPropertyDescriptor(t, k);
    },
  });
}
