/** PEM armour (RFC 7468): writing one block, reading every block of a text. Internal. */
import { fromBase64, toBase64 } from './bytes.js';

/** PEM text of `der` with `label`, in lines of 64 characters. */
export function toPem(label: string, der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** One PEM block: its label (`CERTIFICATE`, `X509 CRL`, ...) and the DER it armours. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array<ArrayBuffer>;
}

const BLOCK = /-----BEGIN ([A-Z0-9][A-Z0-9 -]*)-----([\s\S]*?)-----END ([A-Z0-9][A-Z0-9 -]*)-----/g;

/**
 * Every PEM block in `text`, in order, or why the text is not PEM. Text between blocks is
 * ignored (OpenSSL writes "Bag Attributes" and subjects there); inside a block only base64 and
 * white space are allowed (no RFC 1421 headers), the END label must repeat the BEGIN label, and
 * the base64 must be canonical.
 */
export function readPemBlocks(text: string): PemBlock[] | string {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, label = '', body = '', end = ''] = match;
    if (end !== label) return `a block begins as ${label} and ends as ${end}`;
    if (/[^A-Za-z0-9+/=\s]/.test(body)) {
      return `the ${label} block holds something other than base64 (headers are not allowed)`;
    }
    const der = fromBase64(body.replace(/\s+/g, ''));
    if (der === undefined || der.length === 0) return `the ${label} block is not valid base64`;
    blocks.push({ label, der });
  }
  if (blocks.length === 0) return 'it has no -----BEGIN ...----- block';
  return blocks;
}
