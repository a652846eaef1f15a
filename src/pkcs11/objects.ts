import { noSuchContainer } from '../card/contract/request-checks.js';
import type { KeyAlgorithmName, KeyContainerInfo } from '../card/contract/smart-card.js';
import { KeyNotFoundError } from '../errors.js';
import type { Handle, Template } from './binding.js';
import { ecSpki, rsaSpki, TOKEN_CURVES } from './key-encodings.js';
import type { RecordKeeper } from './record-keeper.js';
import type { TokenSession } from './token.js';

/** A key container as found on the token: its public key object, tied by `CKA_ID`.
 *
 * @example
 * ```ts
 * import type { Container, TokenObjects } from './objects.js';
 *
 * declare const objects: TokenObjects;
 * const container: Container = objects.named('my-container');
 * ```
 *
 * @category Cards
 */
export interface Container {
  readonly name: string;
  readonly id: Buffer;
  readonly publicKey: Handle;
  readonly algorithm: KeyAlgorithmName;
  readonly keySpec: 'exchange' | 'signature';
  readonly spki: Uint8Array<ArrayBuffer>;
}

/** How long the CKA_ID of the SDK's containers is, and its key spec markers (byte 6).
 *
 * @example
 * ```ts
 * import { ID_BYTES } from './objects.js';
 *
 * const id = Buffer.alloc(ID_BYTES);
 * ```
 *
 * @category Cards
 */
export const ID_BYTES = 16;
/** The CKA_ID marker of an `exchange` key ('E').
 *
 * @example
 * ```ts
 * import { EXCHANGE, ID_BYTES } from './objects.js';
 *
 * const id = Buffer.alloc(ID_BYTES);
 * id[6] = EXCHANGE;
 * ```
 *
 * @category Cards
 */
export const EXCHANGE = 0x45;
/** The CKA_ID marker of a `signature` key ('S').
 *
 * @example
 * ```ts
 * import { ID_BYTES, SIGNATURE } from './objects.js';
 *
 * const id = Buffer.alloc(ID_BYTES);
 * id[6] = SIGNATURE;
 * ```
 *
 * @category Cards
 */
export const SIGNATURE = 0x53;

/**
 * The token's objects read as key containers: public keys (readable without a PIN), with their
 * private key and certificate objects found by `CKA_ID`.
 *
 * @example
 * ```ts
 * import { TokenObjects } from './objects.js';
 * import type { RecordKeeper } from './record-keeper.js';
 * import type { TokenSession } from './token.js';
 *
 * declare const session: TokenSession;
 * declare const records: RecordKeeper;
 * const objects = new TokenObjects(session, records);
 * const names = objects.all().map((c) => c.name);
 * ```
 *
 * @category Cards
 */
export class TokenObjects {
  readonly #session: TokenSession;
  readonly #records: RecordKeeper;

  constructor(session: TokenSession, records: RecordKeeper) {
    this.#session = session;
    this.#records = records;
  }

  /** The objects matching `template` (at most `max`). */
  find(session: Handle, template: Template, max = 64): Handle[] {
    const lib = this.#session.lib;
    lib.C_FindObjectsInit(session, template);
    try {
      return lib.C_FindObjects(session, max);
    } finally {
      lib.C_FindObjectsFinal(session);
    }
  }

  /** One attribute's bytes, or `undefined`. */
  attribute(session: Handle, object: Handle, type: number): Buffer | undefined {
    const [attribute] = this.#session.lib.C_GetAttributeValue(session, object, [{ type }]);
    const value = attribute?.value;
    return value instanceof Buffer ? value : undefined;
  }

  destroy(session: Handle, handles: readonly Handle[]): void {
    for (const handle of handles) this.#session.lib.C_DestroyObject(session, handle);
  }

