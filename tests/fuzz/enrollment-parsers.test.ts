import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../src/enrollment/ca/index.js';
import { CertsrvClient } from '../../src/enrollment/certsrv/client.js';
import { EnrollmentBuilder } from '../../src/enrollment/index.js';
import { describeCertificate } from '../../src/enrollment/station/certificate-info.js';
import { AGENT, ALICE, testCa } from '../enrollment/support/ca.js';
import { cmc, skiOf } from '../enrollment/support/cmc.js';
import { ecKey, pkcs10, rsaKey } from '../enrollment/support/requests.js';
import { verifiedCard } from '../support/cards.js';
import { everyElementEdited } from './support/der-tree.js';
import { mutate, Outcomes, Random } from './support/mutate.js';

/**
 * Every enrollment entry that takes bytes from outside throws only `SmartCardError`s, whatever
 * the bytes: the CA's `issue` (PKCS#10 and CMC, DER and PEM), `describeCertificate` (what
 * `enrollCard` shows of a CA's answer), a card's `installCertificate`, the agent certificate of
 * `EnrollmentBuilder.onBehalfOf`, and `CertsrvClient` (the CA's pages and certificate).
 * Mutations of valid inputs and random bytes, from fixed seeds; a fixed number of cases.
 */
let ca: CertificateAuthority;
let requests: Record<string, Uint8Array<ArrayBuffer>>;
let certificate: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  ca = await testCa({ issuing: true });
  const ec = await ecKey();
  const rsa = await rsaKey(2);
  const agentKey = await ecKey();
  const agent = await ca.issue(await pkcs10(agentKey, { template: 'EnrollmentAgent' }), {
    requester: AGENT.account,
  });
  if (agent.status !== 'issued') throw new Error(agent.reason);
  const logon = await pkcs10(ec, { template: 'SmartcardLogon', keySpec: 2 });
  requests = {
    'PKCS#10 (EC)': logon,
    'PKCS#10 (RSA, SAN, name-value)': await pkcs10(rsa, {
      nameValueTemplate: 'SmartcardUser',
      san: { upn: 'alice@contoso.test', email: 'alice@contoso.test' },
      keySpec: 1,
    }),
    'CMC (self-signed)': await cmc({
      requests: [logon],
      signer: { key: ec, ski: await skiOf(ec.spki) },
    }),
    'CMC (agent)': await cmc({
      requests: [await pkcs10(await ecKey(), { template: 'SmartcardLogon' })],
      signer: { key: agentKey, certificate: agent.certificate },
      regInfo: ['requestername=CONTOSO%5Calice'],
    }),
  };
  const issued = await ca.issue(requests['PKCS#10 (RSA, SAN, name-value)'] as Uint8Array, {
    requester: ALICE.account,
  });
  if (issued.status !== 'issued') throw new Error(issued.reason);
  certificate = issued.certificate;
});

const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64')}\n-----END ${label}-----\n`;

