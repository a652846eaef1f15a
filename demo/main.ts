/**
 * `npm run demo`: the seed documents end to end with the SDK's embedded CA and emulated cards.
 * Enroll a blank card at the enrollment station, sign in with it (the forced PIN change first),
 * then Close, restore, Sign out with "Delete my sign-in information", sign in again, and Exit.
 *
 * Interactive in a terminal (@clack/prompts); scripted, with fixed answers, when stdin is not a
 * terminal or with `--yes`. `--help` for the options; docs/demo.md describes it all.
 */
import { pathToFileURL } from 'node:url';
import { SmartCardError } from 'smartcard-2fa';
import { type DemoOptions, parseDemoArgs, USAGE, UsageError } from './args.js';
import { prepareCard } from './enroll.js';
import { interactiveUi } from './interactive-ui.js';
import { scriptedUi } from './scripted-ui.js';
import { signIn } from './sign-in.js';
import { openState } from './state.js';
import { DemoCancelled, type Ui } from './ui.js';

/** Runs the demo and answers its exit code: 0 done, 1 failed, 2 bad usage, 130 cancelled. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const interactive = process.stdin.isTTY === true && !options.yes;
  const ui = interactive ? interactiveUi() : scriptedUi();
  try {
    await walkThrough(ui, options);
    return 0;
  } catch (error) {
    if (error instanceof DemoCancelled) {
      ui.outro('Cancelled.');
      return 130;
    }
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    // A bug (a TypeError, say) gets its stack; the SDK's errors and the demo's say enough.
    if (error instanceof Error && error.name !== 'Error' && !SmartCardError.is(error)) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
    return 1;
  }
}

async function walkThrough(ui: Ui, options: DemoOptions): Promise<void> {
  const mode = ui.interactive ? 'interactive' : 'scripted';
  ui.intro(`smartcard-2fa demo: two-factor sign-in with a smart card (${mode})`);
  const state = await openState(options.state);
  ui.info(
    [
      `card: ${options.card}`,
      `locale: ${options.locale}`,
      `request format: ${options.format}`,
      `state: ${state.directory ?? 'in memory (--state <dir> keeps it)'}`,
    ].join(' · '),
  );
  if (!ui.interactive) {
    ui.info('Scripted: fixed answers, the default PIN at the station, then the demo PIN (--help).');
  }
  const ready = await prepareCard(ui, options, state);
  await signIn(ui, options, state, ready);
  ui.outro(
    state.directory === undefined
      ? 'Done. Run it with --state <dir> to keep the card for a second run.'
      : `Done. The card is kept in ${state.directory}: run again with the same --state to sign in with it.`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
