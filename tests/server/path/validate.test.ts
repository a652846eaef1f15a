import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import { validateCertificatePath } from '../../../src/server/index.js';
import { crl, ext, type Issued, issue, LOGON, NOW, newKeys, SERVER_AUTH } from './support/issue.js';

let root: Issued;
let ica: Issued;
let leaf: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'Root', ca: true });
  ica = await issue({ subject: 'Issuing CA', issuer: root, ca: true, pathLen: 0 });
  leaf = await issue({ subject: 'Alice', issuer: ica, serial: 4242 });
});

const check = (leafDer: Uint8Array, intermediates: Uint8Array[], more: object = {}) =>
  validateCertificatePath({
    leaf: leafDer,
    intermediates,
    trustAnchors: [root.der],
    time: NOW,
    ...more,
  });

const reasonOf = async (promise: ReturnType<typeof check>) => {
  const result = await promise;
  return result.valid ? 'valid' : result.reason;
};

describe('validateCertificatePath: a good chain', () => {
  it('returns the path leaf first, anchor last', async () => {
    const result = await check(leaf.der, [new Uint8Array([1, 2, 3]), ica.der]);
    expect(result).toEqual({ valid: true, path: [leaf.der, ica.der, root.der], policies: [] });
  });

  it('uses the clock when no time is given', async () => {
    const clock = { now: () => NOW.getTime() };
    const result = await validateCertificatePath({
      leaf: leaf.der,
      intermediates: [ica.der],
      trustAnchors: [root.der],
      clock,
    });
    expect(result.valid).toBe(true);
  });

  it('tries another issuer of the same name when the first one fails', async () => {
    const expired = await issue({
      subject: 'Issuing CA',
      issuer: root,
      ca: true,
      keys: ica.keys,
      notAfter: '2029-01-01T00:00:00Z',
    });
    expect(await reasonOf(check(leaf.der, [expired.der, ica.der]))).toBe('valid');
  });
});

