import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingForPcscReader, type PcscStack, startPcscStack } from './support/stack.js';

const missing = missingForPcscReader();

describe.skipIf(missing !== '')(`examples/pcsc-sign-in.ts (${missing || 'pcscd + vpcd'})`, () => {
  let stack: PcscStack;
  beforeAll(async () => {
    stack = await startPcscStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('enrolls and signs Alice in with the PIV test card behind pcscd, then sees it removed', async () => {
    const child = stack.spawnScript('examples/pcsc-sign-in.ts');
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, errors).toBe(0);
    const said = (label: string) =>
      output
        .split('\n')
        .find((line) => line.startsWith(`${label}: `))
        ?.slice(label.length + 2);
    expect(said('readers')).toBe(
      'smartcard-2fa virtual reader 00 00, smartcard-2fa virtual reader 00 01',
    );
    expect(said('card')).toMatch(/^[0-9a-f]{32}, 3 tries left$/);
    expect(said('enrolled')).toBe('installed');
    expect(said('sign-in')).toBe('signed in as alice@contoso.com');
    expect(said('after removal')).toBe('ERR_CARD_REMOVED');
  }, 60_000);
});
