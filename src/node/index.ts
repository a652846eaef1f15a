/**
 * smartcard-2fa/node: the parts of the SDK that only run in Node.
 *
 * {@link FileStore} keeps card and TPM state in files, one per name, saved atomically and
 * checked on load. Browser code uses `MemoryStore` (from `smartcard-2fa/card`) or its own
 * `CardStore` instead; nothing else in the SDK imports this entry.
 *
 * @example
 * ```ts
 * import { FileStore } from 'smartcard-2fa/node';
 * import { SmartCardError } from 'smartcard-2fa';
 *
 * const store = await FileStore.open('/var/lib/my-app/cards');
 * try {
 *   const saved = await store.load('card-1');
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_STATE_CORRUPT')) throw error;
 *   // the file is damaged and was left as it is: restore it, or save a fresh state over it
 * }
 * ```
 *
 * @module smartcard-2fa/node
 */

export { FileStore } from './file-store.js';
export type {
  FileStoreFileHandle,
  FileStoreFs,
  FileStoreOptions,
  FileStoreStats,
} from './fs.js';
