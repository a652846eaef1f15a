/**
 * The sealing of virtual-card state by a `SoftwareTpm`: a key of its own, and an NV counter per
 * card. Internal: not exported from the package.
 *
 * A sealed card state is `version (8 bytes, big-endian) | state`, sealed as any blob (see
 * seal.ts) under the TPM's card-state key.
 *
 * @module
 */
import { StateCorruptError } from '../../errors.js';
import { concatBytes } from '../../lib/bytes.js';
import { assertContext, sealBlob, unsealBlob } from './seal.js';

/**
 * Sealing of virtual-card state: a key of its own (so `unseal` cannot open card state) and a
 * monotonic counter per card, kept in the TPM, so that a rolled-back copy of a card's state
 * (more PIN attempts than it has) is refused. Internal: not exported from the package.
 *
 * @category Cards
 */
export interface CardSealing {
  /**
   * Seals `data` as the next version of `context`, made from version `loaded` (`undefined`: a
   * new card); `undefined`, sealing nothing, when the TPM's counter is no longer at `loaded`
   * (a newer state was saved since: the caller's state is stale). Call `advance` once the blob
   * is saved.
   */
  seal(
    context: string,
    data: Uint8Array,
    loaded: number | undefined,
  ): Promise<{ blob: Uint8Array<ArrayBuffer>; version: number } | undefined>;
  /** Unseals the state of `context` and its version, refusing one older than the TPM's counter. */
  unseal(
    context: string,
    blob: Uint8Array,
  ): Promise<{ data: Uint8Array<ArrayBuffer>; version: number }>;
  /** Records that `version` of `context` is saved: older copies are refused from now on. */
  advance(context: string, version: number): Promise<void>;
}

/** What card sealing needs from its TPM. @internal */
export interface SealingTpm {
  readonly crypto: Crypto;
  readonly key: CryptoKey;
  readonly deviceId: string;
  /** The NV counter of `context` now (0: never saved). */
  nv(context: string): number;
  assertEnabled(): void;
  advance(context: string, version: number): Promise<void>;
}

/** The card sealing of a TPM. @internal */
export function makeCardSealing(tpm: SealingTpm): CardSealing {
  return {
    seal: async (context, data, loaded) => {
      assertContext(context);
      tpm.assertEnabled();
      const current = tpm.nv(context);
      // Compare-and-swap on the NV counter: only the state last saved may be followed.
      if (loaded !== undefined && loaded !== current) return undefined;
      const version = current + 1;
      const plain = concatBytes(versionBytes(version), data);
      return { blob: await sealBlob(tpm.crypto, tpm.key, tpm.deviceId, plain, context), version };
    },
    unseal: async (context, blob) => {
      assertContext(context);
      tpm.assertEnabled();
      const plain = await unsealBlob(tpm.crypto, tpm.key, tpm.deviceId, blob.slice(), context);
      if (plain.length < 8) throw new StateCorruptError('The sealed card state has no version.');
      const version = readVersion(plain);
      if (version < tpm.nv(context)) {
        throw new StateCorruptError(
          'The sealed card state is older than the TPM remembers: a rolled-back copy is refused.',
        );
      }
      await tpm.advance(context, version);
      return { data: plain.slice(8), version };
    },
    advance: (context, version) => tpm.advance(context, version),
  };
}

function versionBytes(version: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(version));
  return bytes;
}

function readVersion(plain: Uint8Array): number {
  return Number(new DataView(plain.buffer, plain.byteOffset, 8).getBigUint64(0));
}
