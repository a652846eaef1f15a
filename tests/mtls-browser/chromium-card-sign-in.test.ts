/**
 * The whole way with real parts: Debian's Chromium, headed on Xvfb, with OpenSC's PKCS#11 module
 * in its NSS database, signs in to examples/mtls-server.ts on 127.0.0.1, which asks for a client
 * certificate and checks it with the SDK's ClientCertificateVerifier. The certificate is Alice's,
 * issued by the SDK's CertificateAuthority for a P-256 key generated on an emulated PIV card that
 * sits in pcscd's virtual reader; Chromium picks it by its managed policy and asks for the PIN in
 * its own "Unlock Security Device" dialog, where xdotool types it as a person would. Everything runs inside the PC/SC stack's network and mount
 * namespaces and is stopped by PID. Artifacts (screenshots, the card's APDU trace) go to
 * $SC2FA_ARTIFACTS (default test-results/pcsc/).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir } from '../pcsc/support/apdu-trace.js';
import { missingForPcsc, type PcscStack, startPcscStack } from '../pcsc/support/stack.js';
import { CHROMIUM_PATH } from '../support/chromium.js';
import {
  cancelPinDialog,
  findPinDialog,
  launchChromium,
  managedPolicy,
  nssHome,
  OPENSC_MODULE,
  PIN_DIALOG,
  startXvfb,
  stopXvfb,
  typeIntoPinDialog,
} from './support/browser.js';
import { type CardProcess, startCardProcess } from './support/card-process.js';
import { xwdToPng } from './support/display-screenshot.js';
import { makeServerCertificate } from './support/server-tls.js';

const missing = missingForPcsc([
  [CHROMIUM_PATH, 'chromium'],
  ['/usr/bin/Xvfb', 'xvfb'],
  ['/usr/bin/xdotool', 'xdotool'],
  ['/usr/bin/certutil', 'libnss3-tools'],
  ['/usr/bin/modutil', 'libnss3-tools'],
  ['/usr/bin/opensc-tool', 'opensc'],
  [OPENSC_MODULE, 'opensc-pkcs11'],
  ['/usr/bin/openssl', 'openssl'],
]);
const PORT = 8443;
const ORIGIN = `https://127.0.0.1:${PORT}`;
const DEFAULT_PIN = '123456';
const WRONG_PIN = '999999';

/** How a visit to the server's page ended: its status and body, or the navigation's error. */
type Navigation =
  | { readonly loaded: true; readonly status: number; readonly body: string }
  | { readonly loaded: false; readonly error: string };

/** The card's commands in order, as hex lines of the trace (`> ...`). */
async function tracedCommands(file: string): Promise<string[]>;
/** With `withResponses`, each command with the response's status word. */
async function tracedCommands(file: string, withResponses: true): Promise<[string, string][]>;
async function tracedCommands(file: string, withResponses = false) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const pairs: [string, string][] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('> ')) {
      const command = line.slice(2).replace(' (masked)', '');
      pairs.push([command, (lines[i + 1] ?? '').slice(-4)]);
    }
  });
  return withResponses ? pairs : pairs.map(([command]) => command);
}
const isPinVerify = (command: string) => /^00200080[0-9a-f]{2}/.test(command); // with a PIN
const isSign = (command: string) => command.startsWith('0087') && command.slice(6, 8) === '9a';

const DESCRIPTION = `Chromium signs in with the card over mTLS (${missing || 'all parts'})`;

