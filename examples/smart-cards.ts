/**
 * Sign in with a physical or a virtual smart card, with the same code: verify the PIN, create a
 * new key set on the card, sign a challenge and check the signature. A physical card lives in a
 * reader and can be pulled out; a virtual card is bound to one device's TPM, blocks after 5 wrong
 * PINs, is unblocked with its admin key, and its saved state opens only on its own device.
 *
 * This is the code of docs/smart-cards.md. Run it with `npx tsx examples/smart-cards.ts`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_PIN, getCrypto, SmartCardError } from 'smartcard-2fa';
import {
  type CardInfo,
  type CardPinChangeResult,
  type CardPinUnblockResult,
  type CardPinVerifyResult,
  type KeyContainerInfo,
  PhysicalSmartCard,
  SimulatedReader,
  type SmartCard,
  SoftwareTpm,
  VirtualSmartCard,
} from 'smartcard-2fa/card';
import { FileStore } from 'smartcard-2fa/node';

type Log = (line: string) => void;

/**
 * What an app does with a card once it has one: the same code for every kind of card.
 * Returns the new key container, or `undefined` when the card cannot be used yet.
 */
async function useCard(
  card: SmartCard,
  pin: string,
  log: Log,
): Promise<KeyContainerInfo | undefined> {
  const verified = await card.verifyPin(pin);
  log(`verify the PIN (${card.kind}): ${describe(verified)}`);
  if (verified.status !== 'verified') return undefined;
  if (verified.mustChange) {
    // The card reports must-change; enforcing it is the app's job (the sign-in flow's).
    log(`use the card (${card.kind}): not until the PIN is changed`);
    return undefined;
  }

  // "Create new key set": an RSA-2048 key pair generated on the card, Key Usage Exchange (sign
  // and decrypt), in a container with an automatic name. The private key never leaves the card.
  const key = await card.generateKeyPair({ algorithm: 'RSA-2048', keySpec: 'exchange' });
  log(`new key set (${card.kind}): ${key.algorithm}, ${key.keySpec}`);

  // The card signs a challenge; anyone with the public key checks it, here with WebCrypto (the
  // copies give WebCrypto's TypeScript types the ArrayBuffer-backed arrays they ask for).
  const crypto = await getCrypto();
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  const signature = await card.sign(key.name, challenge);
  const publicKey = await crypto.subtle.importKey(
    'spki',
    new Uint8Array(key.publicKey),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const valid = await crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5',
    publicKey,
    new Uint8Array(signature),
    challenge,
  );
  log(`signature checks (${card.kind}): ${valid}`);

  for (const container of await card.containers()) {
    const certificate = container.hasCertificate ? 'a certificate' : 'no certificate yet';
    log(`key container (${card.kind}): ${container.algorithm}, ${certificate}`);
  }
  return key;
}

export async function main(log: Log = console.log): Promise<void> {
  await physicalCard(log);
  await virtualCard(log);
}

async function physicalCard(log: Log): Promise<void> {
  const reader = new SimulatedReader('Reader 0');
  const stopListening = [
    reader.on('inserted', (card) => log(`reader: card ${card.id} inserted`)),
    reader.on('removed', (card) => log(`reader: card ${card.id} removed`)),
  ];
  // A new card as the sign-in procedure has it: default PIN 12345678, changed on first use.
  const card = await PhysicalSmartCard.create({ serial: 'ALICE-0001', label: 'Alice' });

  // The sign-in screen prompts for the card and waits; nobody inserts one within 20 ms.
  log(`waiting 20 ms: ${await reader.waitForCard({ timeout: 20 })}`);
  // The holder inserts it a moment later, and the prompt's wait ends with it: "click OK".
  setTimeout(() => reader.insert(card), 50);
  const inserted = await reader.waitForCard({ timeout: 30_000 });
  if (inserted === null) throw new Error('No card was inserted within 30 s.');
  log(`physical card detected: ${describeInfo(await inserted.info())}`);

  // First use: the default PIN is right, but must be changed before the card is used.
  await useCard(inserted, DEFAULT_PIN, log);
  const pin = 'k7#Lm2pQ';
  log(`change the PIN (physical): ${describe(await inserted.changePin(DEFAULT_PIN, pin))}`);
  const key = await useCard(inserted, pin, log);
  if (key === undefined) throw new Error('The card could not be used.');

  // Pulling the card out ends the card session. An operation under way fails and leaves the
  // card as it was; so does every operation while the card is out.
  const generating = inserted.generateKeyPair();
  reader.remove();
  log(`removed during key generation: ${await outcome(generating)}`);
  const data = new TextEncoder().encode('sign-in challenge');
  log(`sign with the card out: ${await outcome(inserted.sign(key.name, data))}`);

  reader.insert(inserted);
  const info = await inserted.info();
  log(`back in: ${info.containers.used} key container, PIN verified: ${info.pinVerified}`);
  log(`sign after re-insert: ${await outcome(inserted.sign(key.name, data))}`);
  log(`verify the PIN again: ${describe(await inserted.verifyPin(pin))}`);
  const signature = await inserted.sign(key.name, data);
  log(`sign: a ${signature.length}-byte signature`);
  for (const stop of stopListening) stop();
}

