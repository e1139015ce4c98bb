// RFC 3986 percent-encoding as both Alibaba signature schemes use it
// (sdk-wire.md §2, ecs-api.md §3 step 2): UTF-8 bytes, only A-Z a-z 0-9 - _ . ~
// stay literal, everything else becomes %XY with UPPER-case hex. So space is
// %20 (never +), '*' is %2A, '~' stays '~'.
//
// encodeURIComponent does almost this, natively and fast (every request runs
// this over its whole canonical query, twice on the RPC scheme): it only
// leaves ! ' ( ) * literal, which we patch, exactly as the SDK's own encoder
// does. It throws on a lone surrogate; those strings go byte by byte through
// Buffer instead (which turns the surrogate into U+FFFD, as the HTTP decoder
// would have).

const ALL_UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
const SUB_DELIMS = /[!'()*]/g;
const SUB_DELIM_CODES: Record<string, string> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };

/** %XY for every byte, except the unreserved ones which stay themselves. */
const BYTE_TABLE: string[] = Array.from({ length: 256 }, (_, b) => {
  const ch = String.fromCharCode(b);
  return b < 0x80 && ALL_UNRESERVED.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
});

export function pct(value: string): string {
  if (ALL_UNRESERVED.test(value)) return value; // the common case: ids, dates, numbers
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    return pctBytes(value);
  }
  return encoded.replace(SUB_DELIMS, (c) => SUB_DELIM_CODES[c]);
}

function pctBytes(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) out += BYTE_TABLE[byte];
  return out;
}
