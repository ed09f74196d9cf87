// Types for source-tree.mjs, so the shape tests that import it type-check.
export const CODE_PATTERN: RegExp;
export function layerFolders(root: string): string[];
export function sourceFiles(root: string): string[];
export interface ErrorTable {
  readonly name: string;
  readonly file: string;
  readonly layer: string;
  readonly codes: readonly { readonly code: string; readonly meaning: string }[];
}
export function errorTables(root: string): ErrorTable[];
export interface UsedCode {
  readonly code: string;
  readonly file: string;
  readonly line: number;
  readonly how: 'argument' | 'code property' | 'code type' | 'code union';
}
export function usedCodes(root: string): UsedCode[];
export function importsOf(root: string, file: string): string[];
export function renderErrorsMarkdown(tables: readonly ErrorTable[]): string;
