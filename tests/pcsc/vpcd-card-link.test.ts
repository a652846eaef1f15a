import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineFrom, missingForPcsc, type PcscStack, startPcscStack } from './support/stack.js';

const missing = missingForPcsc([['/usr/bin/opensc-tool', 'opensc']]);

describe.skipIf(missing !== '')(
  `a card in software behind pcscd (${missing || 'pcscd + vpcd + opensc'})`,
  () => {
    let stack: PcscStack;
    beforeAll(async () => {
      stack = await startPcscStack();
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it('is inserted by connecting, answers what OpenSC sends through pcscd, and is removed by closing', async () => {
      const before = await stack.exec('opensc-tool', ['--list-readers']);
      expect(before).toMatch(/0\s+No\s+smartcard-2fa virtual reader 00 00/);

      const card = stack.spawnScript('tests/pcsc/scenarios/scripted-card.mts', [
        String(stack.port),
      ]);
      const seen: string[] = [];
      card.stdout?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n'))
          if (line.startsWith('apdu ')) seen.push(line.slice(5));
      });
      await lineFrom(card, (line) => line === 'inserted');
      // pcscd polls the reader: wait until it reports the card.
      let listed = '';
      for (let i = 0; i < 50 && !/0\s+Yes/.test(listed); i++) {
        listed = await stack.exec('opensc-tool', ['--list-readers']);
        if (!/0\s+Yes/.test(listed)) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(listed).toMatch(/0\s+Yes\s+smartcard-2fa virtual reader 00 00/);
      expect((await stack.exec('opensc-tool', ['--reader', '0', '--atr'])).trim()).toBe(
        '3b:f8:13:00:00:81:31:fe:15:59:75:62:69:6b:65:79:34:d4',
      );
      const answer = await stack.exec('opensc-tool', [
        '--reader',
        '0',
        '--send-apdu',
        '00CA000002',
      ]);
      expect(answer).toMatch(/Received \(SW1=0x90, SW2=0x00\)/);
      expect(seen).toContain('00ca000002');

      const removed = lineFrom(card, (line) => line === 'removed');
      card.stdin?.write('remove\n');
      await removed;
      let after = '';
      for (let i = 0; i < 50 && !/0\s+No/.test(after); i++) {
        after = await stack.exec('opensc-tool', ['--list-readers']);
        if (!/0\s+No/.test(after)) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(after).toMatch(/0\s+No\s+smartcard-2fa virtual reader 00 00/);
    });
  },
);
