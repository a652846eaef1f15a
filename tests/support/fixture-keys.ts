/**
 * The fixture keys of the testing kit (src/testing/fixture-keys.ts, made by
 * scripts/make-fixture-keys.ts): one set of keys for the SDK's tests and apps' tests.
 */
export { fixtureKeySource, fixturePkcs8 } from '../../src/testing/key-source.js';
