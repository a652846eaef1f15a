/**
 * Row 3: building a certificate request on the card with an existing key (no key generation):
 * PKCS#10 and CMC, against @peculiar/x509's `Pkcs10CertificateRequestGenerator` and `openssl
 * req` on the same key, with the same subject, UPN and e-mail, SHA-256.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import { EnrollmentBuilder } from '../src/enrollment/index.js';
import type { Fixture } from './fixture.js';
import { check, type Plan, timeCases } from './harness.js';
import type { Row } from './table.js';

const run = promisify(execFile);
const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

export async function requestRows(fixture: Fixture, plan: Plan): Promise<Row[]> {
  const { card, pin, container, pki } = fixture;
  const user = pki.user('alice');
  const upn = user.upn as string;
  const email = user.email as string;
  await card.verifyPin(pin);

  const ours = (format: 'pkcs10' | 'cmc') => async () => {
    const request = await new EnrollmentBuilder()
      .template('SmartcardUser')
      .subject(user.commonName)
      .upn(upn)
      .email(email)
      .format(format)
      .existingKeySet(container)
      .build(card);
    check(request.der.length > 0, 'a request');
  };

  x509.cryptoProvider.set(crypto);
  const publicKey = fixture.publicKey;
  const keys = { privateKey: fixture.privateKey, publicKey } as CryptoKeyPair;
  const peculiar = async () => {
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: `CN=${user.commonName}`,
      keys,
      signingAlgorithm: rsa,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'upn', value: upn },
          { type: 'email', value: email },
        ]),
      ],
    });
    check(csr.rawData.byteLength > 0, 'an x509 request');
  };

  const dir = await mkdtemp(join(tmpdir(), 'smartcard-2fa-bench-'));
  const keyFile = join(dir, 'key.pem');
  const base64 = Buffer.from(fixture.pkcs8).toString('base64').replace(/.{64}/g, '$&\n');
  await writeFile(keyFile, `-----BEGIN PRIVATE KEY-----\n${base64}\n-----END PRIVATE KEY-----\n`);
  const openssl = async () => {
    const { stdout } = await run(
      'openssl',
      [
        'req',
        '-new',
        '-key',
        keyFile,
        '-sha256',
        '-subj',
        `/CN=${user.commonName}`,
        '-addext',
        `subjectAltName=otherName:1.3.6.1.4.1.311.20.2.3;UTF8:${upn},email:${email}`,
        '-outform',
        'DER',
      ],
      { encoding: 'buffer' },
    );
    check(stdout.length > 0, 'an openssl request');
  };
  try {
    const times = await timeCases({ pkcs10: ours('pkcs10'), cmc: ours('cmc'), peculiar }, plan);
    const spawnPlan = { warmup: 1, samples: Math.max(3, Math.round(plan.samples / 3)), batch: 1 };
    const spawned = await timeCases({ pkcs10: ours('pkcs10'), openssl }, spawnPlan);
    await card.logout();
    return [
      {
        group: '3',
        name: 'PKCS#10 on the card ÷ @peculiar/x509 Pkcs10CertificateRequestGenerator',
        ours: times.pkcs10 as number,
        reference: times.peculiar as number,
        unit: 'ms',
        target: { max: 1 },
      },
      {
        group: '3',
        name: 'CMC (PKCS#10 inside, signed twice) ÷ @peculiar/x509 PKCS#10',
        ours: times.cmc as number,
        reference: times.peculiar as number,
        unit: 'ms',
      },
      {
        group: '3',
        name: 'PKCS#10 on the card ÷ `openssl req` (a process per request)',
        ours: spawned.pkcs10 as number,
        reference: spawned.openssl as number,
        unit: 'ms',
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
