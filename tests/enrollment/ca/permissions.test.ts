import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../support/errors.js';
import { AGENT, ALICE, BOB, testCa } from '../support/ca.js';
import { cmc } from '../support/cmc.js';
import { ecKey, pkcs10 } from '../support/requests.js';

/**
 * Who may enroll for what (found by review: anyone could make themselves an enrollment agent and
 * then obtain certificates for anyone).
 */
async function agentCertificate(ca: Awaited<ReturnType<typeof testCa>>) {
  const key = await ecKey();
  const issued = await ca.issue(await pkcs10(key, { template: 'EnrollmentAgent' }), {
    requester: AGENT.account,
  });
  if (issued.status !== 'issued') throw new Error(issued.reason);
  return { key, certificate: issued.certificate };
}

describe('enrollment permissions', () => {
  it('nobody may enroll for Enrollment Agent unless the CA names them', async () => {
    const open = await testCa({ enrollmentAgents: undefined as never });
    const closed = await testCa({ enrollmentAgents: [] });
    for (const ca of [closed]) {
      const d = await ca.issue(await pkcs10(await ecKey(), { template: 'EnrollmentAgent' }), {
        requester: BOB.account,
      });
      expect(d.status).toBe('denied');
    }
    // The built-in template itself names nobody: without enrollmentAgents, nobody at all.
    const none = await open.issue(await pkcs10(await ecKey(), { template: 'EnrollmentAgent' }), {
      requester: AGENT.account,
    });
    expect(none.status).toBe('denied');
    const ca = await testCa();
    const bob = await ca.issue(await pkcs10(await ecKey(), { template: 'EnrollmentAgent' }), {
      requester: BOB.account,
    });
    expect(bob.status).toBe('denied');
    expect((await agentCertificate(ca)).certificate.length).toBeGreaterThan(0);
  });

  it("an agent cannot request an Enrollment Agent certificate on anyone's behalf", async () => {
    const ca = await testCa({ enrollmentAgents: [AGENT.account, ALICE.account] });
    const agent = await agentCertificate(ca);
    const request = await cmc({
      requests: [await pkcs10(await ecKey(), { template: 'EnrollmentAgent' })],
      signer: { key: agent.key, certificate: agent.certificate },
      regInfo: ['requestername=CONTOSO%5Calice'],
    });
    expect((await ca.issue(request)).status).toBe('denied');
  });

  it('permissions restrict a template to the accounts named', async () => {
    const ca = await testCa({ permissions: { SmartcardLogon: [ALICE.account] } });
    const logon = async (requester: string) =>
      (await ca.issue(await pkcs10(await ecKey(), { template: 'SmartcardLogon' }), { requester }))
        .status;
    expect(await logon(ALICE.account)).toBe('issued');
    expect(await logon(BOB.account)).toBe('denied');
  });

  it('account names are DOMAIN\\user in ASCII, compared without Unicode case folding', async () => {
    const ca = await testCa();
    const request = await pkcs10(await ecKey(), { template: 'SmartcardLogon' });
    for (const requester of [
      'CONTOSO\\al\u0131ce',
      'alice',
      'CONTOSO\\alice\\x',
      'CONTOSO\\ alice',
    ]) {
      expect(await codeOf(ca.issue(request, { requester }))).toBe('ERR_INVALID_INPUT');
    }
    expect((await ca.issue(request, { requester: 'contoso\\ALICE' })).status).toBe('issued');
  });

  it('refuses a regInfo requestername that is not an ASCII account name', async () => {
    const ca = await testCa();
    const agent = await agentCertificate(ca);
    const request = await cmc({
      requests: [await pkcs10(await ecKey(), { template: 'SmartcardLogon' })],
      signer: { key: agent.key, certificate: agent.certificate },
      regInfo: ['requestername=CONTOSO%5Cal%C4%B1ce'],
    });
    expect(await codeOf(ca.issue(request))).toBe('ERR_REQUEST_INVALID');
  });
});

describe('agent signatures', () => {
  it('are never SHA-1: the enrollee chooses much of what the agent signs', async () => {
    const ca = await testCa();
    const key = await ecKey('SHA-1');
    const issued = await ca.issue(await pkcs10(key, { template: 'EnrollmentAgent' }), {
      requester: AGENT.account,
    });
    if (issued.status !== 'issued') throw new Error(issued.reason);
    const request = await cmc({
      requests: [await pkcs10(await ecKey(), { template: 'SmartcardLogon' })],
      signer: { key, certificate: issued.certificate },
      regInfo: ['requestername=CONTOSO%5Calice'],
    });
    expect(await codeOf(ca.issue(request))).toBe('ERR_REQUEST_INVALID');
  });
});

describe('approval judges a pending request as its submission did', () => {
  it('with the directory it was submitted with, and only while the agent is still an agent', async () => {
    const ca = await testCa({ approvalTemplates: ['SmartcardLogon'] });
    const zed = { account: 'FABRIKAM\\zed', commonName: 'Zed Other', upn: 'zed@fabrikam.test' };
    const own = await ca.issue(await pkcs10(await ecKey(), { template: 'SmartcardLogon' }), {
      requester: zed.account,
      directory: [zed],
    });
    expect(own.status).toBe('pending');
    expect((await ca.approve(own.requestId)).status).toBe('issued');

    const agent = await agentCertificate(ca);
    const pending = await ca.issue(
      await cmc({
        requests: [await pkcs10(await ecKey(), { template: 'SmartcardLogon' })],
        signer: { key: agent.key, certificate: agent.certificate },
        regInfo: ['requestername=CONTOSO%5Calice'],
      }),
    );
    expect(pending.status).toBe('pending');
    const serial = new X509Certificate(Buffer.from(agent.certificate)).serialNumber;
    await ca.revoke(serial, 'keyCompromise');
    expect((await ca.approve(pending.requestId)).status).toBe('denied');
  });
});
