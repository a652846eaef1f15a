/**
 * What the CA remembers: every request with its disposition (ids from 1, as certsrv's), the
 * requests waiting for approval, and every certificate it issued with its revocation. Internal.
 */
import { InvalidInputError } from '../../errors.js';
import { sameBytes } from '../../lib/der-values.js';
import type { Disposition } from '../request/types.js';
import { REASON_CODES, type Revocation, type RevocationReason } from './crl.js';
import type { Directory } from './directory.js';
import type { IssuableTemplate } from './templates.js';

/** A request that waits for a CA manager.
 *
 * @category Certificate authority
 */
export interface PendingRequest {
  readonly account: string;
  readonly spki: Uint8Array<ArrayBuffer>;
  readonly template: IssuableTemplate;
  /** The directory the request was judged with; approval judges it the same way. */
  readonly directory: Directory;
  /** For a request an enrollment agent signed: the agent's account and certificate. */
  readonly agent?: { readonly account: string; readonly certificate: Uint8Array<ArrayBuffer> };
}

/** A certificate the CA issued.
 *
 * @category Certificate authority
 */
export interface CertificateRecord {
  readonly serialNumber: string;
  readonly der: Uint8Array<ArrayBuffer>;
  readonly account: string;
  readonly template: IssuableTemplate;
  readonly notBefore: number;
  readonly notAfter: number;
  /** Which key of the issuing CA signed it: 0 the first, 1 after one key rollover, ... */
  readonly keyIndex: number;
  revocation: Revocation | undefined;
}

interface RequestRecord {
  disposition: Disposition;
  /** Set while the request is pending and no approval is under way. */
  waiting: PendingRequest | undefined;
}

/** The CA's database.
 *
 * @category Certificate authority
 */
export class Ledger {
  readonly #requests = new Map<number, RequestRecord>();
  readonly #certificates = new Map<string, CertificateRecord>();
  #crlNumber = 0;

  /** Records a new request; `make` gets its id. */
  add(make: (requestId: number) => Disposition, waiting?: PendingRequest): Disposition {
    const disposition = make(this.#requests.size + 1);
    this.#requests.set(disposition.requestId, { disposition, waiting });
    return disposition;
  }

  /** The current disposition of a request, or `undefined` for an unknown id. */
  disposition(requestId: number): Disposition | undefined {
    return this.#requests.get(requestId)?.disposition;
  }

  /** Takes a pending request out of waiting, for a decision; refuses any other. */
  take(requestId: number): PendingRequest {
    const record = this.#requests.get(requestId);
    if (record === undefined) throw new InvalidInputError(`This CA has no request ${requestId}.`);
    const { waiting } = record;
    if (waiting === undefined) {
      const { status } = record.disposition;
      throw new InvalidInputError(`Request ${requestId} is not pending: it is ${status}.`);
    }
    record.waiting = undefined;
    return waiting;
  }

  /** Puts a taken request back, when deciding it failed. */
  putBack(requestId: number, waiting: PendingRequest): void {
    const record = this.#requests.get(requestId);
    if (record !== undefined) record.waiting = waiting;
  }

  /** Records the decision on a taken request. */
  settle(disposition: Disposition): Disposition {
    this.#requests.set(disposition.requestId, { disposition, waiting: undefined });
    return disposition;
  }

  /** Remembers an issued certificate. */
  addCertificate(record: CertificateRecord): void {
    this.#certificates.set(record.serialNumber, record);
  }

  /** The record of a certificate this CA issued, found by its exact DER. */
  certificateByDer(der: Uint8Array): CertificateRecord | undefined {
    for (const record of this.#certificates.values()) {
      if (sameBytes(record.der, der)) return record;
    }
    return undefined;
  }

  /** The record of a certificate this CA issued, by its serial (lowercase hex, as DER has it). */
  certificateBySerial(serialNumber: string): CertificateRecord | undefined {
    return this.#certificates.get(serialNumber);
  }

  /**
   * Revokes a certificate. Refuses a serial this CA did not issue, and one already revoked
   * (unless on hold, which a final reason replaces).
   */
  revoke(serialNumber: string, reason: RevocationReason, date: number): void {
    if (typeof reason !== 'string' || !Object.hasOwn(REASON_CODES, reason)) {
      throw new InvalidInputError(`${String(reason)} is not a revocation reason.`);
    }
    const serial = typeof serialNumber === 'string' ? canonicalSerial(serialNumber) : '';
    if (serial === '') throw new InvalidInputError('serialNumber is a hex string.');
    const record = this.#certificates.get(serial);
    if (record === undefined) {
      throw new InvalidInputError(`This CA issued no certificate with serial ${serial}.`);
    }
    const previous = record.revocation?.reason;
    if (previous !== undefined && previous !== 'certificateHold') {
      throw new InvalidInputError(`The certificate ${serial} is already revoked.`);
    }
    record.revocation = { serialNumber: serial, date, reason };
  }

  /** Every revocation (of the certificates key `keyIndex` signed, when given), oldest first. */
  revocations(keyIndex?: number): Revocation[] {
    const all = [...this.#certificates.values()].flatMap((record) =>
      keyIndex === undefined || record.keyIndex === keyIndex ? (record.revocation ?? []) : [],
    );
    return all.sort((a, b) => a.date - b.date);
  }

  /** The number the next CRL will have, without taking it. */
  peekCrlNumber(): number {
    return this.#crlNumber + 1;
  }

  /** The next CRL number (1, 2, ...). */
  nextCrlNumber(): number {
    this.#crlNumber += 1;
    return this.#crlNumber;
  }
}

/** Lowercase hex without separators or leading zero bytes beyond what DER keeps. */
function canonicalSerial(text: string): string {
  let hex = text.replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return '';
  if (hex.length % 2 === 1) hex = `0${hex}`;
  while (hex.startsWith('00') && hex.length > 2 && Number.parseInt(hex[2] ?? '0', 16) < 8) {
    hex = hex.slice(2);
  }
  return hex;
}
