import type { WebCrypto } from '../../crypto.js';
import { CardFullError, InvalidInputError } from '../../errors.js';
import { constantTimeEqual } from '../../lib/bytes.js';
import { certificateSpki } from '../../lib/der.js';
import * as input from '../contract/input.js';
import type {
  GenerateKeyPairOptions,
  HashName,
  KeyContainerInfo,
} from '../contract/key-containers.js';
import {
  assertCanDecrypt,
  assertCertificateMatches,
  assertNameFree,
  noSuchContainer,
  readCertificate,
} from '../contract/request-checks.js';
import {
  importKeyMaterial,
  KeyHandles,
  type KeyMaterial,
  type KeySource,
  signingParams,
} from './key-material.js';
import type { ChipState, Container } from './state-codec.js';
import type { Transaction } from './transaction.js';

interface ContainerStoreDeps {
  readonly crypto: WebCrypto;
  readonly keySource: KeySource;
  readonly transaction: <T>(op: (tx: Transaction) => Promise<T>) => Promise<T>;
  readonly state: () => ChipState;
  readonly requirePin: (tx: Transaction) => void;
}

/** The key containers of an emulated chip: key pairs, certificates, and their use.
 *
 * @category Cards
 */
export class ContainerStore {
  readonly #deps: ContainerStoreDeps;
  readonly #handles: KeyHandles;

  constructor(deps: ContainerStoreDeps) {
    this.#deps = deps;
    this.#handles = new KeyHandles(deps.crypto);
  }

  async list(): Promise<KeyContainerInfo[]> {
    return this.#deps.transaction(async () => this.#deps.state().containers.map(describe));
  }