async function virtualCard(log: Log): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'smartcard-2fa-example-'));
  try {
    // This device's TPM keeps its record (its seed and failure counter) in its own store, as a
    // TPM keeps them in its chip; the cards' sealed state goes to another store.
    const tpmStore = await FileStore.open(join(dir, 'tpm'));
    const cardStore = await FileStore.open(join(dir, 'cards'));
    const tpm = await SoftwareTpm.create({ store: tpmStore });

    // As `tpmvscmgr create /name Alice /pin default /adminkey random /PUK prompt /generate`,
    // except that the random admin key is handed out once, for the help desk to keep.
    const card = await VirtualSmartCard.create({
      tpm,
      name: 'Alice',
      pin: 'default',
      puk: '27182818',
      serial: 'VSC-ALICE-01',
      store: cardStore,
    });
    const adminKey = card.takeAdminKey();
    if (adminKey === undefined) throw new Error('create handed out no admin key.');
    log(`virtual card created: ${describeInfo(await card.info())}`);
    log(`admin key for the help desk: ${adminKey.length} random bytes, handed out once`);

    // No card to insert: skip that step and go straight to the PIN. Then the same code.
    await useCard(card, DEFAULT_PIN, log);
    const first = 'Wd3#kP9m';
    log(`first PIN change (virtual): ${describe(await card.changePin(DEFAULT_PIN, first))}`);
    await useCard(card, first, log);

    // Five wrong PINs in a row block the card (Windows 8.1 and later); the TPM counts each too.
    for (let i = 0; i < 5; i++) {
      log(`wrong PIN (virtual): ${describe(await card.verifyPin('not-my-PIN'))}`);
    }
    log(`right PIN while blocked: ${describe(await card.verifyPin(first))}`);
    const lockout = tpm.lockout();
    log(`TPM: ${lockout.failedTries} failures counted, locked out: ${lockout.lockedOut}`);

    // The help desk unblocks it with the admin key and sets a PIN that the holder must change.
    const temporary = 'Tmp-4821-x';
    const unblocked = await card.unblockPin(adminKey, temporary);
    log(`unblock with the admin key: ${describe(unblocked)}`);
    log(`verify the help desk's PIN: ${describe(await card.verifyPin(temporary))}`);
    const pin = 'Vq8#nR2z';
    log(`change the PIN (virtual): ${describe(await card.changePin(temporary, pin))}`);

    // Every change was saved as it happened, sealed by the TPM.
    const [saved] = await cardStore.names();
    if (saved === undefined) throw new Error('The card saved nothing.');
    log(`card store: ${saved}`);

    // A later run on the same device opens the stores again, then the TPM, then the card.
    const tpmStoreLater = await FileStore.open(join(dir, 'tpm'));
    const cardStoreLater = await FileStore.open(join(dir, 'cards'));
    const sameDevice = await SoftwareTpm.open(tpmStoreLater, tpm.deviceId);
    const reopened = await VirtualSmartCard.open(sameDevice, cardStoreLater, card.id);
    const containers = (await reopened.containers()).length;
    const verified = describe(await reopened.verifyPin(pin));
    log(`reopened on this device: ${verified}, ${containers} key container`);

    // The card's files copied to another computer: that computer's TPM cannot unseal them, and
    // each device needs its own enrolled card.
    const otherDevice = await SoftwareTpm.create();
    const copied = await FileStore.open(join(dir, 'cards'));
    const elsewhere = VirtualSmartCard.open(otherDevice, copied, card.id);
    log(`opened on another device: ${await outcome(elsewhere)}`);

    // A damaged file is refused, and left exactly as it is for someone to inspect or restore.
    const file = join(cardStoreLater.directory, saved);
    const damaged = (await readFile(file)).subarray(0, 100);
    await writeFile(file, damaged);
    log(`load a damaged file: ${await outcome(cardStoreLater.load(saved))}`);
    log(`left as it was: ${(await readFile(file)).equals(damaged)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The code of the `SmartCardError` an operation fails with, or `done`. */
async function outcome(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
    return 'done';
  } catch (error) {
    if (!SmartCardError.is(error)) throw error;
    return error.code;
  }
}

function describe(
  result: CardPinVerifyResult | CardPinChangeResult | CardPinUnblockResult,
): string {
  switch (result.status) {
    case 'verified':
      return result.mustChange ? 'verified, must change' : 'verified';
    case 'incorrect':
      // A PKCS#11 token may not know how many tries are left: then it is null.
      return `incorrect, ${result.attemptsRemaining ?? 'an unknown number of attempts'} left`;
    default:
      return result.status;
  }
}

function describeInfo(info: CardInfo): string {
  const { pin } = info;
  const state = [
    `${info.id} "${info.label}"`,
    info.blank ? 'blank' : `${info.containers.used} key containers`,
    pin.isDefault ? 'default PIN' : 'own PIN',
    ...(pin.mustChange ? ['must change'] : []),
    `${pin.attemptsRemaining} of ${pin.maxAttempts} attempts left`,
    `unblock: ${pin.unblock.map((u) => u.kind).join(' or ') || 'none'}`,
  ];
  return state.join(', ');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
