/**
 * `npm run demo` as CI runs it: `tsx demo/main.ts` in a child process whose stdin is not a
 * terminal, so the demo is scripted; then in a pseudo-terminal, typed at as a person would.
 * Each run makes a CA and generates a real RSA-2048 key on the card (no fixture keys), about two
 * seconds; the scripted cases run concurrently.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
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
      { cwd: root, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
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

// Each run takes seconds, more on a busy machine: the runs' own timeout is 60 s.
describe.concurrent('npm run demo (scripted)', { timeout: 120_000 }, () => {
  it('walks through enrollment and sign-in with a virtual card and exits 0', async () => {
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
      'A PIN has 8 to 127 characters: letters, digits, spaces and punctuation.',
      "Enter the smart card's PIN",
      'Force the user to change the PIN the first time the smart card is used?',
      'Generating an RSA-2048 key pair on the card',
      'Subject:  CN=Alice Example, OU=Users, OU=Corp, DC=contoso, DC=com',
      'UPN:      alice@contoso.com',
      'EKUs:     secureEmail, clientAuth, smartcardLogon',
      'Validity: ',
      'The PIN must be changed at first use.',
      '== Sign in',
      'The sign-in server listens on http://127.0.0.1:',
      'Enter your sign-in address',
      'Your smart card still uses the default PIN.',
      'A new PIN must not be the default PIN 12345678',
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
    expect(stdout.toLowerCase()).not.toContain('seed');
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

  it("--locale ko-KR: the sign-in screens and the demo's own lines in Korean", async () => {
    const { code, stdout } = await demo('--locale', 'ko-KR');
    expect(code).toBe(0);
    // The SDK's sign-in screens.
    expect(stdout).toContain('로그인 주소를 입력하세요');
    expect(stdout).toContain('스마트 카드에 아직 기본 PIN이 설정되어 있습니다.');
    expect(stdout).toContain('PIN이 변경되었습니다.');
    expect(stdout).toContain('로그인되었습니다.');
    expect(stdout).toContain('> 로그아웃');
    // The demo's own: headings, the station's form, buttons, progress lines, results.
    for (const line of [
      'smartcard-2fa 데모: 스마트 카드를 사용한 2단계 로그인(스크립트)',
      '로캘: ko-KR',
      '== 등록 스테이션',
      '인증서 템플릿: Smartcard User',
      '카드에서 RSA-2048 키 쌍을 생성하는 중…',
      '확장 키 사용: secureEmail, clientAuth, smartcardLogon',
      '  > 예',
      '  > 확인',
      '새 PIN으로 기본 PIN(12345678)',
      '알림이 도착합니다(데모)',
      'alice@contoso.com(으)로 로그인했습니다(가상 카드',
      '로그아웃했습니다. 로그인 주소가 삭제되었습니다.',
      '완료되었습니다.',
    ]) {
      expect(stdout).toContain(line);
    }
    for (const english of [
      'Enter your sign-in address',
      'Enrollment station',
      'Generating',
      'Signed in as',
      '> Yes',
      '> OK',
      'A notification arrives',
      'Done.',
    ]) {
      expect(stdout).not.toContain(english);
    }
  });

  it("--locale zh-TW: the demo's own lines in Traditional Chinese", async () => {
    const { code, stdout } = await demo('--locale', 'zh-TW', '--card', 'physical');
    expect(code).toBe(0);
    for (const line of [
      '== 註冊站',
      '憑證範本：',
      '正在卡片上產生 RSA-2048 金鑰組…',
      '  > 插入卡片',
      '  > 確定',
      '已使用實體卡片',
      '收到一則通知（示範）',
    ]) {
      expect(stdout).toContain(line);
    }
    expect(stdout).not.toContain('Signed in as');
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
    expect(second.stdout).toContain(
      '? Your organization requires a smart card to sign in.\n  alice@contoso.com',
    );
    expect(second.stdout).not.toContain('default PIN.');
    expect(second.stdout).toMatch(/Signed in as alice@contoso\.com with the virtual card/);
    // The card has been used: no advice about its first use any more.
    expect(second.stdout).not.toContain('Before you use your smart card for the first time');

    // A physical card in the same directory needs a new CA (the first one's keys are gone)...
    const physical = await demo('--state', state, '--card', 'physical');
    expect(physical.code).toBe(0);
    expect(physical.stdout).toContain('A new CA');
    // ...and, before its first use, the advice to delete the address stored by the other card.
    const hint = 'Before you use your smart card for the first time, select Delete my sign-in';
    const firstSignIn = physical.stdout.indexOf('Signed in as');
    expect(physical.stdout.indexOf(hint)).toBeGreaterThan(0);
    expect(physical.stdout.indexOf(hint)).toBeLessThan(firstSignIn);
    expect(physical.stdout.indexOf(hint, firstSignIn)).toBe(-1);
    // ...and the virtual card's certificate, from the first CA, is still trusted.
    const again = await demo('--state', state);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('skipping enrollment');
    expect(again.stdout).toContain('Signed in as alice@contoso.com with the virtual card');
  }, 120_000);

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

const ENTER = '\r';
const DOWN = '\u001b[B';
const UP = '\u001b[A';
const CTRL_C = '\u0003';
const BACKSPACE = '\u007f';
const CLEAR_LINE = '\u0015'; // Ctrl+U

/** The demo in a pseudo-terminal (util-linux `script`), typed at like a person would. */
class Terminal {
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;
  #output = '';
  #from = 0;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    const command = `stty cols 100 rows 50; exec node_modules/.bin/tsx demo/main.ts ${args.join(' ')}`;
    this.#child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    const append = (chunk: Buffer) => {
      this.#output += chunk.toString('utf8');
    };
    this.#child.stdout?.on('data', append);
    this.#child.stderr?.on('data', append);
    this.exited = new Promise((resolve) => this.#child.on('close', resolve));
  }

  /** Everything so far, without colours and cursor movement, so that it can be searched. */
  text(): string {
    return stripVTControlCharacters(this.#output);
  }

  /**
   * Waits for `text` after what was already matched (up to 30 s), and moves past it. Line
   * breaks (with clack's guide line) and runs of spaces count as one space: clack wraps long
   * lines where the terminal width puts them.
   */
  async see(text: string): Promise<void> {
    const wanted = flat(text);
    for (const started = Date.now(); flat(this.text()).indexOf(wanted, this.#from) < 0; ) {
      if (Date.now() - started > 30_000) throw new Error(`No "${text}" in:\n${this.rest()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.#from = flat(this.text()).indexOf(wanted, this.#from) + wanted.length;
  }

  /** What the terminal shows after the last match (flattened). */
  rest(): string {
    return flat(this.text()).slice(this.#from);
  }

  /** Waits for the prompt to become active (clack's ◆), then types `keys`. */
  async at(prompt: string, keys: string): Promise<void> {
    await this.see(`◆  ${prompt}`);
    this.type(keys);
  }

  type(keys: string): void {
    this.#child.stdin?.write(keys);
  }

  kill(): void {
    this.#child.kill();
  }
}

/** `text` with each line break (and clack's guide line after it) and run of spaces as one space. */
function flat(text: string): string {
  return text.replace(/\s*\n[│\s]*/g, ' ').replace(/[ \t]+/g, ' ');
}

/** Runs `walk` against the demo in a terminal, then checks the exit code. */
async function inTerminal(
  args: readonly string[],
  walk: (terminal: Terminal) => Promise<void>,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; screen: string }> {
  const terminal = new Terminal(args, env);
  try {
    await walk(terminal);
    const code = await terminal.exited;
    return { code, screen: terminal.text() };
  } finally {
    terminal.kill();
  }
}

/** Blocks the card with five wrong PINs, from the sign-in menu of a remembered address. */
async function blockTheCard(terminal: Terminal): Promise<void> {
  await terminal.at('Your organization requires a smart card', ENTER); // Sign In
  await terminal.at('Enter your sign-in address', ENTER); // the remembered one
  for (let i = 0; i < 5; i++)
    await terminal.at('Type the PIN for your smart card', `wr0ng-PIN${ENTER}`);
  await terminal.at('Your smart card is blocked', `${UP}${ENTER}`); // Unblock the smart card
}

/** A scripted run with `--state`, which must work. */
async function scripted(state: string): Promise<Run> {
  const run = await demo('--state', state);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run;
}

const FORCED_CHANGE = /default PIN\.|You must change your PIN/;

/**
 * The demo in a pseudo-terminal (util-linux `script`), driven like a person at the keyboard:
 * wait for each prompt to become active (clack's ◆), then type.
 */
describe.skipIf(!hasScript)(
  `npm run demo (interactive, in a pseudo-terminal)${hasScript ? '' : ` (skipped: ${NEEDS_SCRIPT})`}`,
  () => {
    it('walks through with prompts, masked PINs and spinners; each PIN field checks its rules', async () => {
      const { code, screen } = await inTerminal([], async (t) => {
        await t.see('A PIN has 8 to 127 characters: letters, digits, spaces and punctuation.');
        // A 4-character PIN at the station: refused at its field, before the next question.
        await t.at("Enter the smart card's PIN", `1234${ENTER}`);
        await t.see('The PIN must have at least 8 characters.');
        expect(t.rest()).not.toContain('Force the user');
        t.type(`${BACKSPACE.repeat(4)}12345678${ENTER}`);
        await t.at('Force the user to change the PIN', ENTER);
        await t.at('Click OK to confirm that the certificate', ENTER);
        await t.at('Enter your sign-in address', ENTER); // the suggested alice@contoso.com
        await t.see('A new PIN must not be the default PIN 12345678');
        await t.at('Type your current PIN.', `12345678${ENTER}`);
        // A bad new PIN: refused at its field with every rule it breaks, in the SDK's words.
        await t.at('Type a new PIN.', `12345678${ENTER}`);
        await t.see('The new PIN must not be the default PIN.');
        await t.see('The PIN must not be a run such as 1234 or 4321.');
        await t.see('The new PIN must be different from your current PIN.');
        expect(t.rest()).not.toContain('Type the new PIN again');
        t.type(`${CLEAR_LINE}${DEMO_PIN}${ENTER}`);
        // A different confirmation: refused at its field.
        await t.at('Type the new PIN again', `${DEMO_PIN}x${ENTER}`);
        await t.see('The PINs do not match.');
        t.type(`${BACKSPACE}${ENTER}`);
        await t.at('You are signed in.', ENTER); // Close
        await t.at('The display is closed.', ENTER); // a notification
        await t.at(
          'The display is closed. You are still signed in and will keep getting notifications. (1 unread)',
          ENTER,
        ); // Show the display again
        await t.at('You are signed in.', ENTER); // Sign out
        await t.at('Delete my sign-in information?', ENTER);
        await t.at('Your organization requires a smart card', ENTER); // Sign In
        await t.at('Enter your sign-in address', ENTER);
        await t.at('Type the PIN for your smart card', `${DEMO_PIN}${ENTER}`);
        await t.at('You are signed in.', ENTER); // Exit
      });
      expect(code).toBe(0);
      expect(screen).toContain('(interactive)');
      expect(screen).toContain('EKUs:     secureEmail, clientAuth, smartcardLogon');
      expect(screen).toContain('▪▪▪▪▪▪▪▪'); // the PINs, masked
      expect(screen).not.toContain(DEMO_PIN);
      expect(screen).not.toContain('12345678\r');
      expect(screen).toContain('Your PIN has been changed.');
      expect(screen).toContain('The sign-in address is deleted.');
      expect(screen).toContain('Exit: Ends your session and shuts down the program.');
    }, 90_000);

    it('Ctrl+C during a spinner ends the demo with "Cancelled." and code 130', async () => {
      // Key generation never finishes here, so the CA's spinner is up until Ctrl+C.
      const hold = join(root, 'tests', 'demo', 'hold-key-generation.mjs');
      const { code, screen } = await inTerminal(
        [],
        async (t) => {
          await t.see('Creating the embedded CA');
          t.type(CTRL_C);
        },
        { NODE_OPTIONS: `--import=${hold}` },
      );
      expect(code).toBe(130);
      expect(screen).toContain('Cancelled.');
      expect(screen).not.toContain('Canceled');
    }, 60_000);

    it('an admin key typed with spaces unblocks; the chosen PIN is not forced to change again', async () => {
      const state = mkdtempSync(join(tmpdir(), 'smartcard-2fa-demo-'));
      dirs.push(state);
      await scripted(state);
      const { code, screen } = await inTerminal(['--state', state], async (t) => {
        await blockTheCard(t);
        await t.see(
          'An administrator key is 48 hexadecimal digits (24 bytes); spaces are allowed.',
        );
        // Two digits short: refused at the field, with the count.
        const key = '01 02 03 04 05 06 07 08 '.repeat(3).trim();
        await t.at('Enter the administrator key', `${key.slice(0, -3)}${ENTER}`);
        await t.see('this has 46.');
        t.type(`${CLEAR_LINE}${key}${ENTER}`);
        await t.at('Type a new PIN.', `${DEMO_PIN}${ENTER}`);
        await t.at('Type the new PIN again', `${DEMO_PIN}${ENTER}`);
        await t.at('You are signed in.', `${DOWN}${DOWN}${ENTER}`); // Exit
      });
      expect(code).toBe(0);
      expect(screen).toContain('Your PIN has been changed.');
      // The next run signs in with the PIN chosen at the unblock, without another change.
      const next = await scripted(state);
      expect(next.stdout).not.toMatch(FORCED_CHANGE);
      expect(next.stdout).toContain('Signed in as alice@contoso.com with the virtual card');
    }, 120_000);

    it('the default admin key by name: "default" unblocks a new virtual card', async () => {
      const state = mkdtempSync(join(tmpdir(), 'smartcard-2fa-demo-'));
      dirs.push(state);
      await scripted(state);
      const { code } = await inTerminal(['--state', state], async (t) => {
        await blockTheCard(t);
        await t.at('Enter the administrator key', `default${ENTER}`);
        await t.at('Type a new PIN.', `${DEMO_PIN}${ENTER}`);
        await t.at('Type the new PIN again', `${DEMO_PIN}${ENTER}`);
        await t.see('Your PIN has been changed.');
        await t.at('You are signed in.', `${DOWN}${DOWN}${ENTER}`); // Exit
      });
      expect(code).toBe(0);
    }, 120_000);
  },
);
