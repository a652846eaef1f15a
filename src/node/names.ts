/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { assertStoreName } from '../card/storage/card-store.js';

/**
 * How a `FileStore` names its files. Internal: not exported from the package.
 *
 * A name's file is the name itself. A temporary file is `.~<name>.<16 hex digits>.tmp`: `~` is
 * not allowed in store names, so no name can look like one, and the leading dot hides it from
 * a plain `ls`.
 */
const TEMP = /^\.~([A-Za-z0-9._-]{1,128})\.[0-9a-f]{16}\.tmp$/;

/** A fresh temporary file name for `name`.
 *
 * @category Stores
 */
export function tempName(name: string): string {
  return `.~${name}.${randomBytes(8).toString('hex')}.tmp`;
}

/**
 * The lock file of `name`: `.~<name>.lock` (see lock.ts). Like a temporary file, it can never be
 * a store name.
 *
 * @category Stores
 */
export function lockName(name: string): string {
  return `.~${name}.lock`;
}

const LOCK = /^\.~([A-Za-z0-9._-]{1,128})\.lock$/;

/** The name whose lock file `entry` is, or `undefined` if it is not one.
 *
 * @category Stores
 */
export function lockOwner(entry: string): string | undefined {
  return LOCK.exec(entry)?.[1];
}

/** The name whose temporary file `entry` is, or `undefined` if it is not one.
 *
 * @category Stores
 */
export function tempOwner(entry: string): string | undefined {
  return TEMP.exec(entry)?.[1];
}

/** Whether a directory entry is a store name (and so not a temporary file).
 *
 * @category Stores
 */
export function isStoreName(entry: string): boolean {
  try {
    assertStoreName(entry);
    return true;
  } catch {
    return false;
  }
}
