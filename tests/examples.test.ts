/**
 * Every example runs, says what its guide says it says, and every guide quotes its example
 * verbatim, so neither can drift from the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenSupport, useTestToken } from './pkcs11/support/tokens.js';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

type Main = (log: (line: string) => void) => Promise<void>;

async function run(example: string): Promise<string[]> {
  const path = fileURLToPath(new URL(`examples/${example}`, root));
  const module = (await import(/* @vite-ignore */ path)) as { main?: unknown };
  expect(module.main, `${example} exports main`).toBeTypeOf('function');
  const lines: string[] = [];
  await (module.main as Main)((line) => lines.push(line));
  return lines;
}

/** What the first line starting with `label: ` says after it. */
function said(lines: readonly string[], label: string): string | undefined {
  const line = lines.find((l) => l.startsWith(`${label}: `));
  return line?.slice(label.length + 2);
}

/**
 * Examples that need a real token: run below, where SoftHSM2 is installed; the one that
 * needs the PC/SC stack, run inside it by tests/pcsc/examples.test.ts; and the servers, which
 * serve until stopped: the mTLS server, run by tests/mtls/ (https, card-tls and nginx tests),
 * and the sign-in instance on Redis, run twice by tests/redis/two-instances.test.ts.
 */
const NEEDS_TOKEN = new Set([
  'real-token.ts',
  'pcsc-sign-in.ts',
  'mtls-server.ts',
  'sign-in-instance.ts',
]);

