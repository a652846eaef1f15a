/**
 * Enrollment: certificate templates, requests (PKCS#10 and CMC) whose keys are generated and
 * whose signatures are made on the card, and the embedded certificate authority.
 *
 * @example
 * ```ts
 * import { PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 * import { EnrollmentBuilder } from 'smartcard-2fa/enrollment';
 *
 * const card = await PhysicalSmartCard.create();
 * new SimulatedReader().insert(card);
 * await card.verifyPin('12345678');
 * const request = await EnrollmentBuilder.smartcardUser()
 *   .upn('alice@contoso.com')
 *   .email('alice@contoso.com')
 *   .build(card);
 * ```
 *
 * @module smartcard-2fa/enrollment
 */
export type { EnrollmentAgent } from './builder.js';
export { EnrollmentBuilder } from './builder.js';
export type {
  CaKeyAlgorithm,
  CaPem,
  CertificateAuthorityOptions,
  CertificateRequestInput,
  Directory,
  IssuableTemplate,
  IssueOptions,
  RevocationReason,
} from './ca/index.js';
export { CertificateAuthority } from './ca/index.js';
export type { CertificateSummary } from './certificate-info.js';
export { describeCertificate } from './certificate-info.js';
export type {
  CertsrvClientOptions,
  CertsrvRetrieveOptions,
  CertsrvSubmitOptions,
} from './certsrv.js';
export { CertsrvClient } from './certsrv.js';
export type { EnrollCardOptions, EnrollCardResult, EnrollmentStep } from './enroll-card.js';
export { enrollCard } from './enroll-card.js';
export type { CertificateTemplate, KeyUsageName } from './templates.js';
export {
  BUILT_IN_TEMPLATES,
  EnrollmentAgentTemplate,
  SmartcardLogonTemplate,
  SmartcardUserTemplate,
} from './templates.js';
export type { DirectoryEntry, Disposition, EnrollmentRequest, RequestFormat } from './types.js';
