/**
 * Spec checks that need more than the schema's shape and less than a rule's facts: values that
 * only make sense on one cloud (a CNI, a Kubernetes version) and the region the stack's
 * provider settings point at. Each reports once, at the spec path the user edits, before the
 * rules that would otherwise trip over the same value several times.
 */
import { type Diagnostic, SPEC_SCHEMA } from "./diagnostic";
import { cnisOffered, type Environment } from "./resolve";
import { kubernetesVersionProblem } from "./versions";

const CLOUD_LABEL = { alicloud: "Alibaba Cloud (ACK)", aws: "AWS (EKS)" } as const;

function problem(env: Pick<Environment, "name">, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource: env.name, path, message };
}

/** Clusters whose CNI the cloud does not offer (`vpc-cni` on ACK, Terway or Flannel on EKS). */
export function checkCniAvailable(env: Environment): Diagnostic[] {
  return env.clusters.flatMap((c, i) => {
    const offered = cnisOffered(env.cloud, c.kind);
    const where = c.kind === "selfmanaged" ? "a self-managed cluster" : CLOUD_LABEL[env.cloud];
    return offered.includes(c.cni)
      ? []
      : [
          problem(
            env,
            `clusters[${i}].cni`,
            `cluster "${c.name}": cni "${c.cni}" is not available on ${where}; it offers ${offered.map((x) => `"${x}"`).join(" or ")}`,
          ),
        ];
  });
}

/** Kubernetes versions that are not versions of the environment's cloud (versions.ts). */
export function checkKubernetesVersions(env: Environment): Diagnostic[] {
  return env.clusters.flatMap((c, i) => {
    const why = kubernetesVersionProblem(
      c.kind === "selfmanaged" ? "kubeadm" : env.cloud,
      c.kubernetesVersion,
    );
    return why ? [problem(env, `clusters[${i}].kubernetesVersion`, `cluster "${c.name}": ${why}`)] : [];
  });
}

/** The stack setting that names a cloud's default region for its provider. */
export const REGION_SETTING = { alicloud: "alicloud:region", aws: "aws:region" } as const;

/**
 * The spec's `region` against the region the cloud provider is configured with (the stack's
 * `alicloud:region` / `aws:region`): the components create every resource through the stack's
 * provider, so two different values would put the platform in a region the spec does not name.
 * No setting: nothing to compare (the provider then reads its environment variables, which a
 * program cannot see without credentials).
 */
export function checkRegion(
  env: Pick<Environment, "name" | "cloud" | "region">,
  configured?: string,
): Diagnostic[] {
  if (configured === undefined || configured === "" || configured === env.region) return [];
  return [
    problem(
      env,
      "region",
      `region "${env.region}" differs from the stack's ${REGION_SETTING[env.cloud]} "${configured}": the resources would be created in "${configured}"; make them the same`,
    ),
  ];
}

/**
 * Pool shapes one cloud cannot build: a mixed capacity on an EKS managed node group (one
 * capacity type per group), an on-demand base or percentage on a pool that is not mixed, an
 * architecture on ACK (the instance types decide), disk settings EKS launch templates do not take
 * (ESSD performance levels, auto-format, unencrypted volumes, more than Bottlerocket's one data
 * volume), and rolling-update settings of the other cloud or of an unmanaged ACK pool.
 */
