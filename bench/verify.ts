/**
 * Row 2: the Authenticator's verify of a sign-in answer, against the peers doing the same checks
 * (the chain to the root, the issuing CA's CRL, the signature over the sign-in message) and the
 * node:crypto floor, and against itself with CRLs of 0, 1,000 and 100,000 revoked serials. Each
 * row is repeated; its ratio is the median of the repeats and its spread their range.
 */
import { X509Certificate as NodeCertificate, verify as nodeVerify } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import { signInMessage } from '../src/challenge/signed-message.js';
import { Authenticator } from '../src/server/index.js';
import { type SignInResponse, signChallenge } from '../src/session/index.js';
import { type Fixture, RP_ID } from './fixture.js';
import { check, operationsOf, type Plan, ratioOf, timeRepeats } from './harness.js';
import { makeRevocationFixture, type RevocationFixture } from './revocation-fixture.js';
import type { Row } from './table.js';

interface Answer {
  readonly response: SignInResponse;
  readonly message: Uint8Array<ArrayBuffer>;
}

const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const ab = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer;

export async function verifyRows(fixture: Fixture, plan: Plan, repeats: number): Promise<Row[]> {
  const pki = await makeRevocationFixture(fixture);
  const count = operationsOf(plan) * repeats;
  const fresh: Uint8Array[] = [];
  for (let i = 0; i < count; i++) fresh.push(await pki.issue());
  const repeated = await pki.issue();
  const crlOf = (size: number) => pki.crls.get(size) as Uint8Array;
  const authenticator = (size: number) =>
    new Authenticator({
      trustAnchors: [pki.root],
      intermediates: [pki.issuing],
      // As an app that fetches its CRLs (from its own cache) on every verification.
      crls: async () => [crlOf(size), pki.rootCrl],
      rpId: RP_ID,
      challengeTtlMs: 3_600_000,
    });
  const servers = new Map([0, 1_000, 100_000].map((size) => [size, authenticator(size)]));

  // Answers made beforehand (the card's signature is not what this row times).
  const { card, pin, container } = fixture;
  await card.verifyPin(pin);
  const answers = async (server: Authenticator, certificate: (i: number) => Uint8Array) => {
    const out: Answer[] = [];
    for (let i = 0; i < count; i++) {
      const challenge = await server.challenge({ address: fixture.address });
      const signed = await signChallenge(card, container, challenge, { rpId: RP_ID });
      out.push({
        response: { ...signed, certificate: certificate(i) },
        message: signInMessage(RP_ID, challenge.id, challenge.challenge),
      });
    }
    return out;
  };
  const pools = new Map<string, Answer[]>();
  for (const [size, server] of servers) {
    pools.set(`fresh${size}`, await answers(server, (i) => fresh[i] as Uint8Array));
    if (size !== 1_000) pools.set(`repeated${size}`, await answers(server, () => repeated));
    const [seen] = await answers(server, () => repeated);
    check((await server.verify((seen as Answer).response)).verified, 'seen once');
  }
  const peerAnswers = pools.get('fresh0') as Answer[];
  await card.logout();

  const ours = (size: number, pool: string) => async (i: number) => {
    const answer = (pools.get(pool) as Answer[])[i] as Answer;
    const result = await (servers.get(size) as Authenticator).verify(answer.response);
    check(result.verified, `verifies (${result.verified ? '' : result.detail})`);
  };
  const x509Path = await x509Checker(pki);
  const pkijsPath = pkijsChecker(pki);
  const floors = nodeFloors(pki);
  const times = await timeRepeats(
    {
      fresh0: ours(0, 'fresh0'),
      fresh1000: ours(1_000, 'fresh1000'),
      fresh100000: ours(100_000, 'fresh100000'),
      repeated0: ours(0, 'repeated0'),
      repeated100000: ours(100_000, 'repeated100000'),
      x509_0: (i) => x509Path(peerAnswers[i] as Answer, 0),
      x509_1000: (i) => x509Path(peerAnswers[i] as Answer, 1_000),
      pkijs_0: (i) => pkijsPath(peerAnswers[i] as Answer, 0),
      pkijs_1000: (i) => pkijsPath(peerAnswers[i] as Answer, 1_000),
      floor: (i) => floors.fresh(peerAnswers[i] as Answer),
      floorRepeated: (i) => floors.repeated((pools.get('repeated0') as Answer[])[i] as Answer),
    },
    plan,
    repeats,
  );
  const row = (name: string, mine: string, other: string, max: number): Row => ({
    group: '2',
    name,
    ...ratioOf(times[mine] as number[], times[other] as number[]),
    unit: 'ms',
    target: { max },
  });
  return [
    row(
      'verify, fresh certificate ÷ @peculiar/x509 chain builder + checks',
      'fresh0',
      'x509_0',
      0.5,
    ),
    row('  the same, CRL of 1,000 entries', 'fresh1000', 'x509_1000', 0.5),
    row(
      'verify, fresh certificate ÷ pkijs CertificateChainValidationEngine',
      'fresh0',
      'pkijs_0',
      0.5,
    ),
    row('  the same, CRL of 1,000 entries (parsed once)', 'fresh1000', 'pkijs_1000', 0.5),
    row('verify, fresh certificate ÷ node:crypto floor', 'fresh0', 'floor', 3),
    row(
      'verify, repeated certificate ÷ node:crypto floor, key cached',
      'repeated0',
      'floorRepeated',
      1.5,
    ),
    row('verify, fresh, CRL of 1,000 entries ÷ empty CRL', 'fresh1000', 'fresh0', 1.5),
    row('verify, fresh, CRL of 100,000 entries ÷ empty CRL', 'fresh100000', 'fresh0', 1.5),
    row('verify, repeated, CRL of 100,000 entries ÷ empty CRL', 'repeated100000', 'repeated0', 1.5),
  ];
}

