/**
 * Which template a request asks for: every name and OID it carries must point at the same
 * template of the CA. Internal.
 */
import { OID } from '../oids.js';
import type { CertificateTemplate } from '../templates.js';
import { refuse } from './reading.js';

/**
 * A template a {@link CertificateAuthority} issues from: a `CertificateTemplate`, with the OID
 * that v2 requests name it by (extension 1.3.6.1.4.1.311.21.7) when it has one.
 *
 * @example
 * ```ts
 * import { CertificateAuthority, SmartcardUserTemplate } from 'smartcard-2fa/enrollment';
 * import type { IssuableTemplate } from 'smartcard-2fa/enrollment';
 *
 * const template: IssuableTemplate = {
 *   ...SmartcardUserTemplate,
 *   name: 'ContosoSmartcardUser',
 *   displayName: 'Contoso Smartcard User',
 *   oid: '1.3.6.1.4.1.311.21.8.1.2.3.4.5.6.7.1',
 * };
 * const ca = await CertificateAuthority.create({ templates: [template], directory: [] });
 * ```
 *
 * @category Certificate authority
 */
export type IssuableTemplate = CertificateTemplate & {
  /** The template's OID, for requests that name it by OID (v2 templates). */
  readonly oid?: string;
  /**
   * What the subject alternative name holds: `'user'` (the default) the directory entry's UPN
   * and e-mail; `'domain-controller'` the KDC's host name and its Kerberos principal
   * (`KerberosAuthenticationTemplate`).
   */
  readonly subjectAltName?: 'user' | 'domain-controller';
};

/**
 * Whether a template issues enrollment agent certificates: its EKUs include Certificate Request
 * Agent (1.3.6.1.4.1.311.20.2.1), what makes the CA accept the certificate as an agent's.
 *
 * @category Certificate authority
 */
export function isAgentTemplate(template: CertificateTemplate): boolean {
  return template.extendedKeyUsages.includes(OID.certificateRequestAgent);
}

/** What a request and its submission say about the template.
 *
 * @category Certificate authority
 */
export interface TemplateClues {
  /** Names: the v1 extension, the name-value pairs, regInfo, certsrv's `CertAttrib`. */
  readonly names: readonly string[];
  /** OIDs: the v2 template extension. */
  readonly oids: readonly string[];
}

/**
 * The one template the clues name. Names match case-insensitively, as AD CS's do. Refuses no
 * clue at all, an unknown name or OID, and clues that name different templates.
 *
 * @category Certificate authority
 */
export function chooseTemplate(
  templates: readonly IssuableTemplate[],
  clues: TemplateClues,
): IssuableTemplate {
  const chosen = new Set<IssuableTemplate>();
  for (const name of clues.names) {
    const wanted = name.toLowerCase();
    const template = templates.find((t) => t.name.toLowerCase() === wanted);
    if (template === undefined) {
      refuse(`This CA does not issue from the template ${quote(name)}.`);
    }
    chosen.add(template);
  }
  for (const oid of clues.oids) {
    const template = templates.find((t) => t.oid !== undefined && t.oid === oid);
    if (template === undefined) refuse(`No template of this CA has the OID ${quote(oid)}.`);
    chosen.add(template);
  }
  const [template, ...others] = chosen;
  if (template === undefined) refuse('The request names no certificate template.');
  if (others.length > 0) {
    const names = [template, ...others].map((t) => quote(t.name)).join(', ');
    refuse(`The request names different templates: ${names}.`);
  }
  return template;
}

/** A name from a request, quoted and cut short for an error message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
