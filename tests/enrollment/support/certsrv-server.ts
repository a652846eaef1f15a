/**
 * A small certsrv (AD CS web enrollment) on 127.0.0.1 for tests: `POST /certsrv/certfnsh.asp`
 * and `GET /certsrv/certnew.cer`, answering with pages modelled on AD CS's and issuing through
 * the embedded CA. Basic authentication (`CONTOSO\alice:password`) stands in for Windows
 * authentication. `intercept` lets a test answer a request itself (errors, hangs, login pages).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CertificateAuthority } from '../../../src/enrollment/ca/index.js';
import type { Disposition } from '../../../src/enrollment/request/types.js';
import { SmartCardError } from '../../../src/errors.js';

/** A running certsrv. */
export interface CertsrvServer {
  /** `http://127.0.0.1:<port>/certsrv`. */
  readonly baseUrl: string;
  /** Every form posted to certfnsh.asp, in order. */
  readonly forms: URLSearchParams[];
  /** When set and it returns true, it has answered the request instead of certsrv. */
  intercept: ((request: IncomingMessage, response: ServerResponse) => boolean) | undefined;
  close(): Promise<void>;
}

/** Starts certsrv for `ca`, with `accounts` mapping `DOMAIN\user` to a password. */
export async function startCertsrvServer(
  ca: CertificateAuthority,
  accounts: Readonly<Record<string, string>>,
): Promise<CertsrvServer> {
  const forms: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    if (state.intercept?.(request, response)) return;
    answer(request, response).catch((error: unknown) => {
      if (!response.headersSent) html(response, 500, page('Error', `<P>${escapeHtml(error)}</P>`));
    });
  });
  const state: CertsrvServer = {
    baseUrl: '',
    forms,
    intercept: undefined,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requester = authenticate(request.headers.authorization, accounts);
    if (requester === undefined) {
      response.setHeader('WWW-Authenticate', ['Negotiate', 'NTLM', 'Basic realm="certsrv"']);
      html(response, 401, page('401 - Unauthorized', '<P>Access is denied.</P>'));
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'POST' && url.pathname === '/certsrv/certfnsh.asp') {
      const form = new URLSearchParams(await bodyOf(request));
      forms.push(form);
      const template = /^CertificateTemplate:(.+)$/m.exec(form.get('CertAttrib') ?? '')?.[1];
      const wellFormed =
        request.headers['content-type'] === 'application/x-www-form-urlencoded' &&
        form.get('Mode') === 'newreq' &&
        form.get('TargetStoreFlags') === '0' &&
        form.get('SaveCert') === 'yes' &&
        template !== undefined;
      if (!wellFormed) return html(response, 400, page('Bad Request', '<P>Bad form.</P>'));
      const der = new Uint8Array(Buffer.from(form.get('CertRequest') ?? '', 'base64'));
      let disposition: Disposition;
      try {
        disposition = await ca.issue(der, { requester, template });
      } catch (error) {
        if (!SmartCardError.is(error, 'ERR_REQUEST_INVALID')) throw error;
        const result = 'The data is invalid. 0x8007000d (WIN32: 13 ERROR_INVALID_DATA)';
        return html(response, 200, errorPage('newreq', '(never set)', '(none)', result));
      }
      return html(response, 200, resultPage(disposition));
    }
    if (request.method === 'GET' && url.pathname === '/certsrv/certnew.cer') {
      const disposition = ca.disposition(Number(url.searchParams.get('ReqID')));
      if (disposition?.status === 'issued' && url.searchParams.get('Enc') === 'b64') {
        response.writeHead(200, { 'Content-Type': 'application/pkix-cert' });
        response.end(disposition.pem.replace(/\n/g, '\r\n'));
        return;
      }
      const mode = '(certnew.cer/certnew.p7b/certcrl.crl certificate/crl fetch)';
      if (disposition === undefined || disposition.status === 'issued') {
        const result = 'Cannot find object or property. 0x80092004 (-2146885628 CRYPT_E_NOT_FOUND)';
        return html(response, 200, errorPage(mode, '(never set)', '(none)', result));
      }
      const code = disposition.status === 'pending' ? '5 - Under Submission' : '2 - Denied';
      const ok = 'The operation completed successfully. 0x0 (WIN32: 0 ERROR_SUCCESS)';
      return html(response, 200, errorPage(mode, code, escapeHtml(disposition.reason), ok));
    }
    html(response, 404, page('404 - File or directory not found', ''));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (state as { baseUrl: string }).baseUrl = `http://127.0.0.1:${port}/certsrv`;
  return state;
}