describe('validateCertificatePath: each failure has its reason', () => {
  it('malformed certificates and CRLs', async () => {
    expect(await reasonOf(check(leaf.der.subarray(0, 50), [ica.der]))).toBe('malformed');
    expect(await reasonOf(check(leaf.der, [ica.der], { crls: [new Uint8Array([0x30, 0])] }))).toBe(
      'malformed',
    );
  });

  it('no path to an anchor', async () => {
    expect(await reasonOf(check(leaf.der, []))).toBe('no-path');
  });

  it('validity', async () => {
    expect(
      await reasonOf(check(leaf.der, [ica.der], { time: new Date('2037-01-01T00:00:00Z') })),
    ).toBe('expired');
    expect(await reasonOf(check(leaf.der, [ica.der], { time: Date.UTC(2025, 0, 1) }))).toBe(
      'not-yet-valid',
    );
    const old = await issue({
      subject: 'Issuing CA',
      issuer: root,
      ca: true,
      keys: ica.keys,
      notAfter: '2029-01-01T00:00:00Z',
    });
    expect(await reasonOf(check(leaf.der, [old.der]))).toBe('expired');
  });

  it('a signature by another key under the same name', async () => {
    const impostor = await issue({ subject: 'Issuing CA', issuer: root, ca: true, ski: ica.ski });
    expect(await reasonOf(check(leaf.der, [impostor.der]))).toBe('signature');
  });

  it('an issuer that is not a CA, and a CA as the leaf', async () => {
    const plain = await issue({
      subject: 'Issuing CA',
      issuer: root,
      keys: ica.keys,
      ski: ica.ski,
      keyUsage: ['cRLSign'],
    });
    expect(await reasonOf(check(leaf.der, [plain.der]))).toBe('not-a-ca');
    expect(await reasonOf(check(ica.der, []))).toBe('not-a-ca');
  });

  it('pathLenConstraint and the depth limit', async () => {
    const sub = await issue({ subject: 'Sub CA', issuer: ica, ca: true });
    const deep = await issue({ subject: 'Bob', issuer: sub });
    expect(await reasonOf(check(deep.der, [ica.der, sub.der]))).toBe('path-length');
    expect(await reasonOf(check(leaf.der, [ica.der], { maxDepth: 0 }))).toBe('too-deep');
  });

  it('EKUs nest: an intermediate with an EKU extension must allow the purpose', async () => {
    const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
    const serverCa = await issue({
      subject: 'Server CA',
      issuer: root,
      ca: true,
      eku: [SERVER_AUTH],
    });
    const underServer = await issue({ subject: 'Frank', issuer: serverCa });
    const outcome = await check(underServer.der, [serverCa.der]);
    expect(outcome.valid ? 'valid' : outcome.reason).toBe('eku');
    const logonCa = await issue({ subject: 'Logon CA', issuer: root, ca: true, eku: [LOGON] });
    const underLogon = await issue({ subject: 'Grace', issuer: logonCa });
    expect(await reasonOf(check(underLogon.der, [logonCa.der]))).toBe('valid');
    // The leaf has both purposes; the intermediate allows only Client Authentication, which
    // counts only when asked for by name.
    const clientCa = await issue({
      subject: 'Client CA',
      issuer: root,
      ca: true,
      eku: [CLIENT_AUTH],
    });
    const both = await issue({ subject: 'Heidi', issuer: clientCa, eku: [LOGON, CLIENT_AUTH] });
    expect(await reasonOf(check(both.der, [clientCa.der]))).toBe('eku');
    const named = { requiredEku: [LOGON, 'clientAuth'] };
    expect(await reasonOf(check(both.der, [clientCa.der], named))).toBe('valid');
    const anyCa = await issue({ subject: 'Any CA', issuer: root, ca: true, eku: ['2.5.29.37.0'] });
    const underAny = await issue({ subject: 'Ivan', issuer: anyCa });
    expect(await reasonOf(check(underAny.der, [anyCa.der]))).toBe('valid');
    expect(await reasonOf(check(underServer.der, [serverCa.der], { requiredEku: 'any' }))).toBe(
      'valid',
    );
  });

  it('by default only Smart Card Logon: Client Authentication alone (a software key) fails', async () => {
    const userTemplate = await issue({ subject: 'Judy', issuer: ica, eku: ['1.3.6.1.5.5.7.3.2'] });
    expect(await reasonOf(check(userTemplate.der, [ica.der]))).toBe('eku');
    for (const requiredEku of [['clientAuth'], ['1.3.6.1.5.5.7.3.2']]) {
      expect(await reasonOf(check(userTemplate.der, [ica.der], { requiredEku }))).toBe('valid');
    }
    expect(await reasonOf(check(leaf.der, [ica.der], { requiredEku: ['smartCardLogon'] }))).toBe(
      'valid',
    );
  });

  it('key usage and EKU of the leaf, and keyCertSign of issuers', async () => {
    const encipher = await issue({ subject: 'Carol', issuer: ica, keyUsage: ['keyEncipherment'] });
    expect(await reasonOf(check(encipher.der, [ica.der]))).toBe('key-usage');
    const server = await issue({ subject: 'Dave', issuer: ica, eku: [SERVER_AUTH] });
    expect(await reasonOf(check(server.der, [ica.der]))).toBe('eku');
    expect(await reasonOf(check(server.der, [ica.der], { requiredEku: 'any' }))).toBe('valid');
    const anyEku = await issue({ subject: 'Erin', issuer: ica, eku: ['2.5.29.37.0'] });
    expect(await reasonOf(check(anyEku.der, [ica.der]))).toBe('eku');
    const noSign = await issue({
      subject: 'Issuing CA',
      issuer: root,
      ca: true,
      keys: ica.keys,
      keyUsage: ['cRLSign'],
    });
    expect(await reasonOf(check(leaf.der, [noSign.der]))).toBe('key-usage');
  });

  it('unknown critical extensions', async () => {
    const odd = ext('1.3.6.1.4.1.55738.666.1', new asn1js.Null(), true);
    const strange = await issue({ subject: 'Frank', issuer: ica, extra: [odd] });
    expect(await reasonOf(check(strange.der, [ica.der]))).toBe('unknown-critical-extension');
  });

  it('revocation by a CRL of the issuer', async () => {
    expect(await reasonOf(check(leaf.der, [ica.der], { crls: [await crl(ica, [4242])] }))).toBe(
      'revoked',
    );
    expect(await reasonOf(check(leaf.der, [ica.der], { crls: [await crl(ica, [7])] }))).toBe(
      'valid',
    );
    expect(await reasonOf(check(leaf.der, [ica.der], { crls: [await crl(root, [4242])] }))).toBe(
      'valid',
    );
    const forged = await crl(ica, [4242], undefined, await newKeys());
    // A CRL naming the issuer that does not verify under its key leaves the status undecided.
    expect(await reasonOf(check(leaf.der, [ica.der], { crls: [forged] }))).toBe('crl-invalid');
    const stale = await crl(ica, [], '2030-03-01T00:00:00Z');
    expect(await reasonOf(check(leaf.der, [ica.der], { crls: [stale] }))).toBe('crl-invalid');
  });

  it('never throws for damaged certificates and CRLs', async () => {
    const list = await crl(ica, [4242]);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 300; i++) {
      const [target, other] = i % 2 === 0 ? [leaf.der, list] : [list, leaf.der];
      const damaged = target.slice();
      damaged[random() % damaged.length] = random() % 256;
      const [leafDer, crlDer] = i % 2 === 0 ? [damaged, other] : [other, damaged];
      const result = await check(leafDer, [ica.der], { crls: [crlDer] });
      expect(typeof result.valid).toBe('boolean');
    }
  });

  it('throws only for options of the wrong type', async () => {
    const bad = [
      { leaf: 'x' },
      { requiredEku: ['not an oid'] },
      { maxWork: -1 },
      { requiredKeyUsage: ['sign'] },
    ];
    for (const options of bad) {
      await expect(check(leaf.der, [ica.der], options)).rejects.toBeInstanceOf(InvalidInputError);
    }
  });
});

