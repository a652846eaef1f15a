/**
 * The package's types as an app compiles them: the SDK's declarations are built as
 * `npm run build` builds them (tsup, one bundle per entry) and laid out as the package ships them (package.json `exports` → `dist/**.d.ts`), and
 * two consumer programs (tests/package/consumer/) are type-checked against them with
 * `skipLibCheck: false`: a Node server without the DOM library and with it, a browser app with the
 * DOM library and no Node types, each under `moduleResolution` node16 and bundler.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
// Inside the repository, so that the declarations' own imports (xstate, ...) resolve.
const work = join(root, 'node_modules/.cache/consumer-types');
const consumer = join(work, 'app');

async function typecheck(config: object): Promise<string> {
  const name = `tsconfig.${Math.random().toString(36).slice(2)}.json`;
  writeFileSync(join(consumer, name), JSON.stringify(config));
  try {
    await run(process.execPath, [tsc, '-p', name], { cwd: consumer });
    return '';
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return `${stdout}${stderr}`.trim() || String(error);
  }
}

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  const pkg = join(work, 'smartcard-2fa');
  mkdirSync(pkg, { recursive: true });
  // The declarations exactly as `npm run build` emits them (tsup, bundled per entry).
  const tsup = join(root, 'node_modules/tsup/dist/cli-default.js');
  await run(process.execPath, [tsup, '--dts-only', '--silent', '-d', join(pkg, 'dist')], {
    cwd: root,
  });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  symlinkSync(pkg, join(consumer, 'node_modules/smartcard-2fa'), 'dir');
  cpSync(new URL('./consumer/', import.meta.url), consumer, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), '{ "type": "module", "private": true }\n');
}, 180_000);

const base = { strict: true, skipLibCheck: false, noEmit: true, target: 'es2022' };
const node16 = { module: 'node16', moduleResolution: 'node16' };
const bundler = { module: 'esnext', moduleResolution: 'bundler' };

describe('the published types compile in an app', () => {
  it.each([
    ['node16', node16],
    ['bundler', bundler],
  ])('a Node server without the DOM library (%s)', async (_, resolution) => {
    const errors = await typecheck({
      compilerOptions: { ...base, ...resolution, lib: ['es2022'], types: ['node'] },
      files: ['node-server.ts'],
    });
    expect(errors).toBe('');
  });

  it.each([
    ['node16', node16],
    ['bundler', bundler],
  ])('a Node server with the DOM library (%s)', async (_, resolution) => {
    const errors = await typecheck({
      compilerOptions: { ...base, ...resolution, lib: ['es2022', 'dom'], types: ['node'] },
      files: ['node-server.ts'],
    });
    expect(errors).toBe('');
  });

  it.each([
    ['node16', node16],
    ['bundler', bundler],
  ])('a browser app with the DOM library and no Node types (%s)', async (_, resolution) => {
    const errors = await typecheck({
      compilerOptions: {
        ...base,
        ...resolution,
        lib: ['es2022', 'dom', 'dom.iterable'],
        types: [],
      },
      files: ['browser-app.ts'],
    });
    expect(errors).toBe('');
  });
});
