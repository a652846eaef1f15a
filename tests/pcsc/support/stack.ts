/**
 * A private PC/SC stack for one test file: scripts/pcsc/start-stack.sh (pcscd with a vpcd reader
 * in network and mount namespaces of its own), programs run inside those namespaces, and
 * everything stopped by PID. Tests that need it skip, naming the missing package, when the
 * machine lacks it (CI installs it: scripts/install-system-packages.sh).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

const NEEDED: readonly [path: string, what: string][] = [
  ['/usr/sbin/pcscd', 'pcscd'],
  ['/usr/lib/pcsc/drivers/serial/libifdvpcd.so', 'vsmartcard-vpcd'],
  ['/usr/bin/nsenter', 'util-linux'],
];

/** What is missing for the PC/SC tests on this machine, with `extra` tools: '' when nothing. */
export function missingForPcsc(extra: readonly [path: string, what: string][] = []): string {
  const missing = [...NEEDED, ...extra]
    .filter(([path]) => !existsSync(path))
    .map(([, what]) => what);
  if (process.getuid?.() !== 0) missing.push('root (for namespaces)');
  return ciMustHave(
    missing.length === 0 ? '' : `needs ${missing.join(', ')}: scripts/install-system-packages.sh`,
  );
}

const BINDING = fileURLToPath(
  new URL('../../../node_modules/smartcard/build/Release/smartcard_napi.node', import.meta.url),
);

/** What is missing for tests that also use the `smartcard` binding (PcscReader): '' when nothing. */
export function missingForPcscReader(extra: readonly [path: string, what: string][] = []): string {
  return (
    missingForPcsc(extra) ||
    ciMustHave(
      existsSync(BINDING)
        ? ''
        : 'needs the smartcard binding: npm run build:pcsc (libpcsclite-dev)',
    )
  );
}

/**
 * `reason` (why a test would skip), or '' when nothing is missing. In CI (which installs every
 * system package first) a skip would hide a failure, so there it throws instead.
 */
export function ciMustHave(reason: string): string {
  if (reason !== '' && process.env.CI) {
    throw new Error(`CI must run the PC/SC tests, but this machine ${reason}`);
  }
  return reason;
}

/** A running stack: run programs inside its namespaces; `stop()` ends everything it started. */
export interface PcscStack {
  readonly dir: string;
  /** vpcd's card port inside the namespace. */
  readonly port: number;
  /** Runs `command` inside the namespaces and resolves with its output (rejects on failure). */
  exec(command: string, args: readonly string[], timeoutMs?: number): Promise<string>;
  /** Starts a long-running TypeScript program inside the namespaces (stopped by `stop`). */
  spawnScript(script: string, args?: readonly string[]): ChildProcess;
  /** pcscd's log (its APDUs with -a). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPcscStack(port = 20123): Promise<PcscStack> {
  const dir = mkdtempSync(join(tmpdir(), 'sc2fa-pcsc-'));
  await run('bash', [join(root, 'scripts/pcsc/start-stack.sh'), dir, String(port)], {
    timeout: 20_000,
  });
  const holder = (await readFile(join(dir, 'namespace.pid'), 'utf8')).trim();
  // vpcd writes each APDU's length and its bytes in two sends without TCP_NODELAY: Nagle holds
  // the bytes until the card's delayed ACK (40 ms a command). Quick ACKs on the namespace's
  // loopback make an APDU take well under a millisecond.
  for (const route of ['127.0.0.0/8', '127.0.0.1']) {
    await run('nsenter', [
      ...['-t', holder, '-n', 'ip', 'route', 'replace', 'local', route, 'dev', 'lo'],
      ...[
        'proto',
        'kernel',
        'scope',
        'host',
        'src',
        '127.0.0.1',
        'table',
        'local',
        'quickack',
        '1',
      ],
    ]);
  }
  const inside = (command: string, args: readonly string[]) => [
    '-t',
    holder,
    '-n',
    '-m',
    `--wd=${root}`,
    command,
    ...args,
  ];
  const children = new Set<ChildProcess>();
  return {
    dir,
    port,
    async exec(command, args, timeoutMs = 20_000) {
      const { stdout } = await run('nsenter', inside(command, args), {
        timeout: timeoutMs,
        cwd: root,
      });
      return stdout;
    },
    spawnScript(script, args = []) {
      const tsx = join(root, 'node_modules/.bin/tsx');
      const child = spawn('nsenter', inside(tsx, [join(root, script), ...args]), {
        cwd: root,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    log: () => readFile(join(dir, 'pcscd.log'), 'utf8'),
    async stop() {
      for (const child of children) child.kill('SIGTERM');
      await run('bash', [join(root, 'scripts/pcsc/stop-stack.sh'), dir], { timeout: 20_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first line of `child`'s stdout that `match` accepts (rejects on exit). */
export function lineFrom(
  child: ChildProcess,
  match: (line: string) => boolean,
  timeoutMs = 20_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let errors = '';
    const timer = setTimeout(
      () => reject(new Error(`no such line in time; stderr: ${errors}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      const found = lines.find(match);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before the line; stderr: ${errors}`));
    });
  });
}
