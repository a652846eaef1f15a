/**
 * The directory the CA takes subjects from, and the policy checks on a directory entry that
 * end in a `denied` disposition. Internal, but {@link Directory} is public.
 */
import { InvalidInputError } from '../../errors.js';
import type { DirectoryEntry } from '../request/types.js';
import type { IssuableTemplate } from './templates.js';

/**
 * Where the CA finds users: an object whose `lookup(account)` answers a `DirectoryEntry` (or
 * `undefined`), synchronously or not, or simply a list of entries. Accounts are `DOMAIN\user`;
 * in a list they match case-insensitively, as Windows logon names do. What `lookup` throws
 * reaches the caller of `issue` or `approve` unchanged.
 *
 * @example
 * ```ts
 * import { CertificateAuthority, type Directory } from 'smartcard-2fa/enrollment';
 *
 * const list: Directory = [
 *   { account: 'CONTOSO\\alice', commonName: 'Alice', upn: 'alice@contoso.com' },
 * ];
 * const ldap: Directory = {
 *   lookup: async (account) => (account === 'CONTOSO\\alice' ? list[0] : undefined),
 * };
 * const ca = await CertificateAuthority.create({ directory: ldap });
 * ```
 *
 * @category Certificate authority
 */
export type Directory =
  | readonly DirectoryEntry[]
  | {
      /** The entry of `account` (`DOMAIN\user`), or `undefined` when there is none. */
      lookup(account: string): DirectoryEntry | undefined | Promise<DirectoryEntry | undefined>;
    };

/** Whether two `DOMAIN\user` names are the same account.
 *
 * @category Certificate authority
 */
export function sameAccount(a: string, b: string): boolean {
  return isAccountName(a) && isAccountName(b) && asciiUpper(a) === asciiUpper(b);
}

/**
 * Why `enrolling` (the subject's account, or the agent's) may not enroll for `template` under
 * `permissions` (allowed accounts by lower-case template name; absent: everyone), if so.
 *
 * @category Certificate authority
 */
export function templateRefusal(
  permissions: ReadonlyMap<string, readonly string[]>,
  template: string,
  enrolling: string | undefined,
): string | undefined {
  const allowed = permissions.get(template.toLowerCase());
  if (allowed === undefined) return undefined;
  if (allowed.some((account) => enrolling !== undefined && sameAccount(account, enrolling))) {
    return undefined;
  }
  const who = enrolling ?? 'the enrollment agent';
  return `${who} may not enroll for ${template} (CERTSRV_E_TEMPLATE_DENIED).`;
}

/** `DOMAIN\user` in printable ASCII without spaces: what an account name may be.
 *
 * @category Certificate authority
 */
export function isAccountName(name: string): boolean {
  return /^[\x21-\x7e]{1,64}\\[\x21-\x7e]{1,104}$/.test(name) && !/[\\].*[\\]/.test(name);
}

/** Upper case for ASCII letters only: Unicode case mapping would let `ı` match `I`. */
function asciiUpper(text: string): string {
  return text.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** Checks the option early, so `create` fails rather than the first `issue`.
 *
 * @category Certificate authority
 */
export function checkDirectory(directory: unknown): Directory {
  if (Array.isArray(directory)) return directory as readonly DirectoryEntry[];
  if (
    typeof directory === 'object' &&
    directory !== null &&
    typeof (directory as { lookup?: unknown }).lookup === 'function'
  ) {
    return directory as Directory;
  }
  throw new InvalidInputError('directory is a list of DirectoryEntry or { lookup(account) }.');
}

/** The entry of `account`, or `undefined`.
 *
 * @category Certificate authority
 */
export async function findAccount(
  directory: Directory,
  account: string,
): Promise<DirectoryEntry | undefined> {
  if (!isAccountName(account)) return undefined;
  if ('lookup' in directory) return await directory.lookup(account);
  return directory.find((entry) => sameAccount(entry.account, account));
}

/**
 * The directory entry of the subject, or why it cannot have a certificate from `template`. The
 * reasons name the AD CS error where there is one.
 *
 * @category Certificate authority
 */
export async function checkSubject(
  directory: Directory,
  account: string,
  template: IssuableTemplate,
): Promise<{ readonly entry: DirectoryEntry } | { readonly denial: string }> {
  const entry = await findAccount(directory, account);
  const denial = denialFor(account, entry, template);
  return denial === undefined && entry !== undefined ? { entry } : { denial: denial ?? '' };
}

function denialFor(
  account: string,
  entry: DirectoryEntry | undefined,
  template: IssuableTemplate,
): string | undefined {
  if (entry === undefined) return `The account ${account} is not in the directory.`;
  if (entry.enabled === false) return `The account ${account} is disabled.`;
  if (template.requiresUpn && (entry.upn ?? '') === '') {
    return (
      `The template ${template.name} needs a user principal name, and the directory has none ` +
      `for ${account} (CERTSRV_E_SUBJECT_UPN_REQUIRED).`
    );
  }
  if (template.requiresEmail && (entry.email ?? '') === '') {
    return (
      `The template ${template.name} needs an e-mail address, and the directory has none ` +
      `for ${account} (CERTSRV_E_SUBJECT_EMAIL_REQUIRED).`
    );
  }
  return undefined;
}