  async generate(options?: GenerateKeyPairOptions): Promise<KeyContainerInfo> {
    const checked = input.keyPairOptions(options);
    return this.#add(checked.container, checked.keySpec, checked.friendlyName, (tx) => {
      return tx
        .checkpoint('generate')
        .then(() => this.#deps.keySource(checked.algorithm, this.#deps.crypto));
    });
  }

  /** Brings a PKCS#8 private key onto the card (as PIV's key import); it never leaves again. */
  async import(
    pkcs8: Uint8Array,
    options?: Omit<GenerateKeyPairOptions, 'algorithm'>,
  ): Promise<KeyContainerInfo> {
    const checked = input.keyPairOptions({ ...input.options(options, 'import options') });
    const der = input.bytes(pkcs8, 'pkcs8', 16 * 1024);
    return this.#add(checked.container, checked.keySpec, checked.friendlyName, () =>
      importKeyMaterial(this.#deps.crypto, der),
    );
  }

  async sign(
    name: string,
    data: Uint8Array,
    options?: { hash?: HashName },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const hash = input.hashName(input.options<{ hash: HashName }>(options, 'sign options').hash);
    const message = input.bytes(data, 'data', input.MAX_SIGN_BYTES);
    return this.#deps.transaction(async (tx) => {
      this.#deps.requirePin(tx);
      const { key } = this.#find(name);
      const handle = await this.#handles.signing(key, hash);
      // The key's own algorithm: ECDSA takes the hash here, RSASSA-PKCS1-v1_5 from its key.
      const params: EcdsaParams = { name: handle.algorithm.name, hash };
      await tx.checkpoint('sign');
      const signature = new Uint8Array(
        await this.#deps.crypto.subtle.sign(params, handle, message),
      );
      await tx.checkpoint('signed');
      return signature;
    });
  }

  async decrypt(
    name: string,
    ciphertext: Uint8Array,
    options?: { hash?: 'SHA-1' | 'SHA-256' },
  ): Promise<Uint8Array<ArrayBuffer>> {
    const checked = input.options<{ hash: 'SHA-1' | 'SHA-256' }>(options, 'decrypt options');
    const hash = input.hashName(checked.hash, ['SHA-1', 'SHA-256']) as 'SHA-1' | 'SHA-256';
    const data = input.bytes(ciphertext, 'ciphertext', 512);
    return this.#deps.transaction(async (tx) => {
      this.#deps.requirePin(tx);
      const container = this.#find(name);
      assertCanDecrypt(name, container.keySpec, container.key.algorithm, data);
      const handle = await this.#handles.decrypting(container.key, hash);
      await tx.checkpoint('decrypt');
      let plain: ArrayBuffer;
      try {
        plain = await this.#deps.crypto.subtle.decrypt({ name: 'RSA-OAEP' }, handle, data);
      } catch (cause) {
        throw new InvalidInputError('The ciphertext does not decrypt with this key.', { cause });
      }
      await tx.checkpoint('decrypted');
      return new Uint8Array(plain);
    });
  }

  async installCertificate(
    name: string,
    der: Uint8Array,
    options?: { friendlyName?: string },
  ): Promise<void> {
    const checked = input.options<{ friendlyName: string }>(options, 'installCertificate options');
    const label = input.friendlyName(checked.friendlyName);
    const cert = input.bytes(der, 'certificate', input.MAX_CERTIFICATE_BYTES);
    const spki = readCertificate(cert, certificateSpki);
    return this.#deps.transaction(async (tx) => {
      this.#deps.requirePin(tx);
      const container = this.#find(name);
      assertCertificateMatches(await this.#sameKey(container.key, spki), name);
      const next = { ...container, certificate: { der: cert, friendlyName: label } };
      await tx.commit(this.#replace(container, next));
    });
  }

  async certificate(name: string): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#deps.transaction(async () => {
      const cert = this.#find(name).certificate;
      return cert === undefined ? null : cert.der.slice();
    });
  }

  async delete(name: string): Promise<void> {
    return this.#deps.transaction(async (tx) => {
      this.#deps.requirePin(tx);
      const container = this.#find(name);
      const state = this.#deps.state();
      await tx.commit({ ...state, containers: state.containers.filter((x) => x !== container) });
      this.#handles.forget(container.key);
    });
  }

  #add(
    requested: string | undefined,
    keySpec: Container['keySpec'],
    friendlyName: string | undefined,
    material: (tx: Transaction) => Promise<KeyMaterial>,
  ): Promise<KeyContainerInfo> {
    return this.#deps.transaction(async (tx) => {
      this.#deps.requirePin(tx);
      const state = this.#deps.state();
      const name = requested ?? input.automaticName(this.#deps.crypto);
      assertNameFree(
        state.containers.map((c) => c.name),
        name,
        'card',
      );
      if (state.containers.length >= state.maxContainers) {
        throw new CardFullError(`The card holds ${state.maxContainers} key containers already.`);
      }
      const key = await material(tx);
      await tx.checkpoint('key-ready');
      const container: Container = { name, keySpec, friendlyName, key, certificate: undefined };
      await tx.commit({ ...state, containers: [...state.containers, container] });
      return describe(container);
    });
  }

  #find(name: string): Container {
    const container = this.#deps.state().containers.find((c) => c.name === name);
    if (container === undefined) throw noSuchContainer(name, 'card');
    return container;
  }

  #replace(old: Container, next: Container): ChipState {
    const state = this.#deps.state();
    return { ...state, containers: state.containers.map((c) => (c === old ? next : c)) };
  }

  /** Compares public keys after a WebCrypto round trip, so equivalent encodings match. */
  async #sameKey(key: KeyMaterial, spki: Uint8Array): Promise<boolean> {
    const params = signingParams(key.algorithm);
    try {
      const subtle = this.#deps.crypto.subtle;
      const imported = await subtle.importKey('spki', new Uint8Array(spki), params, true, [
        'verify',
      ]);
      return constantTimeEqual(new Uint8Array(await subtle.exportKey('spki', imported)), key.spki);
    } catch {
      return false;
    }
  }
}

function describe(container: Container): KeyContainerInfo {
  return {
    name: container.name,
    keySpec: container.keySpec,
    algorithm: container.key.algorithm,
    friendlyName: container.friendlyName,
    publicKey: container.key.spki.slice(),
    hasCertificate: container.certificate !== undefined,
  };
}
