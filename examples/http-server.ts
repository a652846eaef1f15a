/**
 * Sign in over HTTP: one server instance (node:http on 127.0.0.1) with the SDK's sign-in
 * handlers, a session cookie set the safe way after a verified sign-in, and a client that signs a
 * challenge with Alice's card through the fetch client the sign-in machine takes.
 *
 * This is the code of docs/server.md. Run it with `npx tsx examples/http-server.ts`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type DirectoryEntry,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import {
  Authenticator,
  createSignInHandlers,
  type SignInHandlers,
  toNodeHandler,
  type VerifiedSignIn,
} from 'smartcard-2fa/server';
import { encodeResponse, httpSignInServer, signChallenge } from 'smartcard-2fa/session';

export type Log = (line: string) => void;

export const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
} as const satisfies DirectoryEntry;

export const RP_ID = 'intranet.contoso.com';

/** The app's own sessions: a random id for each verified sign-in, forgotten after 15 minutes. */
const SESSION_SECONDS = 15 * 60;
const sessions = new Map<string, { name: string; expiresAt: number }>();

/**
 * The handlers with a session opened on each verified sign-in. The id is new on every sign-in
 * (never one the client brought along), so a session id planted before sign-in is worth nothing.
 */
export function withSessionCookie(handlers: SignInHandlers): SignInHandlers {
  return {
    challenge: handlers.challenge,
    async verify(request) {
      const answer = await handlers.verify(request);
      if (answer.status !== 200) return answer;
      const signedIn = answer.body as VerifiedSignIn;
      const id = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
      sessions.set(id, {
        name: signedIn.user.name,
        expiresAt: Date.now() + SESSION_SECONDS * 1000,
      });
      const cookie = `__Host-session=${id}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}`;
      return { ...answer, headers: { ...answer.headers, 'set-cookie': cookie } };
    },
  };
}

/** The PKI and Alice's card, as docs/enroll-a-card.md makes them (examples/express-fastify.ts too). */
export async function aliceAndHerCard() {
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    directory: [ALICE],
  });
  const card = await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), pin: 'default' });
  await enrollCard({
    card,
    request: EnrollmentBuilder.smartcardUser().upn(ALICE.upn).email(ALICE.email),
    submit: (request) => ca.issue(request, { requester: ALICE.account }),
  });
  return { ca, card };
}

export async function main(log: Log = console.log): Promise<void> {
  const { ca, card } = await aliceAndHerCard();

  // The server: an Authenticator, its handlers (the reason of a refusal goes to the log only),
  // and node:http routing POST /sign-in/challenge and POST /sign-in/verify to them.
  const authenticator = new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    rpId: RP_ID,
  });
  const handlers = createSignInHandlers(authenticator, {
    rateLimit: { burst: 5, perMinute: 10 },
    onFailure: (failure) => log(`refused: ${failure.route} ${failure.reason}`),
  });
  const server = createServer(toNodeHandler(withSessionCookie(handlers), { prefix: '/sign-in' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign-in`;

  try {
    // The client: what createSignInMachine({ server }) calls, used here by hand.
    const client = httpSignInServer(baseUrl);
    const challenge = await client.challenge({ address: ALICE.upn });
    log(`challenge: ${challenge.id.length > 0 ? 'received' : 'none'} for ${challenge.rpId}`);
    await card.verifyPin('12345678');
    const [container] = await card.containers();
    if (container === undefined) throw new Error('The card is blank.');
    const response = await signChallenge(card, container.name, challenge, { rpId: RP_ID });
    const verdict = await client.verify(response);
    log(`verified: ${verdict.verified ? verdict.user.name : 'no'}`);
    const replay = await client.verify(response);
    log(`replay verified: ${replay.verified}`);

    // What the browser receives: the whole answer, with its cookie.
    const again = await client.challenge({ address: ALICE.upn });
    const answer = await fetch(`${baseUrl}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await signedBody(card, container.name, again)),
    });
    const body = (await answer.json()) as VerifiedSignIn;
    log(`method: ${body.method}, certificate serial ${body.certificate.serial}`);
    log(`cookie: ${answer.headers.get('set-cookie')?.replace(/=[\w-]{43};/, '=…;')}`);
    log(`sessions: ${sessions.size}`);
  } finally {
    server.close();
  }
}

/** A card's answer in the wire form, as a page would post it. */
async function signedBody(
  card: VirtualSmartCard,
  container: string,
  challenge: Parameters<typeof signChallenge>[2],
) {
  return encodeResponse(await signChallenge(card, container, challenge, { rpId: RP_ID }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
