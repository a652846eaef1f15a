import { describe, expect, it } from 'vitest';
import { main } from '../../../examples/http-server.js';

describe('examples/http-server.ts (docs/server.md)', () => {
  it('signs in once over HTTP, refuses the replay, and sets a __Host- session cookie', async () => {
    const lines: string[] = [];
    await main((line) => lines.push(line));
    expect(lines.slice(0, 4)).toEqual([
      'challenge: received for intranet.contoso.com',
      'verified: alice@contoso.com',
      'refused: verify challenge-used',
      'replay verified: false',
    ]);
    expect(lines).toContain(
      'cookie: __Host-session=…; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=900',
    );
    expect(lines.some((line) => line.startsWith('method: smart-card, certificate serial '))).toBe(
      true,
    );
  });
});
