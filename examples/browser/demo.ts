/**
 * What the page signs in against, all made in the page with the browser's WebCrypto: an
 * embedded CA (ECDSA P-256, to be quick) with Alice in its directory, Alice's card enrolled as
 * the enrollment station leaves it (the default PIN, a forced PIN change, and a PUK), and the
 * server's `Authenticator` trusting that CA.
 *
 * Alice's card is a virtual smart card bound to a `SoftwareTpm` by default; with `?card=reader`
 * it is a physical card in a `SimulatedReader` (the page's demo panel inserts and removes it);
 * with `?unblock=admin-key` it has an admin key instead of a PUK; and with `?method=password`
 * the page signs in with a password instead.
 */
import {
  MemoryStore,
  PhysicalSmartCard,
  SimulatedReader,
  type SmartCard,
  SoftwareTpm,
  VirtualSmartCard,
} from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type DirectoryEntry,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import { Authenticator } from 'smartcard-2fa/server';
import type { SignInMachineOptions } from 'smartcard-2fa/session';

export const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
} as const satisfies DirectoryEntry;

/** The PUK printed on Alice's card letter: it unblocks the PIN after too many wrong ones. */
export const ALICE_PUK = '27182818';

/** Alice's password, for `?method=password` only. */
export const ALICE_PASSWORD = 'correct horse battery staple';

/** The reader of `?card=reader`, as the demo panel's buttons use it. */
export interface DemoReader {
  /** Whether Alice's card is in the reader. */
  holdsCard(): boolean;
  /** Puts Alice's card in the reader (nothing if it is there). */
  insert(): void;
  /** Takes it out (nothing if it is out). */
  remove(): void;
}

/** What unblocks Alice's card, as her help desk would tell her: the PUK or the admin key. */
export interface DemoUnblock {
  readonly kind: 'puk' | 'admin-key';
  /** The PUK, or the admin key in hex, in groups of eight digits. */
  readonly value: string;
}

function hex(bytes: Uint8Array): string {
  const digits = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return digits.replace(/(.{8})(?=.)/g, '$1 ');
}

/** What the page signs in with: how, with which card (and reader), against which server. */
export interface Demo {
  readonly method: 'smart-card' | 'password';
  /** Alice's card: in the reader or not (`?card=reader`), or always there (virtual). */
  readonly card: SmartCard;
  /** What unblocks the card. */
  readonly unblock: DemoUnblock;
  /** With `?card=reader`, the reader Alice's card goes in; else `null`. */
  readonly reader: DemoReader | null;
  /** The machine options for that method, card and server, without the locale. */
  readonly options: Omit<SignInMachineOptions, 'locale' | 'signInInfo'>;
}

/** Makes the CA, enrolls Alice's card and makes the server, as `search` (`location.search`) asks. */
export async function createDemo(search: string): Promise<Demo> {
  const query = new URLSearchParams(search);
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    directory: [ALICE],
  });
  const store = new MemoryStore();
  const reader = query.get('card') === 'reader' ? new SimulatedReader('Contoso Reader') : null;
  // With `?unblock=admin-key` the card has no PUK, only an admin key the help desk keeps.
  const withPuk = query.get('unblock') !== 'admin-key';
  const adminKey = crypto.getRandomValues(new Uint8Array(24));
  const card =
    reader === null
      ? await VirtualSmartCard.create({
          tpm: await SoftwareTpm.create({ store }),
          store,
          pin: 'default',
          ...(withPuk ? { puk: ALICE_PUK } : { adminKey }),
        })
      : await PhysicalSmartCard.create(withPuk ? { puk: ALICE_PUK } : { adminKey });
  const unblock: DemoUnblock = withPuk
    ? { kind: 'puk', value: ALICE_PUK }
    : { kind: 'admin-key', value: hex(adminKey) };
  adminKey.fill(0);
  // A physical card is enrolled in the station's reader, then handed to Alice.
  if (card instanceof PhysicalSmartCard) reader?.insert(card);
  await enrollCard({
    card,
    request: EnrollmentBuilder.smartcardUser().upn(ALICE.upn).email(ALICE.email),
    submit: (request) => ca.issue(request, { requester: ALICE.account }),
    requirePinChange: true,
  });
  reader?.remove();

  // The server's half, here in the page: it trusts the CA and checks the address. Its service
  // name is the page's host name; the machine gets no rpId, and in a page expects exactly that.
  const server = new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    rpId: location.hostname || 'localhost',
  });

  if (query.get('method') === 'password') {
    return {
      method: 'password',
      card,
      unblock,
      reader: null,
      options: {
        method: 'password',
        verifyPassword: async ({ address, password }) =>
          address === ALICE.upn && password === ALICE_PASSWORD
            ? { verified: true, user: { address, name: ALICE.commonName } }
            : { verified: false },
      },
    };
  }
  return {
    method: 'smart-card',
    card,
    unblock,
    reader:
      reader === null || !(card instanceof PhysicalSmartCard)
        ? null
        : {
            holdsCard: () => reader.card !== null,
            insert: () => {
              if (reader.card === null) reader.insert(card);
            },
            remove: () => void reader.remove(),
          },
    options:
      reader === null
        ? { method: 'smart-card', card, server }
        : { method: 'smart-card', reader, server, removal: 'lock' },
  };
}
