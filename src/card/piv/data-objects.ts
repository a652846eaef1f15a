/**
 * PIV data objects (SP 800-73-4 part 2 §3.1.2, §3.3.1): GET DATA and PUT DATA of an object by
 * its tag, the value wrapped in 53; and the certificate objects' contents, 53 { 70 certificate,
 * 71 CertInfo, FE }, with a certificate written uncompressed and read gzip-compressed too
 * (CertInfo 01, as some card management systems write them).
 */
import { DeviceMismatchError, PinRequiredError } from '../../errors.js';
import { decodeObjects, encodeObject, objectValue, SW } from '../../lib/apdu.js';
import { concatBytes } from '../../lib/bytes.js';
import { answered, type PivLink } from './link.js';
import { DATA_TAG, INS } from './piv-constants.js';

function tagList(tag: number): Uint8Array<ArrayBuffer> {
  return encodeObject(DATA_TAG.TAG_LIST, Uint8Array.of(tag >> 16, (tag >> 8) & 0xff, tag & 0xff));
}

/** GET DATA of the object `tag`: its value inside 53, or `null` when the card has none. */
export async function readObject(
  link: PivLink,
  tag: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const response = await link.send({
    cla: 0,
    ins: INS.GET_DATA,
    p1: 0x3f,
    p2: 0xff,
    data: tagList(tag),
  });
  if (response.sw === SW.NOT_FOUND) return null;
  if (response.sw === SW.SECURITY_STATUS) {
    throw new PinRequiredError('The card reads this object only after the PIN.');
  }
  if (response.sw !== SW.OK) throw new DeviceMismatchError(answered(response.sw, 'GET DATA'));
  const value = objectValue(decodeObjects(response.data), DATA_TAG.DATA);
  if (value === undefined) throw new DeviceMismatchError('GET DATA answered without 53.');
  return value.length === 0 ? null : value;
}

/** PUT DATA of the object `tag` (the management key authenticated before); empty deletes. */
export async function writeObject(link: PivLink, tag: number, value: Uint8Array): Promise<void> {
  const data = concatBytes(tagList(tag), encodeObject(DATA_TAG.DATA, value));
  const response = await link.send({ cla: 0, ins: INS.PUT_DATA, p1: 0x3f, p2: 0xff, data });
  if (response.sw === SW.SECURITY_STATUS) {
    throw new PinRequiredError(
      'The card refused the write: the management key is not authenticated.',
    );
  }
  if (response.sw !== SW.OK) throw new DeviceMismatchError(answered(response.sw, 'PUT DATA'));
}

/** A certificate object's value: the certificate, CertInfo 00 (not compressed), an empty FE. */
export function certificateObject(der: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes(
    encodeObject(DATA_TAG.CERTIFICATE, der),
    encodeObject(DATA_TAG.CERT_INFO, Uint8Array.of(0)),
    encodeObject(DATA_TAG.ERROR_DETECTION, new Uint8Array(0)),
  );
}

/** The DER certificate in a certificate object's value, gunzipped when CertInfo says 01. */
export async function certificateOf(value: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const parts = decodeObjects(value);
  const certificate = objectValue(parts, DATA_TAG.CERTIFICATE);
  if (certificate === undefined) {
    throw new DeviceMismatchError('The certificate object holds no certificate (70).');
  }
  const compressed = ((objectValue(parts, DATA_TAG.CERT_INFO)?.[0] ?? 0) & 0x01) === 1;
  return compressed ? gunzip(certificate) : certificate;
}

/** Gunzips `bytes` with the platform's DecompressionStream (Node 18+, every browser). */
async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (cause) {
    throw new DeviceMismatchError('The card holds a compressed certificate that is not gzip.', {
      cause,
    });
  }
}
