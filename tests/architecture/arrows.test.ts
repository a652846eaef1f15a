/**
 * The arrows between the parts of src/, as docs/architecture.md draws them: every import (type
 * imports and re-exports included) from one part to another must be one the drawing allows.
 * Within a part anything goes. A new arrow means a change of the drawing first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const src = join(root, 'src');

const BASE = ['errors', 'crypto', 'clock', 'lib'] as const;

/** For each part: the parts it may import. `errors`, `crypto`, `clock` are src/*.ts or folders. */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  lib: ['errors'],
  crypto: ['errors', 'lib'],
  clock: ['errors', 'lib'],
  pem: ['errors', 'lib'],
  pin: BASE,
  card: ['pin', ...BASE],
  challenge: ['errors', 'lib'],
  session: ['card', 'pin', 'challenge', ...BASE],
  server: ['challenge', ...BASE],
  enrollment: ['card', 'pin', ...BASE],
  index: ['pin', 'pem', ...BASE],
  node: ['card', 'pin', ...BASE],
  pkcs11: ['card', 'pin', ...BASE],
  pcsc: ['card', 'pin', ...BASE],
  testing: ['session', 'server', 'challenge', 'enrollment', 'card', 'pin', 'pem', ...BASE],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `src/card/chip/chip.ts` → `card`; `src/errors.ts` → `errors`. */
function partOf(pathInSrc: string): string {
  const [first = ''] = pathInSrc.split('/');
  return first.replace(/\.(ts|js)$/, '');
}

/** Relative specifiers of static imports, re-exports and literal dynamic imports (not comments). */
function specifiers(code: string): string[] {
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = [
    ...withoutComments.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*'(\.[^']+)'/gm),
    ...withoutComments.matchAll(/^\s*import\s*'(\.[^']+)'/gm),
    ...withoutComments.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g),
  ];
  return found.map((match) => match[1] as string);
}

interface Arrow {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly specifier: string;
}

function arrows(): Arrow[] {
  return sourceFiles(src).flatMap((file) => {
    const inSrc = relative(src, file).split('\\').join('/');
    const from = partOf(inSrc);
    return specifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
      const target = posix.normalize(posix.join(posix.dirname(inSrc), specifier));
      if (target.startsWith('..')) return [{ from, to: '(outside src)', file: inSrc, specifier }];
      const to = partOf(target);
      return to === from ? [] : [{ from, to, file: inSrc, specifier }];
    });
  });
}

describe('the arrows between the parts of src', () => {
  const all = arrows();

  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((arrow) => arrow.from === 'server' && arrow.to === 'challenge')).toBe(true);
    expect(all.some((arrow) => arrow.from === 'session' && arrow.to === 'card')).toBe(true);
  });

  it('every part of src is in the drawing', () => {
    const parts = new Set(sourceFiles(src).map((file) => partOf(relative(src, file))));
    expect([...parts].filter((part) => !(part in ALLOWED))).toEqual([]);
  });

  it('imports only what the drawing allows: server and client apart, nothing imports testing', () => {
    const refused = all
      .filter((arrow) => !(ALLOWED[arrow.from] ?? []).includes(arrow.to))
      .map((arrow) => `${arrow.file} → ${arrow.specifier} (${arrow.from} → ${arrow.to})`);
    expect(refused).toEqual([]);
  });

  it('the checker refuses an arrow that is not drawn', () => {
    const code = "import { Authenticator } from '../server/authenticator/authenticator.js';";
    const [specifier] = specifiers(code);
    const target = posix.normalize(posix.join(dirname('session/x.ts'), specifier ?? ''));
    expect(ALLOWED.session).not.toContain(partOf(target));
    expect(specifiers("// import x from '../server/index.js'")).toEqual([]);
    expect(specifiers("export type { A } from './a.js';\nconst m = import('../b.js');")).toEqual([
      './a.js',
      '../b.js',
    ]);
  });
});
