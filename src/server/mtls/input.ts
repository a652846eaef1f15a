/**
 * The three ways a client certificate reaches the server, read strictly into DER: Node's
 * `getPeerCertificate(true)` object (the chain linked by `issuerCertificate`), RFC 9440's
 * `Client-Cert` / `Client-Cert-Chain` header values (RFC 8941 byte sequences), and nginx's
 * `$ssl_client_escaped_cert` (URL-escaped PEM). What cannot be read is a sentence, never a
 * throw. Internal; the input type is `ClientCertificateInput`.
 */
import { fromBase64 } from '../../lib/bytes.js';
import { readPemBlocks } from '../../lib/pem.js';

/** The largest certificate looked at, DER (as for a sign-in response). */
export const MAX_CERTIFICATE_BYTES = 16 * 1024;
/** The most certificates a chain may bring besides the leaf (as for a sign-in response). */
export const MAX_CHAIN_CERTIFICATES = 8;
/** The longest header value read: a largest certificate in base64, with its colons. */
const MAX_ITEM_CHARS = Math.ceil(MAX_CERTIFICATE_BYTES / 3) * 4 + 2;

/** The client's certificate and the others it sent, DER, or why none can be read. */
export type ReadCertificates =
  | { readonly certificate: Uint8Array; readonly intermediates: readonly Uint8Array[] }
  | { readonly none: string }
  | { readonly malformed: string };

/**
 * What is read of Node's `tlsSocket.getPeerCertificate(true)`: each certificate's DER (`raw`)
 * and the certificate that issued it (`issuerCertificate`, the last one pointing at itself).
 *
 * @example
 * ```ts
 * import type { TLSSocket } from 'node:tls';
 * import type { PeerCertificateLike } from 'smartcard-2fa/server';
 *
 * declare const socket: TLSSocket;
 * const peer: PeerCertificateLike = socket.getPeerCertificate(true);
 * console.log(peer.raw?.length ?? 0);
 * ```
 *
 * @category Server
 */
export interface PeerCertificateLike {
  readonly raw?: Uint8Array | undefined;
  readonly issuerCertificate?: PeerCertificateLike | undefined;
}

/**
 * The chain of a Node TLS peer certificate, leaf first, ending at the first certificate seen
 * before (Node links a self-signed root to itself; any other loop ends the same way); more than
 * the cap is refused.
 */
export function readPeerCertificate(peer: unknown): ReadCertificates {
  if (peer === null || peer === undefined) return { none: 'The client sent no certificate.' };
  if (typeof peer !== 'object') return { malformed: 'The peer certificate is not an object.' };
  if ((peer as PeerCertificateLike).raw === undefined && Object.keys(peer).length === 0) {
    return { none: 'The client sent no certificate.' };
  }
  const chain: Uint8Array[] = [];
  const seen = new Set<object>();
  let node: unknown = peer;
  while (node !== undefined && node !== null && !seen.has(node as object)) {
    if (typeof node !== 'object') return { malformed: 'An issuerCertificate is not an object.' };
    seen.add(node as object);
    const { raw, issuerCertificate } = node as PeerCertificateLike;
    if (!(raw instanceof Uint8Array) || raw.length === 0 || raw.length > MAX_CERTIFICATE_BYTES) {
      return {
        malformed: `A peer certificate's raw is not 1 to ${MAX_CERTIFICATE_BYTES} bytes of DER.`,
      };
    }
    if (chain.length > MAX_CHAIN_CERTIFICATES) {
      return { malformed: `The peer sent more than ${MAX_CHAIN_CERTIFICATES + 1} certificates.` };
    }
    chain.push(new Uint8Array(raw));
    node = issuerCertificate;
  }
  const [certificate, ...intermediates] = chain as [Uint8Array, ...Uint8Array[]];
  return { certificate, intermediates };
}

/**
 * RFC 9440: `Client-Cert` is one byte sequence (`:base64:`), `Client-Cert-Chain` a list of
 * them, the certificate that issued the previous one first. Parameters are refused (RFC 9440's
 * ABNF is a bare sf-binary); so are empty members, spaces inside an item and characters outside
 * base64's alphabet. Missing `=` padding and non-zero pad bits are read, as RFC 8941 (4.2.7)
 * asks of parsers: the DER decoded is what is checked.
 */
