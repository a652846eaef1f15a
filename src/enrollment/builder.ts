import type { HashName, KeyAlgorithmName, KeySpec, SmartCard } from '../card/types.js';
import { getCrypto } from '../crypto.js';
import {
  CertificateInvalidError,
  CertificateMismatchError,
  InvalidInputError,
  KeyNotFoundError,
} from '../errors.js';
import { constantTimeEqual } from '../lib/bytes.js';
import { certificateSpki, DerError } from '../lib/der.js';
import { pem } from './algorithms.js';
import {
  cspAttribute,
  extensionRequest,
  keyUsageExtension,
  nameValuePairs,
  subjectAltName,
  templateNameExtension,
} from './ms-attributes.js';
import { OID } from './oids.js';
import { pkiData, signCmc } from './request-cmc.js';
import { certificationRequestInfo, type NamePart, signPkcs10 } from './request-pkcs10.js';
import { BUILT_IN_TEMPLATES, type CertificateTemplate } from './templates.js';
import type { EnrollmentRequest, RequestFormat } from './types.js';

/**
 * The enrollment agent who signs a CMC request on a user's behalf: the agent's own card, the
 * container of the agent's key, and the agent's Enrollment Agent certificate (DER).
 *
 * @example
 * ```ts
 * import type { EnrollmentAgent } from 'smartcard-2fa/enrollment';
 *
 * declare const agent: EnrollmentAgent; // { card, container, certificate }
 * ```
 */
export interface EnrollmentAgent {
  readonly card: SmartCard;
  readonly container: string;
  readonly certificate: Uint8Array;
}

/** The provider the seed documents name for virtual smart cards. */
const BASE_SMART_CARD_CSP = 'Microsoft Base Smart Card Crypto Provider';

interface Settings {
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

/**
 * Builds a certificate request whose key lives on a card and whose signature the card makes: the
 * seed documents' "Advanced Request" form as code. Each setter may be called once; `build(card)`
 * generates the key on the card (unless an existing key set was chosen) and signs the request
 * with `card.sign`; no key outside the card is ever used.
 *
 * Defaults: a new key set, RSA 2048, Exchange, SHA-256, PKCS#10, the Microsoft Base Smart Card
 * Crypto Provider. `EnrollmentBuilder.seedDocuments()` starts from the documents' exact form.
 *
 * @example
 * ```ts
 * import { PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 * import { EnrollmentBuilder, SmartcardUserTemplate } from 'smartcard-2fa/enrollment';
 *
 * const card = await PhysicalSmartCard.create();
 * new SimulatedReader().insert(card);
 * await card.verifyPin('12345678');
 * const request = await new EnrollmentBuilder()
 *   .template(SmartcardUserTemplate)
 *   .upn('alice@contoso.com')
 *   .email('alice@contoso.com')
 *   .format('cmc')
 *   .build(card);
 * console.log(request.pem);
 * ```
 */
export class EnrollmentBuilder {
  readonly #settings: Settings = {};

  /**
   * The form of the seed documents, field for field: Smartcard User, Create new key set,
   * Microsoft Base Smart Card Crypto Provider, Exchange, 2048, CMC, sha1, friendly name
   * "Smartcard Certificate". Add the UPN and e-mail, then `build(card)`.
   */
  static seedDocuments(): EnrollmentBuilder {
    return new EnrollmentBuilder()
      .template(BUILT_IN_TEMPLATES.SmartcardUser as CertificateTemplate)
      .newKeySet()
      .provider(BASE_SMART_CARD_CSP)
      .keySpec('exchange')
      .keySize(2048)
      .format('cmc')
      .hash('SHA-1')
      .friendlyName('Smartcard Certificate');
  }

  /** The certificate template: one of the built-ins by name, or a template of your own. */
  template(template: CertificateTemplate | string): this {
    const resolved =
      typeof template === 'string'
        ? BUILT_IN_TEMPLATES[template]
        : (template as CertificateTemplate);
    if (resolved === undefined || typeof resolved.name !== 'string' || resolved.name.length === 0) {
      throw new InvalidInputError(`Unknown certificate template "${String(template)}".`);
    }
    return this.#set('template', resolved);
  }

  /** A subject common name to ask for (a CA like AD CS takes the subject from the directory). */
  subject(commonName: string): this {
    return this.#set('subject', text(commonName, 'subject', 64));
  }

  /** The user principal name for the SAN (`alice@contoso.com`). */
  upn(upn: string): this {
    if (!/^[^@\s]+@[^@\s]+$/.test(String(upn)))
      throw new InvalidInputError('A UPN is name@domain.');
    return this.#set('upn', upn);
  }

