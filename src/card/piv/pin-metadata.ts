/**
 * What a YubiKey tells of its PIN and PUK without spending a try: GET METADATA (`00 F7 00 80` or
 * `81`, Yubico's PIV extension) answers whether the value is still the factory's (05) and the
 * tries, total and left (06). Other PIV cards answer `6D00`, and the SDK stops asking.
 */
import { decodeObjects, objectValue, SW } from '../../lib/apdu.js';
import type { PivLink } from './link.js';
import { YUBIKEY_INS } from './piv-constants.js';

/** A PIN's or PUK's metadata. */
export interface ReferenceMetadata {
  readonly isDefault: boolean | null;
  readonly maxAttempts: number | null;
  readonly attemptsRemaining: number | null;
}

const IS_DEFAULT = 0x05;
const RETRIES = 0x06;

/** Reads the metadata of key references, once known to be offered, from one card. */
export class PinMetadata {
  readonly #link: PivLink;
  #offered = true;

  constructor(link: PivLink) {
    this.#link = link;
  }

  /** The metadata of `reference` (80 the PIN, 81 the PUK), or `undefined` where not offered. */
  async read(reference: number): Promise<ReferenceMetadata | undefined> {
    if (!this.#offered) return undefined;
    const response = await this.#link.send({
      cla: 0,
      ins: YUBIKEY_INS.GET_METADATA,
      p1: 0,
      p2: reference,
      data: new Uint8Array(0),
    });
    if (response.sw === SW.INS_NOT_SUPPORTED || response.sw === SW.CLA_NOT_SUPPORTED) {
      this.#offered = false;
      return undefined;
    }
    if (response.sw !== SW.OK) return undefined;
    let objects: ReturnType<typeof decodeObjects>;
    try {
      objects = decodeObjects(response.data);
    } catch {
      return undefined;
    }
    const isDefault = objectValue(objects, IS_DEFAULT);
    const retries = objectValue(objects, RETRIES);
    return {
      isDefault: isDefault?.length === 1 ? isDefault[0] === 1 : null,
      maxAttempts: retries?.length === 2 ? (retries[0] as number) : null,
      attemptsRemaining: retries?.length === 2 ? (retries[1] as number) : null,
    };
  }
}
