/**
 * The APDU traces of the PC/SC runs as artifacts: every command and response a PivSmartCard
 * sends (its onApdu hook, secrets masked) written as hex lines to a file under the folder named
 * by env SC2FA_ARTIFACTS (default test-results/pcsc/, ignored by git).
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApduEvent } from '../../../src/card/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The artifacts folder: $SC2FA_ARTIFACTS, or test-results/pcsc/ in the checkout. */
export function artifactsDir(): string {
  return resolve(root, process.env.SC2FA_ARTIFACTS ?? 'test-results/pcsc');
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** One trace file, `<name>.apdu.txt`: emptied when made; `onApdu` appends a line per APDU. */
export interface ApduTraceFile {
  readonly path: string;
  readonly onApdu: (event: ApduEvent) => void;
  /** A comment line (`# ...`) naming what the next APDUs are for. */
  note(text: string): void;
  /** The command APDUs written so far, hex. */
  readonly commands: string[];
}

export function apduTraceFile(name: string): ApduTraceFile {
  const dir = artifactsDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.apdu.txt`);
  writeFileSync(path, `# APDUs the SDK sent (${name}); > command, < response, PINs masked (2a)\n`);
  const commands: string[] = [];
  return {
    path,
    commands,
    onApdu(event) {
      commands.push(hex(event.command));
      const mark = event.masked ? ' (masked)' : '';
      appendFileSync(path, `> ${hex(event.command)}${mark}\n< ${hex(event.response)}\n`);
    },
    note: (text) => appendFileSync(path, `# ${text}\n`),
  };
}
