/**
 * A CA for tests (ECDSA keys: fast), its directory, a clock tests can move, and checks of issued
 * certificates with node:crypto.
 */
import { X509Certificate } from 'node:crypto';
import type { Clock } from '../../../src/clock.js';
import {
  CertificateAuthority,
  type CertificateAuthorityOptions,
} from '../../../src/enrollment/ca/index.js';
import type { DirectoryEntry, Disposition } from '../../../src/enrollment/request/types.js';
import { ecKey, pkcs10 } from './requests.js';

export const ALICE: DirectoryEntry = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.test',
  email: 'alice@contoso.test',
  organizationalUnits: ['Users', 'Corp'],
  domainComponents: ['contoso', 'test'],
};

/** Has a UPN, no e-mail: Smartcard Logon yes, Smartcard User no. */
export const BOB: DirectoryEntry = {
  account: 'CONTOSO\\bob',
  commonName: 'Bob Example',
  upn: 'bob@contoso.test',
};

export const CAROL_DISABLED: DirectoryEntry = {
  account: 'CONTOSO\\carol',
  commonName: 'Carol Example',
  upn: 'carol@contoso.test',
  email: 'carol@contoso.test',
  enabled: false,
};

/** Has an e-mail, no UPN. */
export const DAVE_NO_UPN: DirectoryEntry = {
  account: 'CONTOSO\\dave',
  commonName: 'Dave Example',
  email: 'dave@contoso.test',
};

export const AGENT: DirectoryEntry = {
  account: 'CONTOSO\\agent',
  commonName: 'Enrollment Agent',
  upn: 'agent@contoso.test',
  domainComponents: ['contoso', 'test'],
};

export const DIRECTORY: readonly DirectoryEntry[] = [
  ALICE,
  BOB,
  CAROL_DISABLED,
  DAVE_NO_UPN,
  AGENT,
];

export const START = Date.parse('2026-03-01T12:00:00Z');

/** A clock that tests move by hand. */
export function testClock(start = START): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A CA with ECDSA keys and the test directory; options override. */
export function testCa(options: Partial<CertificateAuthorityOptions> = {}) {
  return CertificateAuthority.create({
    keyAlgorithm: 'ECDSA-P256',
    directory: DIRECTORY,
    clock: testClock(),
    enrollmentAgents: [AGENT.account],
    ...options,
  });
}

/** What `ca` issues Alice for a fresh P-256 key (a PKCS#10 request for `template`), or a failure. */
export async function issueToAlice(ca: CertificateAuthority, template = 'SmartcardUser') {
  const answer = await ca.issue(await pkcs10(await ecKey(), { template }), {
    requester: ALICE.account,
  });
  if (answer.status !== 'issued') throw new Error(answer.status);
  return answer;
}

/** The issued certificate of a disposition, or a test failure. */
export function issuedOf(disposition: Disposition): X509Certificate {
  if (disposition.status !== 'issued') {
    throw new Error(`expected issued, got ${disposition.status}: ${disposition.reason}`);
  }
  return new X509Certificate(disposition.certificate);
}

/** Extended key usage OIDs of a certificate, as node reads them. */
export function extKeyUsageOf(cert: X509Certificate): string[] {
  return (cert.toLegacyObject() as { ext_key_usage?: string[] }).ext_key_usage ?? [];
}
