/**
 * What `issue` takes: DER bytes, PEM or bare base64 text (what certsrv's form posts), or an
 * `EnrollmentRequest` from the builder; and which format the bytes are. Internal.
 */
import { InvalidInputError } from '../../errors.js';
import { fromBase64 } from '../../lib/bytes.js';
import { children, readSingle } from '../../lib/der.js';
import { type PemBlock, readPemBlocks } from '../../lib/pem.js';
import type { EnrollmentRequest, RequestFormat } from '../request/types.js';
import { parseWith, refuse } from './reading.js';

/**
 * A certificate request as `CertificateAuthority.issue` takes it: DER bytes, PEM or bare base64
 * text (`CERTIFICATE REQUEST`, `NEW CERTIFICATE REQUEST`, `CMS` or `PKCS7`), or an
 * `EnrollmentRequest` from the `EnrollmentBuilder`.
 *
 * @example
 * ```ts
 * import type { CertificateAuthority, CertificateRequestInput } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * declare const pastedText: string; // the web enrollment form's text area
 * const request: CertificateRequestInput = pastedText; // PEM, bare base64, DER or a built request
 * const answer = await ca.issue(request, { requester: 'CONTOSO\\alice' });
 * console.log(answer.status);
 * ```
 *
 * @category Certificate authority
 */
export type CertificateRequestInput = Uint8Array | string | EnrollmentRequest;

const LABELS: Readonly<Record<string, RequestFormat>> = {
  'CERTIFICATE REQUEST': 'pkcs10',
  'NEW CERTIFICATE REQUEST': 'pkcs10',
  CMS: 'cmc',
  PKCS7: 'cmc',
};

/** The request's DER and its format, found from its structure.
 *
 * @category Certificate authority
 */
export interface RequestBytes {
  readonly der: Uint8Array<ArrayBuffer>;
  readonly format: RequestFormat;
}

/**
 * Decodes and classifies a request; refuses text that is not PEM or base64, and a request above
 * `maxBytes` of DER (text above twice that) before reading any of it.
 *
 * @category Certificate authority
 */
export function requestBytes(input: CertificateRequestInput, maxBytes: number): RequestBytes {
  let der: Uint8Array<ArrayBuffer>;
  let declared: RequestFormat | undefined;
  const tooLarge = (size: number, limit: number, unit: string) => {
    if (size > limit) refuse(`The request is ${size} ${unit}, above the ${limit} this CA reads.`);
  };
  if (typeof input === 'string') {
    tooLarge(input.length, 2 * maxBytes, 'characters');
    ({ der, declared } = decodeText(input));
  } else if (input instanceof Uint8Array) {
    tooLarge(input.length, maxBytes, 'bytes');
    der = input.slice();
  } else if (typeof input === 'object' && input !== null && input.der instanceof Uint8Array) {
    tooLarge(input.der.length, maxBytes, 'bytes');
    der = input.der.slice();
    declared = input.format;
  } else {
    throw new InvalidInputError('A request is DER bytes, PEM text or an EnrollmentRequest.');
  }
  tooLarge(der.length, maxBytes, 'bytes');
  const format = formatOf(der);
  if (declared !== undefined && declared !== format) {
    refuse(`The request is labelled ${declared} but is ${format}.`);
  }
  return { der, format };
}

/** PEM (one block, nothing around it) or bare base64, whitespace allowed between lines. */
function decodeText(text: string): { der: Uint8Array<ArrayBuffer>; declared?: RequestFormat } {
  const trimmed = text.trim();
  if (!trimmed.startsWith('-----BEGIN ')) {
    const der = fromBase64(trimmed.replace(/\s+/g, ''));
    if (der === undefined || der.length === 0) refuse('The request text is not PEM or base64.');
    return { der };
  }
  const blocks = readPemBlocks(trimmed);
  const [block] = typeof blocks === 'string' ? [] : blocks;
  if (typeof blocks === 'string' || blocks.length !== 1 || block === undefined) {
    refuse(`The request text is not PEM or base64: ${pemProblem(blocks)}.`);
  }
  if (!trimmed.endsWith(`-----END ${block.label}-----`)) {
    refuse('The request text is not PEM or base64: something follows its block.');
  }
  const declared = LABELS[block.label];
  if (declared === undefined) refuse(`A PEM ${block.label} block is not a certificate request.`);
  return { der: block.der, declared };
}

/** Why PEM text that is not one block was refused. */
function pemProblem(blocks: readonly PemBlock[] | string): string {
  return typeof blocks === 'string' ? blocks : `it holds ${blocks.length} blocks, not one`;
}

/** PKCS#10 starts with a SEQUENCE (the request info); CMC with an OID (the content type). */
function formatOf(der: Uint8Array): RequestFormat {
  const first = parseWith('The request', () => {
    const [element] = children(der, readSingle(der));
    return element?.tag;
  });
  if (first === 0x30) return 'pkcs10';
  if (first === 0x06) return 'cmc';
  return refuse('The request is neither a PKCS#10 request nor a CMC request.');
}
