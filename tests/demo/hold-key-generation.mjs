// Loaded with `node --import` by tests/demo/demo.test.ts: WebCrypto key generation never
// finishes, so the demo's first spinner ("Creating the embedded CA") stays up until the test
// presses Ctrl+C. Nothing else changes.
globalThis.crypto.subtle.generateKey = () => new Promise(() => undefined);
