/**
 * Who a request is for: the requester for self-enrollment, or the user an enrollment agent
 * names, after checking the agent's certificate. Internal.
 */
import { InvalidInputError } from '../../errors.js';
import { OID } from '../oids.js';
import { type Directory, findAccount, isAccountName, sameAccount } from './directory.js';
import type { ExaminedRequest } from './examine.js';
import type { CertificateRecord, Ledger } from './ledger.js';
import type { IssueOptions } from './options.js';
import { refuse } from './reading.js';
import { isAgentTemplate } from './templates.js';

/** What deciding the subject needs from the CA.
 *
 * @category Certificate authority
 */
export interface SubmitterContext {
  readonly ledger: Ledger;
  readonly directory: Directory;
  readonly now: number;
}

/** Whose certificate this is, or why it is denied; refuses what no policy can accept.
 *
 * @category Certificate authority
 */
export async function subjectOf(
  examined: ExaminedRequest,
  requester: string | undefined,
  context: SubmitterContext,
): Promise<{ account: string; agent?: string } | { denial: string }> {
  const { signer, requesterName } = examined;
  if (signer.kind === 'self') {
    if (requester === undefined) {
      throw new InvalidInputError('issue needs the requester for a request it signs itself.');
    }
    if (requesterName !== undefined && !sameAccount(requesterName, requester)) {
      refuse('Only a request signed by an enrollment agent may name another requester.');
    }
    return { account: requester };
  }
  const agent = agentOf(signer.certificate, context);
  if (requesterName === undefined) {
    refuse('A request signed by an enrollment agent names the user in regInfo requestername.');
  }
  if (!isAccountName(requesterName)) refuse('regInfo requestername is not DOMAIN\\user in ASCII.');
  // An agent never obtains another agent's certificate, whatever the template says.
  if (examined.template.onBehalfOf !== true || isAgentTemplate(examined.template)) {
    return {
      denial: `The template ${examined.template.name} cannot be requested on behalf of another user.`,
    };
  }
  if (requester !== undefined && !sameAccount(requester, agent.account)) {
    return { denial: `${requester} is not the enrollment agent who signed the request.` };
  }
  const agentEntry = await findAccount(context.directory, agent.account);
  if (agentEntry === undefined || agentEntry.enabled === false) {
    return { denial: `The enrollment agent ${agent.account} is not an enabled account.` };
  }
  return { account: requesterName, agent: agent.account };
}

/** The record of an enrollment agent's certificate; refuses any other certificate. */
function agentOf(certificate: Uint8Array, context: SubmitterContext): CertificateRecord {
  const record = context.ledger.certificateByDer(certificate);
  if (record === undefined) refuse('The signing certificate was not issued by this CA.');
  if (!record.template.extendedKeyUsages.includes(OID.certificateRequestAgent)) {
    refuse('The signing certificate is not an enrollment agent certificate.');
  }
  const { now } = context;
  if (now < record.notBefore || now > record.notAfter) {
    refuse('The enrollment agent certificate is not valid now.');
  }
  if (record.revocation !== undefined) refuse('The enrollment agent certificate is revoked.');
  return record;
}

/** Refuses options of the wrong types with InvalidInputError.
 *
 * @category Certificate authority
 */
export function checkIssueOptions(options: IssueOptions): IssueOptions {
  const bad = (value: unknown) => value !== undefined && typeof value !== 'string';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidInputError('issue takes an options object.');
  }
  if (bad(options.requester) || bad(options.template)) {
    throw new InvalidInputError('requester and template are strings.');
  }
  if (options.requester !== undefined && !isAccountName(options.requester)) {
    throw new InvalidInputError('requester is an account name: DOMAIN\\user, in ASCII.');
  }
  return options;
}
