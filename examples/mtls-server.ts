/**
 * Sign-in with a client certificate (mutual TLS): node:https on 127.0.0.1 asks every client for
 * a certificate but lets the handshake finish whatever it gets (`rejectUnauthorized: false`),
 * and the SDK's ClientCertificateVerifier decides, with the Authenticator's rules (path,
 * revocation, Smart Card Logon EKU, UPN). The browser and the OS pick the certificate and ask for
 * the card's PIN; the TLS handshake proves the key. Behind nginx (scripts/nginx/nginx.conf),
 * `startBehindNginx` reads the certificate from the header nginx sets instead. Tests:
 * tests/mtls/https.test.ts, card-tls.test.ts, nginx.test.ts, and Chromium with a card the whole way
 * in tests/mtls-browser; docs/browser-card-sign-in.md quotes this.
 *
 * Run it: `npx tsx examples/mtls-server.ts <folder> [port]`, the folder holding `server.key` and
 * `server.crt` (this server's TLS key and certificate, PEM), `ca.pem` (the trusted root CA
 * certificates) and, optionally, `intermediates.pem` and `crl.pem`. It prints
 * `listening: https://127.0.0.1:<port>/`, then one line per request: `verified: <user>` or
 * `refused: <reason> (<detail>)`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { pathToFileURL } from 'node:url';
import {
  type ClientCertificateInput,
  type ClientCertificateOptions,
  type ClientCertificateResult,
  ClientCertificateVerifier,
} from 'smartcard-2fa/server';

export interface MtlsServerOptions {
  /** This server's TLS key and certificate, PEM. */
  readonly key: string;
  readonly cert: string;
  /** What the verifier trusts (the Authenticator's options). */
  readonly verifier: ClientCertificateOptions;
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Called with each request's outcome (the refusal's reason is for the log, not the client). */
  readonly onResult?: (result: ClientCertificateResult) => void;
}

export interface MtlsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the server; every request gets 200 with the verified user as JSON, or 403. */
export async function startMtlsServer(options: MtlsServerOptions): Promise<MtlsServer> {
  const verifier = new ClientCertificateVerifier(options.verifier);
  // Ask for a certificate; let the SDK, not the handshake, decide about it.
  const tls = {
    key: options.key,
    cert: options.cert,
    requestCert: true,
    rejectUnauthorized: false,
  };
  const server = createHttpsServer(tls, (request, response) => {
    const socket = request.socket as TLSSocket;
    const input = { peerCertificate: socket.getPeerCertificate(true) };
    void answer(verifier, input, response, options.onResult);
  });
  return listen(server, options.port);
}

/**
 * Behind nginx (scripts/nginx/nginx.conf): plain HTTP on 127.0.0.1, the certificate in the
 * header nginx sets from `$ssl_client_escaped_cert`. Never expose this port to clients: they
 * could send that header themselves.
 */
export async function startBehindNginx(
  options: Omit<MtlsServerOptions, 'key' | 'cert'>,
): Promise<MtlsServer> {
  const verifier = new ClientCertificateVerifier(options.verifier);
  const server = createHttpServer((request, response) => {
    const input = { nginxEscapedCert: request.headers['x-ssl-client-cert'] };
    void answer(verifier, input, response, options.onResult);
  });
  return listen(server, options.port);
}

async function answer(
  verifier: ClientCertificateVerifier,
  input: ClientCertificateInput,
  response: ServerResponse,
  onResult: MtlsServerOptions['onResult'],
): Promise<void> {
  response.setHeader('cache-control', 'no-store');
  response.setHeader('content-type', 'application/json');
  let result: ClientCertificateResult;
  try {
    result = await verifier.verify(input);
  } catch {
    response.writeHead(500).end(JSON.stringify({ error: 'Server error.' }));
    return;
  }
  onResult?.(result);
  if (!result.verified) {
    response.writeHead(403).end(JSON.stringify({ error: 'Sign-in failed.' }));
    return;
  }
  const { name, upn, sid } = result.user;
  response.writeHead(200).end(JSON.stringify({ user: name, upn, sid }));
}

async function listen(server: Server, port = 0): Promise<MtlsServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The DER of every PEM block in a file. */
function derBlocks(path: string): Uint8Array[] {
  const text = readFileSync(path, 'ascii');
  return [...text.matchAll(/-----BEGIN [A-Z0-9 ]+-----([^-]+)-----END/g)].map(
    (match) => new Uint8Array(Buffer.from(match[1] ?? '', 'base64')),
  );
}

/** The command line: the server with the files in `folder`, a line logged per request. */
export async function serve(folder: string, port = 0, log = console.log): Promise<MtlsServer> {
  const optional = (name: string) =>
    existsSync(join(folder, name)) ? derBlocks(join(folder, name)) : [];
  const server = await startMtlsServer({
    key: readFileSync(join(folder, 'server.key'), 'utf8'),
    cert: readFileSync(join(folder, 'server.crt'), 'utf8'),
    verifier: {
      trustAnchors: derBlocks(join(folder, 'ca.pem')),
      intermediates: optional('intermediates.pem'),
      crls: optional('crl.pem'),
    },
    port,
    onResult: (result) =>
      log(
        result.verified
          ? `verified: ${result.user.name}`
          : `refused: ${result.reason} (${result.detail})`,
      ),
  });
  log(`listening: https://127.0.0.1:${server.port}/`);
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [folder, port] = process.argv.slice(2);
  if (folder === undefined) throw new Error('usage: tsx examples/mtls-server.ts <folder> [port]');
  await serve(folder, Number(port ?? 0));
}
