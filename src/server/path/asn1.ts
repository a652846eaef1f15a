/**
 * The small DER readers path validation uses (OIDs, times, booleans, structural checks). They
 * live in `src/lib/der-values.ts`, shared with the enrollment's certificate summary. Internal.
 */
export {
  booleanOf,
  contentOf,
  encodingOf,
  expect,
  oidOf,
  sameBytes,
  sequence,
  smallIntegerOf,
  timeOf,
  topSequence,
} from '../../lib/der-values.js';
