/**
 * A PIV card's key containers: the SDK's container map (container-map.ts) read and written in
 * its data object, key generation into a free slot, the certificate objects of the slots, and
 * what "deleting" a container can be on PIV, which has no command to delete a key: the
 * container leaves the map and its certificate object is emptied; the key stays in its slot
 * until the next key generated there replaces it. Slots other software filled show as
 * containers of their own (slot-containers.ts), and are never given to a new key.
 */
import { InvalidInputError, KeyNotFoundError } from '../../errors.js';
import { certificateSpki } from '../../lib/der.js';
import { signingParams } from '../chip/key-material.js';
import * as input from '../contract/input.js';
import type { KeyContainerInfo } from '../contract/key-containers.js';
import {
  assertCertificateMatches,
  assertNameFree,
  noSuchContainer,
  readCertificate,
} from '../contract/request-checks.js';
import { decodeContainerMap, encodeContainerMap, type MappedContainer } from './container-map.js';
import { certificateObject, certificateOf, readObject, writeObject } from './data-objects.js';
import { CONTAINER_SLOTS, freeSlot, generateInSlot, PIV_KEY_ALGORITHMS } from './key-slots.js';
import type { PivLink } from './link.js';
import { authenticateManagementKey, type PivManagementKey } from './management-key.js';
import { CERTIFICATE_OBJECT_OF_SLOT } from './piv-constants.js';
import { slotContainer, slotContainerName } from './slot-containers.js';

/** The containers of one card over its link. */
export class PivContainers {
  readonly #link: PivLink;
  readonly #crypto: Crypto;
  readonly #managementKey: PivManagementKey | undefined;
  readonly #mapObject: number;

  constructor(
    link: PivLink,
    crypto: Crypto,
    managementKey: PivManagementKey | undefined,
    mapObject: number,
  ) {
    this.#link = link;
    this.#crypto = crypto;
    this.#managementKey = managementKey;
    this.#mapObject = mapObject;
  }

