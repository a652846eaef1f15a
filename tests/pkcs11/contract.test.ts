import { describe, it } from 'vitest';
import { MemoryStore } from '../../src/card/storage/card-store.js';
import { Pkcs11SmartCard } from '../../src/pkcs11/index.js';
import { type SmartCardContractOptions, smartCardContract } from '../../src/testing/index.js';
import { freshToken } from './support/fresh.js';
import { type TestToken, tokenSupport, useTestToken } from './support/tokens.js';

/**
 * The SmartCard contract, unchanged, against real tokens through `Pkcs11SmartCard`: SoftHSM2
 * (which never locks: the SDK's retry counter, kept on the token, blocks) and the TPM through
 * tpm2-pkcs11 (whose dictionary-attack lockout is set to the contract's 5 attempts, and which
 * the SDK's counter mirrors, kept in a store: the TPM token takes no public data object).
 */

const NEW_PIN = 'k7#Lm2pQ';

/** Each card is a fresh token: PIN reset by the SO, every object gone, lockout cleared. */
function freshCards(
  token: () => TestToken,
  open: (t: TestToken) => Promise<Pkcs11SmartCard>,
  puk?: string,
): SmartCardContractOptions['makeCard'] {
  return async () => {
    const t = token();
    freshToken(t);
    const card = await open(t);
    return {
      card,
      pin: t.pin,
      newPin: NEW_PIN,
      ...(puk === undefined ? {} : { puk }),
      cleanup: () => card.close(),
    };
  };
}

describe.skipIf(!tokenSupport('softhsm').available)('SoftHSM2 token', () => {
  const token = useTestToken('softhsm');
  describe('SmartCard contract: PKCS#11 SoftHSM2', () => {
    const cases = smartCardContract({
      makeCard: freshCards(
        token,
        (t) => Pkcs11SmartCard.open({ module: t.module, label: t.label }),
        '87654321',
      ),
      maxAttempts: 5, // the SDK's counter: the default policy's maxAttempts
      countsAttempts: true,
      algorithms: ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'],
      unblocks: true,
    });
    for (const c of cases) it(c.name, c.run);
  });
});

const TPM_TRIES = 5;

describe.skipIf(!tokenSupport('tpm').available)('TPM token (swtpm + tpm2-pkcs11)', () => {
  const token = useTestToken('tpm', { maxTries: TPM_TRIES, resourceManager: true });
  describe('SmartCard contract: PKCS#11 TPM', () => {
    const cases = smartCardContract({
      makeCard: freshCards(token, (t) =>
        Pkcs11SmartCard.open({
          module: t.module,
          label: t.label,
          retryCounter: { maxAttempts: TPM_TRIES },
          state: new MemoryStore(),
        }),
      ),
      // No PUK (unblocks: false): at the limit the whole TPM is locked out, the security officer
      // too; only the TPM's lockout reset (the platform's owner) helps, which the contract cannot do.
      maxAttempts: TPM_TRIES,
      countsAttempts: true,
      algorithms: ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'],
    });
    for (const c of cases) it(c.name, c.run);
  });
});
