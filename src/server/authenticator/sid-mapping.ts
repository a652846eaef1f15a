/**
 * Strong certificate mapping at sign-in (KB5014754): the SID a card certificate carries, checked
 * against the account's SID from the app's directory, as a domain controller in Full Enforcement
 * checks it. Internal; the option is `AuthenticatorOptions.securityIdentifier`.
 */
import { InvalidInputError } from '../../errors.js';
import { isSecurityIdentifier, readCertificateSid } from '../../lib/security-identifier.js';
import type { SecurityIdentifierOptions, SignedInUser } from './types.js';

/** The checked option: the lookup, and whether a certificate without a SID is refused. */
export interface SidRequirement {
  readonly lookup: SecurityIdentifierOptions['lookup'];
  readonly require: boolean;
}

/**
 * Checks the option at construction, so a typo fails there rather than at sign-in; `owner` (the
 * Authenticator or the ClientCertificateVerifier) starts the error's message.
 */
export function readSidOption(
  option: SecurityIdentifierOptions | undefined,
  owner: string,
): SidRequirement | undefined {
  if (option === undefined) return undefined;
  if (typeof (option as Partial<SecurityIdentifierOptions> | null)?.lookup !== 'function') {
    throw new InvalidInputError(`${owner}: securityIdentifier.lookup must be a function.`);
  }
  const mode = option.mode ?? 'require';
  if (mode !== 'require' && mode !== 'if-present') {
    throw new InvalidInputError(`${owner}: securityIdentifier.mode is 'require' or 'if-present'.`);
  }
  return { lookup: option.lookup, require: mode === 'require' };
}

/**
 * The certificate's SID (`undefined` when it has none), or why the sign-in is refused: an
 * unreadable SID; with a requirement, a SID that is not the account's, or none where one is
 * required. Without a requirement the SID is only read, for the result.
 */
export async function checkSid(
  requirement: SidRequirement | undefined,
  certificate: Uint8Array,
  user: SignedInUser,
): Promise<{ readonly sid: string | undefined } | { readonly refused: string }> {
  let sid: string | undefined;
  try {
    sid = readCertificateSid(certificate);
  } catch (error) {
    return { refused: (error as Error).message };
  }
  if (requirement === undefined) return { sid };
  const expected = await requirement.lookup(user);
  if (expected !== undefined && !isSecurityIdentifier(expected)) {
    return { refused: `The directory's SID of ${user.name} is not a SID.` };
  }
  if (sid === undefined) {
    return requirement.require
      ? { refused: 'The certificate carries no SID, and strong mapping is required.' }
      : { sid };
  }
  if (expected === undefined) {
    return {
      refused: `The certificate carries a SID, and the directory has none for ${user.name}.`,
    };
  }
  if (sid !== expected) {
    return { refused: `The certificate's SID ${sid} is not the account's (${expected}).` };
  }
  return { sid };
}
