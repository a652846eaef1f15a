import type { KeyUsageName } from '../lib/key-usage.js';
import { OID } from './oids.js';

export type { KeyUsageName } from '../lib/key-usage.js';

/**
 * A certificate template, as AD CS has them: what a request names, and what the CA issues from
 * it. Plain data: make your own for a CA of your own.
 *
 * @example
 * ```ts
 * import {
 *   type CertificateTemplate,
 *   CertificateAuthority,
 *   SmartcardLogonTemplate,
 * } from 'smartcard-2fa/enrollment';
 *
 * // A CA of your own: Smartcard Logon with a shorter life and a manager's approval.
 * const kiosk: CertificateTemplate = {
 *   ...SmartcardLogonTemplate,
 *   name: 'KioskLogon',
 *   displayName: 'Kiosk Logon',
 *   validityDays: 30,
 *   requiresApproval: true,
 * };
 * const ca = await CertificateAuthority.create({ templates: [kiosk], directory: [] });
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
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { EnrollmentBuilder, SmartcardUserTemplate } from 'smartcard-2fa/enrollment';
 *
 * declare const card: SmartCard; // PIN verified
 * const [keySpec = 'exchange'] = SmartcardUserTemplate.keySpecs;
 * const request = await new EnrollmentBuilder()
 *   .template(SmartcardUserTemplate)
 *   .keySpec(keySpec)
 *   .upn('alice@contoso.com')
 *   .build(card);
 * console.log(request.template); // 'SmartcardUser'
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
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { EnrollmentBuilder, SmartcardLogonTemplate } from 'smartcard-2fa/enrollment';
 *
 * declare const card: SmartCard; // PIN verified
 * const builder = new EnrollmentBuilder().template(SmartcardLogonTemplate).upn('bob@contoso.com');
 * if (SmartcardLogonTemplate.requiresEmail) builder.email('bob@contoso.com');
 * const request = await builder.build(card);
 * console.log(`${SmartcardLogonTemplate.displayName}: ${request.pem.length} characters of PEM`);
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
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import {
 *   CertificateAuthority,
 *   EnrollmentAgentTemplate,
 *   EnrollmentBuilder,
 * } from 'smartcard-2fa/enrollment';
 *
 * declare const agentCard: SmartCard; // the administrator's own card, PIN verified
 * const ca = await CertificateAuthority.create({
 *   directory: [{ account: 'CONTOSO\\admin', commonName: 'Admin' }],
 *   enrollmentAgents: ['CONTOSO\\admin'], // who may hold an Enrollment Agent certificate
 * });
 * const request = await new EnrollmentBuilder().template(EnrollmentAgentTemplate).build(agentCard);
 * const disposition = await ca.issue(request, { requester: 'CONTOSO\\admin' });
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
 * declare const requested: string; // a template name a form sent
 * const template = BUILT_IN_TEMPLATES[requested];
 * if (template === undefined) throw new Error(`No template named ${requested}.`);
 * for (const { name, displayName } of Object.values(BUILT_IN_TEMPLATES)) {
 *   console.log(`${name}: ${displayName}`); // SmartcardUser: Smartcard User, ...
 * }
 * ```
 *
 * @category Enrollment
 */
export const BUILT_IN_TEMPLATES: Readonly<Record<string, CertificateTemplate>> = Object.freeze({
  [SmartcardUserTemplate.name]: SmartcardUserTemplate,
  [SmartcardLogonTemplate.name]: SmartcardLogonTemplate,
  [EnrollmentAgentTemplate.name]: EnrollmentAgentTemplate,
});
