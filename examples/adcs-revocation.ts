/**
 * Revocation as an AD CS deployment publishes it: the issuing CA publishes a complete (base) CRL
 * and, between bases, delta CRLs of what was revoked since; the server fetches both on every
 * sign-in and requires a current answer. Alice signs in, her card is reported lost, the CA
 * publishes a delta, and her next sign-in is refused without waiting for the next base CRL.
 *
 * This is the code of the "Revocation as AD CS publishes it" part of docs/sign-in.md. Run it
 * with `npx tsx examples/adcs-revocation.ts`.
 */
import { pathToFileURL } from 'node:url';
import { SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type DirectoryEntry,
  describeCertificate,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import { Authenticator } from 'smartcard-2fa/server';
import { signChallenge } from 'smartcard-2fa/session';

const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
} as const satisfies DirectoryEntry;
const RP_ID = 'intranet.contoso.com';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    directory: [ALICE],
  });
  const card = await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), pin: '24681357' });
  const enrolled = await enrollCard({
    card,
    pin: '24681357',
    request: EnrollmentBuilder.smartcardUser().upn(ALICE.upn).email(ALICE.email),
    submit: (request) => ca.issue(request, { requester: ALICE.account }),
  });
  if (enrolled.status !== 'installed') throw new Error(`enrollment ended ${enrolled.status}`);

  // What the CA has published: the base CRL (number 1), then deltas of it.
  const published = { base: await ca.crl(), delta: undefined as Uint8Array | undefined };
  const rootCrl = await ca.rootCrl();

  // The server fetches the CRLs on every sign-in (from its cache of the CA's CRL URLs) and
  // requires a current answer for every certificate below the root.
  const server = new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    rpId: RP_ID,
    revocation: 'require',
    crls: async () => [published.base, rootCrl, ...(published.delta ? [published.delta] : [])],
  });

  const signIn = async () => {
    const challenge = await server.challenge({ address: ALICE.upn });
    await card.verifyPin('24681357');
    const response = await signChallenge(card, enrolled.container, challenge, { rpId: RP_ID });
    await card.logout();
    const result = await server.verify(response);
    return result.verified ? 'signed in' : `refused: ${result.reason}, ${result.detail}`;
  };

  log(`before: ${await signIn()}`);
  const { serialNumber } = describeCertificate(enrolled.certificate);
  await ca.revoke(serialNumber, 'keyCompromise'); // the card is reported lost
  published.delta = await ca.crl({ deltaOf: 1 }); // AD CS publishes a delta between bases
  log(`after the delta CRL: ${await signIn()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