/**
 * @peculiar/x509: `X509ChainBuilder` (which verifies each link's signature as it finds the
 * issuer), then each certificate's validity, the issuing CA's CRL (parsed and its signature
 * checked once, its dates and `findRevoked` each time) and the answer's signature.
 */
async function x509Checker(pki: RevocationFixture) {
  x509.cryptoProvider.set(crypto);
  const root = new x509.X509Certificate(ab(pki.root));
  const issuing = new x509.X509Certificate(ab(pki.issuing));
  const builder = new x509.X509ChainBuilder({ certificates: [root, issuing] });
  const crls = new Map<number, x509.X509Crl>();
  for (const size of [0, 1_000]) {
    const crl = new x509.X509Crl(ab(pki.crls.get(size) as Uint8Array));
    check(await crl.verify({ publicKey: issuing }), 'x509: the CRL verifies');
    crls.set(size, crl);
  }
  return async ({ response, message }: Answer, size: number) => {
    const now = new Date();
    const leaf = new x509.X509Certificate(ab(response.certificate));
    const chain = await builder.build(leaf);
    check(chain.length === 3, 'x509 builds the chain');
    for (const cert of chain) check(cert.notBefore <= now && now <= cert.notAfter, 'x509 dates');
    const crl = crls.get(size) as x509.X509Crl;
    check(crl.thisUpdate <= now && (crl.nextUpdate ?? now) >= now, 'x509: the CRL is current');
    check(crl.findRevoked(leaf) === null, 'x509: not revoked');
    const key = await leaf.publicKey.export(rsa, ['verify'], crypto);
    const signature = new Uint8Array(response.signature);
    check(await crypto.subtle.verify(rsa, key, signature, message), 'x509 answer');
  };
}

/** pkijs: its CertificateChainValidationEngine with the CRLs (parsed once), then the answer. */
function pkijsChecker(pki: RevocationFixture) {
  const root = pkijs.Certificate.fromBER(new Uint8Array(pki.root));
  const issuing = pkijs.Certificate.fromBER(new Uint8Array(pki.issuing));
  const rootCrl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(pki.rootCrl));
  const crls = new Map(
    [0, 1_000].map((size) => [
      size,
      pkijs.CertificateRevocationList.fromBER(new Uint8Array(pki.crls.get(size) as Uint8Array)),
    ]),
  );
  return async ({ response, message }: Answer, size: number) => {
    const leaf = pkijs.Certificate.fromBER(new Uint8Array(response.certificate));
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: [root],
      certs: [issuing, leaf],
      crls: [crls.get(size) as pkijs.CertificateRevocationList, rootCrl],
      checkDate: new Date(),
    });
    const result = await engine.verify();
    check(result.result, `pkijs validates (${result.resultMessage})`);
    const key = await leaf.getPublicKey({ algorithm: { algorithm: rsa, usages: ['verify'] } });
    const signature = new Uint8Array(response.signature);
    check(await crypto.subtle.verify(rsa, key, signature, message), 'pkijs answer');
  };
}

/**
 * The floors, node:crypto: for a fresh certificate, parse it, verify it under the issuing CA's
 * key and verify the answer (no CRL, no path search); for a repeated one, as the Authenticator
 * caches: the certificate's key looked up by its bytes, and the answer verified.
 */
function nodeFloors(pki: RevocationFixture) {
  const issuing = new NodeCertificate(pki.issuing);
  const keys = new Map<string, NodeCertificate['publicKey']>();
  return {
    fresh: ({ response, message }: Answer) => {
      const leaf = new NodeCertificate(response.certificate);
      check(leaf.verify(issuing.publicKey), 'floor: the certificate');
      check(nodeVerify('sha256', message, leaf.publicKey, response.signature), 'floor: answer');
    },
    repeated: ({ response, message }: Answer) => {
      const id = Buffer.from(response.certificate).toString('latin1');
      let key = keys.get(id);
      if (key === undefined) {
        const leaf = new NodeCertificate(response.certificate);
        check(leaf.verify(issuing.publicKey), 'floor: the certificate');
        key = leaf.publicKey;
        keys.set(id, key);
      }
      check(nodeVerify('sha256', message, key, response.signature), 'floor: answer');
    },
  };
}
