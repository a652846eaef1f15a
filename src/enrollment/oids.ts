/**
 * Object identifiers of the enrollment formats (RFC 5272, MS-WCCE). Internal. The X.509
 * extensions' OIDs are lib's one table of them, `lib/x509-extension-oids.ts`.
 *
 * @category Enrollment
 */
export const OID = {
  // PKCS#9 / PKCS#10
  extensionRequest: '1.2.840.113549.1.9.14',
  // Microsoft request attributes
  enrollmentNameValuePair: '1.3.6.1.4.1.311.13.2.1',
  enrollmentCspProvider: '1.3.6.1.4.1.311.13.2.2',
  // Microsoft extensions
  certificateTemplateName: '1.3.6.1.4.1.311.20.2',
  upn: '1.3.6.1.4.1.311.20.2.3',
  // Extended key usages
  clientAuth: '1.3.6.1.5.5.7.3.2',
  secureEmail: '1.3.6.1.5.5.7.3.4',
  smartcardLogon: '1.3.6.1.4.1.311.20.2.2',
  certificateRequestAgent: '1.3.6.1.4.1.311.20.2.1',
  // CMC (RFC 5272)
  pkiData: '1.3.6.1.5.5.7.12.2',
  regInfo: '1.3.6.1.5.5.7.7.18',
  signedData: '1.2.840.113549.1.7.2',
  // Algorithms
  // Names
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  country: '2.5.4.6',
  domainComponent: '0.9.2342.19200300.100.1.25',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;

/**
 * Object identifiers only the embedded CA writes (its certificates' template and keys), apart
 * from {@link OID} so a browser enrollment client does not carry them. Internal.
 *
 * @category Enrollment
 */
export const CA_OID = {
  certificateTemplate: '1.3.6.1.4.1.311.21.7',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;
