/**
 * Row 6: the embedded CA publishing a CRL of 100,000 revocations (`buildCrl`, what `ca.crl()`
 * runs: the SDK's DER writer, a WebCrypto signature), against the floor: the same list written
 * with the SDK's DER writer in the plainest way and signed with node:crypto. Also how much heap
 * an Authenticator holds once it has seen that CRL.
 */
import { KeyObject, sign as nodeSign } from 'node:crypto';
import { buildCrl } from '../src/enrollment/ca/crl.js';
import { createHierarchy } from '../src/enrollment/ca/signing-key.js';
import { concatBytes, fromHex } from '../src/lib/bytes.js';
import {
  bitString,
  explicit,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  tlv,
} from '../src/lib/der-write.js';
import { Authenticator } from '../src/server/index.js';
import { RP_ID } from './fixture.js';
import { check, type Plan, ratioOf, timeRepeats } from './harness.js';
import { revocations } from './revocation-fixture.js';
import type { Row } from './table.js';

const COUNT = 100_000;
const DAY = 86_400_000;

function utcTime(ms: number) {
  const text = new Date(ms)
    .toISOString()
    .replace(/[-:T]|\.\d+/g, '')
    .slice(2);
  return tlv(0x17, new Uint8Array([...text].map((c) => c.charCodeAt(0))));
}

export async function caCrlRows(plan: Plan, repeats: number): Promise<Row[]> {
  const now = Date.now();
  const { root } = await createHierarchy({
    crypto,
    keyAlgorithm: 'RSA-2048',
    rootName: 'Bench CRL CA',
    issuingName: undefined,
    rootCrlUrl: 'http://pki.bench.test/root.crl',
    now,
  });
  const revoked = revocations(COUNT, now);
  const key = KeyObject.from(root.privateKey);
  const reason = sequence(sequence(oid('2.5.29.21'), octetString(tlv(0x0a, new Uint8Array([1])))));
  const floor = () => {
    const entries = revoked.map((r) =>
      r.reason === 'unspecified'
        ? sequence(integer(fromHex(r.serialNumber) as Uint8Array), utcTime(r.date))
        : sequence(integer(fromHex(r.serialNumber) as Uint8Array), utcTime(r.date), reason),
    );
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < entries.length; i += 10_000) {
      chunks.push(concatBytes(...entries.slice(i, i + 10_000)));
    }
    const algorithm = sequence(oid('1.2.840.113549.1.1.11'), nullValue());
    const tbs = sequence(
      integer(1),
      algorithm,
      sequence(), // the issuer's name: a few bytes, beside megabytes of entries
      utcTime(now),
      utcTime(now + 7 * DAY),
      tlv(0x30, ...chunks),
      explicit(0, sequence(sequence(oid('2.5.29.20'), octetString(integer(1))))),
    );
    const signature = nodeSign('sha256', tbs, key);
    check(sequence(tbs, algorithm, bitString(signature)).length > COUNT * 30, 'floor: a CRL');
  };
  const ours = async () => {
    const crl = await buildCrl({ issuer: root, revoked, crlNumber: 2, now, validityDays: 7 });
    check(crl.length > COUNT * 30, 'the CA: a CRL');
  };
  const times = await timeRepeats({ ours, floor }, plan, repeats);
  const crl = await buildCrl({ issuer: root, revoked, crlNumber: 3, now, validityDays: 7 });
  return [
    {
      group: '6',
      name: 'CA CRL of 100,000 entries ÷ DER writer + node:crypto sign',
      ...ratioOf(times.ours as number[], times.floor as number[]),
      unit: 'ms',
      target: { max: 3 },
    },
    await heldRow(root.certificate, crl),
  ];
}

/** Heap an Authenticator holds after one verification against `crl`, beside the CRL's size. */
async function heldRow(anchor: Uint8Array, crl: Uint8Array): Promise<Row> {
  const gc = (globalThis as { gc?: () => void }).gc as () => void;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  };
  const before = await settle();
  const server = new Authenticator({ trustAnchors: [anchor], crls: [crl], rpId: RP_ID });
  // A malformed answer stops before the CRLs; a certificate that is no certificate does not.
  const challenge = await server.challenge({ address: 'alice@contoso.test' });
  const junk = { ...challenge, signature: new Uint8Array(256), certificate: new Uint8Array(8) };
  await server.verify(junk as unknown as Parameters<Authenticator['verify']>[0]);
  const after = await settle();
  check(server !== undefined, 'alive');
  return {
    group: '6',
    name: 'heap an Authenticator holds with a CRL of 100,000 entries ÷ the CRL',
    ours: (after - before) / 1e6,
    reference: crl.length / 1e6,
    unit: 'MB',
    target: { max: 2 },
  };
}