  /** The e-mail address for the SAN. */
  email(email: string): this {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(email)) || !/^[\x21-\x7e]+$/.test(email)) {
      throw new InvalidInputError('An e-mail address is name@domain, in ASCII.');
    }
    return this.#set('email', email);
  }

  /** RSA key size in bits: 2048, 3072 or 4096. */
  keySize(bits: 2048 | 3072 | 4096): this {
    if (bits !== 2048 && bits !== 3072 && bits !== 4096) {
      throw new InvalidInputError('keySize must be 2048, 3072 or 4096.');
    }
    return this.#set('algorithm', `RSA-${bits}` as KeyAlgorithmName);
  }

  /** The key algorithm, for keys other than RSA (`ECDSA-P256`); instead of `keySize`. */
  algorithm(algorithm: KeyAlgorithmName): this {
    if (!['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256'].includes(algorithm)) {
      throw new InvalidInputError('algorithm must be RSA-2048, RSA-3072, RSA-4096 or ECDSA-P256.');
    }
    return this.#set('algorithm', algorithm);
  }

  /** `exchange` (sign and decrypt; the default) or `signature`. */
  keySpec(keySpec: KeySpec): this {
    if (keySpec !== 'exchange' && keySpec !== 'signature') {
      throw new InvalidInputError('keySpec must be "exchange" or "signature".');
    }
    return this.#set('keySpec', keySpec);
  }

  /** The cryptographic provider named in the request's CSP attribute. */
  provider(name: string): this {
    return this.#set('provider', bmpText(text(name, 'provider', 128), 'provider'));
  }

  /**
   * The hash of the request's signature: SHA-256 by default; SHA-1 only when asked for. An
   * enrollment agent's CMC signature uses SHA-256 even then.
   */
  hash(hash: HashName): this {
    if (!['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'].includes(hash)) {
      throw new InvalidInputError('hash must be SHA-1, SHA-256, SHA-384 or SHA-512.');
    }
    return this.#set('hash', hash);
  }

  /** `pkcs10` (the default) or `cmc`. */
  format(format: RequestFormat): this {
    if (format !== 'pkcs10' && format !== 'cmc') {
      throw new InvalidInputError('format must be "pkcs10" or "cmc".');
    }
    return this.#set('format', format);
  }

  /** The label to install the certificate with; kept on the card, never sent to the CA. */
  friendlyName(name: string): this {
    return this.#set('friendlyName', text(name, 'friendlyName', 128));
  }

  /** "Create new key set" (the default), optionally with the container's name. */
  newKeySet(options: { container?: string } = {}): this {
    const container = options.container;
    return this.#set(
      'keySet',
      container === undefined ? { kind: 'new' } : { kind: 'new', container },
    );
  }

  /** "Use existing key set": the key already in `container` on the card. */
  existingKeySet(container: string): this {
    return this.#set('keySet', { kind: 'existing', container: text(container, 'container', 64) });
  }

  /**
   * Enroll on behalf of `requester` (`DOMAIN\user`): the request becomes CMC, signed by the
   * agent's key on the agent's card, with the agent's certificate and a regInfo naming the user.
   */
  onBehalfOf(requester: string, agent: EnrollmentAgent): this {
    if (!/^[^\\\s]+\\[^\\\s]+$/.test(String(requester))) {
      throw new InvalidInputError('The requester is DOMAIN\\user.');
    }
    if (typeof agent?.card?.sign !== 'function' || !(agent.certificate instanceof Uint8Array)) {
      throw new InvalidInputError('The agent is { card, container, certificate }.');
    }
    try {
      certificateSpki(agent.certificate);
    } catch (cause) {
      if (!(cause instanceof DerError)) throw cause;
      throw new CertificateInvalidError('The agent certificate is not DER X.509.', { cause });
    }
    return this.#set('onBehalfOf', { requester, agent });
  }

  /**
   * Generates the key on `card` (for a new key set) and builds the request, signed by the card.
   * If anything fails after the key was generated, the new container is deleted again.
   */
  async build(card: SmartCard): Promise<EnrollmentRequest> {
    return buildRequest(card, { ...this.#settings });
  }

  #set<K extends keyof Settings>(key: K, value: Settings[K]): this {
    if (key in this.#settings) {
      throw new InvalidInputError(`${key} is set already; each setting is given once.`);
    }
    this.#settings[key] = value;
    return this;
  }
}

async function buildRequest(card: SmartCard, s: Settings): Promise<EnrollmentRequest> {
  const template = s.template;
  if (template === undefined) throw new InvalidInputError('Choose a certificate template.');
  if (typeof card?.sign !== 'function') throw new InvalidInputError('build() takes a SmartCard.');
  const keySpec = s.keySpec ?? 'exchange';
  if (!template.keySpecs.includes(keySpec)) {
    throw new InvalidInputError(`${template.displayName} does not allow ${keySpec} keys.`);
  }
  const requested = s.algorithm ?? 'RSA-2048';
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
  const keySet = s.keySet ?? { kind: 'new' };
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
    const hash = s.hash ?? 'SHA-256';
    const extensions = [templateNameExtension(template.name)];
    // RFC 5480 §3: no keyEncipherment or dataEncipherment for an EC key.
    const usage = algorithm.startsWith('ECDSA')
      ? template.keyUsage.filter((u) => u !== 'keyEncipherment' && u !== 'dataEncipherment')
      : template.keyUsage;
    if (usage.length > 0) extensions.push(keyUsageExtension(usage));
    if (s.upn !== undefined || s.email !== undefined) {
      extensions.push(subjectAltName(s.upn, s.email));
    }
    const info = certificationRequestInfo({
      subject: s.subject === undefined ? [] : ([[OID.commonName, s.subject]] as NamePart[]),
      spki,
      attributes: [
        extensionRequest(extensions),
        cspAttribute(keySpec === 'exchange' ? 1 : 2, s.provider ?? BASE_SMART_CARD_CSP),
        nameValuePairs([['CertificateTemplate', template.name]]),
      ],
    });
    const pkcs10 = await signPkcs10(card, container, algorithm, hash, info);
    const agent = s.onBehalfOf;
    const format: RequestFormat = agent !== undefined ? 'cmc' : (s.format ?? 'pkcs10');
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
      friendlyName: s.friendlyName,
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

function text(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new InvalidInputError(`${name} must be 1 to ${max} characters.`);
  }
  return value;
}

/** Text a BMPString can hold: no code point above U+FFFF, no lone surrogate. */
function bmpText(value: string, name: string): string {
  if (/[\ud800-\udfff]/.test(value)) {
    throw new InvalidInputError(
      `${name} must use characters of the Basic Multilingual Plane only.`,
    );
  }
  return value;
}
