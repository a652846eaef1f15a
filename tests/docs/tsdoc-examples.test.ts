/**
 * Every name the package exports has TSDoc with an `@example`. The public entries are read from
 * package.json `exports` (each `./dist/<path>.d.ts` is `src/<path>.ts`), so a new entry is
 * covered as soon as it is published. Only the exported names need one: class and interface
 * members do not. An example shows a use: at least two lines of code besides imports,
 * `declare`s, comments and closing brackets (checked in the folders listed in
 * `SHOWS_A_USE_IN`). That the examples type-check is tests/docs/tsdoc-examples-typecheck.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const rootPath = fileURLToPath(root);

/** Where every exported name's `@example` must show a use, as path prefixes: all of src. */
const SHOWS_A_USE_IN: readonly string[] = ['src/'];

/** The fewest lines of code an example needs to show a use rather than a declaration. */
const MIN_CODE_LINES = 2;

interface Entry {
  /** The subpath users import, `smartcard-2fa` or `smartcard-2fa/<name>`. */
  readonly specifier: string;
  /** The entry's source file, relative to the repository. */
  readonly source: string;
}

/** The package's entries, from package.json `exports`, as source files. */
function publicEntries(): Entry[] {
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    readonly name: string;
    readonly exports: Record<string, string | { readonly types?: string }>;
  };
  const entries: Entry[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const types = typeof target === 'string' ? target : target.types;
    const match = types?.match(/^\.\/dist\/(.+)\.d\.ts$/);
    if (match === null || match === undefined) continue; // ./package.json, say
    entries.push({
      specifier: subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`,
      source: `src/${match[1]}.ts`,
    });
  }
  return entries;
}

/** The compiler options of tsconfig.json, to load the entries as `tsc` does. */
function compilerOptions(): ts.CompilerOptions {
  const path = fileURLToPath(new URL('tsconfig.json', root));
  const config = ts.readConfigFile(path, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, rootPath).options;
}

interface ExportedName {
  /** The subpath it is imported from. */
  readonly entry: string;
  /** The name it is exported as. */
  readonly name: string;
  /** Its declarations (a class and a namespace, overloads, ...). */
  readonly declarations: readonly ts.Declaration[];
}

/** Every name each entry exports, with the declarations it stands for (aliases followed). */
function exportedNames(entries: readonly Entry[]): ExportedName[] {
  const sources = entries.map((e) => fileURLToPath(new URL(e.source, root)));
  const program = ts.createProgram(sources, compilerOptions());
  const checker = program.getTypeChecker();
  const names: ExportedName[] = [];
  entries.forEach((entry, i) => {
    const file = program.getSourceFile(sources[i] ?? '');
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    expect(module, `${entry.source} is a module`).toBeDefined();
    if (module === undefined) return;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      names.push({
        entry: entry.specifier,
        name: exported.name,
        declarations: symbol.getDeclarations() ?? [],
      });
    }
  });
  return names;
}

/** A declaration's file, relative to the repository. */
function fileOf(declaration: ts.Declaration | undefined): string {
  const fileName = declaration?.getSourceFile().fileName ?? '(no declaration)';
  return fileName.startsWith(rootPath) ? fileName.slice(rootPath.length) : fileName;
}

/** The `@example` tags of a declaration's TSDoc. */
function exampleTags(declaration: ts.Declaration): ts.JSDocTag[] {
  return ts.getJSDocTags(declaration).filter((tag) => tag.tagName.text === 'example');
}

/** The exported names of each entry whose declaration has no `@example` tag. */
function missingExamples(names: readonly ExportedName[]): string[] {
  return names
    .filter(({ declarations }) => !declarations.some((d) => exampleTags(d).length > 0))
    .map(({ entry, name, declarations }) => `${entry}: ${name} (${fileOf(declarations[0])})`);
}

/**
 * The code of an `@example` tag: the lines of its ```ts blocks, without the comment's ` * `
 * margin. Read from the source text, up to the next tag outside a block, since TypeScript's
 * JSDoc parser ends a tag at any `@` word, even one inside a block.
 */
function exampleCode(tag: ts.JSDocTag): string {
  const file = tag.getSourceFile();
  const lines = file.text.slice(tag.getStart(file), tag.parent.end).split('\n').slice(1);
  const code: string[] = [];
  let inBlock = false;
  for (const raw of lines) {
    const text = raw.replace(/^\s*\*(?: |$)/, '').replace(/\s*\*\/\s*$/, '');
    const fence = text.trim();
    if (!inBlock && fence.startsWith('@')) break;
    if (/^```(?:ts|typescript)$/.test(fence)) inBlock = true;
    else if (fence === '```') inBlock = false;
    else if (inBlock) code.push(text);
  }
  return code.join('\n');
}

/**
 * How many lines of `code` do something: not blank, not a comment, not a closing bracket alone,
 * and not part of an `import` or a `declare` statement (what an example assumes, not its use).
 */
function codeLineCount(code: string): number {
  const file = ts.createSourceFile('example.ts', code, ts.ScriptTarget.Latest, true);
  const assumed = file.statements
    .filter(
      (statement) =>
        ts.isImportDeclaration(statement) ||
        (ts.canHaveModifiers(statement) &&
          (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)),
    )
    .map((statement) => [statement.getStart(file), statement.end] as const);
  let count = 0;
  let lineStart = 0;
  for (const line of code.split('\n')) {
    const text = line.trim();
    const at = lineStart + line.indexOf(text);
    lineStart += line.length + 1;
    if (text === '' || /^(?:\/\/|\/\*|\*)/.test(text)) continue;
    if (/^[)\]}][)\]},;]*$/.test(text)) continue;
    if (assumed.some(([start, end]) => at >= start && at < end)) continue;
    count += 1;
  }
  return count;
}