describe('fuzz: enrollment entries throw only SmartCardErrors', () => {
  it('CertificateAuthority.issue with mutated PKCS#10 and CMC requests (DER and PEM)', async () => {
    const random = new Random(0x5eed_0001);
    const outcomes = new Outcomes();
    const entries = Object.entries(requests);
    for (let i = 0; i < 150; i++) {
      const [kind, valid] = random.pick(entries);
      const { bytes, how } = mutate(valid, random);
      const asPem = random.below(4) === 0;
      const input = asPem
        ? pem(kind.startsWith('CMC') ? 'CMS' : 'CERTIFICATE REQUEST', bytes)
        : bytes;
      const requester = kind === 'CMC (agent)' ? undefined : ALICE.account;
      await outcomes.run(`#${i} ${kind}${asPem ? ' PEM' : ''} (${how})`, () =>
        ca.issue(input, requester === undefined ? {} : { requester }),
      );
    }
    expect(outcomes.untyped).toEqual([]);
    // The mutations reach past the first checks: some requests are still answered.
    expect(outcomes.typed).toBeGreaterThan(100);
    expect(outcomes.answered).toBeGreaterThan(0);
  });

  it('CertificateAuthority.issue with every element of a CMC request emptied, deleted or a bad time', async () => {
    const outcomes = new Outcomes();
    // The self-signed CMC holds the PKCS#10 request: both layers are swept (the agent's CMC
    // adds a certificate, which describeCertificate's sweep covers).
    const valid = requests['CMC (self-signed)'] as Uint8Array;
    for (const { bytes, how } of everyElementEdited(valid)) {
      await outcomes.run(how, () => ca.issue(bytes, { requester: ALICE.account }));
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.typed).toBeGreaterThan(150);
  });

  it('describeCertificate with every element emptied, deleted or a bad time', async () => {
    const outcomes = new Outcomes();
    for (const { bytes, how } of everyElementEdited(certificate)) {
      await outcomes.run(how, () => describeCertificate(bytes));
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.answered).toBeGreaterThan(0);
  });

  it('describeCertificate with mutated certificates', async () => {
    const random = new Random(0x5eed_0002);
    const outcomes = new Outcomes();
    for (let i = 0; i < 200; i++) {
      const { bytes, how } = mutate(random.below(2) === 0 ? certificate : ca.issuer, random);
      await outcomes.run(`#${i} (${how})`, () => describeCertificate(bytes));
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.answered).toBeGreaterThan(0);
  });

  it("a card's installCertificate and EnrollmentBuilder.onBehalfOf with mutated certificates", async () => {
    const random = new Random(0x5eed_0004);
    const outcomes = new Outcomes();
    const card = await verifiedCard();
    const key = await card.generateKeyPair({ algorithm: 'RSA-2048', keySpec: 'exchange' });
    for (let i = 0; i < 150; i++) {
      const { bytes, how } = mutate(certificate, random);
      if (random.below(2) === 0) {
        await outcomes.run(`#${i} install (${how})`, () =>
          card.installCertificate(key.name, bytes),
        );
      } else {
        const agent = { card, container: key.name, certificate: bytes };
        await outcomes.run(`#${i} onBehalfOf (${how})`, () =>
          new EnrollmentBuilder().template('SmartcardLogon').onBehalfOf(ALICE.account, agent),
        );
      }
    }
    expect(outcomes.untyped).toEqual([]);
  });

  it('CertsrvClient with mutated pages and certificates from the CA', async () => {
    const random = new Random(0x5eed_0003);
    const outcomes = new Outcomes();
    const issuedPage = new TextEncoder().encode(
      '<html><body><p>Certificate Issued</p><a href="certnew.cer?ReqID=7&amp;Enc=b64">' +
        'Download certificate</a></body></html>',
    );
    const certificatePem = new TextEncoder().encode(pem('CERTIFICATE', certificate));
    const built = requests['PKCS#10 (RSA, SAN, name-value)'] as Uint8Array;
    for (let i = 0; i < 150; i++) {
      // Either the page, the PEM text, or the DER inside the PEM is mutated.
      const target = random.below(3);
      const page = target === 0 ? mutate(issuedPage, random) : { bytes: issuedPage, how: '' };
      const body =
        target === 1
          ? new TextDecoder().decode(mutate(certificatePem, random).bytes)
          : target === 2
            ? pem('CERTIFICATE', mutate(certificate, random).bytes)
            : new TextDecoder().decode(certificatePem);
      const client = new CertsrvClient({
        baseUrl: 'https://ca.contoso.test/certsrv',
        fetch: async (url) =>
          String(url).includes('certnew.cer')
            ? new Response(body)
            : new Response(new TextDecoder().decode(page.bytes)),
      });
      await outcomes.run(`#${i} target ${target} ${page.how}`, () =>
        client.submit(pem('CERTIFICATE REQUEST', built), { template: 'SmartcardLogon' }),
      );
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.answered).toBeGreaterThan(0);
  });
});
