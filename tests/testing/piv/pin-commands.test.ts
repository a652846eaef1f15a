import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/card/storage/card-store.js';
import { EmulatedPivCard } from '../../../src/testing/piv/emulated-piv-card.js';
import { command, padded, SELECT, selectPiv, send } from './piv-support.js';

const VERIFY = '00 20 00 80';

async function factoryCard(store = new MemoryStore()) {
  const card = await EmulatedPivCard.create({ preset: 'factory', store, serial: 1234 });
  await selectPiv(card);
  return card;
}

describe('EmulatedPivCard: SELECT', () => {
  it('answers the application property template to the truncated and the full AID', async () => {
    const card = await EmulatedPivCard.create();
    const template =
      '612b4f0600001000010079074f05a000000308ac18800103800108' +
      '80010a80010c800107800111800114060100';
    expect(await send(card, SELECT)).toMatchObject({ data: template, sw: '9000' });
    expect((await send(card, '00 A4 04 00 0B A0 00 00 03 08 00 00 10 00 01 00 00')).data).toBe(
      template,
    );
  });

  it('answers 6A82 to another AID and 6D00 to PIV commands before SELECT', async () => {
    const card = await EmulatedPivCard.create();
    expect((await send(card, '00 A4 04 00 07 A0 00 00 05 27 20 01')).sw).toBe('6A82');
    expect((await send(card, `${VERIFY}`)).sw).toBe('6D00');
    expect((await send(card, '00 A4 00 00 02 3F 00')).sw).toBe('6A86');
  });

  it('has a YubiKey 5 ATR whose check byte is right', async () => {
    const { atr } = await EmulatedPivCard.create();
    expect(atr[0]).toBe(0x3b);
    expect(atr.subarray(1).reduce((xor, byte) => xor ^ byte, 0)).toBe(0);
  });
});

