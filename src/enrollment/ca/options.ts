/**
 * The options of the embedded CA and their checks. Public types; internal normalization.
 */

import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import type { CryptoOptions } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import { BUILT_IN_TEMPLATES } from '../templates.js';
import { checkCertificatePolicies } from './certificate-policies.js';
import { checkDirectory, type Directory, isAccountName } from './directory.js';
import { checkTemplate, commonName, flag, urlOf } from './option-values.js';
import type { CaKeyAlgorithm } from './signing-key.js';
import { type IssuableTemplate, isAgentTemplate } from './templates.js';

/**
 * Options of `CertificateAuthority.create`. Only `directory` is required.
 *
 * @example
 * ```ts
 * import { CertificateAuthority, type CertificateAuthorityOptions } from 'smartcard-2fa/enrollment';
 *
 * const options: CertificateAuthorityOptions = {
 *   name: 'Contoso Root CA',
 *   issuing: { name: 'Contoso Issuing CA' },
 *   directory: [{ account: 'CONTOSO\\alice', commonName: 'Alice', upn: 'alice@contoso.com' }],
 * };
 * const ca = await CertificateAuthority.create(options);
 * console.log(ca.chain.length); // 2: the issuing CA, then the root
 * ```
 *
 * @category Certificate authority
 */
export interface CertificateAuthorityOptions extends CryptoOptions {
  /** The root CA's common name; `'smartcard-2fa Root CA'` by default. */
  name?: string;
  /**
   * Also make an issuing CA, certified by the root, and issue from it (`true`, or its name;
   * `'smartcard-2fa Issuing CA'` by default). Without it, the root issues.
   */
  issuing?: boolean | { name?: string };
  /**
   * The CA keys' algorithm; `'RSA-2048'` by default (`'ECDSA-P256'` is much faster to make;
   * `'ECDSA-P384'` signs with SHA-384).
   */
  keyAlgorithm?: CaKeyAlgorithm;
  /** The clock for validity periods, revocation dates and CRL updates. */
  clock?: Clock;
  /**
   * The CRL distribution point put in issued certificates: where `crl()` is published
   * (`…/issuing.crl` with an issuing CA, `…/root.crl` without).
   */
  crlUrl?: string;
  /** Where `rootCrl()` is published, put in the issuing CA's certificate; `…/root.crl`. */
  rootCrlUrl?: string;
  /** How long a CRL is valid (nextUpdate − thisUpdate), in days; 7 by default. */
  crlValidityDays?: number;
  /**
   * Sign CRLs with a separate CRL-signing key: a certificate with the issuing CA's name, keyUsage
   * cRLSign only, issued by the root (self-issued by the root when the root issues); see
   * `crlSigner`. Off by default: the issuing CA's key signs its CRLs.
   */
  crlSigningKey?: boolean;
  /**
   * Where `ocspResponder()` is served: put in issued certificates as an authority information
   * access (id-ad-ocsp). None by default.
   */
  ocspUrl?: string;
  /**
   * Where the issuing CA's certificate (`ca.issuer`, DER) is published: put in issued
   * certificates as an authority information access (id-ad-caIssuers), with the key's index
   * after a rollover as for CRLs (`issuing(1).crt`). None by default.
   */
  caIssuersUrl?: string;
  /**
   * Certificate policy OIDs (issuance policies, as AD CS calls them) asserted in the issuing
   * CA's certificate (also after a rollover) and in every certificate it issues: a relying party
   * can then require one (`initialPolicySet` with `initialExplicitPolicy`), as a PIV
   * federation requires its authentication policy. None by default.
   */
  certificatePolicies?: readonly string[];
  /** The templates the CA issues from; the three built-in ones by default. */
  templates?: readonly IssuableTemplate[];
  /**
   * Names of templates whose requests wait for `approve` (disposition `pending`), besides
   * templates that set `requiresApproval`.
   */
  approvalTemplates?: readonly string[];
  /** Where subjects come from: the certificate's subject, UPN and e-mail are the directory's. */
  directory: Directory;
  /**
   * The accounts that may enroll for an Enrollment Agent certificate (an "Enrollment Agents"
   * group): from every template whose EKUs include Certificate Request Agent, whatever its
   * name. Nobody may by default (or the template's own `enrollees`): such a certificate
   * obtains certificates for anyone.
   */
  enrollmentAgents?: readonly string[];
  /**
   * Who may enroll for which template, by template name: the accounts allowed (as the
   * template's permissions in AD CS). Overrides a template's `enrollees` and, for an enrollment
   * agent template, `enrollmentAgents`; a template in none of them is open to every enabled
   * account in the directory, unless it issues Certificate Request Agent certificates.
   */
  permissions?: Readonly<Record<string, readonly string[]>>;
  /**
   * The largest request `issue` reads, in bytes of DER (PEM or base64 text may be up to twice
   * as long); 65536 (64 KiB) by default. A larger one is refused (`RequestInvalidError`)
   * before any parsing: a smart card request is about 1 to 4 KiB.
   */
  maxRequestBytes?: number;
}

