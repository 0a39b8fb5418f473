/**
 * The add-ons of a cluster, resolved from the spec: which are installed, at which version, with
 * which configuration, and why. Pure (no Pulumi import). The components install exactly this
 * list, the offline preview prints it, and the spec-level `addon/required` check judges it.
 *
 * Defaults (README: Cluster add-ons):
 *  - ACK: the cluster's CNI (terway-eniip or flannel; Terway with NetworkPolicy on when the
 *    platform generates default-deny NetworkPolicies on the cluster), csi-plugin and
 *    csi-provisioner, ack-node-local-dns, logtail-ds, ack-node-problem-detector, metrics-server
 *    (ACK console defaults), alb-ingress-controller when an `alb` ingress is declared, and the
 *    node autoscaler when a pool autoscales;
 *  - EKS: vpc-cni (network policy on when NetworkPolicies are generated), coredns, kube-proxy,
 *    eks-pod-identity-agent, aws-ebs-csi-driver, and the Cluster Autoscaler when a pool autoscales.
 * Production changes no default: every default add-on is one production needs too.
 */
import {
  addonNames,
  CLUSTER_AUTOSCALER_CHART,
  kubernetesMinor,
  NODE_AUTOSCALER,
  pinnedAddonVersion,
} from "./addonVersions";
import { type Diagnostic, SPEC_SCHEMA } from "./diagnostic";
import {
  ACK_DISK_CSI_PROVISIONER,
  type AddonClusterFacts,
  type AddonDependentFact,
  type AddonFacts,
  checkAddonRequired,
  EBS_CSI_PROVISIONER,
} from "./rules/addons";
import { checkTenantRoleAdmin, type TenantRoleFact } from "./rules/identity";
import { type ClusterSpec, cniOf, type Environment } from "./spec";

export type AddonVersionSource = "spec" | "pinned" | "latest" | "cloud-default";

export interface ClusterAddon {
  name: string;
  /** Installed (true) or explicitly not (false). */
  enabled: boolean;
  /** The version to install; undefined: the cloud chooses (see `versionSource`). */
  version?: string;
  /**
   * `spec`: pinned in the spec; `pinned`: the platform's pin for the Kubernetes minor;
   * `latest`: the newest for the minor, resolved at deploy time; `cloud-default`: the cloud's
   * default for the minor (EKS: `aws.eks.getAddonVersion`; ACK: its current version).
   */
  versionSource: AddonVersionSource;
  /** The configuration sent (platform settings, then the spec's over them). */
  config: Record<string, unknown>;
  /** Why it is installed or not. */
  reason: string;
}

/** Whether a tenant namespace of the cluster gets a default-deny NetworkPolicy (Tenancy's default). */
export function namespaceDefaultDeny(
  cni: string,
  ns: { defaultDenyNetworkPolicy?: boolean | undefined },
): boolean {
  return ns.defaultDenyNetworkPolicy ?? cni !== "flannel";
}

/** The default-deny NetworkPolicies the platform will create on the cluster (namespace names). */
export function promisedNetworkPolicies(env: Environment, cluster: ClusterSpec): string[] {
  const cni = cniOf(env, cluster);
  return env.tenancy.projects.flatMap((p) =>
    p.namespaces
      .filter((n) => n.cluster === cluster.name && namespaceDefaultDeny(cni, n))
      .map((n) => `${p.name}-${n.name}`),
  );
}

interface Default {
  name: string;
  enabled: boolean;
  config?: Record<string, unknown>;
  reason: string;
}

