// Types for gen-param-models.mjs, imported by test/api/param-models.test.ts.
export interface Product {
  pkg: string;
  version: string;
  file: string;
  product: string;
}
export const PRODUCTS: Product[];
export function productModels(p: Product): Promise<Record<string, string[]>>;
export function render(p: Product): Promise<string>;