  /** The container whose public key is `handle`; `undefined` for a key the SDK cannot use. */
  describe(session: Handle, handle: Handle): Container | undefined {
    const pk = this.#session.pk;
    const attr = (type: number) => this.attribute(session, handle, type);
    const label = attr(pk.CKA_LABEL)?.toString('utf8');
    const id = attr(pk.CKA_ID);
    const type = attr(pk.CKA_KEY_TYPE);
    if (label === undefined || id === undefined || type === undefined || label === '') {
      return undefined;
    }
    const keyType = type.readUIntLE(0, Math.min(type.length, 6));
    let spki: Uint8Array<ArrayBuffer>;
    let algorithm: KeyAlgorithmName;
    if (keyType === pk.CKK_RSA) {
      const modulus = attr(pk.CKA_MODULUS);
      const exponent = attr(pk.CKA_PUBLIC_EXPONENT);
      if (modulus === undefined || exponent === undefined) return undefined;
      spki = rsaSpki(modulus, exponent);
      const bits = (modulus.length - (modulus[0] === 0 ? 1 : 0)) * 8;
      if (bits !== 2048 && bits !== 3072 && bits !== 4096) return undefined;
      algorithm = `RSA-${bits}` as KeyAlgorithmName;
    } else if (keyType === pk.CKK_EC) {
      const params = attr(pk.CKA_EC_PARAMS);
      const point = attr(pk.CKA_EC_POINT);
      const curve = TOKEN_CURVES.find((candidate) => params?.equals(candidate.params));
      if (curve === undefined || point === undefined) return undefined;
      spki = ecSpki(point, curve);
      algorithm = curve.algorithm;
    } else {
      return undefined;
    }
    // The SDK's containers carry their key spec in CKA_ID (tpm2-pkcs11 sets CKA_ENCRYPT on
    // every RSA public key); a key made by other software is `exchange` if it may encrypt.
    const marker = id.length === ID_BYTES ? id[6] : undefined;
    const encrypt =
      marker === undefined || (marker !== EXCHANGE && marker !== SIGNATURE)
        ? attr(pk.CKA_ENCRYPT)?.[0] === 1
        : marker === EXCHANGE;
    const keySpec = algorithm.startsWith('RSA') && encrypt ? 'exchange' : 'signature';
    return { name: label, id, publicKey: handle, algorithm, keySpec, spki };
  }

  /** The containers: public keys (readable without a PIN) in the order they were made. */
  all(): Container[] {
    const session = this.#session.open();
    const pk = this.#session.pk;
    const found = this.find(session, [{ type: pk.CKA_CLASS, value: pk.CKO_PUBLIC_KEY }], 256)
      .map((handle) => this.describe(session, handle))
      .filter((c): c is Container => c !== undefined);
    return found.sort((a, b) => Buffer.compare(a.id, b.id));
  }

  /** The container named `name`; `KeyNotFoundError` when there is none. */
  named(name: string): Container {
    const found = this.all().find((c) => c.name === name);
    if (found === undefined) throw noSuchContainer(name, 'token');
    return found;
  }

  /** The container as the `SmartCard` contract describes it. */
  info(container: Container, session: Handle): KeyContainerInfo {
    return {
      name: container.name,
      keySpec: container.keySpec,
      algorithm: container.algorithm,
      friendlyName: this.#records.record.friendlyNames[container.name],
      publicKey: container.spki.slice(),
      hasCertificate: this.certificates(session, container).length > 0,
    };
  }

  /** The container's certificate objects. */
  certificates(session: Handle, container: Container): Handle[] {
    const pk = this.#session.pk;
    return this.find(session, [
      { type: pk.CKA_CLASS, value: pk.CKO_CERTIFICATE },
      { type: pk.CKA_ID, value: container.id },
    ]);
  }

  /** The container's private key object; `KeyNotFoundError` when it has none. */
  privateKey(session: Handle, container: Container): Handle {
    const [key] = this.privateKeys(session, container);
    if (key === undefined) {
      throw new KeyNotFoundError(
        `Container "${container.name}" has a public key but no private key.`,
      );
    }
    return key;
  }

  /** The container's private key objects (one, or none). */
  privateKeys(session: Handle, container: Container): Handle[] {
    const pk = this.#session.pk;
    return this.find(session, [
      { type: pk.CKA_CLASS, value: pk.CKO_PRIVATE_KEY },
      { type: pk.CKA_ID, value: container.id },
    ]);
  }
}
