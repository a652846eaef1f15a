/**
 * The worst work an unauthenticated request can cause, measured: one RSA signature check at the
 * largest key and exponent path validation accepts (and at those it accepted before), against a
 * normal one; and the CA's answer to a 16 MB garbage request. Run with
 * `npx tsx bench/hostile-cost.ts`; docs/performance.md quotes it.
 */
import { CertificateAuthority } from '../src/enrollment/ca/index.js';
import { bitString, integer, nullValue, oid, sequence } from '../src/lib/der-write.js';
import { keyFacts } from '../src/server/path/signature.js';

const subtle = globalThis.crypto.subtle;

/** An RSA public key of `bytes` bytes of modulus (any odd number: the check costs the same). */
function rsaSpki(bytes: number, exponent: Uint8Array): Uint8Array<ArrayBuffer> {
  const modulus = new Uint8Array(bytes).fill(0xa5).fill(0xc3, 0, 1);
  modulus[bytes - 1] = 0x01;
  return sequence(
    sequence(oid('1.2.840.113549.1.1.1'), nullValue()),
    bitString(sequence(integer(modulus), integer(exponent))),
  );
}

async function checkCost(bytes: number, exponent: Uint8Array, rounds: number): Promise<number> {
  const params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await subtle.importKey('spki', rsaSpki(bytes, exponent), params, false, ['verify']);
  const signature = new Uint8Array(bytes).fill(0x11);
  const data = new Uint8Array(32);
  const times: number[] = [];
  for (let i = 0; i < rounds + 5; i++) {
    const started = performance.now();
    await subtle.verify(params, key, signature, data);
    if (i >= 5) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const E_65537 = new Uint8Array([1, 0, 1]);
const E_MAX_NOW = new Uint8Array([0xff, 0xff, 0xff, 0xff]);
const E_MAX_BEFORE = new Uint8Array(8).fill(0xff);

const normal = await checkCost(256, E_65537, 200);
const worstNow = await checkCost(512, E_MAX_NOW, 60);
const worstBefore = await checkCost(1024, E_MAX_BEFORE, 20);
console.log(`RSA-2048, e = 65537:        ${normal.toFixed(3)} ms (1.0x)`);
console.log(
  `RSA-4096, e = 2^32-1:       ${worstNow.toFixed(3)} ms (${(worstNow / normal).toFixed(1)}x)` +
    ` accepted: ${JSON.stringify(keyFacts(rsaSpki(512, E_MAX_NOW)))}`,
);
console.log(
  `RSA-8192, e = 2^64-1:       ${worstBefore.toFixed(3)} ms (${(worstBefore / normal).toFixed(1)}x)` +
    ` now: ${JSON.stringify(keyFacts(rsaSpki(1024, E_MAX_BEFORE)))}`,
);
console.log(
  `one validation, worst now: 2 x maxWork = 128 checks x ${worstNow.toFixed(3)} ms = ` +
    `${(128 * worstNow).toFixed(0)} ms; before: 64 issuer checks x ${worstBefore.toFixed(3)} ms = ` +
    `${(64 * worstBefore).toFixed(0)} ms, and CRL checks without a bound`,
);

const ca = await CertificateAuthority.create({
  keyAlgorithm: 'ECDSA-P256',
  directory: [{ account: 'CONTOSO\\alice', commonName: 'Alice', upn: 'alice@contoso.test' }],
});
const garbage = 'A'.repeat(16 * 1024 * 1024);
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const refusal = await ca.issue(garbage, { requester: 'CONTOSO\\alice' }).catch((e: Error) => e);
const elapsed = performance.now() - started;
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  `CA, 16 MB of garbage text: refused in ${elapsed.toFixed(3)} ms, heap +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB: ${String(refusal)}`,
);