function defaults(env: Environment, cluster: ClusterSpec): Default[] {
  // A self-managed cluster has no managed add-ons: kubeadm installs CoreDNS and kube-proxy.
  if (cluster.kind === "selfmanaged") return [];
  const cni = cniOf(env, cluster);
  const policies = promisedNetworkPolicies(env, cluster).length > 0;
  const autoscales = cluster.nodePools.some((p) => p.autoscaling);
  const autoscaler: Default = {
    name: NODE_AUTOSCALER,
    enabled: autoscales,
    reason: autoscales ? "a node pool autoscales" : "no node pool autoscales",
  };
  if (env.cloud === "aws") {
    return [
      {
        name: "vpc-cni",
        enabled: true,
        config: policies ? { enableNetworkPolicy: "true" } : {},
        reason: policies ? "the CNI; enforces the tenants' NetworkPolicies" : "the CNI",
      },
      { name: "coredns", enabled: true, reason: "cluster DNS" },
      { name: "kube-proxy", enabled: true, reason: "Service routing" },
      {
        name: "eks-pod-identity-agent",
        enabled: true,
        reason: "EKS Pod Identity for the platform's controllers",
      },
      { name: "aws-ebs-csi-driver", enabled: true, reason: "provisions the ebs-sc StorageClass's volumes" },
      autoscaler,
    ];
  }
  const terway = cni === "terway";
  const alb = cluster.ingress.some((i) => i.kind === "alb");
  return [
    {
      name: "terway-eniip",
      enabled: terway,
      config: terway && policies ? { NetworkPolicy: "true" } : {},
      reason: terway
        ? policies
          ? "the CNI; enforces the tenants' NetworkPolicies"
          : "the CNI"
        : "cni is flannel",
    },
    { name: "flannel", enabled: cni === "flannel", reason: cni === "flannel" ? "the CNI" : `cni is ${cni}` },
    { name: "csi-plugin", enabled: true, reason: "disk volumes of the alicloud-disk StorageClasses" },
    {
      name: "csi-provisioner",
      enabled: true,
      reason: "provisions the alicloud-disk StorageClasses' volumes",
    },
    {
      name: "alb-ingress-controller",
      enabled: alb,
      reason: alb ? "an alb ingress is declared (AlbConfig CRD and controller)" : "no alb ingress",
    },
    { name: "ack-node-local-dns", enabled: true, reason: "NodeLocal DNSCache (ACK default)" },
    {
      name: "logtail-ds",
      enabled: true,
      config: { IngressDashboardEnabled: "false", sls_project_name: "" },
      reason: "container log collection (ACK default)",
    },
    {
      name: "ack-node-problem-detector",
      enabled: true,
      config: { sls_project_name: "" },
      reason: "node problem detection and events (ACK default)",
    },
    { name: "metrics-server", enabled: true, reason: "resource metrics for HPA and kubectl top" },
    autoscaler,
  ];
}

/** The resolved add-ons of a cluster, in install order. */
export function clusterAddons(env: Environment, cluster: ClusterSpec): ClusterAddon[] {
  const minor = kubernetesMinor(cluster.kubernetesVersion);
  return defaults(env, cluster).map((d) => {
    const s = cluster.addons[d.name];
    const enabled = s?.enabled ?? d.enabled;
    const config = { ...(d.config ?? {}), ...(s?.config ?? {}) };
    let version: string | undefined;
    let versionSource: AddonVersionSource;
    if (s?.version === "latest") versionSource = "latest";
    else if (s?.version !== undefined) {
      version = s.version;
      versionSource = "spec";
    } else if (d.name === NODE_AUTOSCALER && env.cloud === "aws") {
      version = CLUSTER_AUTOSCALER_CHART.version;
      versionSource = "pinned";
    } else {
      version = pinnedAddonVersion(env.cloud, d.name, minor);
      versionSource = version === undefined ? "cloud-default" : "pinned";
    }
    const reason =
      s?.enabled !== undefined && s.enabled !== d.enabled
        ? `set in the spec (default: ${d.reason})`
        : d.reason;
    return { name: d.name, enabled, version, versionSource, config, reason };
  });
}

/** The enabled add-ons of a cluster, by name. */
export function enabledAddons(env: Environment, cluster: ClusterSpec): Map<string, ClusterAddon> {
  return new Map(
    clusterAddons(env, cluster)
      .filter((a) => a.enabled)
      .map((a) => [a.name, a]),
  );
}

/** Shape problems of `clusters[].addons`: unknown names, the CNI switched off, `latest` on ACK. */
export function checkAddonSettings(env: Environment): Diagnostic[] {
  const out: Diagnostic[] = [];
  env.clusters.forEach((cluster, i) => {
    const known = addonNames(env.cloud);
    const cni = cniOf(env, cluster);
    const cniAddon = env.cloud === "aws" ? "vpc-cni" : cni === "flannel" ? "flannel" : "terway-eniip";
    const otherCni = env.cloud === "alicloud" ? (cni === "flannel" ? "terway-eniip" : "flannel") : undefined;
    for (const [name, s] of Object.entries(cluster.addons)) {
      const path = `clusters[${i}].addons.${name}`;
      const bad = (message: string, at = path) =>
        out.push({ rule: SPEC_SCHEMA, severity: "mandatory", resource: cluster.name, path: at, message });
      if (cluster.kind === "selfmanaged") {
        bad(
          `add-on "${name}": a self-managed cluster has no managed add-ons (kubeadm installs CoreDNS and kube-proxy)`,
        );
        continue;
      }
      if (!known.includes(name)) {
        bad(`add-on "${name}" is not one the platform manages on ${env.cloud} (${known.join(", ")})`);
        continue;
      }
      if (name === cniAddon && s.enabled === false)
        bad(`${name} is the cluster's CNI (cni ${cni}); it cannot be disabled`, `${path}.enabled`);
      if (name === otherCni && s.enabled === true)
        bad(`${name} is not the cluster's CNI (cni ${cni}); a cluster runs one CNI`, `${path}.enabled`);
      if (s.version === "latest" && env.cloud === "alicloud")
        bad(
          `version "latest" is resolved through EKS only; on ACK omit version to keep ACK's current one, or pin one`,
          `${path}.version`,
        );
      if (name === NODE_AUTOSCALER && env.cloud === "alicloud" && s.version !== undefined)
        bad(`ACK's node autoscaling is a cluster setting without a version`, `${path}.version`);
      if (name === NODE_AUTOSCALER && env.cloud === "alicloud") {
        for (const key of Object.keys(s.config ?? {}).filter((k) => k !== "serviceRole"))
          bad(
            `ACK's node autoscaler takes only serviceRole here; "${key}" is a typed setting under clusters[${i}].autoscaler`,
            `${path}.config.${key}`,
          );
      }
    }
  });
  return out;
}

