export type { SignInActorInput, SignInActors } from './actors.js';
export type { SignInMachine } from './machine.js';
export { createSignInMachine, isSignInAddress } from './machine.js';
export { Secret } from './secret.js';
export type {
  AuthenticationOutcome,
  CardReading,
  CardSource,
  NewPinOutcome,
  Notice,
  PasswordVerifier,
  RemovalPolicy,
  ServerVerdict,
  SessionUser,
  SignInContext,
  SignInEvent,
  SignInFault,
  SignInMachineOptions,
  SignInMethod,
  SignInServer,
} from './types.js';
export type { SignInRoute, SignInStatus, SignInView } from './view.js';
export { viewSignIn } from './view.js';