export function checkPoolShapes(env: Environment): Diagnostic[] {
  const out: Diagnostic[] = [];
  const aws = env.cloud === "aws";
  env.clusters.forEach((c, i) => {
    c.nodePools.forEach((p, j) => {
      const at = `clusters[${i}].nodePools[${j}]`;
      const no = (path: string, message: string) =>
        out.push(problem(env, `${at}.${path}`, `pool "${c.name}/${p.name}": ${message}`));
      const cap = p.capacity;
      // A self-managed pool is an auto scaling group, which mixes on-demand and spot itself.
      if (aws && cap.type === "mixed" && c.kind !== "selfmanaged") {
        no(
          "capacity.type",
          `capacity "mixed" is not available on ${CLOUD_LABEL.aws}: a managed node group has one capacity type; use an on-demand and a spot pool`,
        );
      }
      if (cap.type !== "mixed" && (cap.onDemandBase > 0 || cap.onDemandPercentage > 0)) {
        no(
          "capacity",
          `onDemandBase ${cap.onDemandBase} and onDemandPercentage ${cap.onDemandPercentage} apply to capacity "mixed", the type is "${cap.type}"`,
        );
      }
      if (!aws && p.architecture !== undefined) {
        no(
          "architecture",
          `architecture "${p.architecture}" on ${CLOUD_LABEL.alicloud}: the instance types decide the architecture; remove it`,
        );
      }
      if (aws) {
        const disks = [
          ...(p.systemDisk ? [["systemDisk", p.systemDisk] as const] : []),
          ...(p.dataDisks ?? []).map((d, k) => [`dataDisks[${k}]`, d] as const),
        ];
        for (const [path, d] of disks) {
          if (d.performanceLevel !== undefined)
            no(
              `${path}.performanceLevel`,
              `ESSD performance level ${d.performanceLevel} is ACK's; EKS volumes take a volume type (category)`,
            );
          if (!d.encrypted)
            no(`${path}.encrypted`, "EKS node volumes are always encrypted; remove encrypted: false");
          if ("mountTarget" in d && d.mountTarget !== undefined)
            no(`${path}.mountTarget`, "Bottlerocket mounts its data volume itself; remove mountTarget");
          if ("fileSystem" in d && d.fileSystem !== undefined)
            no(`${path}.fileSystem`, "Bottlerocket formats its data volume itself; remove fileSystem");
        }
        if ((p.dataDisks?.length ?? 0) > 1)
          no("dataDisks", `${p.dataDisks?.length} data disks: a Bottlerocket node has one data volume`);
        if (p.update?.surge !== undefined)
          no("update.surge", "surge is ACK's; EKS node groups replace maxUnavailable nodes at a time");
        for (const f of ["autoUpgrade", "autoRepair"] as const)
          if (p.update?.[f] !== undefined)
            no(
              `update.${f}`,
              `${f} is an ACK managed pool setting; an EKS node group changes only by this program`,
            );
      } else {
        if (p.update?.maxUnavailablePercentage !== undefined)
          no(
            "update.maxUnavailablePercentage",
            "maxUnavailablePercentage is EKS's; ACK takes maxUnavailable",
          );
        if (p.update !== undefined && c.edition !== "pro")
          no(
            "update",
            `rolling-update settings need a managed pool, which needs an ACK Pro cluster; edition is "${c.edition}"`,
          );
      }
      if (p.update?.maxUnavailable !== undefined && p.update.maxUnavailablePercentage !== undefined)
        no("update", "maxUnavailable and maxUnavailablePercentage are exclusive");
    });
  });
  return out;
}

/** Typed node autoscaler settings are ACK's `cs.AutoscalingConfig`; EKS's chart takes its own values. */
export function checkAutoscalerSettings(env: Environment): Diagnostic[] {
  if (env.cloud !== "aws") return [];
  return env.clusters.flatMap((c, i) =>
    c.autoscaler === undefined
      ? []
      : [
          problem(
            env,
            `clusters[${i}].autoscaler`,
            `cluster "${c.name}": autoscaler settings are ACK's node autoscaler; on ${CLOUD_LABEL.aws} configure the Cluster Autoscaler chart under addons.cluster-autoscaler.config`,
          ),
        ],
  );
}

/** Karpenter is EKS's; with it the managed node groups are fixed-size (Karpenter owns scaling). */
export function checkKarpenter(env: Environment): Diagnostic[] {
  const out: Diagnostic[] = [];
  env.clusters.forEach((c, i) => {
    if (c.karpenter === undefined) return;
    if (env.cloud !== "aws") {
      out.push(
        problem(
          env,
          `clusters[${i}].karpenter`,
          `cluster "${c.name}": Karpenter runs on ${CLOUD_LABEL.aws} only; ACK scales with clusters[].autoscaler`,
        ),
      );
      return;
    }
    c.nodePools.forEach((p, j) => {
      if (p.autoscaling)
        out.push(
          problem(
            env,
            `clusters[${i}].nodePools[${j}].autoscaling`,
            `pool "${c.name}/${p.name}" autoscales, but Karpenter provisions this cluster's nodes: the node groups run its controller at a fixed size; set autoscaling: false`,
          ),
        );
    });
    if (!c.nodePools.some((p) => p.default))
      out.push(
        problem(
          env,
          `clusters[${i}].nodePools`,
          `cluster "${c.name}": Karpenter's controller runs on the default node pool; mark one pool default: true`,
        ),
      );
  });
  return out;
}

/** Packages the disk step runs from the ostree image itself: the bootloader installer. */
export const OSTREE_DISK_PACKAGES = ["bootupd"] as const;

/**
 * Packages a managed pool's ostree image needs to join its cluster: ACK's node initialisation
 * runs through cloud-init (ACK docs: Create a node pool from a custom image); an EKS node's
 * kubelet authenticates with its IAM role through aws-iam-authenticator (eksJoin).
 */
