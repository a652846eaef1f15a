/**
 * Every ```ts block of every TSDoc `@example` in src type-checks. Each block is written as its own
 * module to node_modules/.cache/tsdoc-examples/src/<file>-<n>.ts, and all of them are checked in
 * one program with the repository's compiler options (less `noUnusedLocals`: an example may name
 * a value only to show it). A public name's example imports the package as a user would
 * (`smartcard-2fa/pin`: tsconfig.json `paths` map it to src); an internal's imports it as its
 * neighbours do (`./token.js`: `rootDirs` lay the examples' src/ over the repository's). An
 * example declares what it assumes (`declare const session: TokenSession;`). To see the errors
 * with `tsc` itself, run this test, then `npx tsc -p node_modules/.cache/tsdoc-examples`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const rootPath = fileURLToPath(new URL('../../', import.meta.url));
const srcPath = join(rootPath, 'src');
const outPath = join(rootPath, 'node_modules', '.cache', 'tsdoc-examples');

interface Example {
  /** The source file, relative to the repository (`src/pin/state.ts`). */
  readonly source: string;
  /** What the TSDoc documents: `PinState`, `PinState.change`, `(module)`. */
  readonly owner: string;
  /** The 1-based line in `source` of the block's first line of code. */
  readonly line: number;
  /** The block's code, without the comment's ` * ` margins. */
  readonly code: string;
  /** The module the block is written to, relative to the repository. */
  readonly module: string;
}

/** The `.ts` files under `dir`, sorted so the modules' names are stable. */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files.sort();
}

/** The name a TSDoc comment documents, for the report. */
function ownerName(node: ts.Node): string {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return '(module)';
  if (ts.isVariableStatement(node)) {
    return node.declarationList.declarations.map((d) => d.name.getText()).join(', ');
  }
  const named = node as { readonly name?: ts.Node };
  const name = named.name?.getText() ?? ts.SyntaxKind[node.kind];
  const parent = node.parent;
  if (
    parent !== undefined &&
    (ts.isClassLike(parent) || ts.isInterfaceDeclaration(parent)) &&
    parent.name !== undefined
  ) {
    return `${parent.name.text}.${name}`;
  }
  if (
    parent !== undefined &&
    ts.isTypeLiteralNode(parent) &&
    ts.isTypeAliasDeclaration(parent.parent)
  ) {
    return `${parent.parent.name.text}.${name}`;
  }
  return name;
}

/** The ```ts blocks of an `@example` tag, with the line each starts on. */
function blocksOf(file: ts.SourceFile, tag: ts.JSDocTag): { line: number; code: string }[] {
  const start = file.getLineAndCharacterOfPosition(tag.getStart(file)).line;
  const lines = file.text.slice(tag.getStart(file), tag.end).split('\n');
  const blocks: { line: number; code: string }[] = [];
  let open: { line: number; code: string[] } | undefined;
  lines.forEach((raw, i) => {
    const text = raw.replace(/^\s*\*(?: |$)/, '').replace(/\s*\*\/\s*$/, '');
    const fence = text.trim();
    if (open === undefined) {
      if (/^```(?:ts|typescript)$/.test(fence)) open = { line: start + i + 2, code: [] };
    } else if (fence === '```') {
      blocks.push({ line: open.line, code: `${open.code.join('\n')}\n` });
      open = undefined;
    } else {
      open.code.push(text);
    }
  });
  return blocks;
}

/**
 * Every ```ts block of every `@example` in src, in file order; `untyped` names the tags that
 * have none.
 */
function examples(): { found: Example[]; untyped: string[] } {
  const found: Example[] = [];
  const untyped: string[] = [];
  for (const path of sourceFiles(srcPath)) {
    const source = relative(rootPath, path).split('\\').join('/');
    const file = ts.createSourceFile(
      path,
      readFileSync(path, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const stem = source.replace(/\.ts$/, '');
    let n = 0;
    const visit = (node: ts.Node): void => {
      for (const doc of (node as { readonly jsDoc?: readonly ts.JSDoc[] }).jsDoc ?? []) {
        for (const tag of doc.tags ?? []) {
          if (tag.tagName.text !== 'example') continue;
          const blocks = blocksOf(file, tag);
          if (blocks.length === 0) untyped.push(`${source}: ${ownerName(node)}`);
          for (const block of blocks) {
            n += 1;
            found.push({
              source,
              owner: ownerName(node),
              line: block.line,
              code: block.code,
              module: `node_modules/.cache/tsdoc-examples/${stem}-${n}.ts`,
            });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { found, untyped };
}

/** Writes the examples and a tsconfig.json that includes them; returns the config's path. */
function writeExamples(all: readonly Example[]): string {
  rmSync(outPath, { recursive: true, force: true });
  mkdirSync(outPath, { recursive: true });
  for (const example of all) {
    const path = join(rootPath, example.module);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, example.code);
  }
  const fromOut = (path: string) => relative(outPath, join(rootPath, path)).split('\\').join('/');
  const config = {
    extends: fromOut('tsconfig.json'),
    compilerOptions: {
      noEmit: true,
      noUnusedLocals: false,
      noUnusedParameters: false,
      // An internal's example imports it as its neighbours do (`./token.js`): the examples'
      // src/ mirrors the repository's.
      rootDirs: [fromOut('src'), './src'],
    },
    include: ['src/**/*.ts'],
  };
  const configPath = join(outPath, 'tsconfig.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return configPath;
}

/** Type-checks the examples in one program; the errors, each naming its example. */
function typeErrors(configPath: string, all: readonly Example[]): string[] {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, host);
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    ...(parsed.projectReferences === undefined
      ? {}
      : { projectReferences: parsed.projectReferences }),
  });
  const byModule = new Map(all.map((e) => [join(rootPath, e.module), e]));
  const errors: string[] = [];
  const general = [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
  ];
  for (const d of general)
    errors.push(`tsconfig: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  expect(parsed.fileNames.length, 'every example is in the program').toBe(all.length);
  for (const fileName of parsed.fileNames) {
    const file = program.getSourceFile(fileName);
    const example = byModule.get(join(fileName));
    if (file === undefined || example === undefined) {
      errors.push(`${fileName}: not an example of src`);
      continue;
    }
    const diagnostics = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ];
    for (const d of diagnostics) {
      const at =
        d.file !== undefined && d.start !== undefined
          ? d.file.getLineAndCharacterOfPosition(d.start).line
          : 0;
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      errors.push(
        `${example.source}:${example.line + at} (${example.owner}, ${example.module}:${at + 1}): TS${d.code} ${message}`,
      );
    }
  }
  return errors;
}

describe('TSDoc examples', () => {
  it('type-check as modules importing the package', { timeout: 120_000 }, () => {
    const { found: all, untyped } = examples();
    expect(all.length).toBeGreaterThan(250);
    expect(untyped, '@example tags without a ```ts block').toEqual([]);
    const errors = typeErrors(writeExamples(all), all);
    expect(errors, '@example blocks that do not type-check').toEqual([]);
  });
});
