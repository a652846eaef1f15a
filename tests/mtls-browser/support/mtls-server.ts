/**
 * The test's HTTPS server: node:https on 127.0.0.1 asking every client for a certificate
 * (`requestCert`, the TLS handshake not refusing any: the SDK decides), the chain Chromium sent
 * read with `getPeerCertificate(true)` and checked with the SDK's `validateCertificatePath` (Smart
 * Card Logon EKU, the CA's anchors). The page says who signed in, or that nobody did.
 */
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { certificateFacts, validateCertificatePath } from '../../../src/server/index.js';

/** What one request showed: the user the SDK verified, or why nobody signed in. */
export interface RequestOutcome {
  readonly path: string;
  readonly signedIn: boolean;
  readonly subject?: string;
  readonly reason?: string;
}

export interface MtlsServerOptions {
  readonly port: number;
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly trustAnchors: readonly Uint8Array[];
  readonly intermediates: readonly Uint8Array[];
  readonly onRequest: (outcome: RequestOutcome) => void;
}

/** The certificates a TLS peer sent, leaf first (Node links them by `issuerCertificate`). */
function peerChain(socket: TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  let certificate = socket.getPeerCertificate(true);
  while (certificate?.raw !== undefined && chain.length < 8) {
    const der = new Uint8Array(certificate.raw);
    if (chain.some((seen) => Buffer.compare(seen, der) === 0)) break; // a self-signed root
    chain.push(der);
    certificate = certificate.issuerCertificate;
  }
  return chain;
}

const htmlText = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

async function outcomeOf(
  socket: TLSSocket,
  path: string,
  options: MtlsServerOptions,
): Promise<RequestOutcome> {
  const [leaf, ...sent] = peerChain(socket);
  if (leaf === undefined) return { path, signedIn: false, reason: 'no client certificate' };
  const result = await validateCertificatePath({
    leaf,
    trustAnchors: [...options.trustAnchors],
    intermediates: [...options.intermediates, ...sent],
  });
  if (!result.valid) return { path, signedIn: false, reason: `${result.reason}: ${result.detail}` };
  return { path, signedIn: true, subject: (await certificateFacts(leaf)).subject };
}

/** Starts the server on 127.0.0.1:`port`; `close()` stops it. */
export async function startMtlsServer(
  options: MtlsServerOptions,
): Promise<{ server: Server; close(): Promise<void> }> {
  const server = createServer(
    { key: options.key, cert: options.cert, requestCert: true, rejectUnauthorized: false },
    (request, response) => {
      const path = request.url ?? '/';
      void outcomeOf(request.socket as TLSSocket, path, options).then(
        (outcome) => {
          options.onRequest(outcome);
          const name = /CN=([^,]+)/.exec(outcome.subject ?? '')?.[1] ?? '';
          const body = outcome.signedIn
            ? `<h1 id="user">Signed in as ${htmlText(name)}</h1>`
            : `<h1 id="user">Not signed in</h1><p>${htmlText(outcome.reason ?? '')}</p>`;
          response.writeHead(outcome.signedIn ? 200 : 401, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
          });
          response.end(`<!doctype html><title>mTLS sign-in</title>${body}`);
        },
        (error: unknown) => {
          options.onRequest({ path, signedIn: false, reason: `error: ${String(error)}` });
          response.writeHead(500).end();
        },
      );
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
