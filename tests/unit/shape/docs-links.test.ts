/**
 * The docs stand alone: README.md and docs/*.md cite no file outside the repo (`../shared/…`, an issue
 * number a reader cannot open) and every relative Markdown link points at a file that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const pages = [
  'README.md',
  'tests/vectors/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** `[text](target)` targets that are paths in the repo (no scheme, no pure anchor), without their anchor. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'))
    .map((t) => t.replace(/#.*$/, ''));
}

describe('docs', () => {
  it('cite nothing outside the repo', () => {
    const outside = pages.flatMap((p) =>
      readFileSync(join(root, p), 'utf8')
        .split('\n')
        .map((line, i) => [p, i + 1, line] as const)
        .filter(([, , line]) => /\.\.\/shared\b|\/work\/|\bissue #?\d+\b/i.test(line))
        .map(([page, n, line]) => `${page}:${n}: ${line.trim().slice(0, 100)}`),
    );
    expect(outside).toEqual([]);
  });

  it('relative links resolve to files in the repo', () => {
    const broken = pages.flatMap((p) =>
      relativeLinks(readFileSync(join(root, p), 'utf8'))
        .filter((t) => !existsSync(join(root, dirname(p), t)))
        .map((t) => `${p} -> ${t}`),
    );
    expect(broken).toEqual([]);
  });

  it('the link parser keeps repo paths and drops URLs and anchors (so the check can fail)', () => {
    expect(relativeLinks('[a](docs/x.md#y) [b](https://e.org) [c](#z) [d](../LICENSE)')).toEqual(['docs/x.md', '../LICENSE']);
  });
});