describe('examples', () => {
  const examples = readdirSync(new URL('examples/', root)).filter(
    (f) => f.endsWith('.ts') && !NEEDS_TOKEN.has(f),
  );

  it('has examples', () => {
    expect(examples).toContain('pin-first-use.ts');
  });

  it.each(examples)('%s runs and logs', async (example) => {
    const lines = await run(example);
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('examples/pin-first-use.ts', () => {
  it("walks a new card's PIN: first-use change, wrong PINs, PUK, saved state, reset", async () => {
    const lines = await run('pin-first-use.ts');

    expect(said(lines, 'new card')).toBe('default PIN, must change, 3 of 3 attempts left');
    expect(said(lines, 'verify the default PIN')).toBe('verified, must change');

    // Each refused candidate lists every rule it breaks, by code.
    const refusals: string[][] = [];
    for (const line of lines) {
      if (line === 'new PIN refused:') refusals.push([]);
      else if (line.startsWith('  ')) refusals.at(-1)?.push(line.trim().split(':')[0] ?? '');
    }
    expect(refusals).toEqual([
      ['default-pin', 'sequence', 'same-as-current'],
      ['too-short', 'repeated-character'],
    ]);

    expect(said(lines, 'change the PIN')).toBe('changed');
    expect(said(lines, 'after the change')).toMatch(/^own PIN, no change needed, 3 of 3/);

    const wrong = lines.filter((l) => l.startsWith('wrong PIN: ')).map((l) => l.slice(11));
    expect(wrong).toEqual([
      'incorrect, 2 attempts left',
      'incorrect, 1 attempt left',
      'blocked',
      'incorrect, 2 attempts left', // after the restore
    ]);
    expect(said(lines, 'right PIN while blocked')).toBe('blocked');
    expect(said(lines, 'unblock with the PUK')).toBe('unblocked');
    expect(said(lines, 'verify the new PIN')).toBe('verified');

    expect(said(lines, 'saved record')).toBe('integrity HMAC-SHA-256, PIN in clear: false');
    expect(said(lines, 'restored')).toMatch(/^own PIN, no change needed, 3 of 3/);
    expect(said(lines, 'edited record refused')).toBe('ERR_STATE_CORRUPT');
    expect(said(lines, 'after an admin reset')).toMatch(/^default PIN, must change, 3 of 3/);

    // The guide shows the whole output; it must be what the example prints.
    const shown = read('docs/pin-policy.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });
});

describe('examples/smart-cards.ts', () => {
  it('uses a physical and a virtual card with the same code', async () => {
    const temps = () => readdirSync(tmpdir()).filter((f) => f.startsWith('smartcard-2fa-example-'));
    const before = new Set(temps());
    const lines = await run('smart-cards.ts');

    // The same useCard() for both kinds: verify, create a key set, sign, check, list.
    for (const kind of ['physical', 'virtual']) {
      expect(lines, kind).toContain(`new key set (${kind}): RSA-2048, exchange`);
      expect(lines, kind).toContain(`signature checks (${kind}): true`);
      expect(lines, kind).toContain(`key container (${kind}): RSA-2048, no certificate yet`);
    }

    // Physical: the prompt's wait times out, then ends with the inserted card.
    expect(said(lines, 'waiting 20 ms')).toBe('null');
    expect(lines.filter((l) => l.startsWith('reader: '))).toEqual([
      'reader: card ALICE-0001 inserted',
      'reader: card ALICE-0001 removed',
      'reader: card ALICE-0001 inserted',
    ]);
    expect(said(lines, 'physical card detected')).toMatch(
      /^ALICE-0001 "Alice", blank, default PIN, must change, 5 of 5 attempts left/,
    );
    // Must-change is reported by the card and enforced by the app.
    expect(lines.filter((l) => l.startsWith('verify the PIN (physical): '))).toEqual([
      'verify the PIN (physical): verified, must change',
      'verify the PIN (physical): verified',
    ]);
    expect(said(lines, 'use the card (physical)')).toBe('not until the PIN is changed');
    expect(said(lines, 'change the PIN (physical)')).toBe('changed');
    // Removal: the operation under way fails, the card is as it was, the session is over.
    expect(said(lines, 'removed during key generation')).toBe('ERR_CARD_REMOVED');
    expect(said(lines, 'sign with the card out')).toBe('ERR_CARD_REMOVED');
    expect(said(lines, 'back in')).toBe('1 key container, PIN verified: false');
    expect(said(lines, 'sign after re-insert')).toBe('ERR_PIN_REQUIRED');
    expect(said(lines, 'verify the PIN again')).toBe('verified');
    expect(said(lines, 'sign')).toBe('a 256-byte signature');

    // Virtual: tpmvscmgr's defaults, blocked after 5, unblocked with the admin key.
    expect(said(lines, 'virtual card created')).toBe(
      'VSC-ALICE-01 "Alice", blank, default PIN, must change, 5 of 5 attempts left, unblock: puk or admin-key',
    );
    expect(said(lines, 'admin key for the help desk')).toBe('24 random bytes, handed out once');
    expect(lines.filter((l) => l.startsWith('verify the PIN (virtual): '))).toEqual([
      'verify the PIN (virtual): verified, must change',
      'verify the PIN (virtual): verified',
    ]);
    expect(said(lines, 'first PIN change (virtual)')).toBe('changed');
    expect(
      lines.filter((l) => l.startsWith('wrong PIN (virtual): ')).map((l) => l.slice(21)),
    ).toEqual([
      'incorrect, 4 left',
      'incorrect, 3 left',
      'incorrect, 2 left',
      'incorrect, 1 left',
      'blocked',
    ]);
    expect(said(lines, 'right PIN while blocked')).toBe('blocked');
    expect(said(lines, 'TPM')).toBe('5 failures counted, locked out: false');
    expect(said(lines, 'unblock with the admin key')).toBe('unblocked');
    expect(said(lines, "verify the help desk's PIN")).toBe('verified, must change');
    expect(said(lines, 'change the PIN (virtual)')).toBe('changed');
    // Persistence: sealed in a FileStore, reopened on its device only; damage refused.
    expect(said(lines, 'card store')).toBe('vsc-VSC-ALICE-01');
    expect(said(lines, 'reopened on this device')).toBe('verified, 1 key container');
    expect(said(lines, 'opened on another device')).toBe('ERR_DEVICE_MISMATCH');
    expect(said(lines, 'load a damaged file')).toBe('ERR_STATE_CORRUPT');
    expect(said(lines, 'left as it was')).toBe('true');

    // Never a PIN, PUK or wrong guess in the output; the temporary directory is gone.
    for (const secret of [
      '12345678',
      'k7#Lm2pQ',
      'Wd3#kP9m',
      'Tmp-4821-x',
      'Vq8#nR2z',
      '27182818',
      'not-my',
    ]) {
      expect(lines.join('\n')).not.toContain(secret);
    }
    expect(temps().filter((f) => !before.has(f))).toEqual([]);

    // The guide shows the whole output; it must be what the example prints.
    const shown = read('docs/smart-cards.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });

  it('is quoted by docs/smart-cards.md', () => {
    expect(read('docs/smart-cards.md')).toContain('from `examples/smart-cards.ts`');
  });
});

describe('examples/enroll-a-card.ts', () => {
  const STATION = [
    'check-card',
    'verify-pin',
    'build-request',
    'submit',
    'confirm',
    'install',
    'require-pin-change',
    'done',
  ];

  it('walks the enrollment procedure, self and by an agent', { timeout: 60_000 }, async () => {
    const lines = await run('enroll-a-card.ts');
    const steps = (kind: string) =>
      lines.filter((l) => l.startsWith(`step (${kind}): `)).map((l) => l.slice(kind.length + 9));

    expect(said(lines, 'CA')).toBe('CN=Contoso Issuing CA, certified by CN=Contoso Root CA');

    // Self-enrollment with the enrollment station's form: every station step, in order.
    expect(steps('physical')).toEqual(STATION);
    expect(said(lines, 'request (physical)')).toBe('cmc, template SmartcardUser');
    expect(said(lines, 'friendly name "Smartcard Certificate" in the request')).toBe('false');
    // The holder is shown the certificate between the confirm and install steps.
    const confirmAt = lines.indexOf('step (physical): confirm');
    const installAt = lines.indexOf('step (physical): install');
    const shown = lines.slice(confirmAt + 1, installAt);
    expect(shown).toEqual([
      'certificate subject: CN=Alice Example, OU=Users, OU=Corp, DC=contoso, DC=com',
      'certificate issuer: CN=Contoso Issuing CA',
      'certificate UPN: alice@contoso.com',
      'certificate e-mail: alice@contoso.com',
      'certificate EKUs: secureEmail, clientAuth, smartcardLogon',
      'certificate validity: 365 days',
    ]);
    expect(said(lines, 'enrollment (physical)')).toBe(
      'installed (request 1), PIN change required: true',
    );
    expect(said(lines, 'key container (physical)')).toBe('RSA-2048, exchange, a certificate');
    expect(said(lines, 'installed certificate is the issued one')).toBe('true');
    // The PIN change the station forced: the default PIN works, and must be changed first.
    expect(said(lines, 'first use, default PIN (physical)')).toBe('verified, must change');
    expect(said(lines, 'change the PIN (physical)')).toBe('changed');
    expect(said(lines, 'verify the new PIN (physical)')).toBe('verified');

    // On behalf of: the agent's certificate first, then the virtual card through every step.
    expect(said(lines, 'agent certificate (request 2)')).toBe('certificateRequestAgent');
    expect(steps('virtual')).toEqual(STATION);
    expect(said(lines, 'request (virtual)')).toBe('cmc, template SmartcardUser');
    expect(said(lines, 'confirm (virtual)')).toBe(
      'CN=Alice Example, OU=Users, OU=Corp, DC=contoso, DC=com, alice@contoso.com',
    );
    expect(said(lines, 'enrollment (virtual)')).toBe(
      'installed (request 3), PIN change required: true',
    );
    expect(said(lines, 'key container (virtual)')).toBe('RSA-2048, certificate: true');
    expect(said(lines, 'PIN must change (virtual)')).toBe('true');

    // Denied through certsrv: no confirm or install, and the card is as it was.
    expect(steps('denied')).toEqual(STATION.slice(0, 4));
    expect(said(lines, 'enrollment (denied)')).toBe(
      'denied (request 4): The account CONTOSO\\mallory is not in the directory.',
    );
    expect(said(lines, 'card after the denial')).toBe('blank, 0 containers');

    // Revoked: the CRL lists the serial of Alice's physical card, signed by the issuing CA.
    expect(said(lines, 'CRL')).toBe("1 revoked, Alice's physical card listed: true");
    expect(said(lines, 'CRL signed by the issuing CA')).toBe('true');

    // Never a PIN or a password in the output.
    for (const secret of ['12345678', 'k7#Lm2pQ', 'Hd#58-30q', 'correct horse']) {
      expect(lines.join('\n')).not.toContain(secret);
    }

    // The guide shows the whole output; it must be what the example prints.
    const printed = read('docs/enroll-a-card.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(printed?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });

  it('is quoted by docs/enroll-a-card.md', () => {
    expect(read('docs/enroll-a-card.md')).toContain('from `examples/enroll-a-card.ts`');
  });
});

describe('examples/sign-in.ts', () => {
  it('signs in through the machine: forced PIN change, Close, Sign out, Exit', async () => {
    const lines = await run('sign-in.ts');
    const routes = lines.filter((l) => /^[a-z-]+ \[(input|busy|done)\]: /.test(l));
    const screen = (route: string, status = 'input') => `${route} [${status}]: `;

    expect(lines[0]).toBe('card: virtual, installed, default PIN true, must change true');
    // A virtual card: no insert step; the default PIN is changed before the sign-in.
    expect(routes.some((l) => l.startsWith('insert-card') || l.startsWith('card-detected'))).toBe(
      false,
    );
    const change = lines.filter((l) => l.startsWith(screen('change-pin')));
    expect(change[0]).toContain('still uses the default PIN');
    expect(change[1]).toContain('must not be the default PIN');
    expect(change[1]).toContain('different from your current PIN');
    expect(said(lines, 'signing-in [busy]')).toContain('Your PIN has been changed.');
    expect(lines).toContain('signed in as alice@contoso.com with a virtual card');

    // Close counts notifications; Sign out deletes the address; the wrong PIN counts down.
    expect(lines).toContain(
      `${screen('signed-in')}The display is closed. You are still signed in and will keep getting notifications. [1 unread]`,
    );
    expect(lines).toContain('address after sign out: ""');
    expect(lines.filter((l) => l.startsWith('(the app ends'))).toHaveLength(2);
    expect(lines.some((l) => l.includes('4 attempts remaining'))).toBe(true);
    expect(lines).toContain('machine: done');
    expect(lines).toContain(
      `${screen('exited', 'done')}Ends your session and shuts down the program.`,
    );
    expect(lines.at(-1)).toBe(`${screen('signed-in')}로그인되었습니다.`);

    // Never a PIN in the output: events show their secrets as [Secret].
    for (const secret of ['12345678', 'k7#Lm2pQ', 'k7#Lm2pX']) {
      expect(lines.join('\n')).not.toContain(secret);
    }
    expect(lines.filter((l) => l.includes('"[Secret]"')).length).toBeGreaterThan(0);

    // The guide shows the whole output; it must be what the example prints.
    const shown = read('docs/sign-in.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });

  it('is quoted by docs/sign-in.md', () => {
    expect(read('docs/sign-in.md')).toContain('from `examples/sign-in.ts`');
  });

  it("limitChallenges: a client's challenges per window are bounded, other clients unaffected", async () => {
    const { limitChallenges } = await import('../examples/sign-in.js');
    let time = 0;
    const allow = limitChallenges(3, 60_000, () => time);
    expect([1, 2, 3, 4].map(() => allow('203.0.113.7'))).toEqual([true, true, true, false]);
    expect(allow('198.51.100.2')).toBe(true);
    time = 60_000;
    expect(allow('203.0.113.7')).toBe(true);
  });
});

describe('examples/first-sign-in.ts', () => {
  it('signs in the first time: an empty box, a filled-in one, Delete my sign-in information', async () => {
    const lines = await run('first-sign-in.ts');
    const screen = (route: string, status = 'input') => `${route} [${status}]: `;
    const prompt = 'Enter your sign-in address (this is usually the same as your email address).';

    expect(said(lines, '"alice" is a sign-in address')).toBe('false');
    expect(said(lines, '"alice@contoso.com" is a sign-in address')).toBe('true');

    // The first run: the box is empty; a bad address stays with its notice; a wrong password.
    expect(lines).toContain(`${screen('sign-in')}${prompt} [address: ""]`);
    expect(lines).toContain(
      `${screen('sign-in')}${prompt} [address: ""] (That is not a valid sign-in address. It usually looks like an email address: check it and try again.)`,
    );
    expect(lines).toContain(
      `${screen('password')}Enter your password. (The sign-in address or password is not correct. Check them and try again.)`,
    );
    expect(lines).toContain('signed in as Alice Example (alice@contoso.com)');

    // The store holds the address after a sign-in, and nothing after the delete.
    expect(lines.filter((l) => l.startsWith('stored sign-in information: '))).toEqual([
      'stored sign-in information: {"address":"alice@contoso.com"}',
      'stored sign-in information: nothing',
    ]);
    // The next run: the box is filled in, and a bare Sign In takes it.
    const filled = lines.indexOf(`${screen('sign-in')}${prompt} [address: "alice@contoso.com"]`);
    expect(filled).toBeGreaterThan(0);
    expect(lines[filled + 1]).toBe('> SIGN_IN');
    expect(lines[filled + 2]).toBe(`${screen('password')}Enter your password.`);

    // Smart card sign-in: the hints, and Delete my sign-in information on the sign-in screen.
    expect(lines.filter((l) => l.startsWith('hint: '))).toEqual([
      'hint: Your organization requires a smart card to sign in.',
      'hint: Before you use your smart card for the first time, select Delete my sign-in information. This clears sign-in information stored on this computer that could cause errors.',
      'hint: Your organization requires a smart card to sign in.',
    ]);
    expect(lines).toContain('> DELETE_SIGN_IN_INFO');

    // The client's terms in Korean and Traditional Chinese.
    expect(lines).toContain('ko-KR: 로그인 | 내 로그인 정보 삭제 | 종료');
    expect(lines).toContain('zh-TW: 登入 | 刪除我的登入資訊 | 結束');
    expect(lines).toContain(
      `${screen('sign-in')}로그인 주소를 입력하세요(일반적으로 전자 메일 주소와 같습니다). [address: ""]`,
    );
    expect(lines).toContain(
      `${screen('sign-in')}請輸入您的登入位址（通常與您的電子郵件地址相同）。 [address: ""]`,
    );
    expect(lines.at(-1)).toBe(
      `${screen('password')}請輸入您的密碼。 (登入位址或密碼不正確。請檢查後再試一次。)`,
    );

    // Never a password in the output: events show their secrets as [Secret].
    for (const secret of ['Tr0ub4dor', 'correct horse']) {
      expect(lines.join('\n')).not.toContain(secret);
    }
    expect(lines.filter((l) => l.includes('"[Secret]"')).length).toBeGreaterThan(0);

    // The guide shows the whole output; it must be what the example prints.
    const shown = read('docs/first-sign-in.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });

  it('is quoted by docs/first-sign-in.md', () => {
    expect(read('docs/first-sign-in.md')).toContain('from `examples/first-sign-in.ts`');
  });
});

describe('examples/close-sign-out-exit.ts', () => {
  it('closes, signs out with and without deleting the sign-in information, and exits', async () => {
    const lines = await run('close-sign-out-exit.ts');
    const screen = (route: string, status = 'input') => `${route} [${status}]: `;

    // Signed in: the address is stored and the card session is open.
    expect(said(lines, 'stored')).toBe('alice@contoso.com; card PIN verified: true');

    // Close: still signed in; notifications counted while closed; Restore clears the count.
    expect(said(lines, 'display')).toBe('closed, signed in as alice@contoso.com');
    expect(lines).toContain(
      `${screen('signed-in')}The display is closed. You are still signed in and will keep getting notifications. [2 unread]`,
    );
    expect(said(lines, 'unread')).toBe('2');
    expect(lines).toContain('display: open, unread: 0');

    // Sign out keeps the address; with deleteSignInInfo the box and the store are empty.
    expect(lines.filter((l) => l.startsWith('address box: '))).toEqual([
      'address box: "alice@contoso.com"; stored: alice@contoso.com',
      'address box: ""; stored: nothing',
    ]);
    expect(said(lines, 'card PIN verified')).toBe('false');
    expect(lines).toContain('> SIGN_OUT {"deleteSignInInfo":true}');

    // endSession for both sign-outs and the exit; Exit ends in the final state and keeps the store.
    expect(lines.filter((l) => l.startsWith('(endSession: '))).toHaveLength(3);
    expect(lines).toContain(
      `${screen('exited', 'done')}Ends your session and shuts down the program.`,
    );
    expect(said(lines, 'route')).toBe('exited, status: done, actor: done');
    expect(lines.at(-1)).toBe('stored: alice@contoso.com; card PIN verified: false');

    // Never a PIN in the output.
    expect(lines.join('\n')).not.toContain('k7#Lm2pQ');

    // The guide shows the whole output; it must be what the example prints.
    const shown = read('docs/close-sign-out-exit.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });

  it('is quoted by docs/close-sign-out-exit.md', () => {
    expect(read('docs/close-sign-out-exit.md')).toContain('from `examples/close-sign-out-exit.ts`');
  });
});

describe('examples/testing.ts', () => {
  it('tests an app with the testing kit: removal, a blocked PIN, a torn write', async () => {
    const lines = await run('testing.ts');

    expect(lines[0]).toBe(
      'card: physical ALICE-01 in Test Reader 0, certificate for alice@contoso.test',
    );
    // The card pulled out while it signs sends the machine back to the insert prompt.
    expect(said(lines, 'routes')).toBe(
      'sign-in > insert-card > card-detected > pin > signing-in > insert-card > card-detected > pin > signing-in > signed-in',
    );
    expect(said(lines, 'signed in as alice@contoso.test')).toBeUndefined();
    expect(lines).toContain('signed in as alice@contoso.test');
    expect(lines).toContain('  sign: ERR_CARD_REMOVED (remove)');
    expect(lines).toContain('  sign: ok');
    expect(said(lines, 'blocked card')).toBe('card-blocked, unblock with the admin-key');
    expect(said(lines, 'torn wrong-PIN check')).toBe('ERR_STORAGE');
    expect(said(lines, 'attempts left after it')).toBe('5');
    expect(said(lines, 'failed pinStatus')).toBe('ERR_CARD_REMOVED');

    // Never a PIN in the output.
    for (const secret of ['12345678', 'k7#Lm2pQ', 'Not-my-PIN']) {
      expect(lines.join('\n')).not.toContain(secret);
    }

    // The guide shows the whole output; it must be what the example prints.
    const shown = read('docs/testing.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });

  it('is quoted by docs/testing.md', () => {
    expect(read('docs/testing.md')).toContain('from `examples/testing.ts`');
  });
});

describe.skipIf(!tokenSupport('softhsm').available)('examples/real-token.ts', () => {
  const token = useTestToken('softhsm');
  const saved = { ...process.env };
  afterAll(() => {
    for (const name of ['PKCS11_MODULE', 'PKCS11_TOKEN_LABEL', 'PKCS11_PIN', 'SOFTHSM2_CONF']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('uses a SoftHSM2 token as a SmartCard, and prints what its guide shows', async () => {
    const t = token();
    Object.assign(process.env, t.env, {
      PKCS11_MODULE: t.module,
      PKCS11_TOKEN_LABEL: t.label,
      PKCS11_PIN: t.pin,
    });
    const lines = await run('real-token.ts');
    expect(said(lines, 'wrong PIN')).toBe('4 attempts left');
    expect(said(lines, 'right PIN')).toBe('verified');
    expect(said(lines, 'signature checks')).toBe('true');
    const shown = read('docs/real-tokens.md')
      .split('## What it prints')[1]
      ?.match(/```text\n([\s\S]*?)```/);
    expect(shown?.[1]?.trimEnd().split('\n')).toEqual(lines);
  });

  it('is quoted by docs/real-tokens.md', () => {
    expect(read('docs/real-tokens.md')).toContain('from `examples/real-token.ts`');
  });
});

describe('examples/adcs-revocation.ts', () => {
  it('signs Alice in, then refuses her once a delta CRL lists her lost card', async () => {
    const lines = await run('adcs-revocation.ts');
    expect(said(lines, 'before')).toBe('signed in');
    expect(said(lines, 'after the delta CRL')).toMatch(/^refused: certificate-invalid, .*listed/);
  });
});

describe('examples/piv-federation.ts', () => {
  it('signs Alice in; refuses Bob by OCSP and Carol by the PIV policy', async () => {
    const lines = await run('piv-federation.ts');
    expect(said(lines, 'alice')).toBe('signed in');
    expect(said(lines, 'bob')).toBe('refused: revoked');
    expect(said(lines, 'carol')).toBe('refused: policy');
  });
});

describe('guides quote their examples', () => {
  const guides = readdirSync(new URL('docs/', root))
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const text = read(`docs/${f}`);
      const sources = [...text.matchAll(/from `?examples\/([\w-]+\.ts)/g)].map((m) => m[1] ?? '');
      return { guide: `docs/${f}`, text, sources };
    })
    .filter((g) => g.sources.length > 0);

  it('docs/pin-policy.md is the guide of examples/pin-first-use.ts', () => {
    const guide = guides.find((g) => g.guide === 'docs/pin-policy.md');
    expect(guide?.sources).toContain('pin-first-use.ts');
  });

  it.each(guides)(
    '$guide: every ts block is verbatim from its example',
    ({ guide, text, sources }) => {
      const code = sources.map((s) => read(`examples/${s}`)).join('\n');
      const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
      expect(blocks.length).toBeGreaterThan(0);
      // Blocks may be dedented in the guide, so leading spaces are ignored.
      const flat = (s: string) => s.replace(/^ +/gm, '');
      for (const block of blocks) {
        expect(flat(code), `${guide} quotes code not in its example`).toContain(flat(block));
      }
    },
  );
});

describe('README.md runs', () => {
  const readme = read('README.md');
  const example = read('examples/readme.ts');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  /** The names each module is imported with in `source`: `{ 'xstate': Set { 'createActor' } }`. */
  const importsOf = (source: string) => {
    const names = new Map<string, Set<string>>();
    for (const [, list = '', from = ''] of source.matchAll(
      /^import (?:type )?\{([^}]*)\} from '([^']+)';$/gm,
    )) {
      const set = names.get(from) ?? new Set<string>();
      for (const name of list.split(',')) {
        const bare = name.trim().replace(/^type /, '');
        if (bare !== '') set.add(bare);
      }
      names.set(from, set);
    }
    return names;
  };

  it('has ts blocks, and examples/readme.ts is the program they come from', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(readme).toContain('[examples/readme.ts](examples/readme.ts)');
  });

  it.each(blocks.map((block, index) => ({ index, block })))(
    'block $index: its imports are the example’s, its code the example’s lines in order',
    ({ block }) => {
      const wanted = importsOf(block);
      const have = importsOf(example);
      for (const [from, names] of wanted) {
        for (const name of names) expect(have.get(from), `${name} from ${from}`).toContain(name);
      }
      // Every other line of the block is a line of the example, in the same order.
      const lines = example.split('\n').map((line) => line.trim());
      let at = 0;
      for (const line of block.split('\n').map((text) => text.trim())) {
        if (line === '' || line.startsWith('import ')) continue;
        const found = lines.indexOf(line, at);
        expect(found, `README line not in examples/readme.ts (in order): ${line}`).toBeGreaterThan(
          -1,
        );
        at = found + 1;
      }
    },
  );

  it('examples/readme.ts signs Alice in with her new PIN and exits', async () => {
    const lines = await run('readme.ts');
    expect(lines).toContain('route: change-pin');
    expect(said(lines, 'signed in')).toBe('alice@contoso.com');
    expect(lines.at(-1)).toBe('route: exited');
  });
});
