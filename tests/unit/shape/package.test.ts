/**
 * What `npm pack` (and so `npm publish` and an install from git) ships: `npm pack --dry-run --json`
 * must list every file a user needs — the built entry of every "exports" entry (JavaScript and types),
 * the `hrng` binary, the native helper's sources and build script (the install script compiles them),
 * LICENSE and README — and nothing from tests, tokens, build output of the native helper, or secrets.
 * The built files are there only after `npm run build` (scripts/test.sh builds before the unit stage;
 * `prepare` builds on `npm pack` and on installs from git).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  license: string;
  exports: Record<string, { types: string; import: string }>;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  allowScripts?: unknown;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
const built = existsSync('dist/cli/hrng.js');

/** The file list `npm pack` would produce; scripts are not run (the build is the test stage's job). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [report] = JSON.parse(out) as { files: { path: string }[] }[];
  return (report?.files ?? []).map((f) => f.path).sort();
}

const strip = (p: string): string => p.replace(/^\.\//, '');

describe('package', () => {
  it('LICENSE is the Apache License 2.0 that package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync('LICENSE', 'utf8');
    expect(
      text
        .trimStart()
        .split('\n')
        .slice(0, 2)
        .map((l) => l.trim()),
    ).toEqual(['Apache License', 'Version 2.0, January 2004']);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });

  it('install-time scripts: only the native helper build; no "allowScripts" block (npm ignores it); prepare builds', () => {
    expect(pkg.allowScripts).toBeUndefined();
    const lifecycle = Object.entries(pkg.scripts).filter(([name]) => ['preinstall', 'install', 'postinstall'].includes(name));
    expect(lifecycle).toEqual([['install', 'node crypto/native/build.mjs']]);
    expect(pkg.scripts.prepare).toBe('npm run -s build');
    expect(pkg.scripts.build).toMatch(/^tsc -p tsconfig\.build\.json --incremental --tsBuildInfoFile dist\/\.tsbuildinfo$/);
  });

  describe.skipIf(!built)('npm pack --dry-run (after npm run build)', () => {
    const files = built ? packedFiles() : [];

    it('has every exports entry (JavaScript and types), the bin, native sources, LICENSE and README', () => {
      const needed = [
        ...Object.values(pkg.exports).flatMap((e) => [strip(e.import), strip(e.types)]),
        ...Object.values(pkg.bin).map(strip),
        'crypto/native/binding.gyp',
        'crypto/native/build.mjs',
        'crypto/native/src/cpu_random.cc',
        'LICENSE',
        'README.md',
        'package.json',
      ];
      expect(needed.filter((f) => !files.includes(f))).toEqual([]);
    });

    it('every JavaScript file the bin and the entries load is packed with its declaration', () => {
      const js = files.filter((f) => f.endsWith('.js'));
      expect(js.length).toBeGreaterThan(50);
      expect(js.filter((f) => !files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
    });

    it('packs no tests, tokens, build leftovers or secrets', () => {
      const forbidden = [
        /^tests\//,
        /(^|\/)[^/]*\.test\.(ts|js)$/,
        /\.tsbuildinfo$/,
        /\.map$/,
        /^crypto\/native\/build\//,
        /^\.tokens\//,
        /(^|\/)\.env/,
        /\.(pem|key|p12|pfx)$/,
        /(^|\/)keystore-[^/]*\.json$/,
        /(^|\/)(pin|passphrase|secret)s?(\.txt)?$/i,
        /^node_modules\//,
        /^\.(git|github|ci)\//,
        /^scripts\//,
      ];
      expect(files.filter((f) => forbidden.some((re) => re.test(f)))).toEqual([]);
    });
  });
});
