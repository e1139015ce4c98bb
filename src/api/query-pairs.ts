// application/x-www-form-urlencoded into ordered [name, value] pairs — exactly
// what `[...new URLSearchParams(s)]` gives (repeated names kept, in order), in
// about half the time for a signed query: most components carry no escapes
// and are taken as they are, the rest go through decodeURIComponent. Anything
// that function refuses (a malformed escape, bytes that are not UTF-8) and any
// string with surrogates (astral characters, or lone ones, which URLSearchParams
// replaces) is left to URLSearchParams itself, whose lenient decoding is the
// definition. Request lines and form bodies reach here as ASCII or Latin-1 text,
// so that slow path is for odd input only.
const SURROGATE = /[\uD800-\uDFFF]/;

export function queryPairs(input: string): [string, string][] {
  const s = input.charCodeAt(0) === 63 /* ? */ ? input.slice(1) : input;
  if (SURROGATE.test(s)) return [...new URLSearchParams(input)];
  const out: [string, string][] = [];
  try {
    let start = 0;
    while (start < s.length) {
      let end = s.indexOf('&', start);
      if (end === -1) end = s.length;
      if (end > start) {
        const eq = s.indexOf('=', start);
        const named = eq !== -1 && eq < end;
        out.push([decode(s.slice(start, named ? eq : end)), named ? decode(s.slice(eq + 1, end)) : '']);
      }
      start = end + 1;
    }
  } catch {
    return [...new URLSearchParams(input)];
  }
  return out;
}

function decode(c: string): string {
  const plus = c.indexOf('+') !== -1;
  if (!plus && c.indexOf('%') === -1) return c;
  return decodeURIComponent(plus ? c.replace(/\+/g, ' ') : c);
}
