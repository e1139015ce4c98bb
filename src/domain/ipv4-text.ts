// The one IPv4 text parser, shared by ipam (uint32 numbers, domain errors) and
// osconfig (bigint, undefined): both layers may import domain, not each other.
// Strict on purpose: "010.0.0.1" or "10.1" are read by some libc parsers with
// surprising meanings (octal, shortened forms), so they are not addresses here.

const OCTET = '(?:0|[1-9][0-9]{0,2})';
const DOTTED_QUAD = new RegExp(`^(${OCTET})\\.(${OCTET})\\.(${OCTET})\\.(${OCTET})$`);

/** Strict dotted quad → uint32, or undefined when the text is not exactly one. */
export function parseDottedQuad(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DOTTED_QUAD.exec(s);
  if (m === null) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}
