/**
 * The demo's sign-in server: an `Authenticator` behind the SDK's HTTP handlers on node:http, on
 * 127.0.0.1 and a port the system picks, for the length of the sign-in walk. The sign-in machine
 * reaches it over HTTP with `httpSignInServer`, as an app's page reaches its own server: the
 * challenge and the card's answer cross a real socket in the JSON wire form (docs/server.md).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Authenticator,
  createSignInHandlers,
  type SignInFailure,
  toNodeHandler,
} from 'smartcard-2fa/server';
import { httpSignInServer, type SignInServer } from 'smartcard-2fa/session';

/** A running sign-in server and the client the machine takes. */
export interface DemoSignInServer {
  /** Where it listens: `http://127.0.0.1:<port>/sign-in`. */
  readonly url: string;
  /** What `createSignInMachine({ server })` takes: the fetch client of that URL. */
  readonly client: SignInServer;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Starts the handlers of `authenticator` on 127.0.0.1; refusals go to `log` (the server's log). */
export async function startSignInServer(
  authenticator: Authenticator,
  log: (failure: SignInFailure) => void,
): Promise<DemoSignInServer> {
  const handlers = createSignInHandlers(authenticator, { onFailure: log });
  const server = createServer(toNodeHandler(handlers, { prefix: '/sign-in' }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign-in`;
  return {
    url,
    client: httpSignInServer(url),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
