/**
 * Every example runs, says what its guide says it says, and every guide quotes its example
 * verbatim, so neither can drift from the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

type Main = (log: (line: string) => void) => Promise<void>;

async function run(example: string): Promise<string[]> {
  const path = fileURLToPath(new URL(`examples/${example}`, root));
  const module = (await import(/* @vite-ignore */ path)) as { main?: unknown };
  expect(module.main, `${example} exports main`).toBeTypeOf('function');
  const lines: string[] = [];
  await (module.main as Main)((line) => lines.push(line));
  return lines;
}

/** What the first line starting with `label: ` says after it. */
function said(lines: readonly string[], label: string): string | undefined {
  const line = lines.find((l) => l.startsWith(`${label}: `));
  return line?.slice(label.length + 2);
}

describe('examples', () => {
  const examples = readdirSync(new URL('examples/', root)).filter((f) => f.endsWith('.ts'));

  it('has examples', () => {
    expect(examples).toContain('pin-first-use.ts');
  });

  it.each(examples)('%s runs and logs', async (example) => {
    const lines = await run(example);
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('examples/pin-first-use.ts', () => {
  it('walks the seed procedure', async () => {
    const lines = await run('pin-first-use.ts');

    expect(said(lines, 'new card')).toBe('default PIN, must change, 3 of 3 attempts left');
    expect(said(lines, 'verify the default PIN')).toBe('verified, must change');

    // Each refused candidate lists every rule it breaks, by code.
    const refusals: string[][] = [];
    for (const line of lines) {
      if (line === 'new PIN refused:') refusals.push([]);
      else if (line.startsWith('  ')) refusals.at(-1)?.push(line.trim().split(':')[0] ?? '');
    }
    expect(refusals).toEqual([
      ['default-pin', 'sequence', 'same-as-current'],
      ['too-short', 'repeated-character'],
    ]);

    expect(said(lines, 'change the PIN')).toBe('changed');
    expect(said(lines, 'after the change')).toMatch(/^own PIN, no change needed, 3 of 3/);

    const wrong = lines.filter((l) => l.startsWith('wrong PIN: ')).map((l) => l.slice(11));
    expect(wrong).toEqual([
      'incorrect, 2 attempts left',
      'incorrect, 1 attempt left',
      'blocked',
      'incorrect, 2 attempts left', // after the restore
    ]);
    expect(said(lines, 'right PIN while blocked')).toBe('blocked');
    expect(said(lines, 'unblock with the PUK')).toBe('unblocked');
    expect(said(lines, 'verify the new PIN')).toBe('verified');

    expect(said(lines, 'saved record')).toBe('integrity HMAC-SHA-256, PIN in clear: false');
    expect(said(lines, 'restored')).toMatch(/^own PIN, no change needed, 3 of 3/);
    expect(said(lines, 'edited record refused')).toBe('ERR_STATE_CORRUPT');
    expect(said(lines, 'after an admin reset')).toMatch(/^default PIN, must change, 3 of 3/);

    // The guide shows the whole output; it must be what the example prints.
    const shown = read('docs/pin-policy.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });
});

describe('guides quote their examples', () => {
  const guides = readdirSync(new URL('docs/', root))
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const text = read(`docs/${f}`);
      const sources = [...text.matchAll(/from `?examples\/([\w-]+\.ts)/g)].map((m) => m[1] ?? '');
      return { guide: `docs/${f}`, text, sources };
    })
    .filter((g) => g.sources.length > 0);

  it('docs/pin-policy.md is the guide of examples/pin-first-use.ts', () => {
    const guide = guides.find((g) => g.guide === 'docs/pin-policy.md');
    expect(guide?.sources).toContain('pin-first-use.ts');
  });

  it.each(guides)(
    '$guide: every ts block is verbatim from its example',
    ({ guide, text, sources }) => {
      const code = sources.map((s) => read(`examples/${s}`)).join('\n');
      const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
      expect(blocks.length).toBeGreaterThan(0);
      // Blocks may be dedented in the guide, so leading spaces are ignored.
      const flat = (s: string) => s.replace(/^ +/gm, '');
      for (const block of blocks) {
        expect(flat(code), `${guide} quotes code not in its example`).toContain(flat(block));
      }
    },
  );
});
