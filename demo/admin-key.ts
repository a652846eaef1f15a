/**
 * The administrator key as a person types it at the unblock screen: hexadecimal digits, spaces
 * allowed anywhere (`01 02 03 …`), or the word `default` for the key a new virtual card has
 * (`tpmvscmgr create /adminkey default`: 01 02 03 04 05 06 07 08, three times).
 */
import { defaultAdminKey } from 'smartcard-2fa/card';
import type { DemoTexts } from './texts/en.js';

/** The word that stands for the default admin key. */
export const DEFAULT_KEY_NAME = 'default';

/** Admin keys are 16, 24 or 32 bytes (3DES or AES), so 32, 48 or 64 hex digits. */
const HEX_DIGITS = [32, 48, 64];

/** What is wrong with a typed admin key, in the demo's words; `undefined` when it is usable. */
export function adminKeyProblem(typed: string, texts: DemoTexts): string | undefined {
  const compact = typed.replace(/\s+/g, '');
  if (compact.toLowerCase() === DEFAULT_KEY_NAME) return undefined;
  if (!/^[0-9a-fA-F]*$/.test(compact)) return texts.adminKeyNotHex;
  if (!HEX_DIGITS.includes(compact.length)) return texts.adminKeyDigits(compact.length);
  return undefined;
}

/**
 * The key as the sign-in machine takes it: hex digits, spaces removed; `default` becomes the
 * default key's digits.
 */
export function adminKeyHex(typed: string): string {
  const compact = typed.replace(/\s+/g, '');
  if (compact.toLowerCase() !== DEFAULT_KEY_NAME) return compact;
  return Array.from(defaultAdminKey(), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
