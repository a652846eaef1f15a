/**
 * A PIV federation: every card certificate carries the federation's authentication policy, and
 * the server asks the CA's OCSP responder about each card rather than downloading its large CRL.
 * The server requires the policy (any path that does not keep it is refused) and hard-fails
 * OCSP (no answer, no sign-in). Alice's PIV card signs in; Bob's card, reported lost, is refused
 * by the responder; Carol's card, from a CA outside the federation's policy, is refused too.
 *
 * This is the code of the "A PIV federation: policies and OCSP" part of docs/sign-in.md. Run it
 * with `npx tsx examples/piv-federation.ts`.
 */
import { pathToFileURL } from 'node:url';
import { PivSmartCard, type SmartCard } from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type DirectoryEntry,
  describeCertificate,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import { Authenticator } from 'smartcard-2fa/server';
import { signChallenge } from 'smartcard-2fa/session';
import { EmulatedPivCard } from 'smartcard-2fa/testing';

/** id-fpki-common-authentication: the U.S. Federal PKI's PIV authentication policy. */
const PIV_AUTHENTICATION = '2.16.840.1.101.3.2.1.3.13';
const RP_ID = 'portal.agency.example';
const OCSP_URL = 'http://ocsp.piv.agency.example/';
const OTHER_OCSP_URL = 'http://ocsp.contractor.example/';
const PIN = '123456'; // a factory-fresh PIV card's
/** The factory management key of a YubiKey 5.7 (AES-192, 01..08 three times): change it on real cards. */
const MANAGEMENT_KEY = {
  algorithm: 'AES-192',
  key: Uint8Array.from({ length: 24 }, (_, i) => (i % 8) + 1),
} as const;

const person = (name: string): DirectoryEntry => ({
  account: `AGENCY\\${name}`,
  commonName: name,
  upn: `${name}@agency.example`,
});
const [ALICE, BOB, CAROL] = [person('alice'), person('bob'), person('carol')];

/** How a deployment hands a request to its responder: an HTTP POST (RFC 6960 appendix A). */
export async function ocspOverHttp(request: { url: string; body: Uint8Array }) {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/ocsp-request' },
    body: new Uint8Array(request.body), // a copy the request may own
    signal: AbortSignal.timeout(5_000), // hard-fail: a responder that hangs refuses sign-ins
  });
  if (!response.ok) throw new Error(`OCSP responder answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** A PIV card (the test card, spoken to in APDUs) enrolled by `ca` for `who`. */
async function enrolledPivCard(ca: CertificateAuthority, who: DirectoryEntry) {
  const card = await PivSmartCard.open(await EmulatedPivCard.create(), {
    managementKey: MANAGEMENT_KEY,
  });
  const enrolled = await enrollCard({
    card,
    pin: PIN,
    request: new EnrollmentBuilder()
      .template('SmartcardLogon')
      .algorithm('ECDSA-P256')
      .keySpec('signature')
      .upn(who.upn as string),
    submit: (request) => ca.issue(request, { requester: who.account }),
  });
  if (enrolled.status !== 'installed') throw new Error(`enrollment ended ${enrolled.status}`);
  return { card, container: enrolled.container, certificate: enrolled.certificate };
}

export async function main(log: (line: string) => void = console.log): Promise<void> {
  // The federation's CA asserts the PIV authentication policy and answers OCSP.
  const ca = await CertificateAuthority.create({
    name: 'Agency Root CA',
    issuing: { name: 'Agency PIV Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    certificatePolicies: [PIV_AUTHENTICATION],
    ocspUrl: OCSP_URL,
    directory: [ALICE, BOB],
  });
  // A CA the server also trusts, without that policy: its cards are not PIV authentication cards.
  const outsider = await CertificateAuthority.create({
    name: 'Contractor Root CA',
    issuing: { name: 'Contractor Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    ocspUrl: OTHER_OCSP_URL,
    directory: [CAROL],
  });
  // Each CA's responder, signed by a delegated responder certificate, at its URL.
  const responders = new Map([
    [OCSP_URL, ca.ocspResponder({ responder: 'delegated' })],
    [OTHER_OCSP_URL, outsider.ocspResponder({ responder: 'delegated' })],
  ]);
  const alice = await enrolledPivCard(ca, ALICE);
  const bob = await enrolledPivCard(ca, BOB);
  const carol = await enrolledPivCard(outsider, CAROL);
  await ca.revoke(describeCertificate(bob.certificate).serialNumber, 'keyCompromise');

  const server = new Authenticator({
    trustAnchors: [ca.root, outsider.root],
    intermediates: [ca.issuer, outsider.issuer],
    rpId: RP_ID,
    initialPolicySet: [PIV_AUTHENTICATION],
    initialExplicitPolicy: true,
    ocsp: {
      // In a deployment: `fetch: ocspOverHttp`. Here each CA's responder answers in-process.
      fetch: async ({ url, body }) => {
        const responder = responders.get(url);
        if (responder === undefined) throw new Error(`no responder at ${url}`);
        return responder(body);
      },
      mode: 'hard-fail',
    },
  });

  const signIn = async (who: { card: SmartCard; container: string }, address: string) => {
    const challenge = await server.challenge({ address });
    await who.card.verifyPin(PIN);
    const response = await signChallenge(who.card, who.container, challenge, { rpId: RP_ID });
    await who.card.logout();
    const result = await server.verify(response);
    if (result.verified) return 'signed in';
    return `refused: ${result.reason === 'certificate-invalid' ? result.pathReason : result.reason}`;
  };

  log(`alice: ${await signIn(alice, ALICE.upn as string)}`);
  log(`bob: ${await signIn(bob, BOB.upn as string)}`);
  log(`carol: ${await signIn(carol, CAROL.upn as string)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
