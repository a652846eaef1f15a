import type {
  HashName,
  KeyAlgorithmName,
  KeySpec,
  SmartCard,
} from '../../card/contract/smart-card.js';
import { CertificateInvalidError, InvalidInputError } from '../../errors.js';
import { certificateSpki, DerError } from '../../lib/der.js';
import { BUILT_IN_TEMPLATES, type CertificateTemplate } from '../templates.js';
import { BASE_SMART_CARD_CSP, bmpText, buildRequest, type Settings, text } from './build.js';
import type { EnrollmentRequest, RequestFormat } from './types.js';

/**
 * The enrollment agent who signs a CMC request on a user's behalf: the agent's own card, the
 * container of the agent's key, and the agent's Enrollment Agent certificate (DER).
 *
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { EnrollmentBuilder, type EnrollmentAgent } from 'smartcard-2fa/enrollment';
 *
 * declare const agentCard: SmartCard; // the agent's own card, PIN verified
 * declare const agentCertificate: Uint8Array; // its Enrollment Agent certificate, DER
 * declare const userCard: SmartCard;
 * const agent: EnrollmentAgent = {
 *   card: agentCard,
 *   container: 'enrollment-agent',
 *   certificate: agentCertificate,
 * };
 * const request = await new EnrollmentBuilder()
 *   .template('SmartcardUser')
 *   .onBehalfOf('CONTOSO\\alice', agent)
 *   .build(userCard);
 * console.log(request.format); // 'cmc': signed by the agent's key
 * ```
 *
 * @category Enrollment
 */
export interface EnrollmentAgent {
  readonly card: SmartCard;
  readonly container: string;
  readonly certificate: Uint8Array;
}

/**
 * Builds a certificate request whose key lives on a card and whose signature the card makes: the
 * AD CS "Advanced Request" form as code. Each setter may be called once; `build(card)`
 * generates the key on the card (unless an existing key set was chosen) and signs the request
 * with `card.sign`; no key outside the card is ever used.
 *
 * Defaults: a new key set, RSA 2048, Exchange, SHA-256, PKCS#10, the Microsoft Base Smart Card
 * Crypto Provider. `EnrollmentBuilder.smartcardUser()` starts from the Smart Card Enrollment
 * Station's Smartcard User form (`smartcardUserLegacySha1()`: the same with SHA-1).
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
 *
 * @category Enrollment
 */
export class EnrollmentBuilder {
  readonly #settings: Settings = {};

  /**
   * The AD CS Smart Card Enrollment Station form for a Smartcard User certificate, field for
   * field: Smartcard User, Create new key set, Microsoft Base Smart Card Crypto Provider,
   * Exchange, 2048, CMC, SHA-256, friendly name "Smartcard Certificate". Add the UPN and e-mail,
   * then `build(card)`. {@link EnrollmentBuilder.smartcardUserLegacySha1} is the same form with
   * SHA-1.
   */
  static smartcardUser(): EnrollmentBuilder {
    return EnrollmentBuilder.#enrollmentStation('SHA-256');
  }

  /**
   * The same enrollment-station form with SHA-1, as the Lync / Skype for Business two-factor
   * procedure fills it in. Legacy: SHA-1 signatures are no longer collision-resistant; use it
   * only for a CA or template that requires it, and prefer {@link EnrollmentBuilder.smartcardUser}.
   */
  static smartcardUserLegacySha1(): EnrollmentBuilder {
    return EnrollmentBuilder.#enrollmentStation('SHA-1');
  }

  static #enrollmentStation(hash: 'SHA-1' | 'SHA-256'): EnrollmentBuilder {
    return new EnrollmentBuilder()
      .template(BUILT_IN_TEMPLATES.SmartcardUser as CertificateTemplate)
      .newKeySet()
      .provider(BASE_SMART_CARD_CSP)
      .keySpec('exchange')
      .keySize(2048)
      .format('cmc')
      .hash(hash)
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
