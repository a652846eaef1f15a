/**
 * What `EnrollmentBuilder.build` does: the settings it collects, and the request built and
 * signed on the card from them. Internal.
 */
import type {
  HashName,
  KeyAlgorithmName,
  KeySpec,
  SmartCard,
} from '../../card/contract/smart-card.js';
import { getCrypto } from '../../crypto.js';
import { CertificateMismatchError, InvalidInputError, KeyNotFoundError } from '../../errors.js';
import { constantTimeEqual } from '../../lib/bytes.js';
import { certificateSpki } from '../../lib/der.js';
import { pem } from '../algorithms.js';
import {
  cspAttribute,
  extensionRequest,
  keyUsageExtension,
  nameValuePairs,
  subjectAltName,
  templateNameExtension,
} from '../ms-attributes.js';
import { OID } from '../oids.js';
import type { CertificateTemplate } from '../templates.js';
import type { EnrollmentAgent } from './builder.js';
import { pkiData, signCmc } from './cmc.js';
import { certificationRequestInfo, type NamePart, signPkcs10 } from './pkcs10.js';
import type { EnrollmentRequest, RequestFormat } from './types.js';

/** The cryptographic provider of virtual smart cards in the enrollment station's form.
 *
 * @category Enrollment
 */
export const BASE_SMART_CARD_CSP = 'Microsoft Base Smart Card Crypto Provider';

export interface Settings {
  template?: CertificateTemplate;
  subject?: string;
  upn?: string;
  email?: string;
  algorithm?: KeyAlgorithmName;
  keySpec?: KeySpec;
  provider?: string;
  hash?: HashName;
  format?: RequestFormat;
  friendlyName?: string;
  keySet?:
    | { readonly kind: 'new'; readonly container?: string }
    | { readonly kind: 'existing'; readonly container: string };
  onBehalfOf?: { readonly requester: string; readonly agent: EnrollmentAgent };
}

export async function buildRequest(
  card: SmartCard,
  settings: Settings,
): Promise<EnrollmentRequest> {
  const template = settings.template;
  if (template === undefined) throw new InvalidInputError('Choose a certificate template.');
  if (typeof card?.sign !== 'function') throw new InvalidInputError('build() takes a SmartCard.');
  const keySpec = settings.keySpec ?? 'exchange';
  if (!template.keySpecs.includes(keySpec)) {
    throw new InvalidInputError(`${template.displayName} does not allow ${keySpec} keys.`);
  }
  const requested = settings.algorithm ?? 'RSA-2048';
  bmpText(template.name, 'the template name');
  if (requested.startsWith('ECDSA') && keySpec === 'exchange') {
    throw new InvalidInputError('An ECDSA key cannot decrypt: use keySpec "signature" with it.');
  }
  if (requested.startsWith('RSA') && Number(requested.slice(4)) < template.minimumRsaKeySize) {
    throw new InvalidInputError(
      `${template.displayName} needs RSA keys of ${template.minimumRsaKeySize} bits or more.`,
    );
  }
  const crypto = await getCrypto();
  const keySet = settings.keySet ?? { kind: 'new' };
  let created: string | undefined;
  let container: string;
  let algorithm: KeyAlgorithmName;
  let spki: Uint8Array;
  if (keySet.kind === 'existing') {
    const found = (await card.containers()).find((c) => c.name === keySet.container);
    if (found === undefined) throw new KeyNotFoundError(`No key container "${keySet.container}".`);
    if (found.keySpec !== keySpec) {
      throw new InvalidInputError(
        `Container "${found.name}" holds a ${found.keySpec} key; the request asks for ${keySpec}.`,
      );
    }
    ({ name: container, algorithm, publicKey: spki } = found);
  } else {
    const key = await card.generateKeyPair({
      algorithm: requested,
      keySpec,
      ...(keySet.container === undefined ? {} : { container: keySet.container }),
    });
    ({ name: container, algorithm, publicKey: spki } = key);
    created = container;
  }
  try {
    const hash = settings.hash ?? 'SHA-256';
    const extensions = [templateNameExtension(template.name)];
    // RFC 5480 §3: no keyEncipherment or dataEncipherment for an EC key.
    const usage = algorithm.startsWith('ECDSA')
      ? template.keyUsage.filter((u) => u !== 'keyEncipherment' && u !== 'dataEncipherment')
      : template.keyUsage;
    if (usage.length > 0) extensions.push(keyUsageExtension(usage));
    if (settings.upn !== undefined || settings.email !== undefined) {
      extensions.push(subjectAltName(settings.upn, settings.email));
    }
    const info = certificationRequestInfo({
      subject:
        settings.subject === undefined ? [] : ([[OID.commonName, settings.subject]] as NamePart[]),
      spki,
      attributes: [
        extensionRequest(extensions),
        cspAttribute(keySpec === 'exchange' ? 1 : 2, settings.provider ?? BASE_SMART_CARD_CSP),
        nameValuePairs([['CertificateTemplate', template.name]]),
      ],
    });
    const pkcs10 = await signPkcs10(card, container, algorithm, hash, info);
    const agent = settings.onBehalfOf;
    const format: RequestFormat = agent !== undefined ? 'cmc' : (settings.format ?? 'pkcs10');
    let der = pkcs10;
    if (format === 'cmc') {
      const content = pkiData(pkcs10, agent?.requester);
      const signer = (await agentSigner(agent)) ?? {
        kind: 'self' as const,
        card,
        container,
        algorithm,
        spki,
      };
      // An agent never signs with SHA-1: the enrollee chooses much of what the agent signs, and
      // a SHA-1 collision could change it. The request inside keeps the hash asked for.
      const cmcHash = signer.kind === 'agent' && hash === 'SHA-1' ? 'SHA-256' : hash;
      der = await signCmc(crypto, content, signer, cmcHash);
    }
    return {
      format,
      der,
      pem: pem(format === 'pkcs10' ? 'CERTIFICATE REQUEST' : 'CMS', der),
      template: template.name,
      container,
      friendlyName: settings.friendlyName,
    };
  } catch (error) {
    if (created !== undefined) await card.deleteContainer(created).catch(() => undefined);
    throw error;
  }
}

async function agentSigner(agent: Settings['onBehalfOf']) {
  if (agent === undefined) return undefined;
  const { card, container, certificate } = agent.agent;
  const key = (await card.containers()).find((c) => c.name === container);
  if (key === undefined) {
    throw new KeyNotFoundError(`The agent's card has no key container "${container}".`);
  }
  if (!constantTimeEqual(certificateSpki(certificate), key.publicKey)) {
    throw new CertificateMismatchError(
      `The agent certificate is not for the key in container "${container}" of the agent's card.`,
    );
  }
  return {
    kind: 'agent' as const,
    card,
    container,
    algorithm: key.algorithm,
    certificate,
    requester: agent.requester,
  };
}

export function text(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new InvalidInputError(`${name} must be 1 to ${max} characters.`);
  }
  return value;
}

/** Text a BMPString can hold: no code point above U+FFFF, no lone surrogate.
 *
 * @category Enrollment
 */
export function bmpText(value: string, name: string): string {
  if (/[\ud800-\udfff]/.test(value)) {
    throw new InvalidInputError(
      `${name} must use characters of the Basic Multilingual Plane only.`,
    );
  }
  return value;
}
