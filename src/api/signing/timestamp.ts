// Request timestamps (`x-acs-date` for ACS3, `Timestamp` for RPC) are ISO 8601
// UTC, `YYYY-MM-DDThh:mm:ssZ` (CORE getTimestamp, Go SDK "2006-01-02T15:04:05Z"),
// or with milliseconds as Date.toISOString() gives them (`...:21.358Z`, older
// SDKs), which the real gateway accepts too. Anything else is rejected rather than
// guessed: Date.parse would also take local times and RFC 2822 dates, which
// no SDK sends and which would make the freshness window ambiguous.

const FORMAT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

// Requests arriving in the same second carry the same value: remember the last one parsed.
let last: { value: string; ms: number | undefined } = { value: '', ms: undefined };

/** Milliseconds since the epoch, or undefined when the value is not a real UTC instant in that format. */
export function parseAcsTimestamp(value: string): number | undefined {
  if (value === last.value) return last.ms;
  const ms = parse(value);
  last = { value, ms };
  return ms;
}

function parse(value: string): number | undefined {
  const m = FORMAT.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) + (m[7] ? Number(m[7].padEnd(3, '0')) : 0);
  // Date.UTC rolls over (Feb 30 -> Mar 2); a round trip catches impossible dates.
  const back = new Date(ms);
  const exact =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  return exact ? ms : undefined;
}
