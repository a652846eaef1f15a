import { randomBytes } from 'node:crypto';
import * as input from '../card/contract/input.js';
import { assertNameFree } from '../card/contract/request-checks.js';
import type { GenerateKeyPairOptions, KeyContainerInfo } from '../card/contract/smart-card.js';
import { InvalidInputError } from '../errors.js';
import type { Template } from './binding.js';
import { TOKEN_CURVES } from './key-encodings.js';
import { EXCHANGE, ID_BYTES, SIGNATURE, type TokenObjects } from './objects.js';
import type { RecordKeeper } from './record-keeper.js';
import type { TokenSession } from './token.js';

/**
 * Key pairs made on the token (private, sensitive, never extractable) and their containers
 * destroyed.
 *
 * @example
 * ```ts
 * import { TokenKeyPairs } from './key-pairs.js';
 * import type { TokenObjects } from './objects.js';
 * import type { RecordKeeper } from './record-keeper.js';
 * import type { TokenSession } from './token.js';
 *
 * declare const session: TokenSession;
 * declare const records: RecordKeeper;
 * declare const objects: TokenObjects;
 * const keyPairs = new TokenKeyPairs(session, records, objects);
 * const info = await keyPairs.generate({ algorithm: 'ECDSA-P256' });
 * ```
 *
 * @category Cards
 */
export class TokenKeyPairs {
  readonly #session: TokenSession;
  readonly #records: RecordKeeper;
  readonly #objects: TokenObjects;

  constructor(session: TokenSession, records: RecordKeeper, objects: TokenObjects) {
    this.#session = session;
    this.#records = records;
    this.#objects = objects;
  }

  /**
   * Generates a key pair on the token: RSA (`CKM_RSA_PKCS_KEY_PAIR_GEN`, exponent 65537) or
   * P-256 or P-384 (`CKM_EC_KEY_PAIR_GEN`) when the token offers it; an `exchange` key may also
   * decrypt.
   */
  async generate(options?: GenerateKeyPairOptions): Promise<KeyContainerInfo> {
    const checked = input.keyPairOptions(options);
    const session = this.#session.requirePin();
    const { pk, lib } = this.#session;
    const name = checked.container ?? input.automaticName(globalThis.crypto);
    assertNameFree(
      this.#objects.all().map((c) => c.name),
      name,
      'token',
    );
    const rsa = checked.algorithm.startsWith('RSA');
    const mechanisms = this.#session.mechanisms();
    const mechanism = rsa ? pk.CKM_RSA_PKCS_KEY_PAIR_GEN : pk.CKM_EC_KEY_PAIR_GEN;
    if (!mechanisms.includes(mechanism) || (!rsa && !mechanisms.includes(pk.CKM_ECDSA))) {
      throw new InvalidInputError(`This token cannot generate ${checked.algorithm} key pairs.`);
    }
    if (rsa) {
      const { maxKeySize } = lib.C_GetMechanismInfo(this.#session.token.slot, mechanism);
      const bits = Number(checked.algorithm.slice(4));
      if (maxKeySize > 0 && maxKeySize < bits) {
        throw new InvalidInputError(`This token generates RSA keys of up to ${maxKeySize} bits.`);
      }
    }
    // CKA_ID: the time (containers list in the order they were made), the key spec, and
    // random bytes.
    const exchange = rsa && checked.keySpec === 'exchange';
    const id = Buffer.alloc(ID_BYTES);
    id.writeUIntBE(Date.now(), 0, 6);
    id[6] = exchange ? EXCHANGE : SIGNATURE;
    randomBytes(ID_BYTES - 7).copy(id, 7);
    const common = [
      { type: pk.CKA_TOKEN, value: true },
      { type: pk.CKA_ID, value: id },
      { type: pk.CKA_LABEL, value: name },
    ];
    const publicTemplate: Template = [
      ...common,
      { type: pk.CKA_CLASS, value: pk.CKO_PUBLIC_KEY },
      { type: pk.CKA_PRIVATE, value: false },
      { type: pk.CKA_VERIFY, value: true },
      // Only what is true: tpm2-pkcs11 refuses a key pair whose `false`s it derives itself.
      ...(exchange ? [{ type: pk.CKA_ENCRYPT, value: true }] : []),
      ...(rsa
        ? [
            { type: pk.CKA_KEY_TYPE, value: pk.CKK_RSA },
            { type: pk.CKA_MODULUS_BITS, value: Number(checked.algorithm.slice(4)) },
            { type: pk.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
          ]
        : [
            { type: pk.CKA_KEY_TYPE, value: pk.CKK_EC },
            { type: pk.CKA_EC_PARAMS, value: curveParams(checked.algorithm) },
          ]),
    ];
    const privateTemplate: Template = [
      ...common,
      { type: pk.CKA_CLASS, value: pk.CKO_PRIVATE_KEY },
      { type: pk.CKA_KEY_TYPE, value: rsa ? pk.CKK_RSA : pk.CKK_EC },
      { type: pk.CKA_PRIVATE, value: true },
      { type: pk.CKA_SENSITIVE, value: true },
      { type: pk.CKA_EXTRACTABLE, value: false },
      { type: pk.CKA_SIGN, value: true },
      ...(exchange ? [{ type: pk.CKA_DECRYPT, value: true }] : []),
    ];
    // The asynchronous call runs on libuv's pool: RSA generation on a token takes 0.1-0.5 s,
    // which must not stall the event loop (a UI, the sign-in machine's timers).
    const keys = await lib.C_GenerateKeyPairAsync(
      session,
      { mechanism },
      publicTemplate,
      privateTemplate,
    );
    const container = this.#objects.describe(session, keys.publicKey);
    if (container === undefined) {
      this.#objects.destroy(session, [keys.publicKey, keys.privateKey]);
      throw new InvalidInputError(`The token made a key pair the SDK cannot read back.`);
    }
    if (checked.friendlyName !== undefined) {
      const friendlyName = checked.friendlyName;
      await this.#records.update((r) => ({
        friendlyNames: { ...r.friendlyNames, [name]: friendlyName },
      }));
    }
    return this.#objects.info(container, session);
  }

  /** Destroys the container's private key, public key and certificate objects. */
  async delete(container: string): Promise<void> {
    const session = this.#session.requirePin();
    const keyContainer = this.#objects.named(container);
    const objects = [
      ...this.#objects.certificates(session, keyContainer),
      ...this.#objects.privateKeys(session, keyContainer),
      keyContainer.publicKey,
    ];
    this.#objects.destroy(session, objects);
    await this.#records.update((record) => {
      if (record.friendlyNames[keyContainer.name] === undefined) return undefined;
      const { [keyContainer.name]: _, ...friendlyNames } = record.friendlyNames;
      return { friendlyNames };
    });
  }
}

/** The CKA_EC_PARAMS of an ECDSA key algorithm's curve. */
function curveParams(algorithm: string): Buffer {
  const curve = TOKEN_CURVES.find((candidate) => candidate.algorithm === algorithm);
  if (curve === undefined) throw new InvalidInputError(`${algorithm} is not an EC key algorithm.`);
  return curve.params;
}
