import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineFrom, missingForPcscReader, type PcscStack, startPcscStack } from './support/stack.js';

const missing = missingForPcscReader();

interface Step {
  readonly step: string;
  readonly [field: string]: unknown;
}

/** Runs the scenario inside the stack and answers its steps by name. */
async function scenario(stack: PcscStack, order: 'first' | 'later'): Promise<Map<string, Step>> {
  const child = stack.spawnScript('tests/pcsc/scenarios/piv-behind-pcscd.mts', [
    String(stack.port),
    order,
  ]);
  const steps = new Map<string, Step>();
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.startsWith('{')) {
        const step = JSON.parse(line) as Step;
        steps.set(step.step, step);
      }
    }
  });
  await lineFrom(child, (line) => line.includes('"step":"removed"'), 60_000);
  return steps;
}

describe.skipIf(missing !== '')(
  `PcscReader through pcscd (${missing || 'pcscd + vpcd + smartcard'})`,
  () => {
    let stack: PcscStack;
    beforeAll(async () => {
      stack = await startPcscStack();
    });
    afterAll(async () => {
      await stack?.stop();
    });

    for (const order of ['later', 'first'] as const) {
      it(`finds the emulated PIV card inserted ${order === 'first' ? 'before it opens' : 'after it opened'}, reads the tries left from the card, and reports its removal`, async () => {
        const steps = await scenario(stack, order);
        expect(steps.get('open')).toMatchObject({
          readers: ['smartcard-2fa virtual reader 00 00', 'smartcard-2fa virtual reader 00 01'],
          card: order === 'first',
        });
        expect(steps.get('inserted')).toMatchObject({
          status: { attemptsRemaining: 3, maxAttempts: 3 },
        });
        expect(steps.get('wrong-pin')).toMatchObject({
          result: { status: 'incorrect', attemptsRemaining: 2 },
        });
        expect(steps.get('status')).toMatchObject({ status: { attemptsRemaining: 2 } });
        expect(steps.get('right-pin')).toMatchObject({ result: { status: 'verified' } });
        expect(steps.get('removed')).toEqual({
          step: 'removed',
          card: false,
          after: 'ERR_CARD_REMOVED',
        });
      });
    }
  },
);
