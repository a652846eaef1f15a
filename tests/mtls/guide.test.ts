/**
 * docs/browser-card-sign-in.md quotes the files the mTLS tests run: every code block after a line
 * "From `<path>`" (or "from `<path>`") is found, as it is, in that file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('docs/browser-card-sign-in.md', () => {
  const guide = read('docs/browser-card-sign-in.md');
  const quotes = [...guide.matchAll(/[Ff]rom\s+`([^`]+)`[^`]*?:\n\n```[a-z]*\n([\s\S]*?)```/g)].map(
    ([, path = '', code = '']) => ({ path, code }),
  );

  it('quotes the Node server, the app behind nginx and the nginx configuration', () => {
    expect(quotes.map((quote) => quote.path)).toEqual([
      'examples/mtls-server.ts',
      'scripts/nginx/nginx.conf',
      'examples/mtls-server.ts',
    ]);
  });

  it('quotes each of them as the file has it', () => {
    for (const { path, code } of quotes) expect(read(path)).toContain(code);
  });
});