  /** The containers in the map, in order of creation. */
  async mapped(): Promise<MappedContainer[]> {
    return decodeContainerMap(await readObject(this.#link, this.#mapObject));
  }

  /**
   * Every container: the map's, in order of creation, then the slots other software filled
   * (slot-containers.ts); and the slots whose certificate object holds something.
   */
  async #survey() {
    const mapped = await this.mapped();
    const containers = [...mapped];
    const certified = new Set<number>();
    for (const slot of CONTAINER_SLOTS) {
      const value = await readObject(this.#link, certificateTag(slot));
      if (value === null) continue;
      certified.add(slot);
      if (mapped.some((container) => container.slot === slot)) continue;
      const elsewhere = await slotContainer(this.#crypto.subtle, slot, value);
      if (elsewhere !== undefined) containers.push(elsewhere);
    }
    return { mapped, containers, certified };
  }

  /** The container named `name`; `KeyNotFoundError` when there is none. */
  async find(name: string): Promise<MappedContainer> {
    const mapped = await this.mapped();
    const found = mapped.find((container) => container.name === name);
    if (found !== undefined) return found;
    const slot = CONTAINER_SLOTS.find((candidate) => slotContainerName(candidate) === name);
    if (slot !== undefined && !mapped.some((container) => container.slot === slot)) {
      const value = await readObject(this.#link, certificateTag(slot));
      const elsewhere = value && (await slotContainer(this.#crypto.subtle, slot, value));
      if (elsewhere) return elsewhere;
    }
    throw noSuchContainer(name, 'card');
  }

  /** The containers as the contract shows them. */
  async list(): Promise<KeyContainerInfo[]> {
    const { containers, certified } = await this.#survey();
    return containers.map((container) => info(container, certified.has(container.slot)));
  }

  async #authenticate(): Promise<void> {
    if (this.#managementKey === undefined) {
      throw new InvalidInputError(
        'This PivSmartCard was opened without a managementKey: PIV needs it to generate keys and write objects.',
      );
    }
    await authenticateManagementKey(this.#link, this.#crypto, this.#managementKey);
  }

  /** Generates a key pair in the first free slot and adds its container to the map. */
  async generate(options: unknown): Promise<KeyContainerInfo> {
    const checked = input.keyPairOptions(options);
    if (PIV_KEY_ALGORITHMS[checked.algorithm] === undefined) {
      throw new InvalidInputError('A PIV card generates RSA-2048, ECDSA-P256 and ECDSA-P384 keys.');
    }
    const { mapped, containers, certified } = await this.#survey();
    const name = checked.container ?? input.automaticName(this.#crypto);
    assertNameFree(
      containers.map((container) => container.name),
      name,
      'card',
    );
    // A slot with a certificate holds a key someone uses, even one the map does not name.
    const slot = freeSlot([...mapped.map((container) => container.slot), ...certified]);
    await this.#authenticate();
    const publicKey = await generateInSlot(this.#link, slot, checked.algorithm);
    const container: MappedContainer = {
      slot,
      name,
      keySpec: checked.keySpec,
      algorithm: checked.algorithm,
      friendlyName: checked.friendlyName,
      publicKey,
    };
    await this.#writeMap([...mapped, container]);
    return info(container, false);
  }

  /** Stores `der` in the certificate object of `name`'s slot, after checking its key. */
  async install(name: string, der: Uint8Array<ArrayBuffer>): Promise<void> {
    const spki = readCertificate(der, certificateSpki);
    const container = await this.find(name);
    assertCertificateMatches(await this.#sameKey(container, spki), name);
    await this.#authenticate();
    await writeObject(this.#link, certificateTag(container.slot), certificateObject(der));
  }

  /** The certificate stored with `name`, or `null`. */
  async certificate(name: string): Promise<Uint8Array<ArrayBuffer> | null> {
    const container = await this.find(name);
    const value = await readObject(this.#link, certificateTag(container.slot));
    return value === null ? null : certificateOf(value);
  }

  /** Takes `name` out of the map, if there, and empties its certificate object (see the module). */
  async delete(name: string): Promise<void> {
    const container = await this.find(name);
    const mapped = await this.mapped();
    await this.#authenticate();
    await writeObject(this.#link, certificateTag(container.slot), new Uint8Array(0));
    if (mapped.some((candidate) => candidate.name === name)) {
      await this.#writeMap(mapped.filter((candidate) => candidate.name !== name));
    }
  }

  #writeMap(containers: readonly MappedContainer[]): Promise<void> {
    return writeObject(this.#link, this.#mapObject, encodeContainerMap(containers));
  }

  /** Whether `spki` (a certificate's) is `container`'s public key, compared as WebCrypto reads it. */
  async #sameKey(container: MappedContainer, spki: Uint8Array): Promise<boolean> {
    const params = signingParams(container.algorithm);
    const subtle = this.#crypto.subtle;
    const canonical = async (bytes: Uint8Array) => {
      const key = await subtle.importKey('spki', new Uint8Array(bytes), params, true, ['verify']);
      return new Uint8Array(await subtle.exportKey('spki', key));
    };
    try {
      const [theirs, ours] = await Promise.all([canonical(spki), canonical(container.publicKey)]);
      return theirs.length === ours.length && theirs.every((byte, i) => byte === ours[i]);
    } catch {
      return false;
    }
  }
}

function certificateTag(slot: number): number {
  const tag = CERTIFICATE_OBJECT_OF_SLOT[slot];
  if (tag === undefined) throw new KeyNotFoundError(`No certificate object for slot ${slot}.`);
  return tag;
}

function info(container: MappedContainer, hasCertificate: boolean): KeyContainerInfo {
  return {
    name: container.name,
    keySpec: container.keySpec,
    algorithm: container.algorithm,
    friendlyName: container.friendlyName,
    publicKey: container.publicKey.slice(),
    hasCertificate,
  };
}
