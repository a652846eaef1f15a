/**
 * What the CRL scope and delta tests share: extensions written byte by byte (an issuing
 * distribution point, cRLDistributionPoints, a delta CRL indicator), our verdict and OpenSSL's
 * on the same files, in the same words.
 */
import { spawnSync } from 'node:child_process';
import * as pkijs from 'pkijs';
import {
  type Der,
  implicitPrimitive,
  integer,
  oid,
  sequence,
  setOf,
  tlv,
  utf8String,
} from '../../../../src/lib/der-write.js';
import { toPem } from '../../../../src/lib/pem.js';
import { validateCertificatePath } from '../../../../src/server/index.js';
import { scratch } from '../../../support/openssl.js';
import { NOW } from './issue.js';

const ascii = (text: string) => new TextEncoder().encode(text);

/** An extension of raw DER `value`. */
export const rawExtension = (extnID: string, value: Der, critical = false) =>
  new pkijs.Extension({ extnID, critical, extnValue: value.slice().buffer });

/** A DistributionPointName: a URI as fullName, or `{ relative: cn }` (nameRelativeToCRLIssuer). */
export type PointName = string | { relative: string };

function pointName(name: PointName): Der {
  if (typeof name === 'string') return tlv(0xa0, tlv(0xa0, tlv(0x86, ascii(name))));
  return tlv(0xa0, tlv(0xa1, sequence(oid('2.5.4.3'), utf8String(name.relative))));
}

/** ReasonFlags bits by name (RFC 5280 §5.2.5). */
export const REASON_BITS = {
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 7,
  aACompromise: 8,
} as const;

/** ReasonFlags as a DER named BIT STRING (trailing zero bits dropped). */
export function reasonFlags(reasons: (keyof typeof REASON_BITS)[]): Uint8Array {
  const bits = reasons.map((reason) => REASON_BITS[reason]);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  return new Uint8Array([7 - (highest & 7), ...bytes]);
}

export interface IdpOptions {
  point?: PointName;
  onlyUserCerts?: boolean;
  onlyCaCerts?: boolean;
  onlySomeReasons?: (keyof typeof REASON_BITS)[];
  /** indirectCRL: the CRL lists certificates of other issuers too. */
  indirectCrl?: boolean;
  onlyAttributeCerts?: boolean;
  critical?: boolean;
}

/** An issuingDistributionPoint CRL extension (critical unless told otherwise). */
export function idp(options: IdpOptions): pkijs.Extension {
  const flag = (n: number) => implicitPrimitive(n, new Uint8Array([0xff]));
  const value = sequence(
    ...(options.point === undefined ? [] : [pointName(options.point)]),
    ...(options.onlyUserCerts ? [flag(1)] : []),
    ...(options.onlyCaCerts ? [flag(2)] : []),
    ...(options.onlySomeReasons
      ? [implicitPrimitive(3, reasonFlags(options.onlySomeReasons))]
      : []),
    ...(options.indirectCrl ? [flag(4)] : []),
    ...(options.onlyAttributeCerts ? [flag(5)] : []),
  );
  return rawExtension('2.5.29.28', value, options.critical ?? true);
}

/** A cRLDistributionPoints certificate extension with one point per name. */
export const distributionPoints = (...names: PointName[]) =>
  rawExtension('2.5.29.31', sequence(...names.map((name) => sequence(pointName(name)))));

/** A directoryName GeneralName of the Name `CN=cn` (a UTF8String, as `issue` writes names). */
const directoryName = (cn: string) =>
  tlv(0xa4, sequence(setOf(sequence(oid('2.5.4.3'), utf8String(cn)))));

/** A distribution point whose CRLs another issuer signs: its name (if any) and that cRLIssuer. */
export interface IndirectPoint {
  point?: PointName;
  crlIssuer: string;
}

