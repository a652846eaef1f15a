import type { KeyUsageName } from '../lib/key-usage.js';
import { OID } from './oids.js';

export type { KeyUsageName } from '../lib/key-usage.js';

/**
 * A certificate template, as AD CS has them: what a request names, and what the CA issues from
 * it. Plain data: make your own for a CA of your own.
 *
 * @example
 * ```ts
 * import { SmartcardUserTemplate } from 'smartcard-2fa/enrollment';
 *
 * SmartcardUserTemplate.extendedKeyUsages; // Secure Email, Client Authentication, Smart Card Logon
 * ```
 *
 * @category Enrollment
 */
export interface CertificateTemplate {
  /** The name requests carry (`CertificateTemplate:<name>`, and the v1 template extension). */
  readonly name: string;
  /** The name people see ("Smartcard User"). */
  readonly displayName: string;
  /** Extended key usage OIDs the certificate gets. */
  readonly extendedKeyUsages: readonly string[];
  /** Key usage bits the certificate gets. */
  readonly keyUsage: readonly KeyUsageName[];
  /** Key specs a request may ask for: `exchange` (sign and decrypt), `signature`. */
  readonly keySpecs: readonly ('exchange' | 'signature')[];
  /** The smallest RSA key the CA accepts, in bits (P-256 keys are always accepted). */
  readonly minimumRsaKeySize: number;
  /** The directory entry must have a UPN (it goes in the SAN). */
  readonly requiresUpn: boolean;
  /** The directory entry must have an e-mail address (it goes in the SAN). */
  readonly requiresEmail: boolean;
  /** Requests wait for a CA manager's approval (disposition `pending`). */
  readonly requiresApproval: boolean;
  /** How long certificates from it are valid, in days. */
  readonly validityDays: number;
  /** Whether an enrollment agent may request it on behalf of another user. */
  readonly onBehalfOf: boolean;
  /**
   * The accounts that may enroll for it (`DOMAIN\user`), as a template's permissions in AD CS;
   * everyone in the directory when left out. A CA's `permissions` option can replace this.
   */
  readonly enrollees?: readonly string[];
}

/**
 * "Smartcard User": the template of the Lync / Skype for Business two-factor sign-in procedure.
 * Secure Email, Client Authentication and Smart Card Logon; digital signature and key encipherment
 * (the key usage is what AD CS's "User" template sets, unconfirmed for this one); UPN and e-mail
 * from the directory in the SAN; Exchange keys of 2048 bits or more; one year.
 *
 * @example
 * ```ts
 * import { SmartcardUserTemplate } from 'smartcard-2fa/enrollment';
 *
 * console.log(SmartcardUserTemplate.name); // 'SmartcardUser'
 * ```
 *
 * @category Enrollment
 */
export const SmartcardUserTemplate: CertificateTemplate = Object.freeze({
  name: 'SmartcardUser',
  displayName: 'Smartcard User',
  extendedKeyUsages: Object.freeze([OID.secureEmail, OID.clientAuth, OID.smartcardLogon]),
  keyUsage: Object.freeze(['digitalSignature', 'keyEncipherment'] as const),
  keySpecs: Object.freeze(['exchange'] as const),
  minimumRsaKeySize: 2048,
  requiresUpn: true,
  requiresEmail: true,
  requiresApproval: false,
  validityDays: 365,
  onBehalfOf: true,
});

/**
 * "Smartcard Logon": Client Authentication and Smart Card Logon only; UPN required, e-mail
 * optional; one year.
 *
 * @example
 * ```ts
 * import { SmartcardLogonTemplate } from 'smartcard-2fa/enrollment';
 *
 * console.log(SmartcardLogonTemplate.displayName); // 'Smartcard Logon'
 * ```
 *
 * @category Enrollment
 */
export const SmartcardLogonTemplate: CertificateTemplate = Object.freeze({
  name: 'SmartcardLogon',
  displayName: 'Smartcard Logon',
  extendedKeyUsages: Object.freeze([OID.clientAuth, OID.smartcardLogon]),
  keyUsage: Object.freeze(['digitalSignature', 'keyEncipherment'] as const),
  keySpecs: Object.freeze(['exchange', 'signature'] as const),
  minimumRsaKeySize: 2048,
  requiresUpn: true,
  requiresEmail: false,
  requiresApproval: false,
  validityDays: 365,
  onBehalfOf: true,
});

/**
 * "Enrollment Agent": Certificate Request Agent, for an administrator who enrolls smart cards on
 * behalf of users; digital signature; two years. Nobody may enroll for it until the CA is told
 * who may (`CertificateAuthority.create({ enrollmentAgents })`), and it is never requested on
 * someone else's behalf: an Enrollment Agent certificate lets its holder obtain certificates for
 * anyone.
 *
 * @example
 * ```ts
 * import { EnrollmentAgentTemplate } from 'smartcard-2fa/enrollment';
 *
 * console.log(EnrollmentAgentTemplate.extendedKeyUsages); // ['1.3.6.1.4.1.311.20.2.1']
 * ```
 *
 * @category Enrollment
 */
export const EnrollmentAgentTemplate: CertificateTemplate = Object.freeze({
  name: 'EnrollmentAgent',
  displayName: 'Enrollment Agent',
  extendedKeyUsages: Object.freeze([OID.certificateRequestAgent]),
  keyUsage: Object.freeze(['digitalSignature'] as const),
  keySpecs: Object.freeze(['exchange', 'signature'] as const),
  minimumRsaKeySize: 2048,
  requiresUpn: true,
  requiresEmail: false,
  requiresApproval: false,
  validityDays: 730,
  onBehalfOf: false,
  // Nobody by default: name the accounts (an "Enrollment Agents" group) that may enroll.
  enrollees: Object.freeze([]),
});

/**
 * The built-in templates by name.
 *
 * @example
 * ```ts
 * import { BUILT_IN_TEMPLATES } from 'smartcard-2fa/enrollment';
 *
 * BUILT_IN_TEMPLATES.SmartcardUser?.displayName; // 'Smartcard User'
 * ```
 *
 * @category Enrollment
 */
export const BUILT_IN_TEMPLATES: Readonly<Record<string, CertificateTemplate>> = Object.freeze({
  [SmartcardUserTemplate.name]: SmartcardUserTemplate,
  [SmartcardLogonTemplate.name]: SmartcardLogonTemplate,
  [EnrollmentAgentTemplate.name]: EnrollmentAgentTemplate,
});
