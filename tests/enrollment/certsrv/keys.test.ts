import { describe, expect, it } from 'vitest';
import { PhysicalSmartCard, SimulatedReader } from '../../../src/card/index.js';
import { CertsrvClient, EnrollmentBuilder } from '../../../src/enrollment/index.js';
import { requestSpki } from '../../../src/enrollment/request/public-key.js';
import { toPem } from '../../../src/lib/pem.js';
import { certificateFor } from '../../support/certificate.js';
import { codeOf } from '../../support/errors.js';
import { fixtureKeySource } from '../../support/fixture-keys.js';

async function card() {
  const c = await PhysicalSmartCard.create({ pinHashIterations: 1, keySource: fixtureKeySource });
  new SimulatedReader().insert(c);
  await c.verifyPin('12345678');
  return c;
}

describe('CertsrvClient and keys (found by review)', () => {
  it('reads the key a PKCS#10 or CMC request asks for', async () => {
    const c = await card();
    for (const format of ['pkcs10', 'cmc'] as const) {
      const request = await new EnrollmentBuilder()
        .template('SmartcardUser')
        .format(format)
        .build(c);
      const key = (await c.containers()).find((k) => k.name === request.container);
      expect(requestSpki(request.der)).toEqual(key?.publicKey);
    }
    expect(requestSpki(new Uint8Array([0x30, 0x00]))).toBeUndefined();
  });

  it('never hands on a certificate for another key (a wrong request id, say)', async () => {
    const c = await card();
    const request = await new EnrollmentBuilder().template('SmartcardUser').build(c);
    const stranger = await c.generateKeyPair();
    const wrong = await certificateFor(stranger.publicKey);
    const fakeCertsrv: typeof fetch = async (input) =>
      String(input).includes('certfnsh.asp')
        ? new Response('<a href="certnew.cer?ReqID=7&amp;Enc=b64">Download certificate</a>')
        : new Response(toPem('CERTIFICATE', wrong));
    const client = new CertsrvClient({
      baseUrl: 'https://ca.contoso.test/certsrv',
      fetch: fakeCertsrv,
    });
    expect(await codeOf(client.submit(request))).toBe('ERR_CERTIFICATE_MISMATCH');
  });

  it('sends credentials only over https, or to this machine', () => {
    const headers = { Authorization: 'Basic Q09OVE9TT1xhbGljZTpwYXNzd29yZA==' };
    expect(() => new CertsrvClient({ baseUrl: 'http://ca.contoso.test/certsrv', headers })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
    expect(
      () => new CertsrvClient({ baseUrl: 'http://127.0.0.1:8080/certsrv', headers }),
    ).not.toThrow();
    expect(
      () => new CertsrvClient({ baseUrl: 'https://ca.contoso.test/certsrv', headers }),
    ).not.toThrow();
  });
});