/**
 * Options of `CertificateAuthority.issue`: what certsrv knows besides the request.
 *
 * @example
 * ```ts
 * import type { CertificateAuthority, IssueOptions } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * declare const csrPem: string; // from EnrollmentBuilder.build(card)
 * // Self-enrollment through the web enrollment page, logged on as alice:
 * const options: IssueOptions = { requester: 'CONTOSO\\alice', template: 'SmartcardUser' };
 * const answer = await ca.issue(csrPem, options);
 * if (answer.status === 'denied') console.log(answer.reason);
 * ```
 *
 * @category Certificate authority
 */
export interface IssueOptions {
  /**
   * The authenticated account submitting the request (`DOMAIN\user`, certsrv's logged-on
   * user). For self-enrollment it is the subject, and it is required; for a request signed by
   * an enrollment agent it is optional, and when given must be the agent's account.
   */
  requester?: string;
  /** A template named at submission (certsrv's `CertAttrib` `CertificateTemplate:<name>`). */
  template?: string;
  /**
   * The directory to take this request's subject from, instead of the CA's own (a CA that
   * serves several directories). `approve` judges a pending request with the same directory.
   */
  directory?: Directory;
}

/** The CA's settings, with defaults applied and checked.
 *
 * @category Certificate authority
 */
export interface Settings {
  readonly rootName: string;
  readonly issuingName: string | undefined;
  readonly keyAlgorithm: CaKeyAlgorithm;
  readonly clock: Clock;
  readonly crlUrl: string;
  readonly rootCrlUrl: string;
  readonly crlValidityDays: number;
  readonly crlSigningKey: boolean;
  readonly ocspUrl: string | undefined;
  readonly caIssuersUrl: string | undefined;
  readonly certificatePolicies: readonly string[];
  readonly templates: readonly IssuableTemplate[];
  readonly approvalTemplates: ReadonlySet<string>;
  readonly directory: Directory;
  /** Allowed accounts by lower-case template name; absent: everyone. */
  readonly permissions: ReadonlyMap<string, readonly string[]>;
  readonly maxRequestBytes: number;
}

/** The default of `maxRequestBytes`: 64 KiB.
 *
 * @category Certificate authority
 */
export const DEFAULT_MAX_REQUEST_BYTES = 65_536;

const DEFAULT_CRL_URL = 'http://pki.example.test/crl/root.crl';
const ISSUING_CRL_URL = 'http://pki.example.test/crl/issuing.crl';

/** Applies defaults and refuses bad options with InvalidInputError.
 *
 * @category Certificate authority
 */
