/**
 * `npm run demo` as CI runs it: `tsx demo/main.ts` in a child process whose stdin is not a
 * terminal, so the demo is scripted. Each run makes a CA and generates a real RSA-2048 key on
 * the card (no fixture keys), about two seconds; the cases run concurrently.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function demo(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      tsx,
      ['demo/main.ts', ...args],
      { cwd: root, timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(); // a pipe, not a terminal: scripted
  });
}

/** The scripted demo PIN (demo/sign-in.ts): typed, never printed. */
const DEMO_PIN = 'k7#Lm2pQ';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.concurrent('npm run demo (scripted)', () => {
  it('walks through the seed documents with a virtual card and exits 0', async () => {
    const { code, stdout, stderr } = await demo();
    expect(stderr).not.toMatch(/demo:/);
    expect(code).toBe(0);
    const steps = [
      '(scripted)',
      'Creating the embedded CA',
      '== Enrollment station',
      'Certificate Template: Smartcard User',
      'Request format:       CMC',
      'A virtual smart card',
      "Enter the smart card's PIN",
      'Force the user to change the PIN the first time the smart card is used?',
      'Generating an RSA-2048 key pair on the card',
      'Subject:  CN=Alice Example, OU=Users, OU=Corp, DC=contoso, DC=com',
      'UPN:      alice@contoso.com',
      'EKUs:     secureEmail, clientAuth, smartcardLogon',
      'Validity: ',
      'The PIN must be changed at first use.',
      '== Sign in',
      'Enter your sign-in address',
      'Your smart card still uses the default PIN.',
      'Type a new PIN.',
      'Your PIN has been changed.',
      'Signed in as alice@contoso.com with the virtual card',
      '> Close',
      '(1 unread)',
      '> Show the display again',
      '> Sign out',
      'Delete my sign-in information?',
      'The sign-in address is deleted.',
      '> Exit',
      'Exit: Ends your session and shuts down the program.',
    ];
    let from = 0;
    for (const step of steps) {
      const at = stdout.indexOf(step, from);
      expect(at, `"${step}" after position ${from}`).toBeGreaterThanOrEqual(0);
      from = at;
    }
    expect(stdout).not.toContain(DEMO_PIN);
    expect(stdout).not.toContain('\u001b['); // no colours or cursor movement in a log
  });

  it('--card physical --format pkcs10: the insert steps and a PKCS #10 request', async () => {
    const { code, stdout } = await demo('--card', 'physical', '--format', 'pkcs10');
    expect(code).toBe(0);
    expect(stdout).toContain('Request format:       PKCS #10');
    expect(stdout).toContain('into the card reader attached to the enrollment station');
    expect(stdout).toContain('Insert your smart card into your smart card reader.');
    expect(stdout).toContain('Your smart card was detected. Click OK to continue.');
    expect(stdout).toContain('Signed in as alice@contoso.com with the physical card');
  });

  it('--locale ko-KR: the sign-in prompts in Korean', async () => {
    const { code, stdout } = await demo('--locale', 'ko-KR');
    expect(code).toBe(0);
    expect(stdout).toContain('locale: ko-KR');
    expect(stdout).toContain('로그인 주소를 입력하세요');
    expect(stdout).toContain('스마트 카드에 아직 기본 PIN이 설정되어 있습니다.');
    expect(stdout).toContain('PIN이 변경되었습니다.');
    expect(stdout).toContain('로그인되었습니다.');
    expect(stdout).toContain('> 로그아웃');
    expect(stdout).not.toContain('Enter your sign-in address');
  });

  it('--state: a later run signs in with the card an earlier run enrolled', async () => {
    const state = mkdtempSync(join(tmpdir(), 'smartcard-2fa-demo-'));
    dirs.push(state);

    const first = await demo('--state', state);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('== Enrollment station');
    expect(first.stdout).toContain(`Saved the card and the CA certificates in ${state}.`);

    const second = await demo('--state', state, '--yes');
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('skipping enrollment');
    expect(second.stdout).not.toContain('Enrollment station');
    expect(second.stdout).not.toContain('Generating');
    // The address was remembered, and the PIN chosen in the first run signs in at once.
    expect(second.stdout).toContain('select Delete my sign-in information');
    expect(second.stdout).not.toContain('default PIN.');
    expect(second.stdout).toMatch(/Signed in as alice@contoso\.com with the virtual card/);

    // A physical card in the same directory needs a new CA (the first one's keys are gone)...
    const physical = await demo('--state', state, '--card', 'physical');
    expect(physical.code).toBe(0);
    expect(physical.stdout).toContain('A new CA');
    // ...and the virtual card's certificate, from the first CA, is still trusted.
    const again = await demo('--state', state);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('skipping enrollment');
    expect(again.stdout).toContain('Signed in as alice@contoso.com with the virtual card');
  }, 60_000);

  it('--help prints the usage, which docs/demo.md quotes, and exits 0', async () => {
    const { code, stdout, stderr } = await demo('--help');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: npm run demo -- \[options\]/);
    expect(readFileSync(join(root, 'docs', 'demo.md'), 'utf8')).toContain(stdout);
    for (const option of ['--card physical|virtual', '--locale en|ko-KR|zh-TW', '--state <dir>']) {
      expect(stdout).toContain(option);
    }
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--format', 'der'], '--format must be one of pkcs10, cmc, not "der".'],
    [['--locale', 'fr'], '--locale must be one of en, ko-KR, zh-TW'],
    [['--card'], "Option '--card <value>' argument missing"],
  ])('%j prints the usage to stderr and exits 2', async (args, said) => {
    const { code, stdout, stderr } = await demo(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(said);
    expect(stderr).toContain('Usage: npm run demo -- [options]');
  });
});

