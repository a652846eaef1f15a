// A browser app that uses the SDK's browser entries, type-checked against the package's
// published types (tests/package/consumer-types.test.ts) with the DOM library and no Node types.
import { getCrypto } from 'smartcard-2fa';
import { SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
import { describeCertificate, EnrollmentBuilder } from 'smartcard-2fa/enrollment';
import {
  createSignInMachine,
  Secret,
  type SignInServer,
  viewSignIn,
  WebStorageSignInInfoStore,
} from 'smartcard-2fa/session';
import { createActor } from 'xstate';

export async function start(server: SignInServer, root: HTMLElement): Promise<void> {
  const crypto = await getCrypto({ crypto: window.crypto });
  const card = await VirtualSmartCard.create({ tpm: await SoftwareTpm.create({ crypto }) });
  const machine = createSignInMachine({
    method: 'smart-card',
    card,
    server,
    signInInfo: new WebStorageSignInInfoStore(localStorage, 'app.sign-in'),
  });
  const actor = createActor(machine).start();
  actor.subscribe((snapshot) => {
    root.textContent = viewSignIn(snapshot).prompt?.text ?? '';
  });
  actor.send({ type: 'PIN.SUBMIT', pin: Secret.from('12345678') });
  void [EnrollmentBuilder.smartcardUser(), describeCertificate];
}