describe.skipIf(missing !== '')(DESCRIPTION, () => {
  let stack: PcscStack;
  let card: CardProcess;
  let work: string;
  let display: string;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sc2fa-mtls-browser-'));
    stack = await startPcscStack();
    const tlsCa = makeServerCertificate(work);
    card = await startCardProcess(stack, PORT, work);
    await managedPolicy(stack, join(work, 'etc-chromium'), ORIGIN, card.commonName);
    display = await startXvfb(stack, join(work, 'xvfb'));
    mkdirSync(artifactsDir(), { recursive: true });
    // Every home gets the same database: trusted roots (the SDK's CA, the TLS CA), the issuing CA.
    for (const home of ['home-right', 'home-wrong']) {
      const anchors = [join(work, 'root.pem'), tlsCa];
      await nssHome(stack, join(work, home), anchors, [join(work, 'issuer.pem')]);
    }
  }, 90_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    if (work !== undefined) await stopXvfb(join(work, 'xvfb'));
    await card?.stop();
    await stack?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  /**
   * The whole virtual display as a PNG artifact, after `settleMs` for Chromium to paint. Browser
   * UI (the PIN dialog) is no page content; and playwright's page screenshot, taken over CDP,
   * killed Chromium's browser process in 2 of 6 runs here (each time while taking it, after the
   * page had loaded), so the page is captured from the display too.
   */
  async function screenshot(name: string, settleMs = 500): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    xwdToPng(join(work, 'xvfb', 'Xvfb_screen0'), join(artifactsDir(), `mtls-browser-${name}.png`));
  }

  /**
   * Opens the server's page in a new Chromium with `home`, waits for its PIN dialog and types
   * `pin` into it. `navigation` settles with the page's status and body or the navigation's error.
   */
  async function visit(home: string, pin: string) {
    const log = join(artifactsDir(), `mtls-browser-${home}-chromium.log`);
    const browser = await launchChromium(stack, join(work, home), display, log);
    browsers.push(browser);
    const page = await browser.newPage();
    const open = (): Promise<Navigation> =>
      page.goto(`${ORIGIN}/`, { timeout: 40_000 }).then(
        async (response) => ({
          loaded: true,
          status: response?.status() ?? 0,
          body: (await response?.text()) ?? '',
        }),
        (error: Error) => ({ loaded: false, error: error.message.split('\n')[0] ?? 'failed' }),
      );
    // Chromium resets its first connection after choosing the certificate: one more try.
    const navigation = open().then((first) =>
      !first.loaded && first.error.includes('ERR_CONNECTION_RESET') ? open() : first,
    );
    const dialog = await findPinDialog(stack, display, 30_000);
    if (dialog === undefined) throw new Error(`Chromium showed no "${PIN_DIALOG}" dialog in 30 s`);
    // The dialog with its masked PIN, once Chromium has painted the dots.
    await typeIntoPinDialog(stack, display, dialog, pin, () => screenshot(`${home}-pin-dialog`));
    return { browser, navigation };
  }

  it("with the right PIN typed into Chromium's dialog, the example verifies Alice", async () => {
    const { navigation } = await visit('home-right', DEFAULT_PIN);
    const answered = await navigation;
    await screenshot('signed-in');
    // The example answers 200 with the verified user as JSON: with no directory of accounts, the
    // user is named by the certificate's UPN; no SID (the CA's entry for her has none).
    expect(answered).toMatchObject({ loaded: true, status: 200 });
    const body = answered.loaded ? answered.body : '';
    expect(JSON.parse(body)).toEqual({ user: 'alice@contoso.com', upn: 'alice@contoso.com' });
    expect(card.requests.find((request) => request.verified)).toMatchObject({
      verified: true,
      user: 'alice@contoso.com',
      upn: 'alice@contoso.com',
    });
    expect(card.requests.filter((request) => !request.verified)).toEqual([]);
    const commands = await tracedCommands(card.trace);
    const verify = commands.findIndex(isPinVerify);
    expect(verify, 'the card saw VERIFY with a PIN').toBeGreaterThanOrEqual(0);
    expect(commands.slice(verify).some(isSign), 'then GENERAL AUTHENTICATE with 9A').toBe(true);
    expect(await card.attemptsRemaining()).toBe(3);
  }, 90_000);

  it('with a wrong PIN, the card counts it and nobody signs in', async () => {
    const before = card.requests.length;
    const seen = (await tracedCommands(card.trace)).length;
    const { browser, navigation } = await visit('home-wrong', WRONG_PIN);
    // Chromium asks again after the card refused the PIN: the person gives up (Escape, Cancel).
    let settled: Navigation | undefined;
    void navigation.then((outcome) => {
      settled = outcome;
    });
    let askedAgain = 0;
    while (settled === undefined && askedAgain < 3) {
      const again = await findPinDialog(stack, display, 3_000);
      if (again === undefined) continue;
      askedAgain += 1;
      await cancelPinDialog(stack, display, again);
    }
    const outcome = await navigation;
    await screenshot('wrong-pin');
    const shown = outcome.loaded ? `${outcome.status} ${outcome.body}` : outcome.error;
    writeFileSync(
      join(artifactsDir(), 'mtls-browser-wrong-pin.txt'),
      `Chromium asked for the PIN again ${askedAgain} time(s) after the wrong one; cancelled.\n` +
        `The page: ${shown}\nThe server saw: ${JSON.stringify(card.requests.slice(before))}\n`,
    );
    expect(shown).not.toContain('Alice');
    if (outcome.loaded) expect(outcome.status).toBe(403);
    await browser.close().catch(() => undefined);
    // The card refused the one PIN typed (63C2: two tries left), and signed nothing after it.
    const after = await tracedCommands(card.trace, true);
    const verifies = after.slice(seen).filter(([command]) => isPinVerify(command));
    expect(verifies.map(([, response]) => response)).toEqual(['63c2']);
    expect(after.slice(seen).some(([command]) => isSign(command))).toBe(false);
    expect(await card.attemptsRemaining()).toBe(2);
    expect(card.requests.slice(before).filter((request) => request.verified)).toEqual([]);
  }, 120_000);
});
