/**
 * Inside the stack's namespaces: the SDK's Pkcs11SmartCard over OpenSC's PKCS#11 module runs
 * the SmartCard contract on emulated PIV cards in the vpcd reader (a new card for each case,
 * from piv-card-server.mts in a process of its own). Prints JSON lines
 * `{"case":...,"ok":...,"error":...}` and `{"step":"done"}`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { Pkcs11SmartCard } from '../../../src/pkcs11/index.js';
import { smartCardContract } from '../../../src/testing/index.js';

const [portText = '20123', module = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so'] =
  process.argv.slice(2);
const root = fileURLToPath(new URL('../../../', import.meta.url));
// The card answers from another process: pkcs11js calls block this one's event loop.
const server = spawn(
  `${root}node_modules/.bin/tsx`,
  [`${root}tests/pcsc/scenarios/piv-card-server.mts`, portText, '70000000', '3des', 'pkcs11'],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const steps = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
/** The card server's next step line. */
async function nextStep(): Promise<{ step: string }> {
  const { value, done } = await steps.next();
  if (done === true) throw new Error('the card server ended');
  return JSON.parse(value) as { step: string };
}
await nextStep(); // inserted
let fresh = true;
const say = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the token once pcscd has noticed the card (it polls the reader). */
async function openToken(): Promise<Pkcs11SmartCard> {
  for (let tries = 0; ; tries++) {
    try {
      return await Pkcs11SmartCard.open({ module });
    } catch (error) {
      if (tries > 40) throw error;
      await pause(100);
    }
  }
}

const cases = smartCardContract({
  async makeCard() {
    if (!fresh) {
      server.stdin.write('{"do":"renew"}\n');
      await nextStep();
      await pause(600); // pcscd notices the new card at its next poll
    }
    fresh = false;
    const card = await openToken();
    return {
      card,
      pin: FACTORY_DEFAULTS.pin,
      newPin: '24681357',
      puk: FACTORY_DEFAULTS.puk,
      cleanup: () => card.close(),
    };
  },
  maxAttempts: FACTORY_DEFAULTS.tries,
  // OpenSC's PKCS#11 reports no count of tries left (only its CKF_USER_PIN_* flags).
  countsAttempts: false,
  algorithms: ['RSA-2048', 'ECDSA-P256'],
  // OpenSC's PIV unblock through C_SetPIN after a PUK login answers CKR_DATA_INVALID.
  unblocks: false,
});
for (const contractCase of cases) {
  const started = Date.now();
  const outcome = await contractCase.run().then(
    () => ({ ok: true }),
    (error: Error) => ({ ok: false, error: `${error.name}: ${error.message}` }),
  );
  say({ case: contractCase.name, ms: Date.now() - started, ...outcome });
}
server.stdin.write('{"do":"remove"}\n');
await nextStep();
say({ step: 'done' });
process.exit(0);
