/**
 * Inside the stack's namespaces: inserts a card that answers every command with 6A82 except a
 * few scripted ones, prints `inserted`, one `apdu <hex>` line per command, and `removed`. Reads
 * `remove` on stdin to take the card out.
 */
import { createInterface } from 'node:readline';
import { insertIntoVpcd } from '../../../src/pcsc/vpcd-card-link.js';

const port = Number(process.argv[2] ?? 20123);
const say = (line: string) => process.stdout.write(`${line}\n`);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const card = {
  atr: Uint8Array.from(Buffer.from('3bf81300008131fe15597562696b657934d4', 'hex')),
  async transmit(command: Uint8Array) {
    say(`apdu ${hex(command)}`);
    if (hex(command).startsWith('00ca')) return Uint8Array.of(0x01, 0x02, 0x90, 0x00);
    return Uint8Array.of(0x6a, 0x82);
  },
};
const inserted = await insertIntoVpcd(card, { port });
say('inserted');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'remove') void inserted.remove();
});
await inserted.removed;
say('removed');
process.exit(0);
