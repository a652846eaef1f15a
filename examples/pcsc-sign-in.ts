/**
 * A sign-in with a PIV card behind the real PC/SC stack: the PIV test card is put into pcscd's
 * virtual reader (vpcd), `PcscReader` finds it through pcscd as it would a YubiKey in a USB
 * reader, Alice's certificate is enrolled onto it (key generated in slot 9A), she signs in, and
 * taking the card out ends what the card was doing.
 *
 * It needs pcscd and vpcd running, as scripts/pcsc/start-stack.sh starts them (in namespaces of
 * their own); run it inside them: `nsenter -t "$(cat DIR/namespace.pid)" -n -m npx tsx
 * examples/pcsc-sign-in.ts`. This is the code of docs/real-tokens.md ("A card reader through
 * PC/SC"); tests/pcsc/examples.test.ts runs it so.
 */
import { pathToFileURL } from 'node:url';
import {
  CertificateAuthority,
  type DirectoryEntry,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import { insertIntoVpcd, PcscReader } from 'smartcard-2fa/pcsc';
import { Authenticator } from 'smartcard-2fa/server';
import { signChallenge } from 'smartcard-2fa/session';
import { EmulatedPivCard } from 'smartcard-2fa/testing';

const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
} as const satisfies DirectoryEntry;
const RP_ID = 'intranet.contoso.com';
/** A factory-fresh YubiKey 5.7's PIN and management key (AES-192, 01..08 three times). */
const PIN = '123456';
const managementKey = Uint8Array.from({ length: 24 }, (_, i) => (i % 8) + 1);

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const port = Number(process.env.VPCD_PORT ?? 20123);
  const reader = await PcscReader.open({
    piv: { managementKey: { algorithm: 'AES-192', key: managementKey } },
  });
  try {
    log(`readers: ${reader.readers.join(', ')}`);
    // The test card goes into the virtual reader: pcscd sees a card inserted.
    const inserted = await insertIntoVpcd(await EmulatedPivCard.create(), { port });
    const card = await reader.waitForCard({ timeout: 15_000 });
    if (card === null) throw new Error('no card within 15 s');
    const status = await card.pinStatus(); // the card's own counter, from its 63Cx answer
    log(`card: ${card.id}, ${status.attemptsRemaining} tries left`);

    const ca = await CertificateAuthority.create({
      issuing: true,
      keyAlgorithm: 'ECDSA-P256',
      directory: [ALICE],
    });
    const enrolled = await enrollCard({
      card,
      pin: PIN,
      request: new EnrollmentBuilder()
        .template('SmartcardLogon')
        .algorithm('ECDSA-P256')
        .keySpec('signature')
        .upn(ALICE.upn),
      submit: (request) => ca.issue(request, { requester: ALICE.account }),
    });
    log(`enrolled: ${enrolled.status}`);
    if (enrolled.status !== 'installed') return;

    const server = new Authenticator({
      trustAnchors: [ca.root],
      intermediates: [ca.issuer],
      rpId: RP_ID,
    });
    const challenge = await server.challenge({ address: ALICE.upn });
    await card.verifyPin(PIN);
    const response = await signChallenge(card, enrolled.container, challenge, { rpId: RP_ID });
    const result = await server.verify(response);
    log(`sign-in: ${result.verified ? `signed in as ${result.user.upn}` : result.reason}`);

    const removed = new Promise<void>((resolve) => reader.on('removed', () => resolve()));
    await inserted.remove(); // the card is taken out of the reader
    await removed;
    const after = await card.pinStatus().then(
      () => 'still answering',
      (error: { code?: string }) => error.code,
    );
    log(`after removal: ${after}`);
  } finally {
    await reader.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
