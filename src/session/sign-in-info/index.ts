export type { SignInInfo, SignInInfoStore } from './store.js';
export { MemorySignInInfoStore, WebStorageSignInInfoStore } from './store.js';
