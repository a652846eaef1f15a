export type { SignInInfo, SignInInfoStore, WebStorageArea } from './store.js';
export {
  CardStoreSignInInfoStore,
  MemorySignInInfoStore,
  WebStorageSignInInfoStore,
} from './store.js';
