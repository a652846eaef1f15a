import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../src/enrollment/ca/index.js';
import { ALICE, DIRECTORY, START, testCa, testClock } from '../support/ca.js';
import { ecKey, pkcs10, rsaKey } from '../support/requests.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'ca-openssl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs openssl; answers its exit status and everything it printed. */
function openssl(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

// Certificates are valid from START - 5 min: openssl checks them at START + 1 min.
const AT = String(Math.floor(START / 1000) + 60);

async function issuedPem(ca: CertificateAuthority, template = 'SmartcardUser', rsa = false) {
  const key = rsa ? await rsaKey(7) : await ecKey();
  const d = await ca.issue(await pkcs10(key, { template }), { requester: ALICE.account });
  if (d.status !== 'issued') throw new Error(d.reason);
  return d;
}

describe('interop with OpenSSL', () => {
  it.skipIf(!hasOpenssl)(
    'openssl verify -purpose sslclient accepts issued certificates (needs the openssl package)',
    async () => {
      for (const options of [{ issuing: true }, {}, { issuing: true, keyAlgorithm: 'RSA-2048' }]) {
        const ca = await testCa(options as Parameters<typeof testCa>[0]);
        const root = file('root.pem', ca.pem.root);
        const issuer = file('issuer.pem', ca.pem.issuer);
        for (const template of ['SmartcardUser', 'SmartcardLogon']) {
          const cert = file('cert.pem', (await issuedPem(ca, template, true)).pem);
          const args = ['verify', '-attime', AT, '-purpose', 'sslclient', '-CAfile', root];
          const result = openssl(...args, '-untrusted', issuer, cert);
          expect(result, JSON.stringify(options)).toMatchObject({ status: 0 });
          expect(result.output).toContain(': OK');
        }
      }
    },
  );

  it.skipIf(!hasOpenssl)(
    'openssl refuses a certificate from another CA and one used out of its time (needs the openssl package)',
    async () => {
      const ca = await testCa({ issuing: true });
      const other = await testCa({ issuing: true });
      const cert = file('cert.pem', (await issuedPem(other)).pem);
      const root = file('root.pem', ca.pem.root);
      const issuer = file('issuer.pem', ca.pem.issuer);
      const args = ['verify', '-attime', AT, '-CAfile', root, '-untrusted', issuer];
      expect(openssl(...args, cert).status).not.toBe(0);
      const mine = file('mine.pem', (await issuedPem(ca)).pem);
      const late = String(Math.floor(START / 1000) + 366 * 86_400);
      const lateArgs = ['verify', '-attime', late, '-CAfile', root, '-untrusted', issuer, mine];
      expect(openssl(...lateArgs).output).toContain('certificate has expired');
    },
  );

  it.skipIf(!hasOpenssl)(
    'openssl x509 shows the extensions AD CS would put (needs the openssl package)',
    async () => {
      const ca = await testCa({ issuing: true });
      const cert = file('cert.pem', (await issuedPem(ca)).pem);
      const text = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-text'], {
        encoding: 'utf8',
      });
      // The test key is EC: no Key Encipherment for EC keys (RFC 5480 §3).
      expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
      expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
      expect(text).toMatch(
        /E-mail Protection, TLS Web Client Authentication, Microsoft Smartcard Login/,
      );
      expect(text).toMatch(/othername: ?UPN::?alice@contoso.test, email:alice@contoso.test/);
      expect(text).toMatch(/URI:http:\/\/pki.example.test\/crl\/issuing.crl/);
      expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    },
  );

  it.skipIf(!hasOpenssl)(
    'openssl crl -verify accepts the CRL, and verify -crl_check sees a revocation (needs the openssl package)',
    async () => {
      const clock = testClock();
      for (const options of [{ issuing: true }, {}]) {
        const ca = await testCa({ clock, ...options });
        const kept = await issuedPem(ca);
        const revoked = await issuedPem(ca);
        await ca.revoke(revoked.serialNumber, 'keyCompromise');
        const crl = file('crl.der', await ca.crl());
        const issuer = file('issuer.pem', ca.pem.issuer);
        const check = openssl(
          'crl',
          '-in',
          crl,
          '-inform',
          'DER',
          '-CAfile',
          issuer,
          '-noout',
          '-verify',
        );
        expect(check.output).toContain('verify OK');
        const text = openssl('crl', '-in', crl, '-inform', 'DER', '-noout', '-text').output;
        expect(text).toContain(`Serial Number: ${revoked.serialNumber.toUpperCase()}`);
        expect(text).toContain('Key Compromise');
        const pem = file('crl.pem', openssl('crl', '-in', crl, '-inform', 'DER').output);
        const chain = file('chain.pem', ca.pem.chain);
        const root = file('root.pem', ca.pem.root);
        const args = ['verify', '-attime', AT, '-crl_check', '-CRLfile', pem, '-CAfile', root];
        const untrusted = ca.chain.length > 1 ? ['-untrusted', chain] : [];
        const good = openssl(...args, ...untrusted, file('kept.pem', kept.pem));
        expect(good.status, good.output).toBe(0);
        const bad = openssl(...args, ...untrusted, file('revoked.pem', revoked.pem));
        expect(bad.output).toContain('certificate revoked');
        // Every level checked: the root's CRL as well, for the issuing CA's certificate.
        const rootCrl = openssl(
          'crl',
          '-in',
          file('root.crl', await ca.rootCrl()),
          '-inform',
          'DER',
        );
        const both = file(
          'crls.pem',
          `${rootCrl.output}${openssl('crl', '-in', crl, '-inform', 'DER').output}`,
        );
        const all = ['verify', '-attime', AT, '-crl_check_all', '-CRLfile', both, '-CAfile', root];
        const allGood = openssl(...all, ...untrusted, file('kept.pem', kept.pem));
        expect(allGood.status, allGood.output).toBe(0);
        expect(openssl(...all, ...untrusted, file('revoked.pem', revoked.pem)).output).toContain(
          'certificate revoked',
        );
      }
    },
  );
});

describe('the default CA', () => {
  it.skipIf(!hasOpenssl)(
    'issues certificates openssl accepts now, on the system clock (needs the openssl package)',
    async () => {
      const ca = await CertificateAuthority.create({ directory: DIRECTORY, issuing: true });
      const root = file('root.pem', ca.pem.root);
      const issuer = file('issuer.pem', ca.pem.issuer);
      const cert = file('cert.pem', (await issuedPem(ca)).pem);
      const result = openssl(
        'verify',
        '-purpose',
        'sslclient',
        '-CAfile',
        root,
        '-untrusted',
        issuer,
        cert,
      );
      expect(result.status, result.output).toBe(0);
    },
  );
});
