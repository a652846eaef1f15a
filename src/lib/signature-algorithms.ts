/**
 * The OIDs of the digest and signature algorithms the SDK writes and reads: SHA-1 and SHA-2,
 * RSASSA-PKCS1-v1_5 and ECDSA. One table each, read both ways (the request builder writes OIDs,
 * the CA and path validation look them up). Internal: never exported from the package.
 */

/** A digest by its WebCrypto name. */
export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** How a signature was made: RSASSA-PKCS1-v1_5 or ECDSA, with a digest. */
export interface SignatureScheme {
  readonly kind: 'rsa' | 'ec';
  readonly hash: DigestName;
}

const DIGESTS: Readonly<Record<DigestName, string>> = {
  'SHA-1': '1.3.14.3.2.26',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};

const SIGNATURES: Readonly<Record<SignatureScheme['kind'], Readonly<Record<DigestName, string>>>> =
  {
    rsa: {
      'SHA-1': '1.2.840.113549.1.1.5',
      'SHA-256': '1.2.840.113549.1.1.11',
      'SHA-384': '1.2.840.113549.1.1.12',
      'SHA-512': '1.2.840.113549.1.1.13',
    },
    ec: {
      'SHA-1': '1.2.840.10045.4.1',
      'SHA-256': '1.2.840.10045.4.3.2',
      'SHA-384': '1.2.840.10045.4.3.3',
      'SHA-512': '1.2.840.10045.4.3.4',
    },
  };

const SCHEME_BY_OID: ReadonlyMap<string, SignatureScheme> = new Map(
  Object.entries(SIGNATURES).flatMap(([kind, byHash]) =>
    Object.entries(byHash).map(([hash, oid]) => [oid, { kind, hash } as SignatureScheme]),
  ),
);

const DIGEST_BY_OID: ReadonlyMap<string, DigestName> = new Map(
  Object.entries(DIGESTS).map(([hash, oid]) => [oid, hash as DigestName]),
);

/** The OID of the digest `hash`. */
export function digestOid(hash: DigestName): string {
  return DIGESTS[hash];
}

/** The digest an OID names, or `undefined` for one not in the table. */
export function digestOf(oid: string): DigestName | undefined {
  return DIGEST_BY_OID.get(oid);
}

/** The OID of a signature of `kind` with `hash`. */
export function signatureOid(kind: SignatureScheme['kind'], hash: DigestName): string {
  return SIGNATURES[kind][hash];
}

/** The scheme a signature algorithm OID names, or `undefined` for one not in the table. */
export function signatureSchemeOf(oid: string): SignatureScheme | undefined {
  return SCHEME_BY_OID.get(oid);
}
