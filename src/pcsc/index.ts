/**
 * Real cards over PC/SC (Node only), and the way a card in software reaches the real PC/SC stack:
 * {@link insertIntoVpcd} puts it into a virtual reader of pcscd (the vsmartcard project's vpcd),
 * where OpenSC, Kerberos and browsers use it as they would a card in a USB reader.
 *
 * @module
 */
export {
  type ApduCard,
  insertIntoVpcd,
  type VpcdAddress,
  type VpcdInsertion,
} from './vpcd-card-link.js';
