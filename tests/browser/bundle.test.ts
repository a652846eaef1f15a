/**
 * The browser page's bundle: it uses the browser's own WebCrypto (no @peculiar/webcrypto), takes
 * the SDK from src/, and its sizes are what docs/browser.md says, within 10%, so the guide's
 * table cannot rot. Runs without Chromium.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLES, type BundleName, bundle } from '../../examples/browser/build.js';

const guide = readFileSync(new URL('../../docs/browser.md', import.meta.url), 'utf8');

/** The guide's row for a bundle: | `page` ... | 624.5 kB | 155.2 kB | */
function documented(name: BundleName): { minified: number; gzipped: number } {
  const row = guide.split('\n').find((line) => line.startsWith(`| \`${name}\``));
  const sizes = row?.match(/\| *([\d.]+) kB *\| *([\d.]+) kB *\|$/);
  if (sizes?.[1] === undefined || sizes[2] === undefined) {
    throw new Error(`docs/browser.md has no size row for \`${name}\``);
  }
  return { minified: Number(sizes[1]) * 1000, gzipped: Number(sizes[2]) * 1000 };
}

const names = Object.keys(BUNDLES) as BundleName[];

describe('the browser page bundle', () => {
  it('uses the browser WebCrypto and the SDK from src/, with no node: import', async () => {
    const page = await bundle('page');
    expect(page.files.filter((file) => /@peculiar\/webcrypto|webcrypto-core/.test(file))).toEqual(
      [],
    );
    expect(page.files).toContain('src/session/machine/machine.ts');
    expect(page.files.filter((file) => file.startsWith('dist/'))).toEqual([]);
    expect(new TextDecoder().decode(page.code)).not.toMatch(/["']node:/);
  });

  it('leaves the CA (pkijs) out of the sign-in-only bundles', async () => {
    for (const name of ['signInOnly', 'client'] as const) {
      const report = await bundle(name);
      const groups = report.inputs.map((input) => input.group);
      expect(groups).not.toContain('pkijs');
      expect(groups).not.toContain('src/enrollment/ca');
    }
  });

  it('keeps the server out of the client: no file of src/server, the client shares src/challenge', async () => {
    const client = await bundle('client');
    expect(client.files.filter((file) => file.startsWith('src/server/'))).toEqual([]);
    expect(client.files).toContain('src/challenge/signed-message.ts');
    expect(client.files).toContain('src/session/sign-challenge.ts');
    const signInOnly = await bundle('signInOnly');
    expect(signInOnly.files).toContain('src/server/authenticator/authenticator.ts');
  });

  it.each(names)('`%s` is the size docs/browser.md says, within a tenth', async (name) => {
    const measured = await bundle(name);
    const doc = documented(name);
    const hint = `measured ${measured.minified} B minified, ${measured.gzipped} B gzipped: update docs/browser.md (npx tsx examples/browser/build.ts prints the table)`;
    expect(Math.abs(measured.gzipped - doc.gzipped) / doc.gzipped, hint).toBeLessThanOrEqual(0.1);
    expect(Math.abs(measured.minified - doc.minified) / doc.minified, hint).toBeLessThanOrEqual(
      0.1,
    );
  });
});
