import { beforeAll, describe, expect, it } from 'vitest';
import {
  createSigningCa,
  type SigningCa,
  signCertificate,
} from '../../../src/enrollment/ca/signing-key.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  keyUsageExtension,
} from '../../../src/enrollment/ca/x509.js';
import { OID } from '../../../src/enrollment/oids.js';
import {
  bitString,
  type Der,
  explicit,
  implicitPrimitive,
  integer,
  octetString,
  oid,
  sequence,
  tlv,
} from '../../../src/lib/der-write.js';
import { type PathValidationOptions, validateCertificatePath } from '../../../src/server/index.js';
import { parseCertificate } from '../../../src/server/path/certificate.js';
import { SerialSet } from '../../../src/server/path/serial-set.js';
import { hasOpenssl, NEEDS_OPENSSL, scratch } from '../../support/openssl.js';

/**
 * CRLs are read as strictly as certificates (a serial with a redundant leading zero would
 * never match its certificate, so a revoked card would pass), a CRL that names the issuer but
 * does not verify leaves the status undecided in every mode, and CRL times allow clock skew.
 */
const DAY = 86_400_000;
const NOW = Date.UTC(2030, 5, 1, 12);
const SERIAL = new Uint8Array([0x12, 0x34, 0x56]);

let root: SigningCa;
let other: SigningCa;
let issuerName: Uint8Array;
let leaf: Uint8Array;

beforeAll(async () => {
  const ca = (commonName: string) =>
    createSigningCa({
      crypto,
      keyAlgorithm: 'ECDSA-P256',
      commonName,
      now: NOW - 30 * DAY,
      years: 5,
    });
  root = await ca('CRL Test Root');
  other = await ca('CRL Test Root'); // the same name, another key
  const parsed = parseCertificate(root.certificate);
  if (typeof parsed === 'string') throw new Error(parsed);
  issuerName = parsed.subject;
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  leaf = await signCertificate(root, {
    serial: SERIAL,
    subject: distinguishedName([{ type: OID.commonName, value: 'Alice' }]),
    spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)),
    notBefore: NOW - DAY,
    notAfter: NOW + 365 * DAY,
    extensions: [
      basicConstraintsExtension(false),
      keyUsageExtension(['digitalSignature']),
      extendedKeyUsageExtension([OID.smartcardLogon]),
      authorityKeyIdentifierExtension(root.keyIdentifier),
    ],
  });
});

const ascii = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));
const utcTime = (ms: number) =>
  tlv(
    0x17,
    ascii(
      new Date(ms)
        .toISOString()
        .replace(/[-:T]|\.\d+/g, '')
        .slice(2),
    ),
  );
const generalizedTime = (ms: number) =>
  tlv(0x18, ascii(new Date(ms).toISOString().replace(/[-:T]|\.\d+/g, '')));
const extension = (id: string, value: Uint8Array) => sequence(oid(id), octetString(value));
const ECDSA_SHA256 = () => sequence(oid('1.2.840.10045.4.3.2'));

interface CrlParts {
  entries?: Der[];
  thisUpdate?: Der;
  nextUpdate?: Der;
  number?: Der;
  version?: Der;
}

/** A TBSCertList of the root, with the parts a test changes. */
function tbsOf(parts: CrlParts = {}): Der {
  return sequence(
    parts.version ?? integer(1),
    ECDSA_SHA256(),
    issuerName,
    parts.thisUpdate ?? utcTime(NOW - DAY),
    parts.nextUpdate ?? utcTime(NOW + 7 * DAY),
    ...(parts.entries === undefined ? [] : [sequence(...parts.entries)]),
    explicit(
      0,
      sequence(
        extension('2.5.29.35', sequence(implicitPrimitive(0, root.keyIdentifier))),
        extension('2.5.29.20', parts.number ?? integer(1)),
      ),
    ),
  );
}

/** Signs a TBSCertList with `signer`'s key (ECDSA P-256, SHA-256). */
async function signed(tbs: Uint8Array, signer: SigningCa = root): Promise<Der> {
  const raw = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signer.privateKey, tbs.slice()),
  );
  const signature = sequence(integer(raw.subarray(0, 32)), integer(raw.subarray(32)));
  return sequence(tbs, ECDSA_SHA256(), bitString(signature));
}

const entry = (serial: Uint8Array, date = NOW - 2 * DAY) =>
  sequence(tlv(0x02, serial), utcTime(date));

async function reason(crl: Uint8Array, options: Partial<PathValidationOptions> = {}) {
  const result = await validateCertificatePath({
    leaf,
    trustAnchors: [root.certificate],
    crls: [crl],
    time: NOW,
    ...options,
  });
  return result.valid ? 'valid' : result.reason;
}

