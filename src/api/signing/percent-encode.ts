// RFC 3986 percent-encoding as both Alibaba signature schemes use it
// (sdk-wire.md §2, ecs-api.md §3 step 2): UTF-8 bytes, only A-Z a-z 0-9 - _ . ~
// stay literal, everything else becomes %XY with UPPER-case hex. So space is
// %20 (never +), '*' is %2A, '~' stays '~'.
//
// Why not encodeURIComponent: it leaves ! ' ( ) * literal, and the SDK's own
// encoder patches exactly those five afterwards. Encoding byte by byte gives
// the same result without that patch list, and never throws on a lone
// surrogate (Buffer turns it into U+FFFD, as the HTTP decoder would have).

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;
const ALL_UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
const HEX = '0123456789ABCDEF';

export function pct(value: string): string {
  if (ALL_UNRESERVED.test(value)) return value; // the common case: ids, dates, numbers
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
  }
  return out;
}
