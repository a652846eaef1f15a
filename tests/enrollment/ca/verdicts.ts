/**
 * One certificate of the test CA judged two ways on the same files: by the SDK's validator and by
 * `openssl verify -crl_check -extended_crl` (trusting the root only; the CA's intermediates
 * untrusted; the CRLs given), each as 'valid', 'revoked' or its own words.
 */
import { spawnSync } from 'node:child_process';
import type { CertificateAuthority } from '../../../src/enrollment/ca/index.js';
import { toPem } from '../../../src/lib/pem.js';
import { validateCertificatePath } from '../../../src/server/index.js';
import { scratch } from '../../support/openssl.js';
import { START } from '../support/ca.js';

/** A minute after the test clock's start: issued certificates are valid from START - 5 min. */
export const AT = START + 60_000;

export interface Verdicts {
  readonly ours: string;
  readonly openssl: string;
}

/** Our validator's verdict and OpenSSL's on `leaf` (DER) with `crls` (DER). */
export async function verdicts(
  ca: CertificateAuthority,
  leaf: Uint8Array,
  crls: readonly Uint8Array[],
  options: { readonly opensslExtra?: readonly string[] } = {},
): Promise<Verdicts> {
  const result = await validateCertificatePath({
    leaf,
    intermediates: ca.intermediates,
    trustAnchors: [ca.root],
    crls,
    revocation: 'require',
    requiredEku: 'any',
    time: AT,
  });
  return {
    ours: result.valid ? 'valid' : result.reason,
    openssl: opensslVerdict(ca, leaf, crls, options.opensslExtra ?? []),
  };
}

function opensslVerdict(
  ca: CertificateAuthority,
  leaf: Uint8Array,
  crls: readonly Uint8Array[],
  extra: readonly string[],
): string {
  const files = scratch();
  try {
    const pem = (der: readonly Uint8Array[], label: string) =>
      der.map((bytes) => toPem(label, bytes)).join('');
    const args = [
      'verify',
      '-attime',
      String(Math.floor(AT / 1000)),
      '-crl_check',
      '-extended_crl',
      ...extra,
      '-CAfile',
      files.file('root.pem', pem([ca.root], 'CERTIFICATE')),
      ...(ca.intermediates.length > 0
        ? ['-untrusted', files.file('untrusted.pem', pem(ca.intermediates, 'CERTIFICATE'))]
        : []),
      '-CRLfile',
      files.file('crls.pem', pem(crls, 'X509 CRL')),
      files.file('leaf.pem', pem([leaf], 'CERTIFICATE')),
    ];
    const run = spawnSync('openssl', args, { encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status === 0) return 'valid';
    if (/certificate revoked/.test(output)) return 'revoked';
    return output.trim();
  } finally {
    files.remove();
  }
}
