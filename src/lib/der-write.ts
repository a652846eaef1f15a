/**
 * A small DER writer: every value is encoded once, deterministically, with definite minimal
 * lengths and sorted SET OF members. Enough for certificate requests and CMS. Internal.
 */
import { concatBytes, utf8 } from './bytes.js';

export type Der = Uint8Array<ArrayBuffer>;

function length(size: number): Uint8Array {
  if (size < 0x80) return new Uint8Array([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return new Uint8Array([0x80 | bytes.length, ...bytes]);
}

/** An element with `tag` around `contents`. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Der {
  return element(tag, contents);
}

/**
 * An element with `tag` around the list `contents`, written into one buffer: for lists too long
 * to spread into a call's arguments (a CRL's 100,000 entries).
 */
export function element(tag: number, contents: readonly Uint8Array[]): Der {
  let total = 0;
  for (const part of contents) total += part.length;
  const head = length(total);
  const out = new Uint8Array(1 + head.length + total);
  out[0] = tag;
  out.set(head, 1);
  let at = 1 + head.length;
  for (const part of contents) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export const sequence = (...items: readonly Uint8Array[]): Der => tlv(0x30, ...items);

/** SET OF: members sorted by their encodings, as DER requires. */
export function setOf(...items: readonly Uint8Array[]): Der {
  return tlv(0x31, ...[...items].sort(compareBytes));
}

/** `[n] EXPLICIT` around one element. */
export const explicit = (tagNumber: number, inner: Uint8Array): Der => tlv(0xa0 | tagNumber, inner);

/** `[n] IMPLICIT` of a constructed type: the contents of `inner` under a context tag. */
export function implicitConstructed(tagNumber: number, inner: Uint8Array): Der {
  return tlv(0xa0 | tagNumber, inner.subarray(headerLength(inner)));
}

/** `[n] IMPLICIT` of a primitive type (an OCTET STRING's contents, say). */
export const implicitPrimitive = (tagNumber: number, contents: Uint8Array): Der =>
  tlv(0x80 | tagNumber, contents);

export function integer(value: number | Uint8Array): Der {
  let bytes: Uint8Array;
  if (typeof value === 'number') {
    const out: number[] = [];
    let rest = value;
    do {
      out.unshift(rest & 0xff);
      rest = Math.floor(rest / 256);
    } while (rest > 0);
    bytes = new Uint8Array(out);
  } else {
    let start = 0;
    while (
      start < value.length - 1 &&
      value[start] === 0 &&
      ((value[start + 1] ?? 0) & 0x80) === 0
    ) {
      start += 1;
    }
    bytes = value.subarray(start);
  }
  // A positive INTEGER whose top bit is set needs a leading zero.
  return tlv(
    0x02,
    ((bytes[0] ?? 0) & 0x80) !== 0 ? concatBytes(new Uint8Array([0]), bytes) : bytes,
  );
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = parts;
  const out: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const group: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128))
      group.unshift(0x80 | (rest & 0x7f));
    out.push(...group);
  }
  return tlv(0x06, new Uint8Array(out));
}

export const octetString = (bytes: Uint8Array): Der => tlv(0x04, bytes);
export const bitString = (bytes: Uint8Array, unusedBits = 0): Der =>
  tlv(0x03, new Uint8Array([unusedBits]), bytes);
export const nullValue = (): Der => tlv(0x05);
export const utf8String = (text: string): Der => tlv(0x0c, utf8(text));
export const ia5String = (text: string): Der => tlv(0x16, utf8(text));
export const booleanValue = (value: boolean): Der => tlv(0x01, new Uint8Array([value ? 0xff : 0]));

/** BMPString: UTF-16 big-endian, as Microsoft's request attributes use. */
export function bmpString(text: string): Der {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return tlv(0x1e, out);
}

function headerLength(der: Uint8Array): number {
  const first = der[1] ?? 0;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
