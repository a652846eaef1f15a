/**
 * Every name the package exports has TSDoc with an `@example`. The public entries are read from
 * package.json `exports` (each `./dist/<path>.d.ts` is `src/<path>.ts`), so a new entry is
 * covered as soon as it is published. Only the exported names need one: class and interface
 * members do not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const rootPath = fileURLToPath(root);

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

interface Undocumented {
  readonly entry: string;
  readonly name: string;
  readonly declaredIn: string;
}

/** The exported names of each entry whose declaration has no `@example` tag. */
function missingExamples(entries: readonly Entry[]): { names: number; missing: Undocumented[] } {
  const sources = entries.map((e) => fileURLToPath(new URL(e.source, root)));
  const program = ts.createProgram(sources, compilerOptions());
  const checker = program.getTypeChecker();
  const missing: Undocumented[] = [];
  let names = 0;
  entries.forEach((entry, i) => {
    const file = program.getSourceFile(sources[i] ?? '');
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    expect(module, `${entry.source} is a module`).toBeDefined();
    if (module === undefined) return;
    for (const exported of checker.getExportsOfModule(module)) {
      names += 1;
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.getDeclarations() ?? [];
      const hasExample = declarations.some((d) =>
        ts.getJSDocTags(d).some((tag) => tag.tagName.text === 'example'),
      );
      if (hasExample) continue;
      const declaredIn = declarations[0]?.getSourceFile().fileName ?? '(no declaration)';
      missing.push({
        entry: entry.specifier,
        name: exported.name,
        declaredIn: declaredIn.startsWith(rootPath)
          ? declaredIn.slice(rootPath.length)
          : declaredIn,
      });
    }
  });
  return { names, missing };
}

describe('TSDoc', () => {
  const entries = publicEntries();

  it('finds the entries in package.json exports', () => {
    const specifiers = entries.map((e) => e.specifier);
    expect(specifiers).toContain('smartcard-2fa');
    expect(specifiers).toContain('smartcard-2fa/session');
    for (const entry of entries)
      expect(existsSync(new URL(entry.source, root)), entry.source).toBe(true);
  });

  it('gives every exported name an @example', { timeout: 120_000 }, () => {
    const { names, missing } = missingExamples(entries);
    expect(names).toBeGreaterThan(100);
    const report = missing.map((m) => `${m.entry}: ${m.name} (${m.declaredIn})`);
    expect(report, 'exports without an @example in their TSDoc').toEqual([]);
  });
});
