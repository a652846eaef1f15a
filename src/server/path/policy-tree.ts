/**
 * Certificate policy processing, RFC 5280 §6.1.2 to §6.1.5: the valid policy tree built down a
 * path (policies asserted, anyPolicy, policy mappings), the explicit_policy, policy_mapping and
 * inhibit_anyPolicy counters with the CAs' policyConstraints and inhibitAnyPolicy, and the
 * intersection with the user's initial policy set. The tree is bounded (a hostile set of mappings
 * can make it grow exponentially, CVE-2023-0464): past {@link MAX_POLICY_NODES} nodes the path
 * fails with `too-much-work`. Internal.
 */
import type { PathCertificate } from './certificate.js';
import type { Problem } from './checks.js';
import { ANY_POLICY } from './policy-extensions.js';

/** The most nodes a valid policy tree may have. */
export const MAX_POLICY_NODES = 1000;

/** The policy inputs of RFC 5280 §6.1.1 (c) and (e) to (g). */
export interface PolicyInputs {
  /** user-initial-policy-set; `[ANY_POLICY]` when any will do. */
  readonly initialPolicySet: readonly string[];
  readonly initialExplicitPolicy: boolean;
  readonly initialPolicyMappingInhibit: boolean;
  readonly initialAnyPolicyInhibit: boolean;
}

interface PolicyNode {
  readonly policy: string;
  expected: ReadonlySet<string>;
  readonly parent: PolicyNode | undefined;
  readonly children: PolicyNode[];
}

class TooManyNodes extends Error {}

/** The tree's levels: `levels[d]` holds the nodes at depth d; `undefined` is the NULL tree. */
type Tree = PolicyNode[][] | undefined;

/** Removes childless nodes above `depth`, bottom up; the NULL tree when the root goes. */
function prune(levels: PolicyNode[][], depth: number): Tree {
  for (let level = depth - 1; level >= 0; level--) {
    const below = new Set(levels[level + 1]?.map((node) => node.parent));
    levels[level] = (levels[level] as PolicyNode[]).filter((node) => below.has(node));
    for (const node of levels[level] as PolicyNode[]) {
      const kept = node.children.filter((child) => levels[level + 1]?.includes(child));
      node.children.splice(0, node.children.length, ...kept);
    }
  }
  return levels[0]?.length === 0 ? undefined : levels;
}

/**
 * Runs policy processing over `certs` (the path below the trust anchor, the anchor's child
 * first and the leaf last). Answers the policies, in the user's domain, that the path keeps
 * valid down to the leaf (the valid_policy of each node whose parent is anyPolicy, after the
 * intersection; empty for the NULL tree), or the problem: `policy` when explicit policy is
 * required and no acceptable policy is valid.
 */
