/**
 * The README's "A taste", as a whole program: a CA, a blank virtual card enrolled at the
 * enrollment station, then a smart card sign-in through the sign-in machine with the forced
 * change of the default PIN, and Exit. The README's block is its imports and its code, line for
 * line and in order (`tests/examples.test.ts` checks it). Run it with `npx tsx examples/readme.ts`.
 */
import { pathToFileURL } from 'node:url';
import { SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
import { CertificateAuthority, EnrollmentBuilder, enrollCard } from 'smartcard-2fa/enrollment';
import { Authenticator } from 'smartcard-2fa/server';
import type { SignInView } from 'smartcard-2fa/session';
import { createSignInMachine, Secret, viewSignIn } from 'smartcard-2fa/session';
import { createActor, waitFor } from 'xstate';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  // The PKI: a root and an issuing CA whose directory knows Alice (ECDSA keys, to be quick).
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    directory: [
      {
        account: 'CONTOSO\\alice',
        commonName: 'Alice',
        upn: 'alice@contoso.com',
        email: 'alice@contoso.com',
      },
    ],
  });
  // A blank virtual card on this computer's (software) TPM, with the default PIN.
  const card = await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), pin: 'default' });
  const mine = 'k7#Lm2pQ'; // the PIN Alice chooses
  const render = (view: SignInView) => log(`route: ${view.route}`);

  // Enrollment station: the key is generated on the card, the card signs the CMC request.
  await enrollCard({
    card, // a blank card: its PIN is the default 12345678
    request: EnrollmentBuilder.smartcardUser().upn('alice@contoso.com'),
    submit: (request) => ca.issue(request, { requester: 'CONTOSO\\alice' }),
    requirePinChange: true,
  });

  // Sign-in: the server checks the challenge, the certificate path, the signature and the user.
  // rpId names the service: the client refuses a challenge issued for any other one.
  const rpId = 'intranet.contoso.com';
  const server = new Authenticator({ trustAnchors: [ca.root], intermediates: [ca.issuer], rpId });
  const machine = createSignInMachine({ method: 'smart-card', card, server, rpId });
  const actor = createActor(machine).start();
  actor.subscribe((snapshot) => render(viewSignIn(snapshot))); // route, prompt, notice, can()
  const at = (route: string) => waitFor(actor, (snapshot) => viewSignIn(snapshot).route === route);

  actor.send({ type: 'SIGN_IN', address: 'alice@contoso.com' });
  await at('change-pin'); // the card is read first: wait for the route before answering it
  const pin = (typed: string) => Secret.from(typed); // PINs are never plain strings in events
  actor.send({ type: 'PIN.CHANGE', current: pin('12345678'), next: pin(mine), confirm: pin(mine) });
  const { user } = viewSignIn(await at('signed-in')); // after 'signing-in'; user.upn, user.address
  log(`signed in: ${user?.address}`);
  actor.send({ type: 'EXIT' }); // or CLOSE, RESTORE, SIGN_OUT
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
