/**
 * The public text speaks of what things are (AD CS, the enrollment station's form, the Lync / Skype
 * for Business client and its sign-in procedure), never of the project's source material or its
 * work items: "seed" never names the documents or procedures it was modelled on, no work item is
 * named by its number, no part is marked as still to come. "Seed" as a cryptographic or PRNG seed
 * is fine. Read: README.md, docs/*.md, and every file under src, examples, demo, bench, scripts and
 * tests (the tests' titles and comments too).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Built from parts, so that this file does not match itself. */
const SEED = 'seed';
const FORBIDDEN: readonly RegExp[] = [
  new RegExp(`\\b${SEED}[ -](documents?|procedures?)\\b`, 'i'),
  new RegExp(` \\(${SEED}: `, 'i'),
  /\bissue [0-9]+\b/i,
  new RegExp(`_${'coming'}_`),
];

/** Folders of data, not text: fixtures and conformance vectors. */
const DATA = ['tests/fixtures/', 'tests/conformance/data/'];

function publicText(): string[] {
  const files = ['README.md'];
  for (const name of readdirSync(`${root}docs`))
    if (name.endsWith('.md')) files.push(`docs/${name}`);
  for (const dir of ['src', 'examples', 'demo', 'bench', 'scripts', 'tests']) {
    for (const entry of readdirSync(`${root}${dir}`, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(ts|md|html|sh|mjs|js)$/.test(entry.name)) continue;
      const path = `${entry.parentPath.slice(root.length).replaceAll('\\', '/')}/${entry.name}`;
      if (!DATA.some((data) => path.startsWith(data))) files.push(path);
    }
  }
  return files;
}

/** The lines of `file` that say one of the forbidden things, as `file:line: text`. */
function hits(file: string): string[] {
  return readFileSync(`${root}${file}`, 'utf8')
    .split('\n')
    .flatMap((line, i) =>
      FORBIDDEN.some((pattern) => pattern.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
    );
}

describe('the public wording', () => {
  it('never names the source material or a work item', () => {
    const files = publicText();
    expect(files).toContain('docs/architecture.md');
    expect(files).toContain('src/session/index.ts');
    expect(files.flatMap(hits)).toEqual([]);
  });
});
