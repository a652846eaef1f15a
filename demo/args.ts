/**
 * The demo's command line: `node:util` parseArgs in strict mode, every value checked, and the
 * usage text. A bad option or value is a {@link UsageError}, which `main` prints with the usage
 * to stderr before it exits with code 2.
 */
import { parseArgs } from 'node:util';
import { isLocale, type Locale, SUPPORTED_LOCALES } from 'smartcard-2fa/session';

export type CardChoice = 'physical' | 'virtual';
export type FormatChoice = 'pkcs10' | 'cmc';

/** What the command line asked for. */
export interface DemoOptions {
  readonly card: CardChoice;
  readonly locale: Locale;
  readonly format: FormatChoice;
  /** The state directory, as given; `undefined`: everything in memory, gone at exit. */
  readonly state: string | undefined;
  /** `--yes`: scripted even in a terminal. */
  readonly yes: boolean;
  readonly help: boolean;
}

/** A bad command line: the message says what, `main` adds the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm run demo -- [options]
       npx tsx demo/main.ts [options]

Walks through smart card two-factor sign-in with the embedded CA and emulated cards: enroll a
blank card at the AD CS Smartcard User enrollment station, then sign in as the Lync/Skype for
Business two-factor procedure has it (address, card, PIN, the forced PIN change), Close,
restore, Sign out with "Delete my sign-in information", and Exit.

Options:
  --card physical|virtual   the card to enroll and sign in with (default: virtual)
  --locale en|ko-KR|zh-TW   the language of the demo and its sign-in screens (default: en)
  --format pkcs10|cmc       the enrollment request format (default: cmc, as the enrollment form)
  --state <dir>             keep the cards, their TPM and the sign-in information in <dir>: a
                            second run signs in with the card the first one enrolled
  -y, --yes                 scripted: no prompts, fixed answers (also when stdin is not a terminal)
  -h, --help                show this help

Scripted runs use the default PIN 12345678 at the enrollment station and change it to the demo
PIN k7#Lm2pQ at the first sign-in. Exit codes: 0 done, 1 the demo failed, 2 a bad command line,
130 cancelled (Ctrl+C, or Esc at a prompt).`;

const CARDS: readonly CardChoice[] = ['physical', 'virtual'];
const FORMATS: readonly FormatChoice[] = ['pkcs10', 'cmc'];

/** Parses `argv` (without the node and script paths); throws {@link UsageError}. */
export function parseDemoArgs(argv: readonly string[]): DemoOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const card = values.card ?? 'virtual';
  if (!CARDS.includes(card as CardChoice)) {
    throw new UsageError(`--card must be one of ${CARDS.join(', ')}, not "${card}".`);
  }
  const locale = values.locale ?? 'en';
  if (!isLocale(locale)) {
    throw new UsageError(
      `--locale must be one of ${SUPPORTED_LOCALES.join(', ')}, not "${locale}".`,
    );
  }
  const format = values.format ?? 'cmc';
  if (!FORMATS.includes(format as FormatChoice)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}".`);
  }
  if (values.state === '') throw new UsageError('--state needs a directory.');
  return {
    card: card as CardChoice,
    locale,
    format: format as FormatChoice,
    state: values.state,
    yes: values.yes ?? false,
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      card: { type: 'string' },
      locale: { type: 'string' },
      format: { type: 'string' },
      state: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