export function processPolicies(
  certs: readonly PathCertificate[],
  inputs: PolicyInputs,
): { readonly policies: readonly string[] } | Problem {
  const pathLength = certs.length;
  let explicit = inputs.initialExplicitPolicy ? 0 : pathLength + 1;
  let inhibitAny = inputs.initialAnyPolicyInhibit ? 0 : pathLength + 1;
  let mapping = inputs.initialPolicyMappingInhibit ? 0 : pathLength + 1;
  const root: PolicyNode = {
    policy: ANY_POLICY,
    expected: new Set([ANY_POLICY]),
    parent: undefined,
    children: [],
  };
  let tree: Tree = [[root]];
  let count = 1;
  const add = (level: PolicyNode[], parent: PolicyNode, policy: string, expected: Set<string>) => {
    count += 1;
    if (count > MAX_POLICY_NODES) throw new TooManyNodes();
    const node: PolicyNode = { policy, expected, parent, children: [] };
    parent.children.push(node);
    level.push(node);
  };
  try {
    for (const [index, cert] of certs.entries()) {
      const depth = index + 1;
      const last = depth === pathLength;
      if (tree !== undefined && cert.policies !== undefined) {
        const above = tree[depth - 1] as PolicyNode[];
        const level: PolicyNode[] = [];
        for (const policy of cert.policies) {
          if (policy === ANY_POLICY) continue;
          const expecting = above.filter((node) => node.expected.has(policy));
          const parents =
            expecting.length > 0 ? expecting : above.filter((node) => node.policy === ANY_POLICY);
          for (const parent of parents) add(level, parent, policy, new Set([policy]));
        }
        if (cert.policies.includes(ANY_POLICY) && (inhibitAny > 0 || (!last && cert.selfIssued))) {
          for (const parent of above) {
            for (const value of parent.expected) {
              if (!parent.children.some((child) => child.policy === value)) {
                add(level, parent, value, new Set([value]));
              }
            }
          }
        }
        tree.push(level);
        tree = prune(tree, depth);
      } else {
        tree = undefined;
      }
      if (explicit <= 0 && tree === undefined) {
        return refused(`no acceptable policy is valid at certificate ${depth} of ${pathLength}`);
      }
      if (last) break;
      if (cert.policyMappings !== undefined && tree !== undefined) {
        const level = tree[depth] as PolicyNode[];
        for (const [issuerPolicy, subjectPolicies] of cert.policyMappings) {
          if (mapping > 0) {
            const matching = level.filter((node) => node.policy === issuerPolicy);
            for (const node of matching) node.expected = new Set(subjectPolicies);
            const anyNode = level.find((node) => node.policy === ANY_POLICY);
            if (matching.length === 0 && anyNode?.parent !== undefined) {
              add(level, anyNode.parent, issuerPolicy, new Set(subjectPolicies));
            }
          } else {
            tree[depth] = level.filter((node) => node.policy !== issuerPolicy);
            tree = prune(tree, depth);
            if (tree === undefined) break;
          }
        }
      }
      if (!cert.selfIssued) {
        explicit = Math.max(0, explicit - 1);
        mapping = Math.max(0, mapping - 1);
        inhibitAny = Math.max(0, inhibitAny - 1);
      }
      const constraints = cert.policyConstraints;
      if (constraints?.requireExplicit !== undefined)
        explicit = Math.min(explicit, constraints.requireExplicit);
      if (constraints?.inhibitMapping !== undefined)
        mapping = Math.min(mapping, constraints.inhibitMapping);
      if (cert.inhibitAnyPolicy !== undefined)
        inhibitAny = Math.min(inhibitAny, cert.inhibitAnyPolicy);
    }
    explicit = Math.max(0, explicit - 1);
    if (certs[pathLength - 1]?.policyConstraints?.requireExplicit === 0) explicit = 0;
    if (tree !== undefined && !inputs.initialPolicySet.includes(ANY_POLICY)) {
      tree = intersect(tree, pathLength, inputs.initialPolicySet, add);
    }
  } catch (error) {
    if (!(error instanceof TooManyNodes)) throw error;
    return {
      reason: 'too-much-work',
      detail: `The policy tree grows past ${MAX_POLICY_NODES} nodes.`,
    };
  }
  if (explicit <= 0 && tree === undefined) {
    return refused('no policy of the initial policy set is valid for the path');
  }
  const kept = (tree ?? []).slice(1).flat();
  const leaves = new Set(tree?.[pathLength] ?? []);
  const userDomain = kept.filter(
    (node) =>
      node.parent?.policy === ANY_POLICY && (node.policy !== ANY_POLICY || leaves.has(node)),
  );
  return { policies: [...new Set(userDomain.map((node) => node.policy))] };
}

/** RFC 5280 §6.1.5 (g) (iii): the tree cut down to the user's initial policy set. */
function intersect(
  levels: PolicyNode[][],
  pathLength: number,
  initial: readonly string[],
  add: (level: PolicyNode[], parent: PolicyNode, policy: string, expected: Set<string>) => void,
): Tree {
  const dropped = new Set<PolicyNode>();
  const validSet: PolicyNode[] = [];
  for (const level of levels.slice(1)) {
    for (const node of level) if (node.parent?.policy === ANY_POLICY) validSet.push(node);
  }
  for (const node of validSet) {
    if (node.policy !== ANY_POLICY && !initial.includes(node.policy)) dropped.add(node);
  }
  const leafLevel = levels[pathLength] as PolicyNode[];
  const anyLeaf = leafLevel.find((node) => node.policy === ANY_POLICY && !dropped.has(node));
  if (anyLeaf?.parent !== undefined) {
    for (const policy of initial) {
      if (!validSet.some((node) => node.policy === policy && !dropped.has(node))) {
        add(leafLevel, anyLeaf.parent, policy, new Set([policy]));
      }
    }
    dropped.add(anyLeaf);
  }
  const kept = new Set<PolicyNode>(levels[0]);
  for (let level = 1; level < levels.length; level++) {
    levels[level] = (levels[level] as PolicyNode[]).filter(
      (node) => !dropped.has(node) && node.parent !== undefined && kept.has(node.parent),
    );
    for (const node of levels[level] as PolicyNode[]) kept.add(node);
  }
  return prune(levels, pathLength);
}

function refused(why: string): Problem {
  return { reason: 'policy', detail: `Certificate policies: ${why}.` };
}
