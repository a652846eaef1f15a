/**
 * Everything the CA checks in a request before it looks at who asks: structure, proof of
 * possession, the CMC signer, the template, and the key against the template. Each failure is
 * a RequestInvalidError. Internal.
 */
import type { KeySpec } from '../../card/contract/smart-card.js';
import type { RequestFormat } from '../request/types.js';
import { parseCmc } from './cmc.js';
import { type CmcSigner, verifyCmcSigner } from './cmc-signer.js';
import { type ParsedPkcs10, parsePkcs10 } from './pkcs10.js';
import { keyIdentifier, type PublicKeyFacts, publicKeyFacts } from './public-key.js';
import { refuse } from './reading.js';
import { signatureScheme, verifySignature } from './signature.js';
import { chooseTemplate, type IssuableTemplate } from './templates.js';

/** A request that passed every check of its own.
 *
 * @category Certificate authority
 */
export interface ExaminedRequest {
  /** The key to certify, DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array<ArrayBuffer>;
  readonly template: IssuableTemplate;
  /** Who signed the CMC; `self` for PKCS#10. */
  readonly signer: CmcSigner;
  /** The CMC regInfo `requestername`, when there is one. */
  readonly requesterName: string | undefined;
}

/** What examining needs from the CA.
 *
 * @category Certificate authority
 */
export interface ExamineContext {
  readonly crypto: Crypto;
  readonly templates: readonly IssuableTemplate[];
  /** A template named at submission (certsrv's `CertAttrib CertificateTemplate:<name>`). */
  readonly template: string | undefined;
}

/** Checks a request; refuses it with a RequestInvalidError, or says what it asks for.
 *
 * @category Certificate authority
 */
export async function examineRequest(
  der: Uint8Array<ArrayBuffer>,
  format: RequestFormat,
  context: ExamineContext,
): Promise<ExaminedRequest> {
  const { crypto } = context;
  const cmc = format === 'cmc' ? parseCmc(der) : undefined;
  const request = parsePkcs10(cmc?.request ?? der);
  const key = publicKeyFacts(request.spki);
  const scheme = signatureScheme(request.signatureAlgorithm);
  if (
    !(await verifySignature(crypto, request.spki, key, scheme, request.info, request.signature))
  ) {
    refuse('The request signature does not verify with its own key (no proof of possession).');
  }
  let signer: CmcSigner = { kind: 'self' };
  if (cmc !== undefined) {
    const identifiers = [await keyIdentifier(crypto, request.spki)];
    if (request.subjectKeyIdentifier !== undefined) {
      identifiers.push(request.subjectKeyIdentifier);
    }
    signer = await verifyCmcSigner(crypto, cmc, { spki: request.spki, identifiers });
  }
  const names = [...request.templateNames];
  const regInfoTemplate = cmc?.regInfo.get('certificatetemplate');
  if (regInfoTemplate !== undefined) names.push(regInfoTemplate);
  if (context.template !== undefined) names.push(context.template);
  const template = chooseTemplate(context.templates, { names, oids: request.templateOids });
  checkKey(key, request, template);
  return {
    spki: request.spki,
    template,
    signer,
    requesterName: cmc?.regInfo.get('requestername'),
  };
}

const KEY_SPECS: Readonly<Record<number, KeySpec>> = { 1: 'exchange', 2: 'signature' };

/** The key's size and spec against the template (AD CS: CERTSRV_E_KEY_LENGTH). */
function checkKey(key: PublicKeyFacts, request: ParsedPkcs10, template: IssuableTemplate): void {
  if (key.kind === 'rsa' && key.bits < template.minimumRsaKeySize) {
    refuse(
      `An RSA key of ${key.bits} bits is below the ${template.minimumRsaKeySize} bits the ` +
        `template ${template.name} requires (CERTSRV_E_KEY_LENGTH).`,
    );
  }
  if (request.keySpec === undefined) return;
  const spec = KEY_SPECS[request.keySpec];
  if (spec === undefined) refuse(`The key spec ${request.keySpec} is unknown.`);
  if (!template.keySpecs.includes(spec)) {
    refuse(`The template ${template.name} does not take ${spec} keys.`);
  }
}
