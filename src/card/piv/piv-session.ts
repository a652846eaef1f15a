/**
 * A PIV card session: the PIV application selected (SELECT by AID), operations run one at a
 * time in call order, and a card taken out ends the session, so that the next operation selects
 * the application again on the card put back (its PIN no longer verified) or fails with
 * `ERR_CARD_REMOVED` while it is out.
 */
import { DeviceMismatchError } from '../../errors.js';
import { ApduError, decodeObjects, objectValue, SW } from '../../lib/apdu.js';
import { toHex } from '../../lib/bytes.js';
import { SerialQueue } from '../../lib/serial-queue.js';
import { readObject } from './data-objects.js';
import { answered, type PivLink } from './link.js';
import { INS, OBJECT_TAG, PIV_AID, YUBIKEY_INS } from './piv-constants.js';
import type { ApduTransport } from './transport.js';

/** What SELECT and the card's objects tell about it. */
export interface PivIdentity {
  /** The CHUID's GUID in hex, else its FASC-N, else a YubiKey's serial number. */
  readonly serial: string;
  /** The application label of SELECT's answer, or `PIV card`. */
  readonly label: string;
}

/** The tag of the application label inside SELECT's application property template (61). */
const APPLICATION_LABEL = 0x50;
const PROPERTY_TEMPLATE = 0x61;
const CHUID_GUID = 0x34;
const CHUID_FASCN = 0x30;

/** The session of one card: see the module's comment. */
export class PivSession {
  readonly link: PivLink;
  readonly #queue = new SerialQueue();
  #selected = false;
  #label = 'PIV card';

  constructor(link: PivLink, transport: ApduTransport) {
    this.link = link;
    transport.onRemoved?.(() => {
      this.link.markLost();
      this.#selected = false;
    });
  }

  /** Runs `operation` in turn, with the PIV application selected first when it is not. */
  run<T>(operation: () => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      try {
        if (this.link.lost || !this.#selected) await this.#select();
        return await operation();
      } catch (error) {
        if (!(error instanceof ApduError)) throw error;
        throw new DeviceMismatchError(`The card answered what PIV does not: ${error.message}.`, {
          cause: error,
        });
      }
    });
  }

  /** Ends the card session: the next operation selects the application again. */
  end(): void {
    this.#selected = false;
  }

  async #select(): Promise<void> {
    this.link.resume();
    const response = await this.link.send({
      cla: 0,
      ins: INS.SELECT,
      p1: 0x04,
      p2: 0x00,
      data: PIV_AID,
    });
    if (response.sw !== SW.OK) {
      throw new DeviceMismatchError(
        `${answered(response.sw, 'SELECT of the PIV application')} It is not a PIV card.`,
      );
    }
    const template = objectValue(decodeObjects(response.data), PROPERTY_TEMPLATE);
    const label = template && objectValue(decodeObjects(template), APPLICATION_LABEL);
    if (label !== undefined && label.length > 0) this.#label = new TextDecoder().decode(label);
    this.#selected = true;
  }

  /** The card's serial and label (run inside {@link run}). */
  async identify(): Promise<PivIdentity> {
    const chuid = await readObject(this.link, OBJECT_TAG.CHUID);
    const objects = chuid === null ? [] : decodeObjects(chuid);
    const guid = objectValue(objects, CHUID_GUID);
    const fascn = objectValue(objects, CHUID_FASCN);
    let serial: string | undefined;
    if (guid?.some((byte) => byte !== 0)) serial = toHex(guid);
    else if (fascn !== undefined && fascn.length > 0) serial = toHex(fascn);
    else serial = await this.#yubiKeySerial();
    if (serial === undefined) {
      throw new DeviceMismatchError(
        'The PIV card names itself neither in a CHUID (GUID, FASC-N) nor by a serial number.',
      );
    }
    return { serial, label: this.#label };
  }

  async #yubiKeySerial(): Promise<string | undefined> {
    const response = await this.link.send({
      cla: 0,
      ins: YUBIKEY_INS.GET_SERIAL,
      p1: 0,
      p2: 0,
      data: new Uint8Array(0),
    });
    if (response.sw !== SW.OK || response.data.length !== 4) return undefined;
    return String(new DataView(response.data.buffer).getUint32(0));
  }
}
