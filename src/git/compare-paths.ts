// Git sorts index entries and tree entries by the bytes of their UTF-8 names. JavaScript's `<`
// compares UTF-16 code units, which agrees with UTF-8 byte order except where a surrogate pair
// (U+10000 and up) meets U+E000-U+FFFF; only those rare names pay for a Buffer comparison.
const SURROGATE = /[\uD800-\uDFFF]/;

export function comparePaths(a: string, b: string): number {
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}
