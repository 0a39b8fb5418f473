/**
 * Raw stack resources → DeployerAccessFacts (rules/deployer.ts), one per
 * ACK / EKS cluster of the stack:
 *
 * - in-cluster objects: Kubernetes objects registered through a Kubernetes provider that depends
 *   on the cluster (its kubeconfig is built from the cluster's outputs); when the stack has one
 *   cluster, any Kubernetes object with an explicit provider;
 * - EKS: an `AccessPolicyAssociation` of AmazonEKSClusterAdminPolicy at cluster scope on the
 *   cluster, the creator bootstrap and the authentication mode of `accessConfig`;
 * - the endpoint: EKS `vpcConfig.endpointPublicAccess`, ACK `slbInternetEnabled`;
 * - where `pulumi up` runs: config `deployFrom` (unset: reach is not judged).
 */
import type { DeployerAccessFacts } from "../index";
import { bool, obj, str } from "./known";
import type { Labels, RuleContext } from "./rawResource";
import { CLUSTER_TYPES, T } from "./resourceTypes";
import type { StackIndex } from "./stack";

const PROVIDER = "pulumi:providers:kubernetes";
const ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
const CLUSTER_ADMIN_POLICY = /:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/;

export function stackDeployerFacts(
  index: StackIndex,
  ctx: RuleContext,
  labels: Labels,
): DeployerAccessFacts[] {
  const clusters = index.of(CLUSTER_TYPES);
  const k8sObjects = index.resources.filter((r) => r.type.startsWith("kubernetes:") && r.provider);
  // Once per stack, not once per cluster (a stack of a thousand clusters and a hundred thousand
  // resources): the Kubernetes providers each cluster's outputs flow into, and the providers
  // some object is registered through.
  const clusterUrns = new Set(clusters.map((c) => c.urn));
  const providersOf = new Map<string, string[]>();
  for (const r of index.of([PROVIDER])) {
    for (const urn of new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()])) {
      if (!clusterUrns.has(urn)) continue;
      const list = providersOf.get(urn);
      if (list) list.push(r.urn);
      else providersOf.set(urn, [r.urn]);
    }
  }
  const usedProviders = new Set(k8sObjects.map((o) => o.provider as string));
  return clusters.map((c) => {
    const managed =
      (providersOf.get(c.urn) ?? []).some((p) => usedProviders.has(p)) ||
      (clusters.length === 1 && k8sObjects.length > 0);
    const p = c.props;
    const f: DeployerAccessFacts = {
      resource: labels.of(c),
      cluster: str(p.name) ?? c.name,
      cloud: c.type === T.eks ? "aws" : "alicloud",
      managesInClusterObjects: managed,
      deployFrom: ctx.settings.deployFrom,
      fieldPaths: { deployers: "accessConfig", deployFrom: "config deployFrom" },
    };
    if (c.type === T.eks) {
      const access = obj(p.accessConfig);
      const vpc = obj(p.vpcConfig);
      f.creatorAdmin = access
        ? (bool(access.bootstrapClusterCreatorAdminPermissions) ?? undefined)
        : undefined;
      f.authenticationMode = access ? str(access.authenticationMode) : undefined;
      f.publicEndpoint = vpc ? bool(vpc.endpointPublicAccess) : undefined;
      // An association names its cluster by name (`clusterName`): through a dependency on the
      // cluster, or by the same literal name.
      const name = str(p.name);
      const associations = index.of([ASSOCIATION]).filter((a) => {
        const ref = index.ref(a, "clusterName", [T.eks], a.props.clusterName);
        return ref === c || (name !== undefined && ref === name);
      });
      const admins = associations.filter((a) => {
        const arn = str(a.props.policyArn);
        return (
          arn !== undefined &&
          CLUSTER_ADMIN_POLICY.test(arn) &&
          str(obj(a.props.accessScope)?.type) === "cluster"
        );
      });
      const unknown = associations.some((a) => str(a.props.policyArn) === undefined);
      f.deployerAdmin = admins.length > 0 ? true : unknown ? undefined : false;
    } else {
      f.publicEndpoint = "slbInternetEnabled" in p ? bool(p.slbInternetEnabled) : true;
    }
    return f;
  });
}
