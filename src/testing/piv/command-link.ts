/**
 * The transmission side of the PIV test card (ISO 7816-4 §5.1): it reads each command APDU,
 * joins command chains (CLA 10 on all parts but the last), and delivers answers longer than the
 * client's Ne in parts: the first Ne bytes and `61xx`, then GET RESPONSE for the rest (OpenSC
 * reads an object's first 8 bytes this way to learn its length). A command without data that
 * changes nothing (ISO case 2: GET VERSION, GET SERIAL, GET METADATA) given an exact Le too small
 * gets `6Cxx` instead: send it again with Le xx.
 */
import { INS } from '../../card/piv/piv-constants.js';
import {
  ApduError,
  type CommandApdu,
  decodeCommand,
  encodeResponse,
  type ResponseApdu,
  SW,
} from '../../lib/apdu.js';
import { concatBytes } from '../../lib/bytes.js';

/** The chaining bit of CLA. */
const CHAINING = 0x10;
/** The longest command a chain may build. */
const MAX_CHAINED_LENGTH = 16_384;

/** Runs one whole command (chain joined, CLA 00). */
export type CommandRunner = (command: CommandApdu) => Promise<ResponseApdu>;

export class CommandLink {
  readonly #run: CommandRunner;
  readonly #repeatable: ReadonlySet<number>;
  /** The parts of a command chain received so far. */
  #chain: { readonly header: string; readonly parts: Uint8Array[]; length: number } | undefined;
  /** What remains of the last answer, for GET RESPONSE, and its status word. */
  #rest: { data: Uint8Array<ArrayBuffer>; readonly sw: number } | undefined;

  /** `repeatable`: the instructions without data whose answer a client may ask for again (6Cxx). */
  constructor(run: CommandRunner, repeatable: readonly number[]) {
    this.#run = run;
    this.#repeatable = new Set(repeatable);
  }

  /** Forgets a chain and an answer under way (power off). */
  reset(): void {
    this.#chain = undefined;
    this.#rest = undefined;
  }

  /** One command APDU in, one response APDU out. */
  async transmit(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    let command: CommandApdu;
    try {
      command = decodeCommand(bytes);
    } catch (error) {
      if (error instanceof ApduError) return encodeResponse(new Uint8Array(0), SW.WRONG_LENGTH);
      throw error;
    }
    if ((command.cla & ~CHAINING) !== 0)
      return encodeResponse(new Uint8Array(0), SW.CLA_NOT_SUPPORTED);
    if (command.ins === INS.GET_RESPONSE && command.cla === 0) return this.#getResponse(command);
    this.#rest = undefined;
    const whole = this.#join(command);
    if (typeof whole === 'number') return encodeResponse(new Uint8Array(0), whole);
    return this.#deliver(whole, await this.#run(whole));
  }

  /** The whole command once its chain ends, or the status word to answer a part with. */
  #join(command: CommandApdu): CommandApdu | number {
    const header = `${command.ins}:${command.p1}:${command.p2}`;
    const chain = this.#chain;
    if (chain !== undefined && chain.header !== header) {
      this.#chain = undefined;
      return SW.LAST_COMMAND_EXPECTED;
    }
    const length = (chain?.length ?? 0) + command.data.length;
    if (length > MAX_CHAINED_LENGTH) {
      this.#chain = undefined;
      return SW.WRONG_LENGTH;
    }
    if ((command.cla & CHAINING) !== 0) {
      if (chain === undefined) this.#chain = { header, parts: [command.data], length };
      else {
        chain.parts.push(command.data);
        chain.length = length;
      }
      return SW.OK;
    }
    this.#chain = undefined;
    if (chain === undefined) return command;
    const data = concatBytes(...chain.parts, command.data);
    return command.ne === undefined
      ? { cla: 0, ins: command.ins, p1: command.p1, p2: command.p2, data }
      : { cla: 0, ins: command.ins, p1: command.p1, p2: command.p2, data, ne: command.ne };
  }

  #deliver(command: CommandApdu, answer: ResponseApdu): Uint8Array<ArrayBuffer> {
    const limit = command.ne ?? 256;
    const { data, sw } = answer;
    if (data.length <= limit) return encodeResponse(data, sw);
    const exactTooSmall = command.ne !== undefined && command.ne < 256 && data.length <= 256;
    const caseTwo = command.data.length === 0 && this.#repeatable.has(command.ins);
    if (exactTooSmall && caseTwo && sw === SW.OK) {
      return encodeResponse(new Uint8Array(0), SW.WRONG_LE | (data.length & 0xff));
    }
    return this.#part(data, sw, limit);
  }

  /** The first `limit` bytes of `data`, and 61xx while more remain; keeps the rest. */
  #part(data: Uint8Array<ArrayBuffer>, sw: number, limit: number): Uint8Array<ArrayBuffer> {
    if (data.length <= limit) {
      this.#rest = undefined;
      return encodeResponse(data, sw);
    }
    this.#rest = { data: data.slice(limit), sw };
    return encodeResponse(
      data.subarray(0, limit),
      SW.MORE_DATA | (Math.min(data.length - limit, 256) & 0xff),
    );
  }

  #getResponse(command: CommandApdu): Uint8Array<ArrayBuffer> {
    this.#chain = undefined;
    const rest = this.#rest;
    if (command.p1 !== 0 || command.p2 !== 0)
      return encodeResponse(new Uint8Array(0), SW.WRONG_P1P2);
    if (command.data.length > 0) return encodeResponse(new Uint8Array(0), SW.WRONG_LENGTH);
    if (rest === undefined) return encodeResponse(new Uint8Array(0), SW.CONDITIONS);
    return this.#part(rest.data, rest.sw, command.ne ?? 256);
  }
}
