/**
 * A real token through PKCS#11, with the same SmartCard code as the emulated cards: open the
 * token by its label, verify the PIN (a wrong one first), generate a key pair on the token, sign
 * a challenge there and check the signature here, then remove the key pair again.
 *
 * This is the code of docs/real-tokens.md. Run it against a SoftHSM2 token:
 *   eval "$(scripts/pkcs11/softhsm.sh setup /tmp/sc2fa-hsm)" && npx tsx examples/real-token.ts
 * or against another module with PKCS11_MODULE, PKCS11_TOKEN_LABEL and PKCS11_PIN set.
 */
import { createPublicKey, verify } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { CardPinStatus } from 'smartcard-2fa/card';
import { Pkcs11Reader, Pkcs11SmartCard } from 'smartcard-2fa/pkcs11';

type Log = (line: string) => void;

const module = process.env.PKCS11_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';
const label = process.env.PKCS11_TOKEN_LABEL ?? 'sc2fa-softhsm';
const pin = process.env.PKCS11_PIN ?? '12345678';

export async function main(log: Log = console.log): Promise<void> {
  const card = await Pkcs11SmartCard.open({ module, label });
  try {
    const info = await card.info();
    log(`token: "${info.label}" by ${info.manufacturer}, ${info.kind}`);
    log(`blank: ${info.blank}`);
    log(`PIN: ${describePin(info.pin)}`);

    // Outcomes are values, as with every card: a wrong PIN says how many tries are left, when
    // anyone knows (the SDK's counter here: SoftHSM2 itself never locks).
    const wrong = await card.verifyPin('00000000');
    log(
      `wrong PIN: ${wrong.status === 'incorrect' ? `${wrong.attemptsRemaining ?? 'unknown'} attempts left` : wrong.status}`,
    );
    const right = await card.verifyPin(pin);
    log(`right PIN: ${right.status}`);
    log(`PIN: ${describePin(await card.pinStatus())}`);

    // The key pair is generated on the token and its private half never leaves it.
    const key = await card.generateKeyPair({ friendlyName: 'Example key' });
    log(`new key set: ${key.algorithm}, ${key.keySpec}, "${key.friendlyName}"`);
    const challenge = new TextEncoder().encode('the server challenge');
    const signature = await card.sign(key.name, challenge);
    const publicKey = createPublicKey({
      key: Buffer.from(key.publicKey),
      format: 'der',
      type: 'spki',
    });
    log(`signature checks: ${verify('sha256', challenge, publicKey, signature)}`);

    await card.deleteContainer(key.name);
    log(`key sets left: ${(await card.containers()).length}`);
  } finally {
    await card.logout();
    await card.close();
  }

  // The sign-in machine's `reader`: the token's slot, polled for insertion and removal.
  const reader = await Pkcs11Reader.open({ module, label, interval: 200 });
  log(`reader: ${reader.card === null ? 'no token' : `${reader.card.kind} token present`}`);
  await reader.close();
}

function describePin(pin: CardPinStatus): string {
  const left =
    pin.attemptsRemaining === null
      ? 'attempts left unknown'
      : `${pin.attemptsRemaining} of ${pin.maxAttempts} attempts left`;
  return [
    left,
    pin.blocked ? 'blocked' : 'not blocked',
    pin.mustChange ? 'must change' : 'no change needed',
  ].join(', ');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
