import { readFileSync } from 'node:fs';
import type { KeySource } from '../../src/card/keys.js';
import type { KeyAlgorithmName } from '../../src/card/types.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/keys.json', import.meta.url), 'utf8'),
) as { keys: Record<KeyAlgorithmName, { pkcs8: string; spki: string }[]> };

const next: Partial<Record<KeyAlgorithmName, number>> = {};

/**
 * Pre-generated key pairs (scripts/make-fixture-keys.ts) handed out in turn, as if the card had
 * just generated them: RSA key generation stays out of most tests.
 */
export const fixtureKeySource: KeySource = async (algorithm) => {
  const list = fixture.keys[algorithm];
  const i = next[algorithm] ?? 0;
  next[algorithm] = (i + 1) % list.length;
  const key = list[i % list.length];
  if (key === undefined) throw new Error(`no fixture key for ${algorithm}`);
  return {
    algorithm,
    pkcs8: new Uint8Array(Buffer.from(key.pkcs8, 'base64')),
    spki: new Uint8Array(Buffer.from(key.spki, 'base64')),
  };
};

/** Every fixture key of one algorithm, as PKCS#8 DER. */
export function fixturePkcs8(algorithm: KeyAlgorithmName): Uint8Array<ArrayBuffer>[] {
  return fixture.keys[algorithm].map((k) => new Uint8Array(Buffer.from(k.pkcs8, 'base64')));
}
