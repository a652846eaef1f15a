import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PhysicalSmartCard,
  SimulatedReader,
  type SmartCard,
  SoftwareTpm,
  VirtualSmartCard,
} from '../../src/card/index.js';
import {
  type CertificateAuthority,
  EnrollmentBuilder,
  enrollCard,
} from '../../src/enrollment/index.js';
import { AGENT, ALICE, testCa } from '../enrollment/support/ca.js';
import { fixtureKeySource } from '../support/fixture-keys.js';
import { hasOpenssl, NEEDS_OPENSSL, openssl, scratch } from '../support/openssl.js';

/**
 * A blank physical card and a virtual card each go from blank to an installed Smartcard User
 * certificate through enrollCard and the embedded CA: by self-enrollment with the enrollment
 * station's form, and by an enrollment agent on the user's behalf.
 */
const files = scratch();
afterAll(() => files.remove());

async function blankPhysical(): Promise<SmartCard> {
  const card = await PhysicalSmartCard.create({
    pinHashIterations: 1,
    keySource: fixtureKeySource,
  });
  new SimulatedReader().insert(card);
  return card;
}

async function blankVirtual(): Promise<SmartCard> {
  return VirtualSmartCard.create({
    tpm: await SoftwareTpm.create(),
    pinHashIterations: 1,
    keySource: fixtureKeySource,
  });
}

function checkIssued(ca: CertificateAuthority, der: Uint8Array) {
  const cert = new X509Certificate(Buffer.from(der));
  const issuer = new X509Certificate(Buffer.from(ca.issuer));
  expect(cert.checkIssued(issuer)).toBe(true);
  expect(cert.verify(issuer.publicKey)).toBe(true);
  expect(cert.subject).toContain('CN=Alice Example');
  expect(cert.subjectAltName).toContain('alice@contoso.test');
  if (hasOpenssl) {
    const root = files.file(`root-${cert.serialNumber}.pem`, ca.pem.root);
    const chain = files.file(`issuer-${cert.serialNumber}.pem`, ca.pem.issuer);
    const leaf = files.file(`leaf-${cert.serialNumber}.pem`, cert.toString());
    const out = openssl(
      'verify',
      '-purpose',
      'sslclient',
      '-CAfile',
      root,
      '-untrusted',
      chain,
      leaf,
    );
    expect(out).toContain(': OK');
  }
}

describe(`enrollCard end to end with the embedded CA${hasOpenssl ? '' : ` (OpenSSL checks skipped: ${NEEDS_OPENSSL})`}`, () => {
  it.each([
    ['a blank physical card', blankPhysical],
    ['a virtual card', blankVirtual],
  ])('%s self-enrolls with the enrollment station form', async (_, blank) => {
    const ca = await testCa({ issuing: true });
    const card = await blank();
    const result = await enrollCard({
      card,
      request: EnrollmentBuilder.smartcardUserLegacySha1()
        .upn(ALICE.upn as string)
        .email(ALICE.email as string),
      submit: (request) => ca.issue(request, { requester: ALICE.account }),
      confirm: (summary) => summary.upn === ALICE.upn,
    });
    if (result.status !== 'installed') throw new Error(`not installed: ${JSON.stringify(result)}`);
    expect(result.summary.extendedKeyUsages).toEqual([
      'secureEmail',
      'clientAuth',
      'smartcardLogon',
    ]);
    const [container] = await card.containers();
    expect(container).toMatchObject({
      name: result.container,
      hasCertificate: true,
      keySpec: 'exchange',
    });
    checkIssued(ca, (await card.certificate(result.container)) as Uint8Array);
    expect((await card.pinStatus()).mustChange).toBe(true);
  });

  it.each([
    ['a blank physical card', blankPhysical],
    ['a virtual card', blankVirtual],
  ])("%s is enrolled by an agent on the user's behalf", async (_, blank) => {
    const ca = await testCa({ issuing: true });
    const agentCard = await blankPhysical();
    await agentCard.verifyPin('12345678');
    const agentRequest = await new EnrollmentBuilder().template('EnrollmentAgent').build(agentCard);
    const agentCertificate = await ca.issue(agentRequest, { requester: AGENT.account });
    if (agentCertificate.status !== 'issued') throw new Error(agentCertificate.reason);

    const card = await blank();
    const result = await enrollCard({
      card,
      request: new EnrollmentBuilder().template('SmartcardUser').onBehalfOf(ALICE.account, {
        card: agentCard,
        container: agentRequest.container,
        certificate: agentCertificate.certificate,
      }),
      submit: (request) => ca.issue(request, { requester: AGENT.account }),
    });
    if (result.status !== 'installed') throw new Error(`not installed: ${JSON.stringify(result)}`);
    expect(result.summary.upn).toBe(ALICE.upn);
    checkIssued(ca, result.certificate);
  });
});
