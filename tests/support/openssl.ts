import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether the `openssl` command (Debian package `openssl`) can be run here. */
export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** The reason a test that needs OpenSSL skips, naming the package to install. */
export const NEEDS_OPENSSL = 'needs the openssl package: apt-get install openssl';

if (!hasOpenssl && process.env.CI) {
  // CI installs it first (scripts/install-system-packages.sh): a skip there would hide a failure.
  throw new Error(
    `CI must run the OpenSSL interop tests, but openssl is missing (${NEEDS_OPENSSL})`,
  );
}
if (!hasOpenssl) console.warn(`OpenSSL interop tests skipped: ${NEEDS_OPENSSL}`);

/** A scratch directory for files handed to openssl; `remove()` deletes it. */
export function scratch(): {
  file: (name: string, bytes: Uint8Array | string) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'sc2fa-openssl-'));
  return {
    file: (name, bytes) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs openssl; returns stdout and stderr together, throwing with both when it fails. */
export function openssl(...args: string[]): string {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${output}`);
  return output;
}