describe('CRLs are strict DER', () => {
  it('a CRL listing the serial revokes; one that does not, does not', async () => {
    expect(await reason(await signed(tbsOf({ entries: [entry(SERIAL)] })))).toBe('revoked');
    expect(await reason(await signed(tbsOf({ entries: [entry(new Uint8Array([7]))] })))).toBe(
      'valid',
    );
    expect(await reason(await signed(tbsOf()))).toBe('valid');
  });

  it('refuses a revoked serial with a redundant leading zero, even when revocation is optional', async () => {
    const padded = await signed(tbsOf({ entries: [entry(new Uint8Array([0, ...SERIAL]))] }));
    expect(await reason(padded)).toBe('malformed');
    expect(await reason(padded, { revocation: 'require' })).toBe('malformed');
  });

  it.skipIf(!hasOpenssl)(`OpenSSL refuses that CRL too (${NEEDS_OPENSSL})`, async () => {
    const files = scratch();
    try {
      const good = files.file('good.crl', await signed(tbsOf({ entries: [entry(SERIAL)] })));
      const bad = files.file(
        'bad.crl',
        await signed(tbsOf({ entries: [entry(new Uint8Array([0, ...SERIAL]))] })),
      );
      const { spawnSync } = await import('node:child_process');
      const run = (path: string) =>
        spawnSync('openssl', ['crl', '-inform', 'DER', '-noout', '-in', path]).status;
      expect(run(good)).toBe(0);
      expect(run(bad)).not.toBe(0);
    } finally {
      files.remove();
    }
  });

  it('refuses a non-minimal CRL number, a GeneralizedTime before 2050, a v3 version, extra fields', async () => {
    const cases: CrlParts[] = [
      { number: tlv(0x02, new Uint8Array([0, 1])) },
      { thisUpdate: generalizedTime(NOW - DAY) },
      { nextUpdate: generalizedTime(NOW + 7 * DAY) },
      { version: integer(2) },
      { entries: [sequence(integer(SERIAL), utcTime(NOW - DAY), integer(1), integer(2))] },
      { entries: [sequence(integer(SERIAL), generalizedTime(NOW - DAY))] },
    ];
    for (const parts of cases) {
      expect(await reason(await signed(tbsOf(parts)))).toBe('malformed');
    }
    const good = await signed(tbsOf());
    expect(await reason(new Uint8Array([...good, 0]))).toBe('malformed');
  });
});

describe('a CRL that names the issuer but does not verify', () => {
  it('leaves the status undecided (crl-invalid) in every mode', async () => {
    const forged = await signed(tbsOf({ entries: [entry(new Uint8Array([9]))] }), other);
    expect(await reason(forged)).toBe('crl-invalid');
    expect(await reason(forged, { revocation: 'require' })).toBe('crl-invalid');
    const tampered = await signed(tbsOf());
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 1;
    expect(await reason(tampered)).toBe('crl-invalid');
  });
});

describe('CRL times allow clock skew', () => {
  it('accepts a CRL issued a minute in the future, or a minute stale, by default only', async () => {
    const early = await signed(tbsOf({ thisUpdate: utcTime(NOW + 60_000) }));
    const late = await signed(tbsOf({ nextUpdate: utcTime(NOW - 60_000) }));
    expect(await reason(early)).toBe('valid');
    expect(await reason(late)).toBe('valid');
    expect(await reason(early, { crlClockSkewMs: 0 })).toBe('crl-invalid');
    expect(await reason(late, { crlClockSkewMs: 0 })).toBe('crl-invalid');
    const tooEarly = await signed(tbsOf({ thisUpdate: utcTime(NOW + 6 * 60_000) }));
    expect(await reason(tooEarly)).toBe('crl-invalid');
  });
});

describe('CRL numbers within one validation', () => {
  it('rely on the newest CRL of the issuer, whatever the order given', async () => {
    const older = await signed(tbsOf({ number: integer(1) }));
    const newer = await signed(tbsOf({ number: integer(2), entries: [entry(SERIAL)] }));
    const both = async (crls: Uint8Array[]) =>
      validateCertificatePath({ leaf, trustAnchors: [root.certificate], crls, time: NOW });
    expect(await both([newer, older])).toMatchObject({ valid: false, reason: 'revoked' });
    expect(await both([older, newer])).toMatchObject({ valid: false, reason: 'revoked' });
  });
});

describe('CRLs of one number', () => {
  it('rely on the later thisUpdate (a CA that does not count up cannot be rolled back either)', async () => {
    const earlier = await signed(tbsOf({ thisUpdate: utcTime(NOW - 2 * DAY) }));
    const later = await signed(tbsOf({ entries: [entry(SERIAL)] }));
    const both = async (crls: Uint8Array[]) =>
      validateCertificatePath({ leaf, trustAnchors: [root.certificate], crls, time: NOW });
    expect(await both([later, earlier])).toMatchObject({ valid: false, reason: 'revoked' });
    expect(await both([earlier, later])).toMatchObject({ valid: false, reason: 'revoked' });
  });
});

describe('SerialSet', () => {
  it('finds every serial it holds and no other, in any order given', () => {
    const serials: Uint8Array[] = [];
    for (let i = 1; i <= 2000; i++)
      serials.push(new Uint8Array([i >> 8, i & 0xff]).subarray(i < 256 ? 1 : 0));
    const bytes = new Uint8Array(serials.reduce((n, s) => n + s.length, 0));
    const starts: number[] = [];
    const lengths: number[] = [];
    let at = 0;
    for (const serial of [...serials].reverse()) {
      bytes.set(serial, at);
      starts.push(at);
      lengths.push(serial.length);
      at += serial.length;
    }
    const set = new SerialSet(bytes, starts, lengths);
    expect(set.size).toBe(2000);
    for (const serial of serials) expect(set.has(serial)).toBe(true);
    expect(set.has(new Uint8Array([0]))).toBe(false);
    expect(set.has(new Uint8Array([2001 >> 8, 2001 & 0xff]))).toBe(false);
    expect(set.has(new Uint8Array([0, 5]))).toBe(false); // not minimal: never equal to 05
  });
});
