/**
 * The PIV application of the test card: SELECT, and each later command sent to its handler
 * with the card's state read fresh from the store (so two objects open on one card agree), every
 * change saved before the answer.
 */
import { INS, YUBIKEY_INS } from '../../card/piv/piv-constants.js';
import { type CommandApdu, type ResponseApdu, SW } from '../../lib/apdu.js';
import { applicationPropertyTemplate, selectsPiv } from './application-data.js';
import { getData, putData } from './data-commands.js';
import { generalAuthenticate, generateKeyPair } from './key-commands.js';
import { setManagementKey } from './management-auth.js';
import { changeReferenceData, resetRetryCounter, verify } from './pin-commands.js';
import {
  freshSession,
  type PivCommandHandler,
  type PivContext,
  type PivSession,
  status,
  success,
} from './piv-context.js';
import type { PivCardState } from './piv-state.js';
import type { SavedPivCard } from './saved-piv-card.js';
import type { PivKeySource } from './slot-keys.js';
import { getMetadata, getSerial, getVersion } from './yubikey-commands.js';

const HANDLERS: ReadonlyMap<number, PivCommandHandler> = new Map([
  [INS.VERIFY, verify],
  [INS.CHANGE_REFERENCE_DATA, changeReferenceData],
  [INS.RESET_RETRY_COUNTER, resetRetryCounter],
  [INS.GENERAL_AUTHENTICATE, generalAuthenticate],
  [INS.GENERATE_ASYMMETRIC_KEY_PAIR, generateKeyPair],
  [INS.GET_DATA, getData],
  [INS.PUT_DATA, putData],
  [YUBIKEY_INS.SET_MANAGEMENT_KEY, setManagementKey],
  [YUBIKEY_INS.GET_METADATA, getMetadata],
  [YUBIKEY_INS.GET_SERIAL, getSerial],
  [YUBIKEY_INS.GET_VERSION, getVersion],
]);

/** SELECT by name (P1 04): the PIV AID, full or truncated; any other is not on this card. */
function select(session: PivSession, command: CommandApdu): ResponseApdu {
  if (command.p1 !== 0x04 || (command.p2 & 0xf3) !== 0) return status(SW.WRONG_P1P2);
  if (!selectsPiv(command.data)) return status(SW.NOT_FOUND);
  session.selected = true;
  return success(applicationPropertyTemplate());
}

export class PivApplication {
  readonly #saved: SavedPivCard;
  readonly #crypto: Crypto;
  readonly #keySource: PivKeySource;
  #session = freshSession();

  constructor(saved: SavedPivCard, crypto: Crypto, keySource: PivKeySource) {
    this.#saved = saved;
    this.#crypto = crypto;
    this.#keySource = keySource;
  }

  /** Power lost: the PIN and management key no longer count, nothing is selected. */
  powerOff(): void {
    this.#session = freshSession();
  }

  /** Runs one whole command. */
  async run(command: CommandApdu): Promise<ResponseApdu> {
    if (command.ins === INS.SELECT) return select(this.#session, command);
    const handler = HANDLERS.get(command.ins);
    if (!this.#session.selected || handler === undefined) return status(SW.INS_NOT_SUPPORTED);
    await this.#saved.reload();
    const saved = this.#saved;
    const context: PivContext = {
      crypto: this.#crypto,
      session: this.#session,
      keySource: this.#keySource,
      state: () => saved.state,
      commit: (next: PivCardState) => saved.write(next),
    };
    if (command.ins !== INS.GENERAL_AUTHENTICATE) this.#session.managementStep = undefined;
    return handler(context, command);
  }
}
