// The two ways a render request can be wrong. Both are user errors (the CLI
// exits 1 on them), kept apart from bugs, and both carry everything needed to
// print a complete message at once.

export interface FactsProblem {
  /** dotted path into the facts, e.g. "ipv4.secondaries.3" ("" for the whole object) */
  path: string;
  message: string;
}

export class InvalidFactsError extends Error {
  readonly code = 'InvalidFacts' as const;
  constructor(readonly problems: readonly FactsProblem[]) {
    super(`invalid ENI facts:\n${problems.map((p) => `  ${p.path || '(facts)'}: ${p.message}`).join('\n')}`);
    this.name = 'InvalidFactsError';
  }
}

export class UnsupportedOsError extends Error {
  readonly code = 'UnsupportedOs' as const;
  constructor(
    /** what was asked for: an id, or a short description of an os-release text */
    readonly requested: string,
    readonly supportedIds: readonly string[],
  ) {
    super(`unsupported OS "${requested}"; supported ids: ${supportedIds.join(', ')}`);
    this.name = 'UnsupportedOsError';
  }
}
