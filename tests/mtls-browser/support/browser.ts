/**
 * Chromium as a person's browser with a card, inside the PC/SC stack's namespaces: a HOME of its
 * own whose NSS database has OpenSC's PKCS#11 module and the CAs, a managed policy that picks the
 * card's certificate for the server (bind-mounted over /etc/chromium in the stack's private mount
 * namespace only), headed on Xvfb, driven by playwright-core; and the PIN typed with xdotool into
 * Chromium's own "Unlock Security Device" dialog, which is browser UI and not page content.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import type { PcscStack } from '../../pcsc/support/stack.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);
export const OPENSC_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
/** The title of the dialog in which Chromium asks for a token's password (the card's PIN). */
export const PIN_DIALOG = 'Unlock Security Device';

/** A fresh HOME whose NSS database trusts `anchors` (PEM files), knows `others`, and has OpenSC. */
export async function nssHome(
  stack: PcscStack,
  home: string,
  anchors: readonly string[],
  others: readonly string[],
): Promise<void> {
  const db = `sql:${join(home, '.pki/nssdb')}`;
  mkdirSync(join(home, '.pki/nssdb'), { recursive: true });
  await stack.exec('certutil', ['-N', '-d', db, '--empty-password']);
  for (const [index, file] of anchors.entries()) {
    await stack.exec('certutil', [
      '-A',
      '-d',
      db,
      '-n',
      `anchor-${index}`,
      '-t',
      'C,,',
      '-i',
      file,
    ]);
  }
  for (const [index, file] of others.entries()) {
    await stack.exec('certutil', ['-A', '-d', db, '-n', `ca-${index}`, '-t', ',,', '-i', file]);
  }
  await stack.exec('modutil', ['-dbdir', db, '-add', 'card', '-libfile', OPENSC_MODULE, '-force']);
}

/**
 * Chromium's managed policies in the stack's mount namespace only: `folder` (with a copy of what
 * /etc/chromium held) mounted over /etc/chromium, its policy choosing the certificate whose
 * subject CN is `commonName` for `origin` without asking. /etc/chromium must exist (the chromium
 * package makes it): nothing is created on the machine.
 */
export async function managedPolicy(
  stack: PcscStack,
  folder: string,
  origin: string,
  commonName: string,
): Promise<void> {
  mkdirSync(join(folder, 'policies/managed'), { recursive: true });
  await stack.exec('sh', ['-c', 'cp -a /etc/chromium/. "$0"/ 2>/dev/null || true', folder]);
  const rule = JSON.stringify({ pattern: origin, filter: { SUBJECT: { CN: commonName } } });
  writeFileSync(
    join(folder, 'policies/managed/sc2fa-client-certificate.json'),
    JSON.stringify({ AutoSelectCertificateForUrls: [rule] }),
  );
  await stack.exec('mount', ['--bind', folder, '/etc/chromium']);
}

/** The stack's namespace holder, whose namespaces Xvfb, Chromium and xdotool join. */
export function namespacePid(stack: PcscStack): string {
  return readFileSync(join(stack.dir, 'namespace.pid'), 'utf8').trim();
}

/** Starts Xvfb inside the stack's namespaces (scripts/chromium/start-xvfb.sh): its display. */
export async function startXvfb(stack: PcscStack, dir: string): Promise<string> {
  const script = join(root, 'scripts/chromium/start-xvfb.sh');
  const { stdout } = await run('bash', [script, dir, namespacePid(stack)], { timeout: 15_000 });
  return stdout.trim();
}

/** Stops that Xvfb by its PID (scripts/chromium/stop-xvfb.sh). */
export async function stopXvfb(dir: string): Promise<void> {
  await run('bash', [join(root, 'scripts/chromium/stop-xvfb.sh'), dir], { timeout: 15_000 });
}

/**
 * Headed Chromium in the stack's namespaces with `home` as HOME (its NSS database) on `display`,
 * through scripts/chromium/chromium-in-namespace.sh; a fresh profile each launch. Its stderr is
 * written to `log` as well.
 */
export function launchChromium(
  stack: PcscStack,
  home: string,
  display: string,
  log: string,
): Promise<Browser> {
  return chromium.launch({
    executablePath: join(root, 'scripts/chromium/chromium-in-namespace.sh'),
    headless: false,
    timeout: 30_000,
    args: ['--no-first-run', '--disable-gpu', '--window-size=1000,700'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      DISPLAY: display,
      SC2FA_NAMESPACE_PID: namespacePid(stack),
      SC2FA_CHROMIUM_LOG: log,
      ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
    },
  });
}

/**
 * Chromium's PIN dialog on `display`, when it shows within `timeoutMs`: its X window id, else
 * `undefined`.
 */
export async function findPinDialog(
  stack: PcscStack,
  display: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await xdotool(stack, display, 'search', '--name', `^${PIN_DIALOG}$`).catch(
      () => '', // xdotool search exits 1 when no window matches
    );
    const window = found.split('\n').find((line) => /^\d+$/.test(line.trim()));
    if (window !== undefined) return window.trim();
    if (Date.now() >= until) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Focuses the dialog `window` and types `pin` and Enter as keystrokes, as a person would;
 * `beforeEnter` runs between (to take a screenshot of the dialog with the PIN typed).
 */
export async function typeIntoPinDialog(
  stack: PcscStack,
  display: string,
  window: string,
  pin: string,
  beforeEnter?: () => Promise<void>,
): Promise<void> {
  await xdotool(stack, display, 'windowfocus', '--sync', window, 'type', '--delay', '20', pin);
  await beforeEnter?.();
  await xdotool(stack, display, 'key', 'Return');
}

/** Focuses the dialog `window` and presses Escape: Chromium's Cancel. */
export async function cancelPinDialog(
  stack: PcscStack,
  display: string,
  window: string,
): Promise<void> {
  await xdotool(stack, display, 'windowfocus', '--sync', window, 'key', 'Escape');
}

function xdotool(stack: PcscStack, display: string, ...args: string[]): Promise<string> {
  return stack.exec('env', [`DISPLAY=${display}`, 'xdotool', ...args], 10_000);
}