export const OSTREE_JOIN_PACKAGES: Readonly<Record<Environment["cloud"], readonly string[]>> = {
  alicloud: ["cloud-init"],
  aws: ["aws-iam-authenticator"],
};

/**
 * Packages a self-managed cluster's node runs from its image (kubeadmDocuments.ts): `kubeadm`
 * (init and join), the `kubelet` it drives, and `containerd`, the runtime whose socket the
 * kubeadm configurations name (`unix:///run/containerd/containerd.sock`) and whose
 * configuration the Ignition writes; names as in the Kubernetes package repositories
 * (pkgs.k8s.io: kubeadm, kubelet). A self-managed node needs no cloud join package: it joins
 * with kubeadm's bootstrap token.
 */
export const SELF_MANAGED_NODE_PACKAGES = ["kubeadm", "kubelet", "containerd"] as const;

/** Whether a self-managed cluster boots the environment's ostree image (it names no image of its own). */
export function bootsEnvironmentImage(cluster: Environment["clusters"][number]): boolean {
  return (
    cluster.kind === "selfmanaged" &&
    cluster.selfManaged !== undefined &&
    cluster.selfManaged.imageId === undefined
  );
}

/**
 * The environment's ostree image, when a node boots it: its treefile carries what the disk step
 * needs, and what each kind of node that boots it needs to join (a managed pool: the cloud's
 * join package; a self-managed cluster's node: kubeadm, the kubelet, containerd), named at
 * `ostreeImage.treefile.packages`.
 */
export function checkOstreeImage(env: Environment): Diagnostic[] {
  const o = env.ostreeImage;
  if (o === undefined) return [];
  const managedPools = env.clusters.some(
    (c) => c.kind !== "selfmanaged" && c.nodePools.some((p) => p.image === "ostree"),
  );
  const selfManaged = env.clusters.filter(bootsEnvironmentImage).map((c) => c.name);
  if (!managedPools && selfManaged.length === 0) return [];
  const needs: { packages: readonly string[]; why: string }[] = [
    { packages: OSTREE_DISK_PACKAGES, why: "bootupd installs the disk's bootloader" },
  ];
  if (managedPools)
    needs.push({
      packages: OSTREE_JOIN_PACKAGES[env.cloud],
      why: `${OSTREE_JOIN_PACKAGES[env.cloud].join(", ")} joins a managed pool's node on ${CLOUD_LABEL[env.cloud]}`,
    });
  if (selfManaged.length > 0)
    needs.push({
      packages: SELF_MANAGED_NODE_PACKAGES,
      why: `${SELF_MANAGED_NODE_PACKAGES.join(", ")} run the nodes of self-managed cluster${selfManaged.length > 1 ? "s" : ""} ${selfManaged.map((n) => `"${n}"`).join(", ")}`,
    });
  const missing = [...new Set(needs.flatMap((n) => n.packages))].filter(
    (p) => !o.treefile.packages.includes(p),
  );
  if (missing.length === 0) return [];
  const whys = needs.filter((n) => n.packages.some((p) => missing.includes(p))).map((n) => n.why);
  return [
    problem(
      env,
      "ostreeImage.treefile.packages",
      `the ostree image needs ${missing.map((p) => `"${p}"`).join(", ")} in its packages (${whys.join("; ")})`,
    ),
  ];
}

/**
 * A self-managed cluster (`kind: selfmanaged`) names its settings and nothing only a managed
 * cluster has (ACK edition-bound autoscaler settings, Karpenter, a cloud KMS key for Secrets —
 * its Secrets are encrypted by the API server's EncryptionConfiguration); its pools boot the
 * ostree image; a managed cluster has no self-managed settings.
 */