describe('validateCertificatePath: adversarial bundles end quickly', () => {
  it('a cycle (A signs B, B signs A) fails without looping', async () => {
    const aKeys = await newKeys();
    const bKeys = await newKeys();
    const a0 = { der: new Uint8Array(), keys: aKeys, name: 'A', ski: new Uint8Array([0xa]) };
    const b0 = { der: new Uint8Array(), keys: bKeys, name: 'B', ski: new Uint8Array([0xb]) };
    const a = await issue({ subject: 'A', issuer: b0, keys: aKeys, ca: true, ski: a0.ski });
    const b = await issue({ subject: 'B', issuer: a0, keys: bKeys, ca: true, ski: b0.ski });
    const user = await issue({ subject: 'Grace', issuer: { ...a0, der: a.der } });
    const started = performance.now();
    expect(await reasonOf(check(user.der, [a.der, b.der]))).toBe('no-path');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('many same-subject, same-SKI CAs with different keys hit the work bound', async () => {
    const ski = new Uint8Array([1, 2, 3, 4]);
    const keys = await Promise.all(Array.from({ length: 30 }, newKeys));
    const trap = await Promise.all(
      keys.map((k, i) =>
        issue({
          subject: 'Trap CA',
          keys: k,
          ca: true,
          ski,
          aki: false,
          issuer: {
            der: new Uint8Array(),
            keys: keys[(i + 1) % keys.length] as CryptoKeyPair,
            name: 'Trap CA',
            ski,
          },
        }),
      ),
    );
    const user = await issue({
      subject: 'Heidi',
      issuer: { der: new Uint8Array(), keys: keys[0] as CryptoKeyPair, name: 'Trap CA', ski },
    });
    const started = performance.now();
    expect(
      await reasonOf(
        check(
          user.der,
          trap.map((t) => t.der),
        ),
      ),
    ).toBe('too-much-work');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
