// The renderers' input type lives in the domain so the service layer can build it.
export type { EniFacts } from '../domain/eni-facts.ts';
