export type { SignInInfo, SignInInfoStore } from './store.js';
export {
  CardStoreSignInInfoStore,
  MemorySignInInfoStore,
  WebStorageSignInInfoStore,
} from './store.js';
