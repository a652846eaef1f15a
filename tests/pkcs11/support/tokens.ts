import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Pkcs11 from 'pkcs11js';
import { afterAll, beforeAll } from 'vitest';

/**
 * Real PKCS#11 tokens for tests, made from nothing by `scripts/pkcs11/`: a SoftHSM2 token
 * (`softhsm`) and a software TPM exposed by tpm2-pkcs11 (`tpm`). Each test file gets its own
 * token in a private directory, removed (and its processes stopped) after the file.
 */
export type TokenKind = 'softhsm' | 'tpm';

/** A token made for a test: load `module` with `env` set, then find the token by `label`. */
export interface TestToken {
  readonly kind: TokenKind;
  /** The PKCS#11 module's path. */
  readonly module: string;
  /** The token's label (slot ids move: find the token by it). */
  readonly label: string;
  /** The security officer's PIN. */
  readonly soPin: string;
  /** The user PIN. */
  readonly pin: string;
  /**
   * What the module reads from the environment, set in `process.env` before `C_Initialize`:
   * SOFTHSM2_CONF; or TPM2_PKCS11_TCTI, TPM2_PKCS11_STORE, TPM2TOOLS_TCTI, TSS2_LOG (and
   * DBUS_SESSION_BUS_ADDRESS with a resource manager).
   */
  readonly env: Readonly<Record<string, string>>;
  /** Wrong PINs before the token locks (the TPM's dictionary-attack threshold); `null`: never. */
  readonly maxTries: number | null;
}

/** What a token may be made with: label and PINs (the scripts' defaults otherwise). */
export interface TokenOptions {
  label?: string;
  soPin?: string;
  pin?: string;
  /** TPM only: the dictionary-attack threshold to set (the TPM's default is 3). */
  maxTries?: number;
  /**
   * TPM only: reach the TPM through tpm2-abrmd, left running, as through `/dev/tpmrm0` on a real
   * machine. Without it the module talks to swtpm directly, which holds 3 loaded objects: one
   * key loaded per login, so a second key fails until a logout.
   */
  resourceManager?: boolean;
}

const scripts = fileURLToPath(new URL('../../../scripts/pkcs11/', import.meta.url));

/** Commands each kind needs, with the Debian package that has each one. */
const COMMANDS: Record<TokenKind, readonly (readonly [string, string])[]> = {
  softhsm: [['softhsm2-util', 'softhsm2']],
  tpm: [
    ['swtpm', 'swtpm'],
    ['tpm2_ptool', 'libtpm2-pkcs11-tools'],
    ['tpm2_dictionarylockout', 'tpm2-tools'],
    ['tpm2_getcap', 'tpm2-tools'],
    ['tpm2-abrmd', 'tpm2-abrmd'],
    ['dbus-daemon', 'dbus-daemon'],
  ],
};

/** Libraries each kind needs (file names under /usr/lib, any multiarch directory), and packages. */
const LIBRARIES: Record<TokenKind, readonly (readonly [string, string])[]> = {
  softhsm: [['softhsm/libsofthsm2.so', 'softhsm2']],
  tpm: [
    ['pkcs11/libtpm2_pkcs11.so', 'libtpm2-pkcs11-1'],
    ['libtss2-tcti-tabrmd.so.0', 'libtss2-tcti-tabrmd0'],
  ],
};

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function libraryExists(file: string): boolean {
  const dirs = ['/usr/lib', '/usr/local/lib'];
  try {
    for (const entry of readdirSync('/usr/lib')) {
      if (entry.endsWith('-linux-gnu')) dirs.push(join('/usr/lib', entry));
    }
  } catch {
    // no /usr/lib: nothing found
  }
  return dirs.some((dir) => existsSync(join(dir, file)));
}

/**
 * The pkcs11js binding (a devDependency; `npm install` leaves it unbuilt, as .npmrc sets
 * ignore-scripts, and `npm run build:pkcs11` builds it with a C++ toolchain), loaded on first use
 * so that a test file that skips never needs it.
 */
export function pkcs11js(): typeof Pkcs11 {
  return createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11;
}

/** The binding's load error, or `null` when it loads. */
function bindingProblem(): string | null {
  try {
    pkcs11js();
    return null;
  } catch (error) {
    const why = String(error).split('\n')[0];
    return `need the pkcs11js binding built, which needs a C++ toolchain (Debian: build-essential python3): npm run build:pkcs11 (${why})`;
  }
}

/**
 * Why tokens of `kind` cannot be made here, naming the Debian packages to install (or the
 * binding to rebuild); `null` when they can.
 */
export function missingFor(kind: TokenKind): string | null {
  const packages = new Set<string>();
  for (const [command, pkg] of COMMANDS[kind]) if (!onPath(command)) packages.add(pkg);
  for (const [file, pkg] of LIBRARIES[kind]) if (!libraryExists(file)) packages.add(pkg);
  const binding = bindingProblem();
  if (packages.size > 0) {
    const list = [...packages].join(' ');
    const need = `need the Debian package${packages.size > 1 ? 's' : ''} ${list}: apt-get install ${list}`;
    return binding === null ? need : `${need}; and ${binding.replace(/^need /, '')}`;
  }
  return binding;
}

const NAMES: Record<TokenKind, string> = { softhsm: 'SoftHSM2', tpm: 'TPM (swtpm + tpm2-pkcs11)' };