export function readClientCertHeaders(clientCert: unknown, chain: unknown): ReadCertificates {
  if (clientCert === undefined || clientCert === null || clientCert === '') {
    return chain === undefined || chain === null || chain === ''
      ? { none: 'The proxy forwarded no Client-Cert.' }
      : { malformed: 'Client-Cert-Chain came without Client-Cert.' };
  }
  if (typeof clientCert !== 'string') return { malformed: 'Client-Cert is not a string.' };
  const certificate = byteSequence(clientCert.replace(/^[ \t]+|[ \t]+$/g, ''), 'Client-Cert');
  if (typeof certificate === 'string') return { malformed: certificate };
  if (chain === undefined || chain === null || chain === '') {
    return { certificate, intermediates: [] };
  }
  if (typeof chain !== 'string') return { malformed: 'Client-Cert-Chain is not a string.' };
  if (chain.length > (MAX_ITEM_CHARS + 2) * MAX_CHAIN_CERTIFICATES) {
    return { malformed: 'Client-Cert-Chain is too long.' };
  }
  const members = chain.split(',').map((member) => member.replace(/^[ \t]+|[ \t]+$/g, ''));
  if (members.length > MAX_CHAIN_CERTIFICATES) {
    return { malformed: `Client-Cert-Chain holds more than ${MAX_CHAIN_CERTIFICATES} items.` };
  }
  const intermediates: Uint8Array[] = [];
  for (const [index, member] of members.entries()) {
    const der = byteSequence(member, `Client-Cert-Chain item ${index + 1}`);
    if (typeof der === 'string') return { malformed: der };
    intermediates.push(der);
  }
  return { certificate, intermediates };
}

/** One sf-binary item without parameters, decoded, or why it is not one. */
function byteSequence(item: string, what: string): Uint8Array | string {
  if (item.length > MAX_ITEM_CHARS) return `${what} is too long.`;
  const match = /^:([A-Za-z0-9+/=]*):$/.exec(item);
  if (match === null) {
    return `${what} is not one structured-field byte sequence (:base64:) without parameters.`;
  }
  const der = sfBinary(match[1] as string);
  if (der === undefined || der.length === 0) return `${what} is not base64 of any bytes.`;
  return der;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * An sf-binary's base64, with or without its `=` padding and with any pad bits (RFC 8941,
 * 4.2.7: parsers SHOULD NOT fail on either); `=` anywhere but at the end, padding of the wrong
 * length, or a length no base64 has, is refused.
 */
function sfBinary(text: string): Uint8Array | undefined {
  const body = text.replace(/={1,2}$/, '');
  const tail = body.length % 4;
  if (body.includes('=') || tail === 1) return undefined;
  if (text !== body && text.length % 4 !== 0) return undefined; // padding, if any, complete
  // The pad bits of the last character cleared: 4 of them before one byte, 2 before two.
  const last = BASE64.indexOf(body.at(-1) ?? 'A');
  const kept = tail === 2 ? last & 0x30 : tail === 3 ? last & 0x3c : last;
  const canonical = `${body.slice(0, -1)}${BASE64[kept] ?? ''}${'='.repeat((4 - tail) % 4)}`;
  return body === '' ? new Uint8Array(0) : fromBase64(canonical);
}

/**
 * nginx's `$ssl_client_escaped_cert`: the client's certificate as PEM, URL-escaped. It is the
 * leaf only; the verifier's `intermediates` supply the rest of the chain.
 */
export function readEscapedPem(value: unknown): ReadCertificates {
  if (value === undefined || value === null || value === '') {
    return { none: 'The proxy forwarded no certificate.' };
  }
  if (typeof value !== 'string') return { malformed: 'The escaped certificate is not a string.' };
  if (value.length > MAX_ITEM_CHARS * 3)
    return { malformed: 'The escaped certificate is too long.' };
  let pem: string;
  try {
    pem = decodeURIComponent(value);
  } catch {
    return { malformed: 'The escaped certificate is not valid URL escaping.' };
  }
  const blocks = readPemBlocks(pem);
  if (typeof blocks === 'string') return { malformed: `The escaped certificate: ${blocks}.` };
  const [block, ...more] = blocks;
  if (block === undefined || more.length > 0 || block.label !== 'CERTIFICATE') {
    return { malformed: 'The escaped certificate is not one CERTIFICATE block.' };
  }
  if (pem.replace(/-----BEGIN[\s\S]*-----END CERTIFICATE-----/, '').trim() !== '') {
    return { malformed: 'The escaped certificate has text outside its PEM block.' };
  }
  if (block.der.length > MAX_CERTIFICATE_BYTES) {
    return { malformed: 'The escaped certificate is too large.' };
  }
  return { certificate: block.der, intermediates: [] };
}
