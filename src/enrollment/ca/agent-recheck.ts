/**
 * Approval judges a pending request again: the enrollment agent who signed it must still hold a
 * valid, unrevoked agent certificate and be an enabled account. Internal.
 */
import { findAccount } from './directory.js';
import type { Ledger, PendingRequest } from './ledger.js';

/**
 * Why the agent who signed a pending request may no longer have it issued at `now`, if so;
 * `undefined` for a self-enrollment or an agent still in good standing.
 *
 * @category Certificate authority
 */
export async function agentNoLongerValid(
  pending: PendingRequest,
  ledger: Ledger,
  now: number,
): Promise<string | undefined> {
  if (pending.agent === undefined) return undefined;
  const record = ledger.certificateByDer(pending.agent.certificate);
  if (record === undefined || record.revocation !== undefined) {
    return 'The enrollment agent certificate was revoked since the request was submitted.';
  }
  if (now < record.notBefore || now > record.notAfter) {
    return 'The enrollment agent certificate is no longer valid.';
  }
  const entry = await findAccount(pending.directory, pending.agent.account);
  if (entry === undefined || entry.enabled === false) {
    return `The enrollment agent ${pending.agent.account} is not an enabled account.`;
  }
  return undefined;
}
