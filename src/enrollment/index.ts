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

export type {
  CaKeyAlgorithm,
  CaPem,
  CertificateAuthorityOptions,
  CertificateRequestInput,
  CrlOptions,
  Directory,
  IssuableTemplate,
  IssueOptions,
  OcspHttpRequest,
  OcspHttpResponse,
  OcspResponder,
  OcspResponderOptions,
  RevocationReason,
} from './ca/index.js';
export {
  CertificateAuthority,
  KerberosAuthenticationTemplate,
  ocspHttpHandler,
} from './ca/index.js';
export type {
  CertsrvClientOptions,
  CertsrvRetrieveOptions,
  CertsrvSubmitOptions,
} from './certsrv/client.js';
export { CertsrvClient } from './certsrv/client.js';
export type { EnrollmentAgent } from './request/builder.js';
export { EnrollmentBuilder } from './request/builder.js';
export type {
  DirectoryEntry,
  Disposition,
  EnrollmentRequest,
  RequestFormat,
} from './request/types.js';
export type { CertificateSummary } from './station/certificate-info.js';
export { describeCertificate } from './station/certificate-info.js';
export type { EnrollCardOptions, EnrollCardResult, EnrollmentStep } from './station/enroll-card.js';
export { enrollCard } from './station/enroll-card.js';
export type { CertificateTemplate, KeyUsageName } from './templates.js';
export {
  BUILT_IN_TEMPLATES,
  EnrollmentAgentTemplate,
  SmartcardLogonTemplate,
  SmartcardUserTemplate,
} from './templates.js';
