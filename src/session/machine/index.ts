export type { SignInActorInput, SignInActors } from './actors.js';
export type { SignInMachine } from './machine.js';
export { createSignInMachine, isSignInAddress } from './machine.js';
export type {
  CardSource,
  PasswordVerifier,
  RemovalPolicy,
  ServerVerdict,
  SessionUser,
  SignInMachineOptions,
  SignInMethod,
  SignInServer,
} from './option-types.js';
export { Secret } from './secret.js';
export type {
  AuthenticationOutcome,
  CardReading,
  NewPinOutcome,
  Notice,
  SignInContext,
  SignInEvent,
  SignInFault,
} from './types.js';
export type { SignInRoute, SignInStatus, SignInView } from './view.js';
export { viewSignIn } from './view.js';