/** The account of a Basic `DOMAIN\user:password` header, if the password is right. */
function authenticate(
  header: string | undefined,
  accounts: Readonly<Record<string, string>>,
): string | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '')?.[1];
  const [user, ...rest] = Buffer.from(encoded ?? '', 'base64')
    .toString('utf8')
    .split(':');
  return user !== undefined && user !== '' && accounts[user] === rest.join(':') ? user : undefined;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

function html(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(body);
}

function escapeHtml(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** certsrv's frame around every page. */
function page(title: string, body: string): string {
  return `<HTML>\r\n<Head>\r\n\t<Title>Microsoft Active Directory Certificate Services</Title>
</Head>
<Body><Font ID=locPageFont Face="Arial">
<Table Border=0 Width=100% BgColor=#008080><TR><TD><B><I>Microsoft</I></B> Active Directory
Certificate Services &nbsp;--&nbsp; Contoso Issuing CA &nbsp;</TD></TR></Table>
<P ID=locPageTitle> <B> ${title} </B>\r\n${body}\r\n</Font></Body></HTML>`;
}

/** certfnsh.asp's answer to a new request (certrsis.asp, certrspn.asp, certrsdn.asp). */
function resultPage(d: Disposition): string {
  if (d.status === 'issued') {
    return page(
      'Certificate Issued',
      `<P ID=locInfo>The certificate you requested was issued to you.</P>
<!-- certnew.cer?ReqID=999999& is the old link; never followed -->
<P><A Href="certnew.cer?ReqID=${d.requestId}&amp;Enc=b64">Download certificate</A>
<P><A Href="certnew.p7b?ReqID=${d.requestId}&amp;Enc=b64">Download certificate chain</A>`,
    );
  }
  if (d.status === 'pending') {
    return page(
      'Certificate Pending',
      `<P ID=locInfoNewReq> Your certificate request has been received. However, you must wait
for an administrator to issue the certificate you requested. </P>
<P>Your Request Id is ${d.requestId}.</P>
<P>The disposition message is "${d.reason.replace(/[<>&"]/g, '')}".</P>`,
    );
  }
  return page(
    'Certificate Request Denied',
    `<P ID=locDenied> Your certificate request was denied. </P>
<P>Your  Request  Id  is\r\n${d.requestId}.  The disposition message is
&quot;${escapeHtml(d.reason)}&quot;.</P>
<P ID=locContactAdmin>Contact your administrator for further information.</P>`,
  );
}

/** certrser.asp, the error page. */
function errorPage(mode: string, disposition: string, message: string, result: string): string {
  const failed =
    mode === 'newreq'
      ? '<P ID=locReqFailed> Your request failed. An error occurred while the server was\r\n' +
        'processing your request.</P>'
      : '';
  const item = (id: string, label: string, value: string) =>
    `<DT ID=${id}><Font Size=-1><B>${label}:</B></Font></DT><DD>\r\n\t\t${value}\r\n\t</DD>`;
  return page(
    'Error',
    `${failed}\r\n<P ID=locContactAdmin>Contact your administrator for further assistance.</P>
<DL><DD><DL>
${item('locModeLabel', 'Request Mode', mode)}
${item('locDispLabel', 'Disposition', disposition)}
${item('locDispMsgLabel', 'Disposition message', message)}
${item('locResultLabel', 'Result', result)}
</DL></DD></DL>`,
  );
}
