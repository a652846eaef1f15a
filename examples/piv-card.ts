/**
 * A PIV card spoken to in APDUs, with the same SmartCard code as every other card: the PIV test
 * card runs in this process behind a transport (a PC/SC reader's transmit takes its place with
 * a real card), the tries left come from the card's own counter, a key pair is generated in
 * slot 9A, and a challenge signed there is checked here. Every APDU goes through the trace hook,
 * the PIN masked.
 *
 * This is the code of docs/real-tokens.md ("PIV cards over APDUs"): npx tsx examples/piv-card.ts
 */
import { pathToFileURL } from 'node:url';
import { type ApduEvent, type ApduTransport, PivSmartCard } from 'smartcard-2fa/card';
import { EmulatedPivCard } from 'smartcard-2fa/testing';

type Log = (line: string) => void;

/** A factory-fresh YubiKey 5.7's management key: AES-192, 01 02 … 08 three times. */
const managementKey = Uint8Array.from({ length: 24 }, (_, i) => (i % 8) + 1);

export async function main(log: Log = console.log): Promise<void> {
  const reader = await EmulatedPivCard.create({ preset: 'factory' });
  const trace: ApduEvent[] = [];

  const transport: ApduTransport = { transmit: (command) => reader.transmit(command) };
  const card = await PivSmartCard.open(transport, {
    managementKey: { algorithm: 'AES-192', key: managementKey }, // to generate and write
    onApdu: (event) => trace.push(event), // every APDU, PIN/PUK/management key data masked
  });
  const status = await card.pinStatus(); // { attemptsRemaining: 3, ... } from 63C3

  log(`card: ${card.kind} PIV card ${card.id}`);
  log(`tries left: ${status.attemptsRemaining} of ${status.maxAttempts}`);
  const wrong = await card.verifyPin('654321');
  log(
    `wrong PIN: ${wrong.status === 'incorrect' ? `${wrong.attemptsRemaining} left` : wrong.status}`,
  );
  log(`right PIN: ${(await card.verifyPin('123456')).status}`);

  const key = await card.generateKeyPair({ algorithm: 'ECDSA-P256', friendlyName: 'Sign-in' });
  const challenge = new TextEncoder().encode('the server challenge');
  const signature = await card.sign(key.name, challenge);
  const publicKey = await crypto.subtle.importKey(
    'spki',
    key.publicKey,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const checks = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    publicKey,
    signature,
    challenge,
  );
  log(`signature checks: ${checks}`);
  await card.logout();

  const verify = trace.find((event) => event.command[1] === 0x20 && event.masked);
  log(`VERIFY as traced: ${[...(verify?.command ?? [])].map((b) => b.toString(16)).join(' ')}`);
  log(`APDUs sent: ${trace.length}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
