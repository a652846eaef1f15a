/**
 * Who is in a test PKI's directory unless told otherwise.
 */
import type { DirectoryEntry } from '../enrollment/request/types.js';

/**
 * The users of a test PKI's directory unless told otherwise: Alice (UPN and e-mail, so both
 * Smartcard User and Smartcard Logon certificates) and Bob (UPN only: Smartcard Logon).
 *
 * @example
 * ```ts
 * import { createTestPki, TEST_USERS } from 'smartcard-2fa/testing';
 *
 * const pki = await createTestPki();
 * const { alice } = TEST_USERS;
 * const server = await pki.authenticator();
 * const challenge = await server.challenge({ address: alice.upn });
 * ```
 *
 * @category Testing
 */
export const TEST_USERS = Object.freeze({
  alice: Object.freeze({
    account: 'CONTOSO\\alice',
    commonName: 'Alice Example',
    upn: 'alice@contoso.test',
    email: 'alice@contoso.test',
  }),
  bob: Object.freeze({
    account: 'CONTOSO\\bob',
    commonName: 'Bob Example',
    upn: 'bob@contoso.test',
  }),
} as const satisfies Record<string, DirectoryEntry>);