describe('EmulatedPivCard: VERIFY', () => {
  it('counts wrong PINs with 63Cx, blocks with 6983, and a right PIN restores the tries', async () => {
    const card = await factoryCard();
    expect((await send(card, VERIFY)).sw).toBe('63C3'); // status only: spends nothing
    expect((await send(card, command(VERIFY, padded('654321')))).sw).toBe('63C2');
    expect((await send(card, VERIFY)).sw).toBe('63C2');
    expect((await send(card, command(VERIFY, padded('123456')))).sw).toBe('9000');
    expect((await send(card, VERIFY)).sw).toBe('9000');
    expect((await send(card, '00 20 FF 80')).sw).toBe('9000'); // log out
    expect((await send(card, VERIFY)).sw).toBe('63C3');
    for (const tries of ['63C2', '63C1', '63C0']) {
      expect((await send(card, command(VERIFY, padded('000000')))).sw).toBe(tries);
    }
    expect((await send(card, command(VERIFY, padded('123456')))).sw).toBe('6983');
    expect((await send(card, VERIFY)).sw).toBe('6983');
  });

  it('keeps the counters across a reopen from the store, and a power cycle forgets the PIN', async () => {
    const store = new MemoryStore();
    const card = await factoryCard(store);
    expect((await send(card, command(VERIFY, padded('111111')))).sw).toBe('63C2');
    const again = await EmulatedPivCard.open({ store, serial: 1234 });
    await selectPiv(again);
    expect((await send(again, VERIFY)).sw).toBe('63C2');
    expect((await send(again, command(VERIFY, padded('123456')))).sw).toBe('9000');
    again.powerCycle();
    expect((await send(again, VERIFY)).sw).toBe('6D00');
    await selectPiv(again);
    expect((await send(again, VERIFY)).sw).toBe('63C3');
  });

  it('is one card however many objects open it: each reads the saved counters first', async () => {
    const store = new MemoryStore();
    const first = await factoryCard(store);
    const second = await EmulatedPivCard.open({ store, serial: 1234 });
    await selectPiv(second);
    expect((await send(first, command(VERIFY, padded('000000')))).sw).toBe('63C2');
    expect((await send(second, command(VERIFY, padded('000000')))).sw).toBe('63C1');
    expect((await send(first, VERIFY)).sw).toBe('63C1');
    await expect(EmulatedPivCard.create({ store, serial: 1234 })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
    await expect(EmulatedPivCard.open({ store, serial: 99 })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
    await store.delete('piv-1234');
    expect((await send(first, VERIFY)).sw).toBe('6F00');
  });

  it('saves the spent try before comparing: a store failing after it keeps the try spent', async () => {
    const store = new MemoryStore();
    const card = await factoryCard(store);
    const swap = store.swap.bind(store);
    let writes = 0;
    store.swap = async (name, expected, next) => {
      writes += 1;
      if (writes === 2) throw new Error('power lost');
      return swap(name, expected, next);
    };
    expect((await send(card, command(VERIFY, padded('123456')))).sw).toBe('6F00');
    store.swap = swap;
    const reopened = await EmulatedPivCard.open({ store, serial: 1234 });
    await selectPiv(reopened);
    expect((await send(reopened, VERIFY)).sw).toBe('63C2');
  });

  it('refuses bad input without spending a try', async () => {
    const card = await factoryCard();
    expect((await send(card, command(VERIFY, '313233343536'))).sw).toBe('6700'); // not padded
    expect((await send(card, command(VERIFY, padded('12345')))).sw).toBe('6A80'); // too short
    expect(await send(card, command(VERIFY, '3132333435363738 39'))).toMatchObject({ sw: '6700' });
    expect((await send(card, command('00 20 00 81', padded('123456')))).sw).toBe('6A86');
    expect((await send(card, command('00 20 01 80', padded('123456')))).sw).toBe('6A86');
    expect((await send(card, '00 20 00')).sw).toBe('6700'); // not an APDU
    expect((await send(card, '00 EE 00 00')).sw).toBe('6D00');
    expect((await send(card, '80 20 00 80')).sw).toBe('6E00');
    expect((await send(card, VERIFY)).sw).toBe('63C3');
  });
});

describe('EmulatedPivCard: CHANGE REFERENCE DATA and RESET RETRY COUNTER', () => {
  it('changes the PIN and the PUK, counting wrong old values', async () => {
    const card = await factoryCard();
    const change = '00 24 00 80';
    expect((await send(card, command(change, padded('000000') + padded('24682468')))).sw).toBe(
      '63C2',
    );
    expect((await send(card, command(change, padded('123456') + padded('24682468')))).sw).toBe(
      '9000',
    );
    expect((await send(card, command(VERIFY, padded('123456')))).sw).toBe('63C2');
    expect((await send(card, command(VERIFY, padded('24682468')))).sw).toBe('9000');
    const changePuk = '00 24 00 81';
    expect((await send(card, command(changePuk, padded('12345678') + padded('87654321')))).sw).toBe(
      '9000',
    );
    expect((await send(card, command(changePuk, padded('12345678') + padded('11223344')))).sw).toBe(
      '63C2',
    );
    expect((await send(card, command(change, padded('123456')))).sw).toBe('6700');
    expect((await send(card, command('00 24 00 9B', padded('123456') + padded('654321')))).sw).toBe(
      '6A86',
    );
  });

  it('unblocks a blocked PIN with the PUK, and blocks the PUK after three wrong ones', async () => {
    const card = await factoryCard();
    for (let count = 0; count < 3; count++) await send(card, command(VERIFY, padded('000000')));
    expect((await send(card, VERIFY)).sw).toBe('6983');
    const reset = '00 2C 00 80';
    expect((await send(card, command(reset, padded('00000000') + padded('13572468')))).sw).toBe(
      '63C2',
    );
    expect((await send(card, command(reset, padded('12345678') + padded('13572468')))).sw).toBe(
      '9000',
    );
    expect((await send(card, VERIFY)).sw).toBe('63C3');
    expect((await send(card, command(VERIFY, padded('13572468')))).sw).toBe('9000');
    for (const sw of ['63C2', '63C1', '63C0', '6983']) {
      expect((await send(card, command(reset, padded('00000000') + padded('13572468')))).sw).toBe(
        sw,
      );
    }
    expect((await send(card, command(reset, padded('12345678') + padded('13572468')))).sw).toBe(
      '6983',
    );
  });

  it("the 'product' preset's PIN is 12345678 and GET METADATA says it is the default until changed", async () => {
    const card = await EmulatedPivCard.create({ preset: 'product' });
    await selectPiv(card);
    expect(await send(card, '00 F7 00 80')).toMatchObject({
      data: '0101ff' + '050101' + '06020303',
      sw: '9000',
    });
    expect((await send(card, command(VERIFY, padded('12345678')))).sw).toBe('9000');
    const change = command('00 24 00 80', padded('12345678') + padded('20262026'));
    expect((await send(card, change)).sw).toBe('9000');
    expect((await send(card, '00 F7 00 80')).data).toBe('0101ff' + '050100' + '06020303');
  });
});
