import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const reporter = fileURLToPath(new URL('./summary-reporter.ts', import.meta.url));
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const dir = mkdtempSync(join(tmpdir(), 'summary-reporter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs vitest on `files` (name → source) in a folder of their own; returns its closing line. */
async function closingLine(files: Record<string, string>): Promise<string> {
  const case_ = mkdtempSync(join(dir, 'case-'));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(case_, name), source);
  writeFileSync(
    join(case_, 'vitest.config.mjs'),
    'export default { test: { globals: true, include: ["*.test.mjs"] } };\n',
  );
  const output = await run(
    process.execPath,
    [vitest, 'run', '--root', case_, '--reporter', reporter],
    { cwd: case_, env: { ...process.env, CI: '' } },
  ).then(
    (result) => result.stdout,
    (error: { stdout: string }) => error.stdout,
  );
  const line = output.split('\n').find((text) => text.startsWith('vitest: '));
  if (line === undefined) throw new Error(`no closing line in:\n${output}`);
  return line;
}

describe('the closing summary line', () => {
  it('counts passed, failed and skipped tests', async () => {
    const line = await closingLine({
      'a.test.mjs': 'test("ok", () => {}); test.skip("later", () => {});',
      'b.test.mjs': 'test("bad", () => { throw new Error("no"); });',
    });
    expect(line).toBe('vitest: 1 passed, 1 failed, 1 skipped');
  });

  it('counts a test file that fails to load as a failure', async () => {
    const line = await closingLine({
      'a.test.mjs': 'test("ok", () => {});',
      'broken.test.mjs': 'throw new Error("this file does not load");',
    });
    expect(line).toBe('vitest: 1 passed, 1 failed, 0 skipped');
  });

  it('counts a failing hook whose tests never ran', async () => {
    const line = await closingLine({
      'hook.test.mjs':
        'beforeAll(() => { throw new Error("set-up failed"); }); test("x", () => {});',
    });
    expect(line).toMatch(/^vitest: 0 passed, [1-9]\d* failed, \d+ skipped$/);
  });
});
