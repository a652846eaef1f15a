import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EnrollmentBuilder } from '../../../src/enrollment/request/builder.js';
import { verifiedCard } from '../../support/cards.js';
import { codeOf } from '../../support/errors.js';
import { AGENT, ALICE, BOB, extKeyUsageOf, issuedOf, testCa } from '../support/ca.js';

/**
 * The CA takes what the EnrollmentBuilder makes on a card: PKCS#10 and CMC, the legacy
 * SHA-1 CMC form, and a CMC an enrollment agent signs on behalf of a user.
 */

describe('requests from the EnrollmentBuilder', () => {
  it('are issued, and the certificate installs on the card that holds the key', async () => {
    const ca = await testCa({ issuing: true });
    const card = await verifiedCard();
    const requests = [
      await EnrollmentBuilder.smartcardUserLegacySha1()
        .upn(ALICE.upn ?? '')
        .email('x@y.test')
        .build(card),
      await new EnrollmentBuilder().template('SmartcardUser').build(card),
      // EC keys cannot decrypt, so they are signature keys, which Smartcard Logon allows.
      await new EnrollmentBuilder()
        .template('SmartcardLogon')
        .algorithm('ECDSA-P256')
        .keySpec('signature')
        .format('cmc')
        .build(card),
    ];
    for (const request of requests) {
      const d = await ca.issue(request, { requester: ALICE.account });
      const cert = issuedOf(d);
      expect(cert.subject).toContain('CN=Alice Example');
      expect(cert.subjectAltName).toBe(
        'othername:UPN:alice@contoso.test, email:alice@contoso.test',
      );
      expect(cert.checkIssued(new X509Certificate(ca.issuer))).toBe(true);
      expect(
        d.status === 'issued' && (await card.installCertificate(request.container, d.certificate)),
      ).toBeUndefined();
    }
    const pem = (await new EnrollmentBuilder().template('SmartcardLogon').build(card)).pem;
    const logon = issuedOf(await ca.issue(pem, { requester: BOB.account }));
    expect(extKeyUsageOf(logon)).toHaveLength(2);
  });

  it('are issued to the user an enrollment agent names, signed on the agent card', async () => {
    const ca = await testCa({ issuing: true });
    const agentCard = await verifiedCard();
    const agentRequest = await new EnrollmentBuilder().template('EnrollmentAgent').build(agentCard);
    const agentCert = await ca.issue(agentRequest, { requester: AGENT.account });
    if (agentCert.status !== 'issued') throw new Error(agentCert.reason);
    const agent = {
      card: agentCard,
      container: agentRequest.container,
      certificate: agentCert.certificate,
    };
    const userCard = await verifiedCard();
    const request = await EnrollmentBuilder.smartcardUserLegacySha1()
      .onBehalfOf(ALICE.account, agent)
      .build(userCard);
    const cert = issuedOf(await ca.issue(request, { requester: AGENT.account }));
    expect(cert.subject).toContain('CN=Alice Example');
    // Alice herself cannot submit what the agent signed for her.
    expect((await ca.issue(request, { requester: ALICE.account })).status).toBe('denied');
    // An agent certificate from another CA is refused.
    const other = await testCa({ issuing: true });
    expect(await codeOf(other.issue(request))).toBe('ERR_REQUEST_INVALID');
  });
});
