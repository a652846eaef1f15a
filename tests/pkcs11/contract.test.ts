import { afterAll, describe } from 'vitest';
import { MemoryStore } from '../../src/card/storage/card-store.js';
import { Pkcs11SmartCard } from '../../src/pkcs11/index.js';
import { type ContractSubject, describeSmartCardContract } from '../card/contract.js';
import { freshToken } from './support/fresh.js';
import { type TestToken, tokenSupport, useTestToken } from './support/tokens.js';

/**
 * The SmartCard contract, unchanged, against real tokens through `Pkcs11SmartCard`: SoftHSM2
 * (which never locks: the SDK's retry counter, kept on the token, blocks) and the TPM through
 * tpm2-pkcs11 (whose dictionary-attack lockout is set to the subject's 3 attempts, and which
 * the SDK's counter mirrors, kept in a store: the TPM token takes no public data object).
 */

const NEW_PIN = 'k7#Lm2pQ';

/** Each subject is a fresh token: PIN reset by the SO, every object gone, lockout cleared. */
function subjects(
  token: () => TestToken,
  open: (t: TestToken) => Promise<Pkcs11SmartCard>,
  subject: Omit<ContractSubject, 'card' | 'pin' | 'newPin'>,
): () => Promise<ContractSubject> {
  let last: Pkcs11SmartCard | undefined;
  afterAll(async () => {
    await last?.close();
  });
  return async () => {
    await last?.close();
    last = undefined;
    const t = token();
    freshToken(t);
    last = await open(t);
    return { card: last, pin: t.pin, newPin: NEW_PIN, ...subject };
  };
}

describe.skipIf(!tokenSupport('softhsm').available)('SoftHSM2 token', () => {
  const token = useTestToken('softhsm');
  const make = subjects(token, (t) => Pkcs11SmartCard.open({ module: t.module, label: t.label }), {
    puk: '87654321',
    maxAttempts: 5, // the SDK's counter: the default policy's maxAttempts
    countsAttempts: true,
    algorithms: ['RSA-2048', 'ECDSA-P256'],
  });
  describeSmartCardContract('PKCS#11 SoftHSM2', make);
});

const TPM_TRIES = 5;

describe.skipIf(!tokenSupport('tpm').available)('TPM token (swtpm + tpm2-pkcs11)', () => {
  const token = useTestToken('tpm', { maxTries: TPM_TRIES, resourceManager: true });
  const make = subjects(
    token,
    (t) =>
      Pkcs11SmartCard.open({
        module: t.module,
        label: t.label,
        retryCounter: { maxAttempts: TPM_TRIES },
        state: new MemoryStore(),
      }),
    {
      // No PUK: at the limit the whole TPM is locked out, the security officer too; only the
      // TPM's lockout reset (the platform's owner) helps, which the contract cannot do.
      maxAttempts: TPM_TRIES,
      countsAttempts: true,
      algorithms: ['RSA-2048', 'ECDSA-P256'],
    },
  );
  describeSmartCardContract('PKCS#11 TPM', make);
});
