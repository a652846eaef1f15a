/**
 * `npm run bench`: what a user of the SDK pays beside the alternatives, in one process run, as
 * one table of ratios (medians of interleaved samples after warm-up). `--smoke` takes a few
 * samples only, to prove the bench still runs (`.ci/run`); its numbers mean nothing.
 *
 *   npm run bench              # the full run (docs/performance.md shows its table)
 *   npm run bench -- --smoke   # a few samples of each row
 *
 * Memory needs `--expose-gc`; without it this script runs itself again with the flag.
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs a Reflect metadata polyfill
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Authenticator } from '../src/server/index.js';
import { bundleRows } from './bundle.js';
import { caCrlRows } from './ca-crl.js';
import { challengeStoreRows } from './challenge-store.js';
import { enrollmentBundleRows } from './enrollment-bundle.js';
import { makeFixture, RP_ID } from './fixture.js';
import type { Plan } from './harness.js';
import { httpRows } from './http.js';
import { memoryRows } from './memory.js';
import { requestRows } from './request.js';
import { signInRows } from './sign-in.js';
import { met, type Row, renderTable } from './table.js';
import { verifyRows } from './verify.js';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');

if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', import.meta.resolve('tsx'), self, ...args],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}

const plans: Record<string, Plan> = smoke
  ? {
      signIn: { warmup: 1, samples: 3, batch: 2 },
      verify: { warmup: 1, samples: 3, batch: 2 },
      request: { warmup: 1, samples: 3, batch: 2 },
      caCrl: { warmup: 0, samples: 1, batch: 1 },
      http: { warmup: 1, samples: 3, batch: 1 },
    }
  : {
      signIn: { warmup: 20, samples: 120, batch: 5 },
      verify: { warmup: 5, samples: 30, batch: 4 },
      request: { warmup: 10, samples: 40, batch: 5 },
      caCrl: { warmup: 1, samples: 3, batch: 1 },
      http: { warmup: 5, samples: 40, batch: 2 },
    };
/** How often the rows that compare like with like under noise are run again (their spread). */
const repeats = smoke ? 2 : 5;

const started = performance.now();
const log = (line: string) =>
  console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`);

const fixture = await makeFixture();
const rows: Row[] = [];
log('1. sign-in round trip');
rows.push(...(await signInRows(fixture, plans.signIn as Plan)));
log('2. Authenticator verify');
rows.push(...(await verifyRows(fixture, plans.verify as Plan, repeats)));
log('3. request building');
rows.push(...(await requestRows(fixture, plans.request as Plan)));
log('4. bundle size');
rows.push(...(await bundleRows()));
rows.push(...(await enrollmentBundleRows()));
log('5. memory');
const server = new Authenticator({ trustAnchors: [fixture.pki.root], rpId: RP_ID });
rows.push(
  ...(await memoryRows(
    fixture.card,
    server,
    smoke ? { shared: 1_000, own: 100 } : { shared: 10_000, own: 1_000 },
  )),
);
log('6. CRLs of 100,000 entries');
rows.push(...(await caCrlRows(plans.caCrl as Plan, smoke ? 1 : 3)));
log('7. challenge store under a flood');
rows.push(
  ...(await challengeStoreRows(
    smoke
      ? { open: 100_000, samples: 5, batch: 200 }
      : { open: 1_000_000, samples: 30, batch: 1_000 },
  )),
);
log('8. sign-in over HTTP');
rows.push(...(await httpRows(fixture, plans.http as Plan, repeats)));

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `smartcard-2fa bench${smoke ? ' (--smoke: too few samples to mean anything)' : ''}: node ${process.version}, ${cpus().length} × ${cpu}`,
);
console.log('ratio = ours ÷ reference: below 1, ours is faster or smaller.\n');
console.log(renderTable(rows));
const missed = rows.filter((row) => met(row) === false).length;
console.log(
  `\n${rows.filter((row) => met(row) === true).length} targets met, ${missed} missed; ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
