/**
 * The verifier's other Authenticator rules: OCSP (the CA's own responder; a revoked card, a
 * responder down with hard-fail), the identity (a certificate with only an e-mail address
 * names nobody unless `identity: 'upn-or-email'`), and many verifications at once agreeing with
 * one at a time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../src/enrollment/index.js';
import { ClientCertificateVerifier } from '../../src/server/index.js';
import {
  ALICE,
  BOB,
  CAROL,
  EMAIL_LOGON,
  issueTo,
  makeCa,
  type SoftwareClient,
} from './support/pki.js';

const OCSP_URL = 'http://ocsp.contoso.test/';

describe('ClientCertificateVerifier: OCSP, identity, concurrency', () => {
  let ca: CertificateAuthority;
  let alice: SoftwareClient;
  let bob: SoftwareClient;
  const asked: string[] = [];

  beforeAll(async () => {
    ca = await makeCa('Contoso', OCSP_URL);
    alice = await issueTo(ca, ALICE);
    bob = await issueTo(ca, BOB);
  }, 30_000);

  const responder = () => {
    const answer = ca.ocspResponder({ validityHours: 1 });
    return async ({ url, body }: { url: string; body: Uint8Array }) => {
      asked.push(url);
      return answer(body);
    };
  };
  const trust = () => ({ trustAnchors: [ca.root], intermediates: [ca.issuer] });

  it("asks the CA's OCSP responder: good, then revoked", async () => {
    const verifier = new ClientCertificateVerifier({
      ...trust(),
      ocsp: { fetch: responder(), mode: 'hard-fail' },
    });
    expect(await verifier.verify({ peerCertificate: { raw: bob.der } })).toMatchObject({
      verified: true,
    });
    expect(asked).toContain(OCSP_URL);
    await ca.revoke(bob.serial, 'keyCompromise');
    const fresh = new ClientCertificateVerifier({
      ...trust(),
      ocsp: { fetch: responder(), mode: 'hard-fail' },
    });
    expect(await fresh.verify({ peerCertificate: { raw: bob.der } })).toMatchObject({
      verified: false,
      reason: 'certificate-invalid',
      pathReason: 'revoked',
    });
  });

  it('refuses when the responder is down and OCSP is hard-fail', async () => {
    const down = async () => {
      throw new Error('connection refused');
    };
    const verifier = new ClientCertificateVerifier({
      ...trust(),
      ocsp: { fetch: down, mode: 'hard-fail' },
    });
    expect(await verifier.verify({ peerCertificate: { raw: alice.der } })).toMatchObject({
      verified: false,
      reason: 'certificate-invalid',
      pathReason: 'ocsp-invalid',
    });
  });

  it('names a user by e-mail only when allowed, as the Authenticator does', async () => {
    const carol = await issueTo(ca, CAROL, EMAIL_LOGON);
    const upnOnly = new ClientCertificateVerifier(trust());
    expect(await upnOnly.verify({ peerCertificate: { raw: carol.der } })).toEqual({
      verified: false,
      reason: 'no-identity',
      detail: 'The certificate has no UPN.',
    });
    const either = new ClientCertificateVerifier({ ...trust(), identity: 'upn-or-email' });
    expect(await either.verify({ peerCertificate: { raw: carol.der } })).toMatchObject({
      verified: true,
      user: { name: CAROL.email, matched: 'email', email: CAROL.email },
    });
  });

  it('gives the same answers to 60 verifications at once as to one at a time', async () => {
    const stranger = await issueTo(await makeCa('Fabrikam'), ALICE);
    const verifier = new ClientCertificateVerifier(trust());
    const inputs = Array.from(
      { length: 60 },
      (_, i) => [alice, stranger, bob][i % 3] as SoftwareClient,
    );
    const results = await Promise.all(
      inputs.map((client) =>
        verifier.verify({ clientCert: `:${Buffer.from(client.der).toString('base64')}:` }),
      ),
    );
    const alone = new ClientCertificateVerifier(trust());
    for (const [i, client] of inputs.entries()) {
      const one = await alone.verify({ peerCertificate: { raw: client.der } });
      expect(results[i]).toEqual(one);
    }
    expect(results.filter((result) => result.verified)).toHaveLength(40);
  });
});
