/**
 * EKS cluster access (authentication mode API), simulated on the local API server: an access
 * policy association gives the principal (EKS user name = its ARN) the rights of the access policy,
 * modelled as a binding to the Kubernetes role with the same reach ("Amazon EKS User Guide:
 * Associate access policies with access entries", the policy list): ClusterAdmin → cluster-admin,
 * Admin → admin, Edit → edit, View → view, AdminView → view. Without one the identity that runs
 * `pulumi up` can do nothing in the cluster, as on EKS. `bootstrapClusterCreatorAdminPermissions`
 * gives the creating identity cluster-admin.
 */
import { apiClient } from "../harness/apiserver";
import { CALLER_ARN, localCluster } from "./cloud";
import { hash, type Value } from "./values";

const ROLE_OF_POLICY: Record<string, string> = {
  AmazonEKSClusterAdminPolicy: "cluster-admin",
  AmazonEKSAdminPolicy: "admin",
  AmazonEKSEditPolicy: "edit",
  AmazonEKSViewPolicy: "view",
  AmazonEKSAdminViewPolicy: "view",
};

function api() {
  const c = localCluster();
  return apiClient(c.server, c.token, Buffer.from(c.caData, "base64").toString("utf8"));
}

interface Association {
  clusterName: string;
  principalArn: string;
  policyArn: string;
  accessScope?: { type?: string; namespaces?: string[] };
}

const bindingName = (a: Association) =>
  `eks-access-${hash(a.clusterName, a.principalArn, a.policyArn).slice(0, 16)}`;

/** The bindings of one association: one ClusterRoleBinding, or one RoleBinding per namespace. */
function bindings(a: Association): { path: string; body: Record<string, Value> }[] {
  const policy = a.policyArn.split("/").at(-1) ?? "";
  const role = ROLE_OF_POLICY[policy];
  if (!role) throw new Error(`cloud simulator: unknown EKS access policy ${a.policyArn}`);
  const name = bindingName(a);
  const common = {
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: a.principalArn }],
  };
  const labels = { "eks.amazonaws.com/access-policy": policy };
  if (a.accessScope?.type === "namespace") {
    return (a.accessScope.namespaces ?? []).map((ns) => ({
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
      body: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name, namespace: ns, labels },
        ...common,
      },
    }));
  }
  return [
    {
      path: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
      body: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name, labels },
        ...common,
      },
    },
  ];
}

export async function grant(a: Association): Promise<void> {
  const client = api();
  for (const b of bindings(a)) {
    const name = (b.body.metadata as { name: string }).name;
    // A namespace that does not exist yet: EKS applies the scope when it appears; here, skipped.
    if (a.accessScope?.type === "namespace") {
      const ns = (b.body.metadata as { namespace: string }).namespace;
      if ((await client("GET", `/api/v1/namespaces/${ns}`)) === null) continue;
    }
    if ((await client("GET", `${b.path}/${name}`)) === null) await client("POST", b.path, b.body);
  }
}

export async function revoke(a: Association): Promise<void> {
  const client = api();
  for (const b of bindings(a)) {
    await client("DELETE", `${b.path}/${(b.body.metadata as { name: string }).name}`);
  }
}

/** The cluster creator's implicit cluster-admin, when the cluster asks for it. */
export function creatorAssociation(clusterName: string): Association {
  return {
    clusterName,
    principalArn: CALLER_ARN,
    policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
  };
}