/** Whether util-linux `script` is here to give the demo a pseudo-terminal. */
const hasScript = spawnSync('script', ['--version']).status === 0;
const NEEDS_SCRIPT = 'needs the bsdutils package (util-linux script): apt-get install bsdutils';
if (!hasScript && process.env.CI) {
  throw new Error(`CI must run the interactive demo test, but script is missing (${NEEDS_SCRIPT})`);
}
if (!hasScript) console.warn(`Interactive demo test skipped: ${NEEDS_SCRIPT}`);

/**
 * The demo in a pseudo-terminal (util-linux `script`), driven like a person at the keyboard:
 * wait for each prompt to become active (clack's ◆), then type. Every choice is Enter on the
 * choice the demo suggests, which is the scripted one.
 */
describe.skipIf(!hasScript)(
  `npm run demo (interactive, in a pseudo-terminal)${hasScript ? '' : ` (skipped: ${NEEDS_SCRIPT})`}`,
  () => {
    it('walks through the same steps with prompts, masked PINs and spinners', async () => {
      const command = 'stty cols 100 rows 50; exec node_modules/.bin/tsx demo/main.ts';
      const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      // Without colours and cursor movement, so that the prompts can be searched for.
      const text = () => stripVTControlCharacters(output);
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      let from = 0;
      const at = async (prompt: string, keys: string) => {
        const active = `◆  ${prompt}`;
        for (const started = Date.now(); text().indexOf(active, from) < 0; ) {
          if (Date.now() - started > 15_000) {
            throw new Error(`No active prompt "${prompt}" in:\n${text().slice(from)}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        from = text().indexOf(active, from) + active.length;
        child.stdin.write(keys);
      };
      try {
        await at("Enter the smart card's PIN", '12345678\r');
        await at('Force the user to change the PIN', '\r');
        await at('Click OK to confirm that the certificate', '\r');
        await at('Enter your sign-in address', '\r'); // the suggested alice@contoso.com
        await at('Type your current PIN.', '12345678\r');
        await at('Type a new PIN.', `${DEMO_PIN}\r`);
        await at('Type the new PIN again', `${DEMO_PIN}\r`);
        await at('You are signed in.', '\r'); // Close
        await at('The display is closed.', '\r'); // a notification
        await at(
          'The display is closed. You are still signed in and will keep getting notifications. (1 unread)',
          '\r',
        ); // Show the display again
        await at('You are signed in.', '\r'); // Sign out
        await at('Delete my sign-in information?', '\r');
        await at('Your organization requires a smart card', '\r'); // Sign In
        await at('Enter your sign-in address', '\r');
        await at('Type the PIN for your smart card', `${DEMO_PIN}\r`);
        await at('You are signed in.', '\r'); // Exit
        expect(await exited).toBe(0);
      } finally {
        child.kill();
      }
      const screen = text();
      expect(screen).toContain('(interactive)');
      expect(screen).toContain('EKUs:     secureEmail, clientAuth, smartcardLogon');
      expect(screen).toContain('▪▪▪▪▪▪▪▪'); // the PINs, masked
      expect(screen).not.toContain(DEMO_PIN);
      expect(screen).not.toContain('12345678\r');
      expect(screen).toContain('Your PIN has been changed.');
      expect(screen).toContain('The sign-in address is deleted.');
      expect(screen).toContain('Exit: Ends your session and shuts down the program.');
    }, 40_000);
  },
);
