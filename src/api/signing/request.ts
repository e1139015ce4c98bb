// The transport-neutral view of a request that signature checking needs. The
// api pipeline builds it from fastify; tests build it from the captured SDK
// requests in test/fixtures/sdk/. Nothing here knows about HTTP frameworks.

export interface SignedRequestInput {
  method: string;
  /** decoded path; "/" for every ECS RPC action */
  path: string;
  /** decoded query parameters in wire order, duplicates kept */
  query: [string, string][];
  /** decoded form-body parameters, only when content-type is x-www-form-urlencoded */
  form: [string, string][];
  /** header names in lower case */
  headers: Record<string, string | string[] | undefined>;
  /** the body as received ("" when empty); ACS3 hashes it */
  rawBody: string;
}

/**
 * A header's value as the ACS3 signer canonicalizes it: trimmed, and a
 * repeated header's values trimmed, sorted and joined with "," (openapi-core
 * getAuthorizationHeaders). Inner whitespace is NOT collapsed, as in the SDK.
 * undefined when the header is absent.
 */
export function headerValue(input: SignedRequestInput, name: string): string | undefined {
  const v = input.headers[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v))
    return v
      .map((s) => s.trim())
      .sort(byCodeUnits)
      .join(',');
  return v.trim();
}

/** Plain UTF-16 code-unit order, what JS's default sort() uses and the SDKs sign with ("X.10" < "X.2"). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort [name, value] pairs by name, then value, so duplicates canonicalize deterministically. */
export function sortPairs(pairs: readonly [string, string][]): [string, string][] {
  return [...pairs].sort((x, y) => byCodeUnits(x[0], y[0]) || byCodeUnits(x[1], y[1]));
}