/**
 * The examples of exported names declared under `prefixes` that show no use: fewer than
 * {@link MIN_CODE_LINES} lines of code. Each tag once, however many entries export its name.
 */
function examplesWithoutUse(names: readonly ExportedName[], prefixes: readonly string[]) {
  const seen = new Set<ts.JSDocTag>();
  const thin: string[] = [];
  let checked = 0;
  for (const { name, declarations } of names) {
    for (const declaration of declarations) {
      const source = fileOf(declaration);
      if (!prefixes.some((prefix) => source.startsWith(prefix))) continue;
      for (const tag of exampleTags(declaration)) {
        if (seen.has(tag)) continue;
        seen.add(tag);
        checked += 1;
        const lines = codeLineCount(exampleCode(tag));
        if (lines >= MIN_CODE_LINES) continue;
        const file = declaration.getSourceFile();
        const line = file.getLineAndCharacterOfPosition(tag.getStart(file)).line + 1;
        thin.push(`${source}:${line} ${name}: ${lines} line(s) of code`);
      }
    }
  }
  return { checked, thin };
}

describe('TSDoc', () => {
  const entries = publicEntries();
  let names: ExportedName[] | undefined;
  /** The exported names, read once for the tests that need them (one program is slow). */
  const exported = () => {
    names ??= exportedNames(entries);
    return names;
  };

  it('finds the entries in package.json exports', () => {
    const specifiers = entries.map((e) => e.specifier);
    expect(specifiers).toContain('smartcard-2fa');
    expect(specifiers).toContain('smartcard-2fa/session');
    for (const entry of entries)
      expect(existsSync(new URL(entry.source, root)), entry.source).toBe(true);
  });

  it('gives every exported name an @example', { timeout: 120_000 }, () => {
    expect(exported().length).toBeGreaterThan(100);
    expect(missingExamples(exported()), 'exports without an @example in their TSDoc').toEqual([]);
  });

  it('counts the lines of code of an example, not what it imports or assumes', () => {
    const example = [
      "import { PinState } from 'smartcard-2fa';",
      'import {',
      '  SmartCardError,',
      "} from 'smartcard-2fa';",
      '',
      'declare const saved: string;',
      'declare function show(',
      '  texts: string[],',
      '): void;',
      '// Restore the saved state:',
      'try {',
      '  await PinState.restore(saved);',
      '} catch (error) {',
      "  if (!SmartCardError.is(error)) throw error; // not the SDK's",
      '  show([',
      "    'refused',",
      '  ]);',
      '}',
    ].join('\n');
    expect(codeLineCount(example)).toBe(6);
    const declarationOnly =
      "import type { Clock } from 'smartcard-2fa';\n\ndeclare const clock: Clock;";
    expect(codeLineCount(declarationOnly)).toBe(0);
  });

  it('shows a use in every example of an exported name', { timeout: 120_000 }, () => {
    const { checked, thin } = examplesWithoutUse(exported(), SHOWS_A_USE_IN);
    expect(checked).toBeGreaterThan(100);
    expect(thin, `examples with fewer than ${MIN_CODE_LINES} lines of code`).toEqual([]);
  });
});