/**
 * Whether tokens of `kind` can be made here. Locally a test skips when they cannot, with a
 * warning naming the package; in CI (`CI` set) this throws: the install script put them there,
 * and a skip would hide a failure.
 */
export function tokenSupport(kind: TokenKind): { available: boolean; reason: string } {
  const reason = missingFor(kind);
  if (reason !== null && process.env.CI) {
    throw new Error(`CI must run the ${NAMES[kind]} token tests, but here they ${reason}`);
  }
  if (reason !== null) console.warn(`${NAMES[kind]} token tests skipped: ${reason}`);
  return { available: reason === null, reason: reason ?? '' };
}

function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): string {
  const run = spawnSync('bash', [join(scripts, script), ...args], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  if (run.status !== 0) {
    throw new Error(
      `scripts/pkcs11/${script} ${args[0]} failed (${run.status ?? run.signal}):\n${run.stderr}`,
    );
  }
  return run.stdout;
}

function parseExports(stdout: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) vars[match[1]] = match[2];
  }
  return vars;
}

function required(vars: Record<string, string>, name: string): string {
  const value = vars[name];
  if (value === undefined || value === '') throw new Error(`the token script printed no ${name}`);
  return value;
}

/** Makes a token of `kind` now; `stop()` stops its processes and deletes its directory. */
export function startTestToken(
  kind: TokenKind,
  options: TokenOptions = {},
): TestToken & { stop(): void } {
  const dir = mkdtempSync(join(tmpdir(), `sc2fa-${kind}-`));
  const script = kind === 'softhsm' ? 'softhsm.sh' : 'tpm-token.sh';
  const [up, down] = kind === 'softhsm' ? ['setup', 'teardown'] : ['start', 'stop'];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.maxTries !== undefined) env.TPM_MAX_TRIES = String(options.maxTries);
  if (options.resourceManager === true) env.TPM_RESOURCE_MANAGER = 'abrmd';
  // An empty argument means "the script's default".
  const args = [up, dir, options.label ?? '', options.soPin ?? '', options.pin ?? ''];
  let vars: Record<string, string>;
  try {
    vars = parseExports(runScript(script, args, env));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const moduleEnv: Record<string, string> =
    kind === 'softhsm'
      ? { SOFTHSM2_CONF: required(vars, 'SOFTHSM2_CONF') }
      : {
          TPM2_PKCS11_TCTI: required(vars, 'TPM2_PKCS11_TCTI'),
          TPM2_PKCS11_STORE: required(vars, 'TPM2_PKCS11_STORE'),
          TPM2TOOLS_TCTI: required(vars, 'TPM2TOOLS_TCTI'),
          ...(vars.DBUS_SESSION_BUS_ADDRESS === undefined
            ? {}
            : { DBUS_SESSION_BUS_ADDRESS: vars.DBUS_SESSION_BUS_ADDRESS }),
          // The TSS's own warnings on every wrong PIN; tpm2-pkcs11's ERROR lines stay.
          TSS2_LOG: 'all+none',
        };
  const maxTries = kind === 'tpm' ? Number(required(vars, 'TPM_MAX_TRIES')) : null;
  let stopped = false;
  return {
    kind,
    module: required(vars, 'PKCS11_MODULE'),
    label: required(vars, 'PKCS11_TOKEN_LABEL'),
    soPin: required(vars, 'PKCS11_SO_PIN'),
    pin: required(vars, 'PKCS11_PIN'),
    env: moduleEnv,
    maxTries,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        runScript(script, [down, dir], process.env);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Makes a token of `kind` in `beforeAll` and removes it in `afterAll`, for the enclosing
 * `describe` (or file); returns a function giving the token once it is made.
 */
export function useTestToken(kind: TokenKind, options: TokenOptions = {}): () => TestToken {
  let token: (TestToken & { stop(): void }) | undefined;
  beforeAll(() => {
    token = startTestToken(kind, options);
  }, 60_000);
  afterAll(() => token?.stop(), 30_000);
  return () => {
    if (token === undefined) throw new Error(`the ${kind} token is not made yet (use it in tests)`);
    return token;
  };
}

function tpmTool(token: TestToken, tool: string, ...args: string[]): string {
  const tcti = token.env.TPM2TOOLS_TCTI;
  if (tcti === undefined) throw new Error(`${tool} needs a TPM token`);
  const run = spawnSync(tool, ['-T', tcti, ...args], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { ...process.env, ...token.env },
  });
  if (run.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed:\n${run.stderr}`);
  return run.stdout;
}

/** Clears the TPM's dictionary-attack lockout and its failure count (the lockout auth is empty). */
export function clearTpmLockout(token: TestToken): void {
  tpmTool(token, 'tpm2_dictionarylockout', '--clear-lockout');
}

/** The TPM's count of authorization failures (TPM2_PT_LOCKOUT_COUNTER). */
export function tpmLockoutCounter(token: TestToken): number {
  const out = tpmTool(token, 'tpm2_getcap', 'properties-variable');
  const match = /^TPM2_PT_LOCKOUT_COUNTER:\s*0x([0-9a-f]+)$/im.exec(out);
  if (match?.[1] === undefined) throw new Error(`no TPM2_PT_LOCKOUT_COUNTER in:\n${out}`);
  return Number.parseInt(match[1], 16);
}
