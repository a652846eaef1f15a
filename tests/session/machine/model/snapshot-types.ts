/** The sign-in machine's snapshots and the paths to them, as the model's parts name them. */
import type { AnyEventObject, SnapshotFrom } from 'xstate';
import type { StatePath } from 'xstate/graph';
import type { SignInMachine } from '../../../../src/session/index.js';

export type Snap = SnapshotFrom<SignInMachine>;
export type Path = StatePath<Snap, AnyEventObject>;
