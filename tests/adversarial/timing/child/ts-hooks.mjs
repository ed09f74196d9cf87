// Module hooks for the dudect child processes: they run the project's TypeScript as plain Node ES
// modules — no vitest module runner (which wraps every import in getters) between the harness and the
// code under test. Each .ts file is stripped of its types by the oxc transformer that vitest itself uses
// (through rolldown, already installed with vitest; milliseconds per file, where TypeScript's own
// transpiler would cost about 2 s of start-up per child), and the sources' `.js` specifiers are resolved
// to their `.ts` files. Registered by ts-register.mjs through `node --import`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'rolldown/experimental';

export async function resolve(specifier, context, nextResolve) {
  const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
  if (relative && specifier.endsWith('.js') && context.parentURL !== undefined) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) {
      const tsUrl = new URL(url.href.replace(/\.js$/, '.ts'));
      if (existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, format: 'module', shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const path = fileURLToPath(url);
    const out = transformSync(path, await readFile(path, 'utf8'), { lang: 'ts' });
    if (out.errors.length > 0) throw new SyntaxError(`${path}: ${out.errors.map((e) => e.message).join('; ')}`);
    return { format: 'module', source: out.code, shortCircuit: true };
  }
  return nextLoad(url, context);
}
