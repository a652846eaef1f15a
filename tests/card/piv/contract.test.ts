/** The SmartCard contract, unchanged, on a PivSmartCard talking APDUs to the PIV test card. */
import { describe, it } from 'vitest';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { smartCardContract } from '../../../src/testing/index.js';
import { openPivCard } from './piv-support.js';

describe('SmartCard contract: PivSmartCard over APDUs', () => {
  for (const contractCase of smartCardContract({
    makeCard: async () => {
      const { card, slot } = await openPivCard();
      return {
        card,
        pin: FACTORY_DEFAULTS.pin,
        puk: FACTORY_DEFAULTS.puk,
        removal: { remove: () => slot.remove(), insert: () => slot.insert() },
      };
    },
    maxAttempts: FACTORY_DEFAULTS.tries,
    kind: 'physical',
    algorithms: ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'],
    unblocks: true,
    removable: true,
  })) {
    it(contractCase.name, contractCase.run);
  }
});
