/**
 * docs/errors.md documents every error code: a row in its table naming the code's class, and a
 * section with what causes it and what to do. A code added to ERROR_CODES without them, or one
 * documented that no longer exists, fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import { ERROR_CODES, SmartCardError } from '../../src/index.js';

const guide = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** The table rows of the guide, by code: `| \`ERR_X\` | \`XError\` | ... |`. */
const rows = new Map(
  [...guide.matchAll(/^\| `(ERR_[A-Z0-9_]+)` +\| `(\w+)` +\|/gm)].map((m) => [
    m[1] ?? '',
    m[2] ?? '',
  ]),
);

/** Each `## ERR_X` section's text, up to the next heading of that level. */
const sections = new Map(
  guide
    .split(/^## /m)
    .slice(1)
    .map((section) => [section.slice(0, section.indexOf('\n')).trim(), section] as const)
    .filter(([heading]) => heading.startsWith('ERR_')),
);

/** The code of each exported error class, from an instance (the code is an instance field). */
const classOf = new Map<string, string>();
for (const [name, value] of Object.entries(sdk)) {
  if (typeof value !== 'function' || !(value.prototype instanceof SmartCardError)) continue;
  const Class = value as unknown as new (message: string, extra: never[]) => SmartCardError;
  classOf.set(new Class('message', []).code, name);
}

describe('docs/errors.md', () => {
  it.each([...ERROR_CODES])(
    'documents %s: its row, its class, its cause and what to do',
    (code) => {
      expect(rows.get(code), `a table row for ${code}`).toBe(classOf.get(code));
      const section = sections.get(code);
      expect(section, `a "## ${code}" section`).toBeDefined();
      expect(section).toContain('**Cause.**');
      expect(section).toContain('**What to do.**');
    },
  );

  it('documents no code that does not exist', () => {
    const known = new Set<string>(ERROR_CODES);
    expect([...rows.keys()].filter((code) => !known.has(code))).toEqual([]);
    expect([...sections.keys()].filter((code) => !known.has(code))).toEqual([]);
    expect(rows.size).toBe(ERROR_CODES.length);
  });
});
