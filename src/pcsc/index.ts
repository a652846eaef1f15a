/**
 * Real cards over PC/SC (Node only): {@link PcscReader} watches the readers of the PC/SC service
 * (pcscd on Linux, the Smart Card service on Windows, CryptoTokenKit's PC/SC layer on macOS)
 * through the optional `smartcard` binding and opens each card as a {@link PivSmartCard}. And the
 * way a card in software reaches the real PC/SC stack: {@link insertIntoVpcd} puts it into a
 * virtual reader of pcscd (the vsmartcard project's vpcd), where OpenSC, Kerberos and browsers
 * use it as they would a card in a USB reader.
 *
 * @module
 */
export {
  type ApduEvent,
  type ApduTransport,
  type PivCardOptions,
  PivSmartCard,
} from '../card/index.js';
export { PcscReader, type PcscReaderOptions } from './pcsc-reader.js';
export {
  type ApduCard,
  insertIntoVpcd,
  type VpcdAddress,
  type VpcdInsertion,
} from './vpcd-card-link.js';
