/// <reference types="node" />
/**
 * The PC/SC binding: the `smartcard` npm package (N-API over libpcsclite on Linux, winscard on
 * Windows, PCSC.framework on macOS), an optional peer dependency loaded on first use. Without it
 * the PC/SC classes throw `UnsupportedEnvironmentError` saying what to install.
 */
import { createRequire } from 'node:module';
import type * as Smartcard from 'smartcard';
import { UnsupportedEnvironmentError } from '../errors.js';

/** The `smartcard` module, as its types describe it.
 *
 * @category Cards
 */
export type PcscBinding = typeof Smartcard;

let binding: PcscBinding | undefined;

/** The `smartcard` binding, loaded once. */
export function loadPcscBinding(): PcscBinding {
  if (binding !== undefined) return binding;
  try {
    binding = createRequire(import.meta.url)('smartcard') as PcscBinding;
  } catch (cause) {
    throw new UnsupportedEnvironmentError(
      'smartcard-2fa/pcsc needs the smartcard binding: npm install smartcard (it builds natively: on Debian with libpcsclite-dev, build-essential and python3; pcscd must run).',
      { cause },
    );
  }
  return binding;
}
