/**
 * kinit and klist inside a PC/SC stack's namespaces, against the KDC that
 * scripts/kerberos/start-kdc.sh started there: the client's configuration is STATE_DIR/krb5.conf,
 * its ticket cache STATE_DIR/ccache, and its identity the card behind pcscd through OpenSC's
 * PKCS#11 module.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PcscStack } from '../../pcsc/support/stack.js';

export const OPENSC_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';

/** What a client program did: its exit code and its output (stdout and stderr together). */
export interface ClientRun {
  readonly code: number | null;
  readonly output: string;
}

/** Runs `command` in the stack's namespaces with the KDC's krb5.conf, `input` on its stdin. */
function runClient(
  stack: PcscStack,
  kdcDir: string,
  command: readonly string[],
  input = '',
): Promise<ClientRun> {
  const holder = readFileSync(join(stack.dir, 'namespace.pid'), 'utf8').trim();
  const environment = [
    `KRB5_CONFIG=${join(kdcDir, 'krb5.conf')}`,
    `KRB5CCNAME=FILE:${join(kdcDir, 'ccache')}`,
    `KRB5RCACHEDIR=${kdcDir}`,
  ];
  const child = spawn('nsenter', ['-t', holder, '-n', '-m', 'env', ...environment, ...command], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * `kinit` for `principal` with the certificate and key on the card (PKINIT), the PIN typed on
 * its stdin when it asks (`<card label> PIN:`).
 */
export function kinitWithCard(
  stack: PcscStack,
  kdcDir: string,
  principal: string,
  pin: string,
): Promise<ClientRun> {
  const identity = `X509_user_identity=PKCS11:module_name=${OPENSC_MODULE}`;
  return runClient(stack, kdcDir, ['kinit', '-X', identity, principal], `${pin}\n`);
}

/** `klist`: the tickets in the cache. */
export function klist(stack: PcscStack, kdcDir: string): Promise<ClientRun> {
  return runClient(stack, kdcDir, ['klist']);
}
