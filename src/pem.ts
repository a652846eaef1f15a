import { InvalidInputError } from './errors.js';
import { readPemBlocks } from './lib/pem.js';

/**
 * The DER bytes of every PEM block in `text` (RFC 7468), in order: for trust anchors,
 * intermediates and CRLs kept as `.pem` files, which the SDK's options take as DER. Text between
 * blocks is ignored, as OpenSSL writes it. With `label`, every block must carry that label (or
 * one of those labels): `'CERTIFICATE'`, `'X509 CRL'`, `'CERTIFICATE REQUEST'`, ...
 *
 * @throws `InvalidInputError` when `text` is not a string, holds no PEM block, or holds a block
 * that is malformed (mismatched BEGIN/END labels, headers, bad base64) or has another label.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { derFromPem } from 'smartcard-2fa';
 * import { Authenticator } from 'smartcard-2fa/server';
 *
 * const authenticator = new Authenticator({
 *   trustAnchors: derFromPem(readFileSync('root-ca.pem', 'utf8'), { label: 'CERTIFICATE' }),
 *   intermediates: derFromPem(readFileSync('issuing-cas.pem', 'utf8'), { label: 'CERTIFICATE' }),
 *   crls: derFromPem(readFileSync('issuing-ca.crl.pem', 'utf8'), { label: 'X509 CRL' }),
 *   rpId: 'intranet.contoso.com',
 * });
 * ```
 *
 * @category Runtime
 */
export function derFromPem(
  text: string,
  options: { readonly label?: string | readonly string[] } = {},
): Uint8Array<ArrayBuffer>[] {
  if (typeof text !== 'string')
    throw new InvalidInputError('derFromPem takes PEM text (a string).');
  const wanted = options.label;
  if (wanted !== undefined && typeof wanted !== 'string' && !Array.isArray(wanted)) {
    throw new InvalidInputError('derFromPem: label is a string or an array of strings.');
  }
  const blocks = readPemBlocks(text);
  if (typeof blocks === 'string') throw new InvalidInputError(`Not usable PEM: ${blocks}.`);
  const labels = wanted === undefined ? undefined : typeof wanted === 'string' ? [wanted] : wanted;
  for (const block of blocks) {
    if (labels !== undefined && !labels.includes(block.label)) {
      throw new InvalidInputError(
        `Not usable PEM: a ${block.label} block where ${labels.join(' or ')} was expected.`,
      );
    }
  }
  return blocks.map((block) => block.der);
}
