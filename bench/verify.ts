/**
 * Row 2: the Authenticator's verify of a sign-in answer, with a certificate it has never seen
 * and with one it has, against the peers doing the same checks (the chain to the root, each
 * certificate's signature, both CAs' CRLs, and the signature over the sign-in message) and the
 * floor (node:crypto: parse the certificate, `X509Certificate.verify` under the issuing CA's
 * key, one signature verify).
 */
import { X509Certificate as NodeCertificate, verify as nodeVerify } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { signInMessage } from '../src/session/authenticator/message.js';
import { Authenticator, type SignInResponse, signChallenge } from '../src/session/index.js';
import { type Fixture, freshCertificates, RP_ID } from './fixture.js';
import { check, operationsOf, type Plan, timeCases } from './harness.js';
import type { Row } from './table.js';

interface Answer {
  readonly response: SignInResponse;
  readonly message: Uint8Array<ArrayBuffer>;
}

const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const ab = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;

export async function verifyRows(fixture: Fixture, plan: Plan): Promise<Row[]> {
  const { pki, card, pin, container, address } = fixture;
  const count = operationsOf(plan);
  const fresh = await freshCertificates(fixture, count);

  const authenticator = new Authenticator({
    trustAnchors: [pki.root],
    intermediates: [pki.issuer],
    crls: fixture.crls,
    rpId: RP_ID,
    challengeTtlMs: 3_600_000,
  });
  // Answers made beforehand (the card's signature is not what this row times).
  await card.verifyPin(pin);
  const answers = async (certificates: (i: number) => Uint8Array): Promise<Answer[]> => {
    const out: Answer[] = [];
    for (let i = 0; i < count; i++) {
      const challenge = await authenticator.challenge({ address });
      const signed = await signChallenge(card, container, challenge, { rpId: RP_ID });
      const response = { ...signed, certificate: certificates(i) };
      out.push({ response, message: signInMessage(RP_ID, challenge.id, challenge.challenge) });
    }
    return out;
  };
  const freshAnswers = await answers((i) => fresh[i] as Uint8Array);
  const repeatedAnswers = await answers(() => fixture.certificate);
  const repeatedOnce = await answers(() => fixture.certificate);
  await card.logout();
  check((await authenticator.verify((repeatedOnce[0] as Answer).response)).verified, 'seen');

  // @peculiar/x509: the chain builder, then each link's signature, the CRLs and the answer.
  x509.cryptoProvider.set(crypto);
  const root = new x509.X509Certificate(pki.root);
  const issuing = new x509.X509Certificate(pki.issuer);
  const builder = new x509.X509ChainBuilder({ certificates: [root, issuing] });
  const x509Crls = fixture.crls.map((der) => new x509.X509Crl(ab(der)));
  const x509Path = async ({ response, message }: Answer) => {
    const now = new Date();
    const leaf = new x509.X509Certificate(ab(response.certificate));
    const chain = await builder.build(leaf);
    check(chain.length === 3, 'x509 builds the chain');
    for (let i = 0; i < chain.length; i++) {
      const cert = chain[i] as x509.X509Certificate;
      const issuer = chain[Math.min(i + 1, chain.length - 1)] as x509.X509Certificate;
      check(await cert.verify({ publicKey: issuer, date: now }), 'x509 verifies a link');
      if (i + 1 < chain.length) {
        const crl = x509Crls.find((c) => c.issuer === issuer.subject);
        check(crl !== undefined && (await crl.verify({ publicKey: issuer })), 'x509 crl');
        check(crl.findRevoked(cert) === null, 'x509: not revoked');
      }
    }
    const key = await leaf.publicKey.export(rsa, ['verify'], crypto);
    check(
      await crypto.subtle.verify(rsa, key, new Uint8Array(response.signature), message),
      'x509 answer',
    );
  };

  // pkijs: its CertificateChainValidationEngine with the CRLs, then the answer.
  const pkijsRoot = pkijs.Certificate.fromBER(pki.root);
  const pkijsIssuing = pkijs.Certificate.fromBER(pki.issuer);
  const pkijsPath = async ({ response, message }: Answer) => {
    const leaf = pkijs.Certificate.fromBER(new Uint8Array(response.certificate));
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: [pkijsRoot],
      certs: [pkijsIssuing, leaf],
      crls: fixture.crls.map((der) => pkijs.CertificateRevocationList.fromBER(new Uint8Array(der))),
      checkDate: new Date(),
    });
    const result = await engine.verify();
    check(result.result, `pkijs validates (${result.resultMessage})`);
    const key = await leaf.getPublicKey({ algorithm: { algorithm: rsa, usages: ['verify'] } });
    check(
      await crypto.subtle.verify(rsa, key, new Uint8Array(response.signature), message),
      'pkijs answer',
    );
  };

  // The floor: node:crypto.
  const nodeIssuing = new NodeCertificate(pki.issuer);
  const floor = ({ response, message }: Answer) => {
    const leaf = new NodeCertificate(response.certificate);
    check(leaf.verify(nodeIssuing.publicKey), 'floor: the certificate');
    check(nodeVerify('sha256', message, leaf.publicKey, response.signature), 'floor: answer');
  };

  const ours = (pool: readonly Answer[]) => async (i: number) => {
    const result = await authenticator.verify((pool[i] as Answer).response);
    check(result.verified, `verifies (${result.verified ? '' : result.detail})`);
  };
  const times = await timeCases(
    {
      fresh: ours(freshAnswers),
      repeated: ours(repeatedAnswers),
      x509: (i) => x509Path(freshAnswers[i] as Answer),
      pkijs: (i) => pkijsPath(freshAnswers[i] as Answer),
      floor: (i) => floor(freshAnswers[i] as Answer),
    },
    plan,
  );
  const row = (name: string, mine: string, other: string, max: number): Row => ({
    group: '2',
    name,
    ours: times[mine] as number,
    reference: times[other] as number,
    unit: 'ms',
    target: { max },
  });
  return [
    row('verify, fresh certificate ÷ @peculiar/x509 chain builder + checks', 'fresh', 'x509', 0.5),
    row(
      'verify, fresh certificate ÷ pkijs CertificateChainValidationEngine',
      'fresh',
      'pkijs',
      0.5,
    ),
    row('verify, fresh certificate ÷ node:crypto floor', 'fresh', 'floor', 3),
    row('verify, repeated certificate ÷ node:crypto floor', 'repeated', 'floor', 1.5),
  ];
}
