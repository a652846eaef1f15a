/**
 * Finding the app's account from a certificate's mappings, as `ClientCertificateOptions.accounts`
 * asks: the option checked at construction, and the lookup tried strongest mapping first.
 * Internal.
 */
import { InvalidInputError } from '../../errors.js';
import type { AccountMappingOptions, CertificateMapping } from './identity-mapping.js';

/** Checks the option at construction. */
export function readAccountsOption(
  option: AccountMappingOptions | undefined,
): Required<AccountMappingOptions> | undefined {
  if (option === undefined) return undefined;
  if (typeof (option as Partial<AccountMappingOptions> | null)?.lookup !== 'function') {
    throw new InvalidInputError('ClientCertificateVerifier: accounts.lookup must be a function.');
  }
  const strength = option.strength ?? 'strong';
  if (strength !== 'strong' && strength !== 'any') {
    throw new InvalidInputError(
      "ClientCertificateVerifier: accounts.strength is 'strong' or 'any'.",
    );
  }
  return { lookup: option.lookup, strength };
}

/** The first account `lookup` gives for an allowed mapping, with that mapping. */
export async function findAccount(
  options: Required<AccountMappingOptions>,
  mappings: readonly CertificateMapping[],
): Promise<{ account: string; mapping: CertificateMapping } | string> {
  for (const mapping of mappings) {
    if (!mapping.strong && options.strength === 'strong') continue;
    const account = await options.lookup(mapping);
    if (account === undefined) continue;
    if (typeof account !== 'string' || account === '') {
      return `accounts.lookup answered something other than an account name for ${mapping.kind}.`;
    }
    return { account, mapping };
  }
  const weak = mappings.some((mapping) => !mapping.strong);
  return options.strength === 'strong' && weak
    ? 'No strong mapping names an account (weak ones are not tried: strength is strong).'
    : 'No mapping of the certificate names an account.';
}
