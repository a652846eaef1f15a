import { describe, expect, it } from 'vitest';
import { children, readSingle } from '../../src/lib/der.js';
import { bitString, integer, nullValue, oid, sequence } from '../../src/lib/der-write.js';
import { matchIdentity } from '../../src/server/authenticator/identity.js';
import { keyFacts } from '../../src/server/path/signature.js';
import { fixtureKeySource } from '../support/fixture-keys.js';

/** Found by review of the server side of sign-in. */
async function rsaSpkiWithExponent(exponent: number): Promise<Uint8Array> {
  const { spki } = await fixtureKeySource('RSA-2048', crypto);
  const [, bits] = children(spki, readSingle(spki));
  const rsaKey = spki.subarray((bits?.valueStart ?? 0) + 1, bits?.end);
  const [modulus] = children(rsaKey, readSingle(rsaKey));
  const n = rsaKey.subarray(modulus?.valueStart, modulus?.end);
  return sequence(
    sequence(oid('1.2.840.113549.1.1.1'), nullValue()),
    bitString(sequence(integer(n), integer(exponent))),
  );
}

describe('RSA keys in certificate paths', () => {
  it('refuse a public exponent of 1 or an even one (every "signature" would verify)', async () => {
    expect(keyFacts(await rsaSpkiWithExponent(65537))).toEqual({ kind: 'rsa', bits: 2048 });
    for (const e of [1, 2, 65536]) {
      expect(typeof keyFacts(await rsaSpkiWithExponent(e))).toBe('string');
    }
  });
});

describe('identity matching', () => {
  const identities = { upns: ['alice@contoso.com'], emails: ['bob@contoso.com'] };

  it('matches the UPN only by default, and says which name matched', () => {
    expect(matchIdentity(identities, 'ALICE@contoso.com')).toEqual({
      matched: 'upn',
      name: 'alice@contoso.com',
      upn: 'alice@contoso.com',
      email: 'bob@contoso.com',
    });
    // An e-mail address people may edit in the directory does not sign in as that address...
    expect(matchIdentity(identities, 'bob@contoso.com')).toBeUndefined();
    // ...unless the service asks for it.
    expect(matchIdentity(identities, 'bob@contoso.com', 'upn-or-email')).toMatchObject({
      matched: 'email',
      name: 'bob@contoso.com',
    });
  });
});
