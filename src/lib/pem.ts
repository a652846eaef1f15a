/** PEM armour. Internal. */
import { toBase64 } from './bytes.js';

/** PEM text of `der` with `label`, in lines of 64 characters. */
export function toPem(label: string, der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
