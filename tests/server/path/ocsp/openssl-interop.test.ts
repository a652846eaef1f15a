/**
 * Our OCSP client against OpenSSL's responder (`openssl ocsp -index … -port …`), an
 * implementation we did not write: for a card certificate that the index lists as valid, one it
 * lists as revoked and one it does not list, our verdict agrees with the index and with what
 * `openssl ocsp` as a client reads from the same responder, with and without a nonce, with the CA
 * signing its answers and with a delegated responder. And `openssl ocsp -reqin` reads the request
 * we send.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../../../src/lib/pem.js';
import {
  type OcspFetchRequest,
  type OcspOptions,
  validateCertificatePath,
} from '../../../../src/server/index.js';
import { hasOpenssl, NEEDS_OPENSSL, openssl, scratch } from '../../../support/openssl.js';
import { type Issued, issue, LOGON } from '../support/issue.js';
import { aia, nocheck, OCSP_SIGNING } from './support.js';

const files = scratch();
const responders: ChildProcess[] = [];
afterAll(() => {
  for (const child of responders) if (child.pid !== undefined) process.kill(child.pid);
  files.remove();
});

const extractableKeys = () =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;

async function keyPem(issued: Issued): Promise<string> {
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', issued.keys.privateKey);
  return toPem('PRIVATE KEY', new Uint8Array(pkcs8));
}

/** A port on 127.0.0.1 that was free a moment ago (openssl ocsp needs a number). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

/** Starts `openssl ocsp` as a responder; resolves once it listens. */
function startResponder(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['ocsp', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    responders.push(child);
    let output = '';
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ACCEPT')) resolve();
    };
    child.stdout?.on('data', listen);
    child.stderr?.on('data', listen);
    child.on('exit', (code) => reject(new Error(`openssl ocsp exited (${code}): ${output}`)));
    setTimeout(() => reject(new Error(`openssl ocsp did not start: ${output}`)), 10_000);
  });
}

/** The fetcher: an HTTP POST with node:http. Every request body is kept. */
const sent: Uint8Array[] = [];
function post({ url, body }: OcspFetchRequest): Promise<Uint8Array> {
  sent.push(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request', 'content-length': body.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

interface Setup {
  root: Issued;
  ca: Issued;
  cards: Record<'good' | 'revoked' | 'unknown', Issued>;
  caPem: string;
  url: string;
}

/** Root → CA → three cards naming a responder on `port`, an index, and the responder. */
async function setUp(delegated: boolean): Promise<Setup> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const tag = delegated ? 'delegated' : 'ca';
  const root = await issue({ subject: `Interop Root ${tag}`, ca: true });
  const ca = await issue({
    subject: `Interop CA ${tag}`,
    issuer: root,
    ca: true,
    keys: await extractableKeys(),
  });
  const card = (subject: string, serial: number) =>
    issue({ subject, issuer: ca, serial, eku: [LOGON], extra: [aia(url)] });
  const cards = {
    good: await card('Alice', 0x1001),
    revoked: await card('Bob', 0x1002),
    unknown: await card('Carol', 0x1003),
  };
  const index = [
    'V\t360101000000Z\t\t1001\tunknown\t/CN=Alice',
    'R\t360101000000Z\t261101000000Z,keyCompromise\t1002\tunknown\t/CN=Bob',
    '',
  ].join('\n');
  const caPem = files.file(`${tag}-ca.pem`, toPem('CERTIFICATE', ca.der));
  const signer = delegated
    ? await issue({
        subject: 'Interop Responder',
        issuer: ca,
        eku: [OCSP_SIGNING],
        keyUsage: ['digitalSignature'],
        extra: [nocheck()],
        keys: await extractableKeys(),
      })
    : ca;
  await startResponder([
    '-index',
    files.file(`${tag}-index.txt`, index),
    '-CA',
    caPem,
    '-rsigner',
    files.file(`${tag}-rsigner.pem`, toPem('CERTIFICATE', signer.der)),
    '-rkey',
    files.file(`${tag}-rkey.pem`, await keyPem(signer)),
    '-rmd',
    'sha256',
    '-nmin',
    '10',
    '-ignore_err',
    '-port',
    String(port),
  ]);
  return { root, ca, cards, caPem, url };
}

async function ourVerdict(setup: Setup, card: Issued, ocsp: Partial<OcspOptions> = {}) {
  const result = await validateCertificatePath({
    leaf: card.der,
    intermediates: [setup.ca.der],
    trustAnchors: [setup.root.der],
    ocsp: { fetch: post, mode: 'hard-fail', ...ocsp },
  });
  return result.valid ? 'good' : result.reason === 'ocsp-invalid' ? result.detail : result.reason;
}

/** What `openssl ocsp` as a client reads from the same responder: good, revoked or unknown. */
function opensslStatus(setup: Setup, card: Issued, nonce: '-nonce' | '-no_nonce'): string {
  const out = openssl(
    'ocsp',
    '-issuer',
    setup.caPem,
    '-cert',
    files.file('asked.pem', toPem('CERTIFICATE', card.der)),
    '-url',
    setup.url,
    nonce,
    '-noverify',
  );
  return /: (good|revoked|unknown)/.exec(out)?.[1] ?? out;
}

describe.skipIf(!hasOpenssl)(`our OCSP client against openssl ocsp (${NEEDS_OPENSSL})`, () => {
  for (const delegated of [false, true]) {
    describe(delegated ? 'a delegated responder signs' : 'the CA signs', () => {
      let setup: Setup;
      beforeAll(async () => {
        setup = await setUp(delegated);
      }, 20_000);

      it.each([
        ['good', 'good'],
        ['revoked', 'revoked'],
        ['unknown', 'says the certificate is unknown to its responder'],
      ] as const)(
        'the %s card: our verdict agrees with the index and openssl',
        async (which, ours) => {
          const card = setup.cards[which];
          expect(opensslStatus(setup, card, '-nonce')).toBe(which);
          expect(opensslStatus(setup, card, '-no_nonce')).toBe(which);
          expect(await ourVerdict(setup, card, { requireNonce: true })).toContain(ours);
          expect(await ourVerdict(setup, card, { nonce: false })).toContain(ours);
          expect(await ourVerdict(setup, card, { certIdHash: 'SHA-256' })).toContain(ours);
        },
      );
    });
  }

  it('openssl ocsp -reqin reads our request: the CertID and the nonce', () => {
    const request = sent.find((body) => body.length > 80);
    expect(request).toBeDefined();
    const out = openssl(
      'ocsp',
      '-reqin',
      files.file('our-request.der', request as Uint8Array),
      '-req_text',
    );
    expect(out).toContain('Hash Algorithm: sha1');
    expect(out).toMatch(/Serial Number: 100[123]/);
    expect(out).toContain('OCSP Nonce');
  });
});
