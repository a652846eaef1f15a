import { X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../src/enrollment/ca/index.js';
import {
  CertsrvClient,
  type CertsrvClientOptions,
} from '../../../src/enrollment/certsrv/client.js';
import { EnrollmentBuilder } from '../../../src/enrollment/index.js';
import type { Disposition } from '../../../src/enrollment/request/types.js';
import { SmartCardError } from '../../../src/errors.js';
import { verifiedCard } from '../../support/cards.js';
import { codeOf } from '../../support/errors.js';
import { type CertsrvServer, startCertsrvServer } from '../support/certsrv-server.js';

const ALICE = 'CONTOSO\\alice';
const basic = (account: string, password: string) =>
  `Basic ${Buffer.from(`${account}:${password}`).toString('base64')}`;

let ca: CertificateAuthority;
let server: CertsrvServer;

beforeAll(async () => {
  ca = await CertificateAuthority.create({
    keyAlgorithm: 'ECDSA-P256',
    approvalTemplates: ['SmartcardLogon'],
    directory: [
      {
        account: ALICE,
        commonName: 'Alice Example',
        upn: 'alice@contoso.com',
        email: 'alice@contoso.com',
      },
      {
        account: 'CONTOSO\\carol',
        commonName: 'Carol Example',
        upn: 'carol@contoso.com',
        email: 'carol@contoso.com',
        enabled: false,
      },
    ],
  });
  server = await startCertsrvServer(ca, { [ALICE]: 'password', 'CONTOSO\\carol': 'password' });
});

afterAll(() => server.close());

afterEach(() => {
  server.intercept = undefined;
});

function client(options: Partial<CertsrvClientOptions> = {}, account = ALICE): CertsrvClient {
  return new CertsrvClient({
    baseUrl: server.baseUrl,
    headers: { Authorization: basic(account, 'password') },
    ...options,
  });
}

async function request(template = 'SmartcardUser') {
  return new EnrollmentBuilder()
    .template(template)
    .upn('alice@contoso.com')
    .email('alice@contoso.com')
    .build(await verifiedCard());
}

function issued(d: Disposition) {
  if (d.status !== 'issued') throw new Error(`expected issued, got ${d.status}: ${d.reason}`);
  return d;
}

/** Rejects every request of the test with `status` and `body`, as a broken server would. */
function answerWith(status: number, body: string, headers: Record<string, string> = {}) {
  server.intercept = (_, response) => {
    response.writeHead(status, { 'Content-Type': 'text/html', ...headers });
    response.end(body);
    return true;
  };
}

describe('CertsrvClient against a certsrv issuing through the embedded CA', () => {
  it("submits a PKCS#10 request as certsrv's form and returns the issued certificate", async () => {
    const req = await request();
    const before = server.forms.length;
    const d = issued(await client().submit(req));
    const form = server.forms[before];
    expect(form?.get('Mode')).toBe('newreq');
    expect(form?.get('CertRequest')).toBe(Buffer.from(req.der).toString('base64'));
    expect(form?.get('CertAttrib')).toBe('CertificateTemplate:SmartcardUser');
    expect(form?.get('TargetStoreFlags')).toBe('0');
    expect(form?.get('SaveCert')).toBe('yes');

    const x509 = new X509Certificate(d.certificate);
    expect(d.serialNumber).toBe(x509.serialNumber.toLowerCase());
    expect(d.pem).toBe(x509.toString());
    const recorded = issued(ca.disposition(d.requestId) as Disposition);
    expect(d.serialNumber).toBe(recorded.serialNumber);
    expect(Buffer.from(d.certificate).equals(Buffer.from(recorded.certificate))).toBe(true);
    expect(x509.subject).toContain('CN=Alice Example');
    expect(x509.checkIssued(new X509Certificate(ca.issuer))).toBe(true);
  });

  it('takes PEM or bare base64 text with a template, and a base URL with a slash', async () => {
    const req = await request();
    const slash = client({ baseUrl: `${server.baseUrl}/` });
    const fromPem = await slash.submit(req.pem, { template: 'SmartcardUser' });
    const fromBase64 = await slash.submit(Buffer.from(req.der).toString('base64'), {
      template: 'SmartcardUser',
    });
    expect([fromPem.status, fromBase64.status]).toEqual(['issued', 'issued']);
    expect(fromBase64.requestId).toBe(fromPem.requestId + 1);
  });

  it("submits the enrollment station form's CMC request", async () => {
    const req = await EnrollmentBuilder.smartcardUserLegacySha1()
      .upn('alice@contoso.com')
      .email('alice@contoso.com')
      .build(await verifiedCard());
    expect(req.format).toBe('cmc');
    const d = issued(await client().submit(req));
    expect(new X509Certificate(d.certificate).subject).toContain('CN=Alice Example');
  });

  it('returns pending, then the certificate once a CA manager approved it', async () => {
    const ours = client();
    const pending = await ours.submit(await request('SmartcardLogon'));
    const recorded = ca.disposition(pending.requestId);
    expect(recorded?.status).toBe('pending');
    expect(pending).toEqual(recorded);
    expect(await ours.retrieve(pending.requestId)).toEqual(recorded);

    await ca.approve(pending.requestId);
    const d = issued(await ours.retrieve(pending.requestId));
    expect(d.serialNumber).toBe(issued(ca.disposition(d.requestId) as Disposition).serialNumber);
    expect(d.serialNumber).toBe(new X509Certificate(d.certificate).serialNumber.toLowerCase());
  });

  it('returns denied with the reason, when submitting and when retrieving', async () => {
    const carol = client({}, 'CONTOSO\\carol');
    const denied = await carol.submit(await request());
    const recorded = ca.disposition(denied.requestId);
    expect(recorded?.status).toBe('denied');
    expect(denied).toEqual(recorded);
    expect(await carol.retrieve(denied.requestId)).toEqual(recorded);
  });

  it('throws ERR_REQUEST_INVALID when certsrv refuses the request itself', async () => {
    const req = await request();
    const tampered = Uint8Array.from(req.der);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    expect(await codeOf(client().submit({ ...req, der: tampered }))).toBe('ERR_REQUEST_INVALID');
  });

  it.each([
    ['no credentials', {}],
    ['a wrong password', { Authorization: basic(ALICE, 'wrong') }],
  ])('throws ERR_CA_UNAVAILABLE with HTTP 401 for %s', async (_, headers) => {
    const error = await client({ headers })
      .submit(await request())
      .catch((e: unknown) => e);
    expect(SmartCardError.is(error, 'ERR_CA_UNAVAILABLE')).toBe(true);
    expect(error).toMatchObject({ httpStatus: 401 });
  });

  it('throws ERR_CA_UNAVAILABLE with the status for an HTTP 500', async () => {
    answerWith(500, '<html><body>Internal Server Error</body></html>');
    const error = await client()
      .submit(await request())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CA_UNAVAILABLE', httpStatus: 500 });
    expect(await codeOf(client().retrieve(1))).toBe('ERR_CA_UNAVAILABLE');
  });

  it('does not follow a redirect (the form would be lost, the credentials sent on)', async () => {
    let followed = false;
    const elsewhere = createServer((_, response) => {
      followed = true;
      response.end('<P>Your Request Id is 5. Certificate Pending</P>');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const { port } = elsewhere.address() as AddressInfo;
    answerWith(302, '', { Location: `http://127.0.0.1:${port}/certsrv/certfnsh.asp` });
    const error = await client()
      .submit(await request())
      .catch((e: unknown) => e);
    await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    expect(error).toMatchObject({ code: 'ERR_CA_UNAVAILABLE', httpStatus: 302 });
    expect(followed).toBe(false);
  });

  it('throws ERR_CA_UNAVAILABLE for a login page instead of a result or certificate', async () => {
    const login = '<html><body><form action="/login"><h1>Sign in</h1><input name="user"></form>';
    answerWith(200, login);
    expect(await codeOf(client().submit(await request()))).toBe('ERR_CA_UNAVAILABLE');
    expect(await codeOf(client().retrieve(1))).toBe('ERR_CA_UNAVAILABLE');

    // Issued, but the certificate's download answers the login page: the request id is kept.
    server.intercept = (req, response) => {
      if (!req.url?.includes('certnew.cer')) return false;
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end(login);
      return true;
    };
    const error = await client()
      .submit(await request())
      .catch((e: unknown) => e);
    expect(SmartCardError.is(error, 'ERR_CA_UNAVAILABLE')).toBe(true);
    const { requestId } = error as { requestId: number };
    expect(ca.disposition(requestId)?.status).toBe('issued');
    server.intercept = undefined;
    expect((await client().retrieve(requestId)).status).toBe('issued');
  });

  it('throws ERR_CERTIFICATE_INVALID for a PEM certificate that is not X.509', async () => {
    answerWith(200, '-----BEGIN CERTIFICATE-----\r\nMAMCAQE=\r\n-----END CERTIFICATE-----\r\n');
    expect(await codeOf(client().retrieve(1))).toBe('ERR_CERTIFICATE_INVALID');
    answerWith(200, '-----BEGIN CERTIFICATE-----\r\nnot base64\r\n-----END CERTIFICATE-----\r\n');
    expect(await codeOf(client().retrieve(1))).toBe('ERR_CERTIFICATE_INVALID');
  });

  it('throws ERR_CA_UNAVAILABLE when certsrv does not answer within timeoutMs', async () => {
    server.intercept = () => true; // never answers
    const started = Date.now();
    expect(await codeOf(client({ timeoutMs: 200 }).submit(await request()))).toBe(
      'ERR_CA_UNAVAILABLE',
    );
    expect(await codeOf(client({ timeoutMs: 200 }).retrieve(1))).toBe('ERR_CA_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("rejects with the signal's reason when the caller aborts", async () => {
    server.intercept = () => true; // never answers
    const req = await request();
    const controller = new AbortController();
    const reason = new Error('the user cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await expect(client().submit(req, { signal: controller.signal })).rejects.toBe(reason);
    await expect(client().retrieve(1, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('sends nothing for a signal aborted already', async () => {
    const before = server.forms.length;
    const reason = new Error('aborted before');
    const signal = AbortSignal.abort(reason);
    await expect(client().submit(await request(), { signal })).rejects.toBe(reason);
    expect(server.forms.length).toBe(before);
  });

  it.each([
    ['declared in Content-Length', true],
    ['sent in chunks', false],
  ])('throws ERR_CA_UNAVAILABLE for an answer over 1 MiB %s', async (_, declared) => {
    server.intercept = (_req, response) => {
      // A pending page that would read well, but for the padding after it.
      const padding = `<!--${'x'.repeat(64 * 1024)}-->`;
      const chunk = `<P>Certificate Pending</P><P>Your Request Id is 8.</P>${padding}`;
      const count = 17;
      response.writeHead(200, {
        'Content-Type': 'text/html',
        ...(declared ? { 'Content-Length': String(chunk.length * count) } : {}),
      });
      const write = (i: number): void => {
        if (i === count || response.destroyed) {
          response.end();
          return;
        }
        response.write(chunk, () => write(i + 1));
      };
      write(0);
      return true;
    };
    expect(await codeOf(client().submit(await request()))).toBe('ERR_CA_UNAVAILABLE');
  });

  it('throws ERR_CA_UNAVAILABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = client({ baseUrl: `http://127.0.0.1:${port}/certsrv` });
    expect(await codeOf(unreachable.retrieve(1))).toBe('ERR_CA_UNAVAILABLE');
  });
});

describe('CertsrvClient reading pages', () => {
  /** A client whose fetch answers `body` to every request, recording the URLs asked for. */
  function canned(body: string | ((url: string) => string)) {
    const urls: string[] = [];
    const fake: typeof fetch = async (input) => {
      const url = String(input);
      urls.push(url);
      return new Response(typeof body === 'string' ? body : body(url), { status: 200 });
    };
    return {
      urls,
      ca: new CertsrvClient({ baseUrl: 'https://ca.contoso.com/certsrv', fetch: fake }),
    };
  }

  it.each([
    [
      'entity-encoded quotes, odd spacing and case',
      '<P><B>  Certificate\r\n  Pending </B><P>your request id IS\t42.</P>' +
        '<P>The disposition message is &#34;Taken Under Submission&#x22;.</P>',
      { status: 'pending', requestId: 42, reason: 'Taken Under Submission' },
    ],
    [
      'a denial whose message has entities inside',
      '<P>Your certificate request was denied.</P> Your Request Id is 9. ' +
        'The disposition message is &quot;Denied by Policy Module 0x80094012, ' +
        '&lt;Smartcard User&gt; &amp; more&quot;.',
      {
        status: 'denied',
        requestId: 9,
        reason: 'Denied by Policy Module 0x80094012, <Smartcard User> & more',
      },
    ],
  ])('reads %s', async (_, page, expected) => {
    const { ca } = canned(page);
    expect(await ca.submit('MAMCAQE=', { template: 'SmartcardUser' })).toEqual(expected);
  });

  it('follows the issued link to certnew.cer, ignoring links in comments', async () => {
    const { urls, ca } = canned((url) =>
      url.endsWith('certfnsh.asp')
        ? '<!-- <a href="certnew.cer?ReqID=1&amp;Enc=bin"> -->' +
          '<A Href="certnew.cer?ReqID=77&amp;Enc=b64">'
        : '<P>Your certificate request is still pending.</P><P>Your Request Id is 77.</P>',
    );
    expect(await ca.submit('MAMCAQE=', { template: 'SmartcardUser' })).toMatchObject({
      status: 'pending',
      requestId: 77,
    });
    expect(urls).toEqual([
      'https://ca.contoso.com/certsrv/certfnsh.asp',
      'https://ca.contoso.com/certsrv/certnew.cer?ReqID=77&Enc=b64',
    ]);
  });

  it.each([
    ['a phrase only in a comment', '<!-- Your Request Id is 5. Certificate Pending -->'],
    ['a page in another language', '<P>Ihre Anforderungs-ID ist 5. Zertifikat ausstehend.</P>'],
    ['a pending page without a request id', '<P>Certificate Pending</P>'],
    [
      'an error page of the CA service',
      '<P>Your request failed.</P>' +
        '<DT>Result:</DT><DD>The RPC server is unavailable. 0x800706ba</DD>',
    ],
  ])('throws ERR_CA_UNAVAILABLE for %s', async (_, page) => {
    expect(await codeOf(canned(page).ca.submit('MAMCAQE=', { template: 'SmartcardUser' }))).toBe(
      'ERR_CA_UNAVAILABLE',
    );
  });

  it('throws ERR_REQUEST_INVALID for an error page naming an ASN.1 error', async () => {
    const page =
      '<P>Your request failed. An error occurred while the server was processing your ' +
      'request.</P><DT>Disposition message:</DT><DD>(none)</DD><DT>Result:</DT>' +
      '<DD>ASN1 bad tag value met. 0x8009310b (ASN: 267 CRYPT_E_ASN1_BADTAG)</DD>';
    expect(await codeOf(canned(page).ca.submit('MAMCAQE=', { template: 'SmartcardUser' }))).toBe(
      'ERR_REQUEST_INVALID',
    );
  });
});

describe('CertsrvClient input checks', () => {
  const baseUrl = 'https://ca.contoso.com/certsrv';

  it.each<[string, unknown]>([
    ['no options', undefined],
    ['an ftp base URL', { baseUrl: 'ftp://ca.contoso.com/certsrv' }],
    ['a base URL that is not a URL', { baseUrl: 'ca.contoso.com/certsrv' }],
    ['a base URL with a query', { baseUrl: `${baseUrl}?x=1` }],
    ['a base URL with credentials', { baseUrl: 'https://alice:pw@ca.contoso.com/certsrv' }],
    ['a base URL that is not a string', { baseUrl: 42 }],
    ['a fetch that is not a function', { baseUrl, fetch: 'fetch' }],
    ['a header name with a space', { baseUrl, headers: { 'X Bad': 'x' } }],
    ['a header value with a line break', { baseUrl, headers: { Authorization: 'a\r\nX: b' } }],
    ['a Content-Type header', { baseUrl, headers: { 'content-type': 'text/plain' } }],
    ['headers as a list', { baseUrl, headers: [['Authorization', 'x']] }],
    ['a zero timeout', { baseUrl, timeoutMs: 0 }],
    ['a fractional timeout', { baseUrl, timeoutMs: 1.5 }],
    ['an infinite timeout', { baseUrl, timeoutMs: Number.POSITIVE_INFINITY }],
  ])('refuses %s with ERR_INVALID_INPUT', (_, options) => {
    expect(() => new CertsrvClient(options as CertsrvClientOptions)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });

  it('refuses bad requests, templates, ids and signals before sending anything', async () => {
    const urls: string[] = [];
    const fake: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response('');
    };
    const ca = new CertsrvClient({ baseUrl, fetch: fake });
    const req = await request();
    const template = { template: 'SmartcardUser' };
    const refused = [
      ca.submit('not base64!', template),
      ca.submit('MAMCAQE='), // text names no template
      ca.submit('AQID', template), // not a DER SEQUENCE
      ca.submit({ ...req, der: new Uint8Array(0) }),
      ca.submit(req, { template: 'SmartcardUser\r\nSAN:upn=administrator@contoso.com' }),
      ca.submit(req, { template: '' }),
      ca.submit(req, { signal: 'stop' as never }),
      ca.retrieve(0),
      ca.retrieve(1.5),
      ca.retrieve(2 ** 32),
    ];
    for (const promise of refused) expect(await codeOf(promise)).toBe('ERR_INVALID_INPUT');
    expect(urls).toEqual([]);
  });
});
