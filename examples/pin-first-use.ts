/**
 * A new card's PIN, as the Lync / Skype for Business two-factor sign-in procedure describes it: the
 * card starts with the default PIN 12345678 and its holder must change it on first use. Then: wrong
 * PINs, a blocked PIN, the PUK, saving and restoring the state, and an administrator's reset.
 *
 * This is the code of docs/pin-policy.md. Run it with `npx tsx examples/pin-first-use.ts`.
 */
import { pathToFileURL } from 'node:url';
import { getCrypto, PinPolicyError, StateCorruptError } from 'smartcard-2fa';
import {
  DEFAULT_PIN,
  type PinChangeResult,
  PinPolicy,
  PinState,
  type PinStateOptions,
  type PinUnblockResult,
  type PinVerifyResult,
} from 'smartcard-2fa/pin';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  // A Lync / Skype for Business card: 8 to 127 printable ASCII characters, default PIN 12345678,
  // change on first use, trivial PINs refused. The procedure sets no retry limit; this card
  // allows 3 wrong PINs (the preset's default is 5).
  const policy = PinPolicy.preset('skypeForBusiness', { maxAttempts: 3 });

  // Where the state lives: a file, a database row. `persist` runs before every change takes
  // effect, so a wrong PIN is saved before the PIN is even compared. The integrity key makes
  // edits to a saved record detectable; keep it apart from the records (a key store, say).
  const crypto = await getCrypto();
  let saved = '';
  const storage: PinStateOptions = {
    integrityKey: crypto.getRandomValues(new Uint8Array(32)),
    persist: (record) => {
      saved = JSON.stringify(record);
    },
  };

  const card = await PinState.create({
    ...storage,
    policy,
    unblock: { kind: 'puk', value: '27182818' },
  });
  log(`new card: ${describeStatus(card)}`);

  // First use: the default PIN is right, but it must be changed before the card is used.
  log(`verify the default PIN: ${describe(await card.verify(DEFAULT_PIN))}`);

  // A new PIN is checked against the whole policy; every broken rule is listed at once and
  // nothing is spent. (`policy.validate(pin)` gives the same list, for a form as you type.)
  for (const candidate of [DEFAULT_PIN, '4444']) {
    try {
      await card.change(DEFAULT_PIN, candidate);
    } catch (error) {
      if (!(error instanceof PinPolicyError)) throw error;
      log('new PIN refused:');
      for (const violation of error.violations) log(`  ${violation.code}: ${violation.message}`);
    }
  }
  const pin = 'k7#Lm2pQ';
  log(`change the PIN: ${describe(await card.change(DEFAULT_PIN, pin))}`);
  log(`after the change: ${describeStatus(card)}`);

  // Wrong PINs: each one is spent and saved first. The last allowed one blocks the PIN, and
  // from then on the right PIN is refused too.
  for (let i = 0; i < 3; i++) log(`wrong PIN: ${describe(await card.verify('not-my-PIN'))}`);
  log(`right PIN while blocked: ${describe(await card.verify(pin))}`);

  // The holder unblocks with the PUK and chooses a new PIN; the attempts are restored.
  const newPin = 'Qp2mL#7k';
  log(`unblock with the PUK: ${describe(await card.unblock('27182818', newPin))}`);
  log(`verify the new PIN: ${describe(await card.verify(newPin))}`);

  // The saved record is plain JSON: hashes and counters, never a PIN or PUK in clear.
  const { integrity } = JSON.parse(saved) as { integrity: { algorithm: string } };
  log(`saved record: integrity ${integrity.algorithm}, PIN in clear: ${saved.includes(newPin)}`);
  const restored = await PinState.restore(saved, storage);
  log(`restored: ${describeStatus(restored)}`);

  // Someone with write access to the storage puts the counter back after a wrong guess.
  log(`wrong PIN: ${describe(await restored.verify('not-my-PIN'))}`);
  try {
    await PinState.restore({ ...JSON.parse(saved), attemptsRemaining: 3 }, storage);
  } catch (error) {
    if (!(error instanceof StateCorruptError)) throw error;
    log(`edited record refused: ${error.code}`);
  }

  // An administrator's reset: back to the default PIN, to be changed on first use.
  await restored.reset();
  log(`after an admin reset: ${describeStatus(restored)}`);
}

function describe(result: PinVerifyResult | PinChangeResult | PinUnblockResult): string {
  switch (result.status) {
    case 'verified':
      return result.mustChange ? 'verified, must change' : 'verified';
    case 'incorrect':
      return `incorrect, ${attempts(result.attemptsRemaining)} left`;
    default:
      return result.status;
  }
}

function describeStatus(card: PinState): string {
  const s = card.status();
  const pin = s.isDefault ? 'default PIN' : 'own PIN';
  const change = s.mustChange ? 'must change' : 'no change needed';
  return `${pin}, ${change}, ${s.attemptsRemaining} of ${attempts(s.maxAttempts)} left`;
}

function attempts(n: number): string {
  return n === 1 ? '1 attempt' : `${n} attempts`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
