import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../../examples/express-fastify.js';

describe('examples/express-fastify.ts (docs/server.md, "Express and Fastify")', () => {
  it('signs in behind each framework with the session cookie, and refuses each replay', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line));
    const cookie = '__Host-session=…; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=900';
    expect(lines).toEqual(
      ['express', 'fastify'].flatMap((name) => [
        `${name}: 200 alice@contoso.com (smart-card)`,
        `${name} cookie: ${cookie}`,
        'refused: verify challenge-used',
        `${name} replay verified: false`,
      ]),
    );
    // The guide shows the whole output: it must be what the example prints.
    const guide = readFileSync(new URL('../../../docs/server.md', import.meta.url), 'utf8');
    const shown = guide.split('## Express and Fastify')[1]?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });
});
