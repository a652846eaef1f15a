import { describe, expect, it } from 'vitest';
import type { Directory } from '../../../src/enrollment/ca/index.js';
import type { DirectoryEntry, EnrollmentRequest } from '../../../src/enrollment/request/types.js';
import { SmartcardUserTemplate } from '../../../src/enrollment/templates.js';
import { codeOf } from '../../support/errors.js';
import { ALICE, BOB, CAROL_DISABLED, DAVE_NO_UPN, issuedOf, testCa } from '../support/ca.js';
import { ecKey, pkcs10 } from '../support/requests.js';

const userRequest = async () => pkcs10(await ecKey(), { template: 'SmartcardUser' });
const logonRequest = async () => pkcs10(await ecKey(), { template: 'SmartcardLogon' });

describe('dispositions', () => {
  it('denies accounts that are unknown, disabled, or lack what the template needs', async () => {
    const ca = await testCa();
    const cases: [string, () => Promise<Uint8Array<ArrayBuffer>>][] = [
      ['CONTOSO\\nobody', userRequest],
      [CAROL_DISABLED.account, userRequest],
      [BOB.account, userRequest], // Smartcard User needs an e-mail
      [DAVE_NO_UPN.account, logonRequest], // Smartcard Logon needs a UPN
    ];
    for (const [i, [requester, make]] of cases.entries()) {
      const d = await ca.issue(await make(), { requester });
      expect(d, requester).toMatchObject({ status: 'denied', requestId: i + 1 });
      expect(d.status === 'denied' && d.reason.length).toBeGreaterThan(0);
    }
    expect((await ca.issue(await logonRequest(), { requester: BOB.account })).status).toBe(
      'issued',
    );
  });

  it('takes the subject from a directory given with the request, when one is', async () => {
    const ca = await testCa();
    const zed: DirectoryEntry = {
      account: 'FABRIKAM\\zed',
      commonName: 'Zed Other',
      upn: 'zed@fabrikam.test',
      email: 'zed@fabrikam.test',
    };
    const d = await ca.issue(await userRequest(), { requester: zed.account, directory: [zed] });
    expect(d.status).toBe('issued');
    const denied = await ca.issue(await userRequest(), { requester: zed.account });
    expect(denied.status).toBe('denied');
    expect(
      await codeOf(
        ca.issue(await userRequest(), { requester: zed.account, directory: 42 as never }),
      ),
    ).toBe('ERR_INVALID_INPUT');
  });

  it('records nothing for a refused request: request ids stay consecutive', async () => {
    const ca = await testCa();
    expect((await ca.issue(await userRequest(), { requester: ALICE.account })).requestId).toBe(1);
    expect(await codeOf(ca.issue(new Uint8Array([0x30, 0]), { requester: ALICE.account }))).toBe(
      'ERR_REQUEST_INVALID',
    );
    expect(await codeOf(ca.issue(await userRequest()))).toBe('ERR_INVALID_INPUT'); // no requester
    expect(await codeOf(ca.issue(await userRequest(), { requester: '' }))).toBe(
      'ERR_INVALID_INPUT',
    );
    expect((await ca.issue(await userRequest(), { requester: ALICE.account })).requestId).toBe(2);
    expect(ca.disposition(3)).toBeUndefined();
  });

  it('keeps requests for approval templates pending until approved or denied', async () => {
    const ca = await testCa({ approvalTemplates: ['smartcarduser'] });
    const first = await ca.issue(await userRequest(), { requester: ALICE.account });
    const second = await ca.issue(await userRequest(), { requester: ALICE.account });
    expect(first).toMatchObject({ status: 'pending', requestId: 1 });
    expect(ca.disposition(2)).toEqual(second);
    const approved = await ca.approve(1);
    expect(approved).toMatchObject({ status: 'issued', requestId: 1 });
    expect(issuedOf(approved).subject).toContain('CN=Alice Example');
    expect(ca.disposition(1)).toEqual(approved);
    expect(await ca.deny(2, 'Not this one.')).toEqual({
      status: 'denied',
      requestId: 2,
      reason: 'Not this one.',
    });
    for (const id of [1, 2, 3]) {
      expect(await codeOf(ca.approve(id))).toBe('ERR_INVALID_INPUT');
      expect(await codeOf(ca.deny(id))).toBe('ERR_INVALID_INPUT');
    }
    // Other templates are not held.
    const logon = await ca.issue(await logonRequest(), { requester: BOB.account });
    expect(logon).toMatchObject({ status: 'issued', requestId: 3 });
  });

  it('holds templates that require approval themselves, and approves each request once', async () => {
    const held = { ...SmartcardUserTemplate, requiresApproval: true };
    const ca = await testCa({ templates: [held] });
    const d = await ca.issue(await userRequest(), { requester: ALICE.account });
    expect(d.status).toBe('pending');
    const [a, b] = await Promise.allSettled([ca.approve(1), ca.approve(1)]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { status: 'issued' } });
    expect(b.status === 'rejected' && b.reason.code).toBe('ERR_INVALID_INPUT');
  });

  it('checks the directory again on approval', async () => {
    const entries = new Map<string, DirectoryEntry>([[ALICE.account, ALICE]]);
    const directory: Directory = { lookup: async (account) => entries.get(account) };
    const ca = await testCa({ directory, approvalTemplates: ['SmartcardUser'] });
    await ca.issue(await userRequest(), { requester: ALICE.account });
    entries.set(ALICE.account, { ...ALICE, enabled: false });
    expect(await ca.approve(1)).toMatchObject({ status: 'denied', requestId: 1 });
  });

  it('treats a directory entry no certificate can carry as a setup fault', async () => {
    const broken = { ...ALICE, commonName: '' };
    const ca = await testCa({ directory: [broken] });
    expect(await codeOf(ca.issue(await userRequest(), { requester: ALICE.account }))).toBe(
      'ERR_INVALID_INPUT',
    );
    const nonAscii = await testCa({ directory: [{ ...ALICE, email: 'älice@contoso.test' }] });
    expect(await codeOf(nonAscii.issue(await userRequest(), { requester: ALICE.account }))).toBe(
      'ERR_INVALID_INPUT',
    );
  });
});