export function settingsOf(options: CertificateAuthorityOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('CertificateAuthority.create takes an options object.');
  }
  const issuing = options.issuing ?? false;
  const templates = options.templates ?? Object.values(BUILT_IN_TEMPLATES);
  for (const template of templates) checkTemplate(template);
  const names = templates.map((t) => t.name.toLowerCase());
  if (templates.length === 0 || new Set(names).size !== names.length) {
    throw new InvalidInputError('templates must be a non-empty list with unique names.');
  }
  const approvalTemplates = new Set((options.approvalTemplates ?? []).map((n) => n.toLowerCase()));
  for (const name of approvalTemplates) {
    if (!names.includes(name))
      throw new InvalidInputError(`approvalTemplates names ${name}, not a template.`);
  }
  const keyAlgorithm = options.keyAlgorithm ?? 'RSA-2048';
  if (!['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'].includes(keyAlgorithm)) {
    throw new InvalidInputError('keyAlgorithm is RSA-2048, ECDSA-P256 or ECDSA-P384.');
  }
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (!Number.isInteger(maxRequestBytes) || maxRequestBytes < 1024 || maxRequestBytes > 2 ** 24) {
    throw new InvalidInputError('maxRequestBytes is a whole number from 1024 to 16777216.');
  }
  const crlValidityDays = options.crlValidityDays ?? 7;
  if (!Number.isInteger(crlValidityDays) || crlValidityDays < 1) {
    throw new InvalidInputError('crlValidityDays is a whole number of days, at least 1.');
  }
  return {
    rootName: commonName(options.name ?? 'smartcard-2fa Root CA', 'name'),
    issuingName:
      issuing === false
        ? undefined
        : commonName(
            (issuing === true ? undefined : issuing.name) ?? 'smartcard-2fa Issuing CA',
            'issuing.name',
          ),
    keyAlgorithm,
    clock: options.clock ?? systemClock,
    crlUrl: urlOf(
      options.crlUrl ?? (issuing === false ? DEFAULT_CRL_URL : ISSUING_CRL_URL),
      'crlUrl',
    ),
    rootCrlUrl: urlOf(options.rootCrlUrl ?? DEFAULT_CRL_URL, 'rootCrlUrl'),
    crlValidityDays,
    crlSigningKey: flag(options.crlSigningKey, 'crlSigningKey'),
    ocspUrl: options.ocspUrl === undefined ? undefined : urlOf(options.ocspUrl, 'ocspUrl'),
    caIssuersUrl:
      options.caIssuersUrl === undefined ? undefined : urlOf(options.caIssuersUrl, 'caIssuersUrl'),
    certificatePolicies: checkCertificatePolicies(options.certificatePolicies),
    templates,
    approvalTemplates,
    directory: checkDirectory(options.directory),
    permissions: permissionsOf(templates, options),
    maxRequestBytes,
  };
}

function permissionsOf(
  templates: readonly IssuableTemplate[],
  options: CertificateAuthorityOptions,
): ReadonlyMap<string, readonly string[]> {
  const accounts = (value: unknown, name: string): readonly string[] => {
    if (!Array.isArray(value) || !value.every((a) => typeof a === 'string' && isAccountName(a))) {
      throw new InvalidInputError(`${name} is a list of DOMAIN\\user account names.`);
    }
    return value;
  };
  const map = new Map<string, readonly string[]>();
  const agents =
    options.enrollmentAgents === undefined
      ? undefined
      : accounts(options.enrollmentAgents, 'enrollmentAgents');
  for (const template of templates) {
    const enrollees =
      template.enrollees === undefined ? undefined : accounts(template.enrollees, 'enrollees');
    // A template that issues Certificate Request Agent certificates is an enrollment agent
    // template whatever its name: only `enrollmentAgents` (or its own enrollees) may enroll.
    if (isAgentTemplate(template)) map.set(template.name.toLowerCase(), agents ?? enrollees ?? []);
    else if (enrollees !== undefined) map.set(template.name.toLowerCase(), enrollees);
  }
  for (const [name, list] of Object.entries(options.permissions ?? {})) {
    map.set(name.toLowerCase(), accounts(list, `permissions.${name}`));
  }
  return map;
}