/** A cRLDistributionPoints certificate extension of distribution points with a cRLIssuer. */
export const indirectDistributionPoints = (...points: IndirectPoint[]) =>
  rawExtension(
    '2.5.29.31',
    sequence(
      ...points.map((point) =>
        sequence(
          ...(point.point === undefined ? [] : [pointName(point.point)]),
          tlv(0xa2, directoryName(point.crlIssuer)),
        ),
      ),
    ),
  );

/** A certificateIssuer CRL entry extension naming `CN=cn` (critical unless told otherwise). */
export const certificateIssuer = (cn: string, critical = true) =>
  rawExtension('2.5.29.29', sequence(directoryName(cn)), critical);

/** A freshestCRL certificate extension (where delta CRLs are published): OpenSSL looks for deltas only then. */
export const freshestCrl = (...names: PointName[]) =>
  rawExtension('2.5.29.46', sequence(...names.map((name) => sequence(pointName(name)))));

/** A deltaCRLIndicator (critical) naming `base`, the CRL number of its complete CRL. */
export const deltaIndicator = (base: number) => rawExtension('2.5.29.27', integer(base), true);

export interface Files {
  leaf: Uint8Array;
  intermediates?: Uint8Array[];
  anchors: Uint8Array[];
  crls: Uint8Array[];
}

/** Our verdict: 'valid', or the failure reason. */
export async function ourVerdict(
  files: Files,
  revocation: 'require' | 'if-available' = 'require',
): Promise<string> {
  const result = await validateCertificatePath({
    leaf: files.leaf,
    intermediates: files.intermediates ?? [],
    trustAnchors: files.anchors,
    crls: files.crls,
    revocation,
    time: NOW,
  });
  return result.valid ? 'valid' : result.reason;
}

/**
 * `openssl verify -crl_check_all -extended_crl` (or `-crl_check`, the leaf's CRL only; and `extra`
 * flags) on the same files, its answer in our
 * words: 'valid', 'revoked', 'crl-invalid' for a status it cannot determine (no CRL in scope),
 * else its message.
 */
export function opensslVerdict(
  files: Files,
  extra: string[] = [],
  check: '-crl_check_all' | '-crl_check' = '-crl_check_all',
): string {
  const { ok, output } = opensslVerify(files, extra, check);
  if (ok) return 'valid';
  if (/certificate revoked/.test(output)) return 'revoked';
  // No CRL, or none whose scope covers the certificate (error 44, "different CRL scope").
  if (/unable to get certificate CRL|different CRL scope/.test(output)) return 'crl-invalid';
  return output.trim();
}

/**
 * What `openssl verify` prints on the files, as {@link opensslVerdict} runs it, and whether it
 * accepted them: for cases its messages tell apart (a CRL's own path failing, error 54).
 */
export function opensslVerify(
  files: Files,
  extra: string[] = [],
  check: '-crl_check_all' | '-crl_check' = '-crl_check_all',
): { ok: boolean; output: string } {
  const dir = scratch();
  try {
    const pems = (name: string, ders: Uint8Array[], label: string) =>
      dir.file(name, ders.map((der) => toPem(label, der)).join('\n'));
    const args = [
      'verify',
      '-attime',
      String(Math.floor(NOW.getTime() / 1000)),
      check,
      // Reason-partitioned (and indirect) CRLs need OpenSSL's extended CRL support.
      '-extended_crl',
      ...extra,
      '-CAfile',
      pems('anchors.pem', files.anchors, 'CERTIFICATE'),
      ...(files.intermediates?.length
        ? ['-untrusted', pems('intermediates.pem', files.intermediates, 'CERTIFICATE')]
        : []),
      ...(files.crls.length ? ['-CRLfile', pems('crls.pem', files.crls, 'X509 CRL')] : []),
      pems('leaf.pem', [files.leaf], 'CERTIFICATE'),
    ];
    const run = spawnSync('openssl', args, { encoding: 'utf8' });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    return { ok: run.status === 0 && /: OK\s*$/.test(output), output };
  } finally {
    dir.remove();
  }
}