describe('request inputs', () => {
  it('takes DER, PEM, bare base64 and an EnrollmentRequest', async () => {
    const ca = await testCa();
    const der = await userRequest();
    const base64 = Buffer.from(der).toString('base64');
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${base64.replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    const request: EnrollmentRequest = {
      format: 'pkcs10',
      der,
      pem,
      template: 'SmartcardUser',
      container: 'c1',
      friendlyName: undefined,
    };
    for (const input of [der, pem, pem.replace(/\n/g, '\r\n'), base64, request]) {
      expect((await ca.issue(input, { requester: ALICE.account })).status).toBe('issued');
    }
  });

  it('refuses text that is not a request, and a request in the wrong clothes', async () => {
    const ca = await testCa();
    const der = await userRequest();
    const base64 = Buffer.from(der).toString('base64');
    const refused = [
      'hello',
      `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
      `-----BEGIN CMS-----\n${base64}\n-----END CMS-----\n`,
      `${base64}=`,
      '',
    ];
    for (const text of refused) {
      expect(await codeOf(ca.issue(text, { requester: ALICE.account })), text).toBe(
        'ERR_REQUEST_INVALID',
      );
    }
    const labelled = { format: 'cmc', der } as unknown as EnrollmentRequest;
    expect(await codeOf(ca.issue(labelled, { requester: ALICE.account }))).toBe(
      'ERR_REQUEST_INVALID',
    );
    expect(await codeOf(ca.issue(42 as unknown as string, { requester: ALICE.account }))).toBe(
      'ERR_INVALID_INPUT',
    );
  });
});
