// The project's source tree as the shape checks (tests/unit/shape/) and `npm run docs:errors` see it:
// every non-test TypeScript file of every layer folder, parsed with the TypeScript compiler (syntax only,
// no type-check, so it is fast and works on whatever the tree holds), and what those files declare:
// `<LAYER>_ERROR_CODES` tables, the error codes thrown, and the modules imported.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import ts from 'typescript';

/** Top-level folders that are not a layer of the library. */
const NOT_LAYERS = new Set(['node_modules', 'dist', 'tests', 'scripts', 'docs', 'coverage']);

/** An error code: upper case, digits, at least one underscore (`RNG_FAILED`; not `ENOENT`, not `Error`). */
export const CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

function walk(root, dir, out) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'build') continue;
      walk(root, rel, out);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) {
      out.push(rel);
    }
  }
}

/** The files git tracks or would track (ignored ones left out), or undefined outside a git checkout. */
function gitFiles(root) {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return out.split('\0').filter((f) => f !== '' && existsSync(join(root, f)));
  } catch {
    return undefined;
  }
}

function isSource(file) {
  return (
    file.endsWith('.ts') &&
    !file.endsWith('.d.ts') &&
    !file.endsWith('.test.ts') &&
    !file.split('/').some((p) => p.startsWith('.') || p === 'node_modules')
  );
}

/**
 * Every non-test `.ts` file of every layer folder (a top-level folder that is not tests, scripts, docs or
 * output), as `/`-separated paths relative to `root`, sorted. In a git checkout, what git tracks or would
 * track (so a scratch folder excluded from git is not a layer); elsewhere every file on disk.
 */
export function sourceFiles(root) {
  let files = gitFiles(root);
  if (files === undefined) {
    files = [];
    for (const entry of readdirSync(root, { withFileTypes: true })) if (entry.isDirectory()) walk(root, entry.name, files);
  }
  return files
    .map((p) => p.split(sep).join('/'))
    .filter((p) => p.includes('/') && !NOT_LAYERS.has(p.split('/')[0]) && isSource(p))
    .sort();
}

/** The layer folders: top-level folders holding non-test TypeScript that are not tests, scripts or output. */
export function layerFolders(root) {
  return [...new Set(sourceFiles(root).map((f) => f.split('/')[0]))].sort();
}

const parsed = new Map();

/** The file's syntax tree (cached per process). */
export function parse(root, file) {
  const key = join(root, file);
  let sf = parsed.get(key);
  if (sf === undefined) {
    sf = ts.createSourceFile(file, readFileSync(key, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    parsed.set(key, sf);
  }
  return sf;
}

function visit(node, fn) {
  fn(node);
  ts.forEachChild(node, (child) => visit(child, fn));
}

function lineOf(sf, node) {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function propertyName(name) {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/**
 * Every `<LAYER>_ERROR_CODES = { CODE: 'meaning', … }` table in the tree: `{ name, file, layer, codes:
 * [{ code, meaning }] }`, in declaration order (tables keep their sections).
 */
export function errorTables(root) {
  const tables = [];
  for (const file of sourceFiles(root)) {
    const sf = parse(root, file);
    visit(sf, (node) => {
      if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !/^[A-Z]+_ERROR_CODES$/.test(node.name.text)) return;
      let init = node.initializer;
      while (init && (ts.isSatisfiesExpression(init) || ts.isAsExpression(init) || ts.isParenthesizedExpression(init)))
        init = init.expression;
      if (!init || !ts.isObjectLiteralExpression(init)) return;
      const codes = [];
      for (const p of init.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const code = propertyName(p.name);
        const meaning = ts.isStringLiteralLike(p.initializer) ? p.initializer.text : p.initializer.getText(sf);
        if (code !== undefined) codes.push({ code, meaning });
      }
      tables.push({ name: node.name.text, file, layer: file.split('/')[0], codes });
    });
  }
  return tables;
}

/** The callee's text ends in `Error` (`new HsmError(`, `HsmError.from(`, `errors.CliError(`) or is `super`. */
function isErrorCallee(expr) {
  if (expr.kind === ts.SyntaxKind.SuperKeyword) return true;
  if (ts.isIdentifier(expr)) return /Error$/.test(expr.text);
  if (ts.isPropertyAccessExpression(expr)) return /Error$/.test(expr.name.text) || isErrorCallee(expr.expression);
  return false;
}

/**
 * Every error code the non-test source uses, with where: string literals that look like codes and stand
 * as an argument of `new XError(…)`, `XError.from(…)` or `super(…)`; as the value of a `code:` property;
 * as the type of a `code` property (`declare readonly code: 'RNG_FAILED'`); or in a `…ErrorCode` union type.
 */
export function usedCodes(root) {
  const used = [];
  for (const file of sourceFiles(root)) {
    const sf = parse(root, file);
    const add = (lit, how) => {
      if (CODE_PATTERN.test(lit.text)) used.push({ code: lit.text, file, line: lineOf(sf, lit), how });
    };
    const addLiteralTypes = (type, how) => {
      if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) add(type.literal, how);
      else if (ts.isUnionTypeNode(type)) for (const t of type.types) addLiteralTypes(t, how);
    };
    visit(sf, (node) => {
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isErrorCallee(node.expression)) {
        for (const arg of node.arguments ?? []) if (ts.isStringLiteralLike(arg)) add(arg, 'argument');
      } else if (ts.isPropertyAssignment(node) && propertyName(node.name) === 'code' && ts.isStringLiteralLike(node.initializer)) {
        add(node.initializer, 'code property');
      } else if ((ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) && propertyName(node.name) === 'code' && node.type) {
        addLiteralTypes(node.type, 'code type');
      } else if (ts.isTypeAliasDeclaration(node) && /ErrorCode$/.test(node.name.text)) {
        addLiteralTypes(node.type, 'code union');
      }
    });
  }
  return used;
}

/** Module specifiers a file imports or re-exports (type-only included), and dynamic `import('…')`s. */
export function importsOf(root, file) {
  const sf = parse(root, file);
  const out = [];
  visit(sf, (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      out.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push(node.argument.literal.text);
    }
  });
  return out;
}

/** Markdown pipes and line breaks escaped for a table cell. */
function cell(text) {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** docs/errors.md: every table's codes, layer by layer. */
export function renderErrorsMarkdown(tables) {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated by `npm run docs:errors` (scripts/docs-errors.mjs) from the `<LAYER>_ERROR_CODES` tables; do not edit. -->',
    '',
    'Every error hardened-rng throws is a `HardenedRngError` with a stable `code`; callers switch on the code,',
    'never on the message. Each layer has one table of its codes (code → what it means), and',
    '`tests/unit/shape/error-codes.test.ts` fails when a thrown code is in no table or this page is stale.',
    '`hrng` prints failures as `hrng COMMAND: CODE: message` (exit status 1; `CLI_INVALID_ARGUMENT` is exit 2,',
    'a double-sign refusal exit 3).',
  ];
  for (const t of tables) {
    lines.push('', `## \`${t.layer}/\` — \`${t.name}\` (${t.file})`, '', '| code | meaning |', '| --- | --- |');
    for (const { code, meaning } of t.codes) lines.push(`| \`${code}\` | ${cell(meaning)} |`);
  }
  return lines.join('\n') + '\n';
}
