// Imported by src/index.mjs only to learn whether this process already loads
// TypeScript (a `--import tsx` loader, vitest): the import fails when it does not.
export const typescriptLoads = true;