export function checkSelfManagedShape(env: Environment): Diagnostic[] {
  const out: Diagnostic[] = [];
  env.clusters.forEach((c, i) => {
    const at = `clusters[${i}]`;
    if (c.kind !== "selfmanaged") {
      if (c.selfManaged !== undefined)
        out.push(
          problem(
            env,
            `${at}.selfManaged`,
            `cluster "${c.name}": selfManaged settings need kind: selfmanaged; kind is "${c.kind}"`,
          ),
        );
      return;
    }
    // On Alibaba Cloud the API VIP is an NLB, which spans at least two zones (alicloud provider:
    // nlb.LoadBalancer zoneMappings; a CLB layer-4 listener cannot be reached from its own
    // backends, and every control-plane node reaches its API server through the VIP).
    const clusterZones = env.zones.filter((z) => (c.zones ?? env.zones).includes(z));
    if (env.cloud === "alicloud" && clusterZones.length < 2)
      out.push(
        problem(
          env,
          c.zones !== undefined ? `${at}.zones` : "zones",
          `cluster "${c.name}": the API server's NLB on Alibaba Cloud spans at least two zones; the cluster spans ${clusterZones.length}: ${clusterZones.join(", ") || "none"}; add a zone`,
        ),
      );
    if (c.selfManaged === undefined) {
      out.push(
        problem(
          env,
          `${at}.selfManaged`,
          `cluster "${c.name}": a self-managed cluster needs its selfManaged settings (the control plane, and the image its nodes boot)`,
        ),
      );
    } else if (c.selfManaged.imageId === undefined && env.ostreeImage === undefined) {
      out.push(
        problem(
          env,
          `${at}.selfManaged.imageId`,
          `cluster "${c.name}": its nodes boot the project's ostree image, but the environment declares no ostreeImage and selfManaged.imageId is not set; declare ostreeImage (built and imported for this cluster) or set selfManaged.imageId`,
        ),
      );
    }
    const no = (path: string, message: string) =>
      out.push(problem(env, `${at}.${path}`, `cluster "${c.name}" (self-managed): ${message}`));
    if (c.karpenter !== undefined) no("karpenter", "Karpenter is EKS's; remove it");
    if (c.autoscaler !== undefined)
      no("autoscaler", "autoscaler settings are ACK's node autoscaler; remove them");
    if (c.security.kmsKeyId !== undefined)
      no(
        "security.kmsKeyId",
        "Secrets are encrypted by the API server (selfManaged.etcdEncryption), not a cloud KMS key; remove kmsKeyId",
      );
    if (c.ipStack !== "ipv4") no("ipStack", `ipStack "${c.ipStack}": a self-managed cluster is IPv4 only`);
    if (c.apiServer.public)
      no("apiServer.public", "the API server sits behind an internal load balancer only; set public: false");
    if (c.ingress.length > 0)
      no(
        "ingress",
        "no cloud load-balancer controller runs on a self-managed cluster yet, so no ingress controller would get an address; remove ingress",
      );
    if (c.cni !== "kube-ovn" && c.selfManaged?.joinCidr !== undefined)
      no("selfManaged.joinCidr", `the join CIDR is Kube-OVN's; cni is "${c.cni}"`);
    c.nodePools.forEach((p, j) => {
      if (p.image !== "ostree")
        no(
          `nodePools[${j}].image`,
          `pool "${p.name}" has image "${p.image}": a self-managed cluster's nodes boot the ostree image (the environment's ostreeImage, or selfManaged.imageId)`,
        );
      if (bootsEnvironmentImage(c) && p.architecture !== undefined && p.architecture !== "x86_64")
        no(
          `nodePools[${j}].architecture`,
          `pool "${p.name}" is ${p.architecture}: the cluster's one image, built from ostreeImage, is x86_64 and the control plane boots it too; set selfManaged.imageId for another architecture`,
        );
      // What a self-managed worker pool (launch template + auto scaling group, kubeadm join)
      // builds from the pool spec: name, sizes, zones, instance types, capacity, labels, taints,
      // the system disk. Anything else declared would be silently dropped, so it is refused.
      const unbuilt: [string, boolean, string][] = [
        [
          "autoscaling",
          p.autoscaling,
          "no node autoscaler runs on a self-managed cluster; the group stays at its desired size — set autoscaling: false",
        ],
        [
          "dataDisks",
          (p.dataDisks?.length ?? 0) > 0,
          "a self-managed node keeps images and pods on its system disk; remove dataDisks",
        ],
        [
          "securityGroups",
          p.securityGroups.length > 0,
          "the nodes join the cluster's own security group; remove securityGroups",
        ],
        [
          "loginKeyPair",
          p.loginKeyPair !== undefined,
          "every node logs in with selfManaged.loginKeyPair; move it there",
        ],
        [
          "maxPods",
          p.maxPods !== undefined,
          "the kubelet settings are the cluster's (maxPodsPerNode); move it there",
        ],
        [
          "gpu",
          p.gpu !== undefined,
          "no NVIDIA driver or device plugin is built into the project's image; remove gpu",
        ],
        [
          "kubernetesVersion",
          p.kubernetesVersion !== undefined,
          "every node runs the cluster's kubernetesVersion (a new version replaces the nodes); remove the pin",
        ],
        [
          "update",
          p.update !== undefined,
          "workers roll by the group's instance refresh, not a managed pool's update settings; remove update",
        ],
        ["runtime", p.runtime !== "containerd", "the kubeadm configurations name containerd; remove runtime"],
      ];
      for (const [field, declared, why] of unbuilt)
        if (declared) no(`nodePools[${j}].${field}`, `pool "${p.name}": ${why}`);
    });
  });
  return out;
}