/** The spec-level facts of `addon/required`: what the platform will create, and the add-ons it installs. */
export function addonFactsFromEnvironment(env: Environment): AddonFacts {
  return {
    // A self-managed cluster has no managed add-ons to require (kubeadm installs its own).
    clusters: env.clusters.flatMap((cluster, i): AddonClusterFacts[] => {
      if (cluster.kind === "selfmanaged") return [];
      const dependents: AddonDependentFact[] = [];
      cluster.ingress.forEach((ing, j) => {
        if (ing.kind !== "alb") return;
        dependents.push({
          resource: cluster.name,
          path: `clusters[${i}].ingress[${j}]`,
          kind: "alb-config",
          label: `the alb ingress "${ing.name}" (AlbConfig and IngressClass)`,
        });
      });
      const provisioner = env.cloud === "aws" ? EBS_CSI_PROVISIONER : ACK_DISK_CSI_PROVISIONER;
      dependents.push({
        resource: cluster.name,
        path: `clusters[${i}].storage`,
        kind: "storage-class",
        label: `the platform's StorageClasses (provisioner ${provisioner})`,
        provisioner,
      });
      const policies = promisedNetworkPolicies(env, cluster);
      if (policies.length > 0) {
        dependents.push({
          resource: cluster.name,
          path: "tenancy.projects",
          kind: "network-policy",
          label: `the default-deny NetworkPolicies of namespaces ${policies.join(", ")}`,
        });
      }
      cluster.nodePools.forEach((pool, j) => {
        if (!pool.autoscaling) return;
        dependents.push({
          resource: cluster.name,
          path: `clusters[${i}].nodePools[${j}].autoscaling`,
          kind: "autoscaling-pool",
          label: `the autoscaling node pool "${pool.name}"`,
        });
      });
      return [
        {
          cluster: cluster.name,
          addons: [...enabledAddons(env, cluster).values()].map((a) => ({
            resource: cluster.name,
            name: a.name,
            config: a.config,
          })),
          dependents,
          addonPath: `clusters[${i}].addons`,
        },
      ];
    }),
  };
}

/** The tenants' service-account roles as facts of `security/tenant-role-admin`. */
export function tenantRoleFacts(env: Environment): TenantRoleFact[] {
  return env.tenancy.projects.flatMap((p, i) =>
    p.namespaces.flatMap((n, j) =>
      n.serviceAccountRoles.map((r, k) => ({
        resource: `${p.name}-${n.name}`,
        path: `tenancy.projects[${i}].namespaces[${j}].serviceAccountRoles[${k}]`,
        subject: `${p.name}-${n.name}/${r.serviceAccount}`,
        awsPolicyArns: r.awsPolicyArns,
        ramPolicies: r.ramPolicies,
      })),
    ),
  );
}

/** Shape problems of the tenants' roles: the other cloud's policies. */
function checkTenantRoleShape(env: Environment): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of tenantRoleFacts(env)) {
    const wrong = env.cloud === "aws" ? f.ramPolicies : f.awsPolicyArns;
    if (wrong && wrong.length > 0)
      out.push({
        rule: SPEC_SCHEMA,
        severity: "mandatory",
        resource: f.resource,
        path: `${f.path}.${env.cloud === "aws" ? "ramPolicies" : "awsPolicyArns"}`,
        message: `${env.cloud === "aws" ? "RAM policies" : "AWS policy ARNs"} [${wrong.join(", ")}] do not apply on ${env.cloud}`,
      });
  }
  return out;
}

/**
 * Every spec-level add-on and workload-identity check: the settings' shape, `addon/required`,
 * the tenants' roles (`security/tenant-role-admin`).
 */
export function checkAddons(env: Environment): Diagnostic[] {
  const shape = checkAddonSettings(env);
  return [
    ...shape,
    ...checkAddonRequired(addonFactsFromEnvironment(env)),
    ...checkTenantRoleShape(env),
    ...checkTenantRoleAdmin(tenantRoleFacts(env)),
  ];
}
