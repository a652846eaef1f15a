/**
 * What PivSmartCard does beyond the contract with containers and objects: four slots at most,
 * the container map's object, slots other tools filled, compressed certificates, YubiKey's reset.
 */
import { describe, expect, it } from 'vitest';
import { PivSmartCard } from '../../../src/card/index.js';
import { PivLink } from '../../../src/card/piv/link.js';
import { authenticateManagementKey } from '../../../src/card/piv/management-key.js';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { encodeObject } from '../../../src/lib/apdu.js';
import { concatBytes, fromHex, toHex, utf8 } from '../../../src/lib/bytes.js';
import { certificateFor } from '../../../src/testing/contract/test-certificate.js';
import { FACTORY_MANAGEMENT_KEY, openPivCard } from './piv-support.js';

const PIN = FACTORY_DEFAULTS.pin;
const hex = (text: string) => fromHex(text) as Uint8Array<ArrayBuffer>;

describe('PivSmartCard: containers and objects', () => {
  it('holds four containers, in slots 9A, 9D, 9E, 9C, then answers ERR_CARD_FULL', async () => {
    const { card, trace } = await openPivCard();
    await card.verifyPin(PIN);
    for (let i = 0; i < 4; i++) await card.generateKeyPair({ algorithm: 'ECDSA-P256' });
    const generated = trace.filter((event) => event.command[1] === 0x47);
    expect(generated.map((event) => event.command[3])).toEqual([0x9a, 0x9d, 0x9e, 0x9c]);
    await expect(card.generateKeyPair()).rejects.toMatchObject({ code: 'ERR_CARD_FULL' });
    expect((await card.info()).containers).toEqual({ used: 4, max: 4 });
  });

  it('keeps its container map in 5FA000, or in the object containerMapObject names', async () => {
    const mapWrites = async (containerMapObject?: number) => {
      const { card, trace } = await openPivCard(
        containerMapObject === undefined ? {} : { containerMapObject },
      );
      await card.verifyPin(PIN);
      await card.generateKeyPair({ algorithm: 'ECDSA-P256', container: 'mapped' });
      expect((await card.containers()).map((container) => container.name)).toEqual(['mapped']);
      const writes = trace.filter((event) => event.command[1] === 0xdb);
      return writes.map((event) => toHex(event.command.subarray(5, 10)));
    };
    expect(await mapWrites()).toEqual(['5c035fa000']);
    expect(await mapWrites(0x5fc120)).toEqual(['5c035fc120']);
    await expect(openPivCard({ containerMapObject: 0x7e })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
  });

  it('shows a slot another tool filled as a container of its own, and never reuses it', async () => {
    const { card: other, slot } = await openPivCard({ containerMapObject: 0x5fc120 });
    await other.verifyPin(PIN);
    const theirs = await other.generateKeyPair({ algorithm: 'ECDSA-P256' });
    await other.installCertificate(
      theirs.name,
      await certificateFor(globalThis.crypto, theirs.publicKey),
    );
    const card = await PivSmartCard.open(slot, { managementKey: FACTORY_MANAGEMENT_KEY });
    await card.verifyPin(PIN);
    const [found, ...more] = await card.containers();
    expect(more).toEqual([]);
    expect(found).toMatchObject({
      name: 'PIV slot 9A',
      algorithm: 'ECDSA-P256',
      keySpec: 'signature',
      hasCertificate: true,
      publicKey: theirs.publicKey,
    });
    const signature = await card.sign('PIV slot 9A', utf8('challenge'));
    const key = await globalThis.crypto.subtle.importKey(
      'spki',
      theirs.publicKey,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    const ecdsa = { name: 'ECDSA', hash: 'SHA-256' };
    expect(await globalThis.crypto.subtle.verify(ecdsa, key, signature, utf8('challenge'))).toBe(
      true,
    );
    const mine = await card.generateKeyPair({ algorithm: 'ECDSA-P256', container: 'mine' });
    expect((await card.containers()).map((container) => container.name)).toEqual([
      'mine',
      'PIV slot 9A',
    ]);
    expect(mine.publicKey).not.toEqual(theirs.publicKey);
    await card.deleteContainer('PIV slot 9A');
    expect((await card.containers()).map((container) => container.name)).toEqual(['mine']);
  });

  it('reads a gzip-compressed certificate (CertInfo 01)', async () => {
    const { card, slot } = await openPivCard();
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair({ algorithm: 'ECDSA-P256' });
    const der = await certificateFor(globalThis.crypto, key.publicKey);
    const gzipped = new Uint8Array(
      await new Response(
        new Blob([der]).stream().pipeThrough(new CompressionStream('gzip')),
      ).arrayBuffer(),
    );
    const link = new PivLink(slot);
    await authenticateManagementKey(link, globalThis.crypto, FACTORY_MANAGEMENT_KEY);
    const object = concatBytes(
      encodeObject(0x70, gzipped),
      encodeObject(0x71, Uint8Array.of(1)),
      encodeObject(0xfe, new Uint8Array(0)),
    );
    const data = concatBytes(
      encodeObject(0x5c, Uint8Array.of(0x5f, 0xc1, 0x05)),
      encodeObject(0x53, object),
    );
    expect((await link.send({ cla: 0, ins: 0xdb, p1: 0x3f, p2: 0xff, data })).sw).toBe(0x9000);
    expect(await card.certificate(key.name)).toEqual(der);
  });

  it("sends YubiKey's reset, and says why the card refuses it, changing nothing", async () => {
    const { card, slot, trace } = await openPivCard();
    const transmit = slot.transmit.bind(slot);
    let answer = '6985'; // conditions not satisfied: the PIN or the PUK is not blocked
    slot.transmit = (command) =>
      command[1] === 0xfb ? Promise.resolve(hex(answer)) : transmit(command);
    await expect(card.factoryReset()).rejects.toThrow(/only once its PIN and PUK are both blocked/);
    answer = '6d00'; // a card without the command
    await expect(card.factoryReset()).rejects.toThrow(/6D00 to RESET/);
    expect((await card.pinStatus()).attemptsRemaining).toBe(3);
    answer = '9000';
    await card.factoryReset();
    await card.pinStatus(); // a new card session: the application selected again
    const sent = trace.map((event) => toHex(event.command));
    expect(sent.filter((command) => command === '00fb0000').length).toBe(3);
    expect(sent.at(-4)).toBe('00a4040009a00000030800001000');
  });
});
