/**
 * The environment spec: one typed document per environment (dev, staging, prod, ...), read
 * from `stacks/Pulumi.<env>.yaml` (`platform:environment`). Parsing validates the shape with
 * zod and reports every problem at once with its path; the rules of RULES.md (CIDRs, quotas,
 * names) run afterwards on the parsed spec and its plan.
 */
import { z } from "zod";
import { type Diagnostic, SPEC_SCHEMA } from "./diagnostic";
import { VSwitchRole } from "./planTypes";
import { type Cni, defaultCni, type Environment, resolveEnvironment } from "./resolve";

/**
 * The published names of the spec's objects and enums, their doc comments and enum member
 * names: what `scripts/gen-spec-types.ts` turns into the interfaces and const-object enums of
 * `platform/environmentSpec.ts` (the component package's types). A registry of its own, so
 * zod's JSON Schema of the spec stays inline.
 */
export interface SpecTypeMeta {
  /** The published type name, e.g. `EnvironmentCluster` or `ClusterCni`. */
  id: string;
  description?: string;
  /** Enums: value → member name, or [member name, doc]. Default: the value in PascalCase. */
  members?: Record<string, string | string[]>;
  /** Enums and free-form records declared elsewhere (a module path relative to components/src/platform/). */
  declaredIn?: string;
}
export const SPEC_TYPES = z.registry<SpecTypeMeta>();

const name = z.string().describe("A logical name: lowercase letters, digits and '-'.");
const cidrText = z.string().describe("A CIDR block such as 10.0.0.0/16 (validated by cidr/invalid).");

/**
 * The Flannel node CIDR masks ACK offers: /24 to /28, i.e. 256 to 16 pod addresses per node
 * (ACK docs: "Plan the network of an ACK cluster", pods per node). The spec and AckCluster
 * both check against this one range.
 */
export const FLANNEL_NODE_CIDR_MASK = { min: 24, max: 28 } as const;

export const CONNECTED_KINDS = ["peer-vpc", "cen", "vpn", "leased-line", "other"] as const;

export const ConnectedRangeSchema = z
  .strictObject({
    name: name.describe("What the range is, e.g. `office-vpn` or `idc-beijing`."),
    cidr: cidrText,
    kind: z
      .enum(CONNECTED_KINDS)
      .register(SPEC_TYPES, {
        id: "ConnectedRangeKind",
        description: "How a connected network reaches the VPC.",
      })
      .default("other"),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentConnectedRange",
    description: "A network connected to the VPC (peering, CEN, VPN, leased line): the planner avoids it.",
  });

export const ExistingVSwitchSchema = z
  .strictObject({
    id: z.string().describe("The existing vSwitch (subnet) id."),
    zone: z.string().describe("Its zone."),
    cidr: cidrText.describe("Its CIDR."),
    role: z
      .enum(VSwitchRole)
      .register(SPEC_TYPES, { id: "VSwitchRole", declaredIn: "@kubeplat/plan" })
      .describe("What the planner would have used the vSwitch for."),
    cluster: name.optional().describe("The cluster that uses it. Default: every cluster of the VPC."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentExistingVSwitch",
    description: "An existing vSwitch (subnet) the planner adopts instead of allocating one.",
  });

export const LayoutSchema = z
  .strictObject({
    clusterPrefix: z
      .number()
      .int()
      .optional()
      .describe("Prefix of one cluster's slot. Default: VPC prefix + 2 (4 slots)."),
    zonePrefix: z
      .number()
      .int()
      .optional()
      .describe("Prefix of one zone's slot in a cluster slot. Default: cluster prefix + 2 (4 zones)."),
    podPrefix: z.number().int().optional().describe("Terway pod vSwitch prefix. Default: zone prefix + 1."),
    nodePrefix: z
      .number()
      .int()
      .optional()
      .describe("Node vSwitch (subnet) prefix. Default: zone prefix + 2."),
    publicPrefix: z
      .number()
      .int()
      .optional()
      .describe("Public subnet prefix (AWS). Default: zone prefix + 3."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentAddressLayout",
    description: "Fixed-slot address layout. Changing it on a live environment renumbers everything.",
  });

export const VpcSchema = z
  .strictObject({
    id: z.string().optional().describe("Adopt an existing VPC instead of creating one."),
    cidr: cidrText.describe("The primary CIDR."),
    secondaryCidrs: z.array(cidrText).default([]).describe("Secondary CIDRs."),
    shared: z
      .boolean()
      .default(false)
      .describe("A shared VPC (resource directory sharing): clusters must use Terway."),
    existingVSwitches: z
      .array(ExistingVSwitchSchema)
      .default([])
      .describe("Existing vSwitches (subnets) to adopt."),
    layout: LayoutSchema.default({}).describe(
      "Fixed-slot address layout. Default: the prefixes documented on each field.",
    ),
    routeEntryQuota: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Raised VPC route-entry quota. Default 48."),
  })
  .register(SPEC_TYPES, { id: "EnvironmentVpc", description: "The environment's VPC." });

const essdLevel = z
  .enum(["PL0", "PL1", "PL2", "PL3"])
  .register(SPEC_TYPES, { id: "EssdPerformanceLevel", description: "ACK ESSD performance level." });

/** What system and data disks share: ESSD performance level and encryption. */
const diskPerformanceAndEncryption = {
  performanceLevel: essdLevel
    .optional()
    .describe("ACK ESSD performance level. Default: the provider's (PL1)."),
  encrypted: z
    .boolean()
    .default(true)
    .describe("Encrypt the disk (EKS volumes are always encrypted). Default true."),
  kmsKeyId: z.string().optional().describe("KMS key of the encryption. Default: the account's default key."),
};

export const NodeGpuSchema = z
  .strictObject({
    count: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("NVIDIA GPUs per instance, for the capacity report. Default: not counted."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentNodeGpu",
    description:
      "The NVIDIA GPUs of a GPU pool's instances (the one vendor the platform supports; `gpu: {}` when the count is not needed).",
  });

export const NodePoolSchema = z
  .strictObject({
    name,
    minSize: z.number().int().nonnegative().describe("Fewest nodes."),
    maxSize: z.number().int().nonnegative().describe("Most nodes."),
    desiredSize: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe("Fixed-size pools; ignored on update when autoscaling."),
    autoscaling: z.boolean().default(false).describe("Autoscaling between minSize and maxSize."),
    generation: z
      .number()
      .int()
      .min(1)
      .max(99)
      .default(1)
      .describe(
        "Blue/green generation of the pool. To rotate a pool for a change a rolling update cannot make (EKS instance types or disk, CNI-affecting settings), list the same name again with the next generation and the new settings, mark the old entry `retiring: true` and apply (the new pool is created beside the old); remove the old entry in a later change (node/pool-rotation). Generation 1 keeps the pool's name; generation n > 1 is named `<name>-g<n>`. Default 1.",
      ),
    retiring: z
      .boolean()
      .default(false)
      .describe(
        "The old side of a blue/green rotation: it keeps running, loses its deletion protection in production, and a later change removes its entry. Needs a newer generation of the same pool listed in the cluster (node/pool-rotation). Default false.",
      ),
    kubernetesVersion: z
      .string()
      .optional()
      .describe(
        "EKS only: pin the pool's nodes to a Kubernetes version (`1.y`) other than its cluster's, e.g. to move the control plane first and the pool in a later change; never newer than the cluster, at most 3 minors behind (cluster/version-skew). ACK refuses a pin: its node pools run their cluster's version. Default: the cluster's version.",
      ),
    instanceTypes: z
      .array(z.string())
      .min(1)
      .describe("Instance types in order of preference (at least one)."),
    vcpu: z.number().positive().default(4).describe("vCPUs per instance (for quota and budget arithmetic)."),
    memoryGiB: z.number().positive().default(16).describe("Memory per instance in GiB."),
    zones: z
      .array(z.string())
      .optional()
      .describe("Zones the pool spreads over; default every zone of its cluster."),
    image: z
      .enum(["containeros", "alinux", "bottlerocket", "al2023", "ostree", "custom"])
      .register(SPEC_TYPES, {
        id: "NodePoolImageFamily",
        description: "The node OS family of a node pool.",
        members: {
          containeros: ["ContainerOs", "Alibaba Cloud ContainerOS (ACK Pro managed pools)."],
          alinux: ["Alinux", "Alibaba Cloud Linux 3."],
          bottlerocket: ["Bottlerocket", "Bottlerocket (EKS)."],
          al2023: [
            "Al2023",
            "Amazon Linux 2023 (EKS): the EKS-optimized AMI of the node group's AMI type; not immutable (node/immutable-image).",
          ],
          ostree: ["Ostree", "An rpm-ostree image the platform builds."],
          custom: ["Custom", "A custom image."],
        },
      })
      .optional()
      .describe(
        "Node OS family. Default: ContainerOS on ACK Pro, Bottlerocket on EKS (`al2023` is the other EKS choice).",
      ),
    runtime: z
      .enum(["containerd", "docker"])
      .register(SPEC_TYPES, { id: "ContainerRuntime", description: "Container runtime of the nodes." })
      .default("containerd")
      .describe("Container runtime."),
    loginKeyPair: z.string().optional().describe("The key pair nodes log in with (node/login)."),
    securityGroups: z.array(z.string()).default([]).describe("Extra security groups of the nodes."),
    labels: z.record(z.string(), z.string()).default({}).describe("Kubernetes labels of the nodes."),
    taints: z
      .array(
        z
          .strictObject({
            key: z.string().describe("Taint key."),
            value: z.string().default("").describe("Taint value."),
            effect: z
              .enum(["NoSchedule", "PreferNoSchedule", "NoExecute"])
              .register(SPEC_TYPES, { id: "TaintEffect", description: "Kubernetes taint effects." })
              .describe("`NoSchedule`, `PreferNoSchedule` or `NoExecute`."),
          })
          .register(SPEC_TYPES, {
            id: "EnvironmentNodeTaint",
            description: "A Kubernetes taint of a node pool's nodes.",
          }),
      )
      .default([])
      .describe("Kubernetes taints of the nodes."),
    maxPods: z.number().int().positive().optional().describe("Max pods per node. Default: the CNI's."),
    capacity: z
      .strictObject({
        type: z
          .enum(["on-demand", "spot", "mixed"])
          .register(SPEC_TYPES, {
            id: "NodeCapacityType",
            description: "How a pool buys its instances.",
            members: {
              "on-demand": ["OnDemand", "On-demand instances only."],
              spot: ["Spot", "Spot (preemptible) instances only."],
              mixed: [
                "Mixed",
                "On-demand base capacity, then a percentage of on-demand above it, the rest spot (ACK).",
              ],
            },
          })
          .default("on-demand")
          .describe(
            "`on-demand`, `spot` or `mixed` (ACK only: EKS managed node groups take one capacity type).",
          ),
        onDemandBase: z
          .number()
          .int()
          .nonnegative()
          .optional()
          .describe(
            "`mixed`: on-demand nodes kept before any spot node (ACK onDemandBaseCapacity). Default 0.",
          ),
        onDemandPercentage: z
          .number()
          .int()
          .min(0)
          .max(100)
          .optional()
          .describe(
            "`mixed`: percentage of on-demand nodes above the base (ACK onDemandPercentageAboveBaseCapacity). Default 0.",
          ),
      })
      .register(SPEC_TYPES, {
        id: "EnvironmentNodeCapacity",
        description: "The capacity type of a node pool: on-demand, spot, or a mix.",
      })
      .default({ type: "on-demand" })
      .describe("Capacity type. Default: on-demand."),
    architecture: z
      .enum(["x86_64", "arm64"])
      .register(SPEC_TYPES, {
        id: "NodeArchitecture",
        description: "CPU architecture of a pool's nodes.",
        members: { x86_64: ["X86_64", "64-bit x86."], arm64: ["Arm64", "64-bit Arm (Graviton)."] },
      })
      .optional()
      .describe(
        "EKS: the Bottlerocket AMI's architecture, matching the instance types. Default `x86_64`. ACK: the instance types decide; leave unset.",
      ),
    systemDisk: z
      .strictObject({
        sizeGiB: z
          .number()
          .int()
          .positive()
          .optional()
          .describe("Size in GiB. Default: ACK 120; EKS the AMI's."),
        category: z
          .string()
          .optional()
          .describe(
            "ACK disk category (`cloud_essd`, `cloud_auto`, ...) or EKS volume type (`gp3`, `io2`, ...). Default: `cloud_essd` / `gp3`.",
          ),
        ...diskPerformanceAndEncryption,
      })
      .register(SPEC_TYPES, {
        id: "EnvironmentNodeSystemDisk",
        description: "The system (OS) disk of a pool's nodes.",
      })
      .optional()
      .describe("System disk. Default: encrypted, the cloud's default size and category."),
    dataDisks: z
      .array(
        z
          .strictObject({
            sizeGiB: z
              .number()
              .int()
              .positive()
              .optional()
              .describe("Size in GiB. Default: ACK 200; EKS 20."),
            category: z
              .string()
              .optional()
              .describe("ACK disk category or EKS volume type. Default: `cloud_essd` / `gp3`."),
            ...diskPerformanceAndEncryption,
            mountTarget: z
              .string()
              .optional()
              .describe("ACK: auto-format and mount here, e.g. `/var/lib/container`. Default: ACK's."),
            fileSystem: z
              .enum(["ext4", "xfs"])
              .register(SPEC_TYPES, {
                id: "NodeDiskFileSystem",
                description: "File system of an auto-formatted data disk.",
              })
              .optional()
              .describe("ACK: file system when auto-formatted. Default `ext4`."),
          })
          .register(SPEC_TYPES, {
            id: "EnvironmentNodeDataDisk",
            description: "A data disk of a pool's nodes.",
          }),
      )
      .optional()
      .describe(
        "Data disks. Default: ACK one encrypted 200 GiB ESSD; EKS Bottlerocket's encrypted 20 GiB gp3 data volume (EKS takes at most one).",
      ),
    update: z
      .strictObject({
        maxUnavailable: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .optional()
          .describe("Nodes replaced at once. Default 1."),
        maxUnavailablePercentage: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe("EKS: percentage of nodes replaced at once, instead of maxUnavailable."),
        surge: z
          .number()
          .int()
          .nonnegative()
          .optional()
          .describe("ACK managed pools: extra nodes added during an upgrade. Default 0."),
        autoUpgrade: z
          .boolean()
          .optional()
          .describe(
            "ACK managed pools: ACK upgrades the nodes' kubelet, OS image and runtime in the maintenance window (`management.autoUpgrade`). Default true.",
          ),
        autoRepair: z
          .boolean()
          .optional()
          .describe(
            "ACK managed pools: ACK repairs or replaces unhealthy nodes (`management.autoRepair`). Default true.",
          ),
      })
      .register(SPEC_TYPES, {
        id: "EnvironmentNodeUpdate",
        description: "Rolling-update settings of a node pool.",
      })
      .optional()
      .describe("Rolling updates. Default: one node at a time, no surge."),
    default: z
      .boolean()
      .default(false)
      .describe("The cluster's default pool (node/autoscaling-default-pool)."),
    gpu: NodeGpuSchema.optional().describe(
      "A GPU pool: the GPU image variant, the NVIDIA taint and, where the image lacks it, the device plugin. Default: no GPU.",
    ),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentNodePool",
    description: "A node pool (ACK) or node group (EKS) of a cluster.",
  });

export const ClusterSecuritySchema = z
  .strictObject({
    deletionProtection: z
      .boolean()
      .optional()
      .describe("Default: on in production (security/deletion-protection)."),
    secretsEncryption: z
      .boolean()
      .optional()
      .describe("Encrypt Secrets with a KMS key. Default: on in production (security/secrets-encryption)."),
    kmsKeyId: z.string().optional().describe("An existing KMS key. Default: the component creates one."),
  })
  .register(SPEC_TYPES, { id: "EnvironmentClusterSecurity", description: "Security settings of a cluster." });

export const ApiServerSchema = z
  .strictObject({
    public: z
      .boolean()
      .default(false)
      .describe("Give the API server a public endpoint (EIP / public access)."),
    allowList: z.array(cidrText).default([]).describe("Source ranges allowed to reach a public endpoint."),
  })
  .register(SPEC_TYPES, { id: "EnvironmentApiServer", description: "API server access of a cluster." });

export const INGRESS_KIND_NAMES = ["nginx", "alb", "aws-lb-controller"] as const;

export const IngressSchema = z
  .strictObject({
    name,
    kind: z
      .enum(INGRESS_KIND_NAMES)
      .register(SPEC_TYPES, {
        id: "IngressControllerKind",
        description: "The ingress controller of an ingress entry.",
        members: {
          nginx: ["Nginx", "ingress-nginx behind a CLB (Alibaba Cloud) or an NLB (AWS)."],
          alb: ["Alb", "Alibaba Cloud ALB Ingress (AlbConfig)."],
          "aws-lb-controller": ["AwsLbController", "AWS Load Balancer Controller."],
        },
      })
      .describe("`nginx`, `alb` or `aws-lb-controller`."),
    className: z.string().optional().describe("IngressClass name; default: the kind's own (nginx, alb)."),
    default: z.boolean().default(false).describe("Mark the IngressClass as the cluster default."),
    replicas: z.number().int().positive().optional().describe("Controller replicas. Default 2."),
    addressType: z
      .enum(["internet", "intranet"])
      .register(SPEC_TYPES, {
        id: "IngressAddressType",
        description: "Internet-facing or VPC-internal load balancer.",
      })
      .default("internet"),
    loadBalancerSpec: z.string().optional().describe("CLB spec such as slb.s2.small."),
    identity: z
      .enum(["pod-identity", "irsa"])
      .register(SPEC_TYPES, {
        id: "IngressIdentity",
        description: "How the AWS Load Balancer Controller's service account gets its IAM role.",
        members: {
          "pod-identity": ["PodIdentity", "EKS Pod Identity."],
          irsa: ["Irsa", "IAM roles for service accounts (the cluster's OIDC provider)."],
        },
      })
      .optional()
      .describe(
        "aws-lb-controller: how its service account gets its IAM role. Default pod-identity (EKS Pod Identity).",
      ),
  })
  .register(SPEC_TYPES, { id: "EnvironmentIngress", description: "An ingress controller of a cluster." });

export const AddonSettingSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe(
        "Install the add-on (true) or not (false). Default: the cloud's default (README: Cluster add-ons).",
      ),
    version: z
      .string()
      .optional()
      .describe(
        "Pin a version. `latest` (EKS) resolves the newest for the cluster's Kubernetes minor at deploy time. Default: the version pinned for the minor (EKS), ACK's current one (ACK).",
      ),
    config: z
      .record(z.string(), z.unknown())
      .register(SPEC_TYPES, {
        id: "AddonConfig",
        description: "Free-form add-on configuration (JSON).",
        declaredIn: "../kubernetes/clusterAddons",
      })
      .optional()
      .describe("Configuration merged over the platform's (ACK `config`, EKS `configurationValues`)."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentClusterAddon",
    description: "A cluster add-on's settings: enable, disable, pin or configure it.",
  });

const duration = z.string().regex(/^[0-9]+(s|m|h)$/, "a duration such as 30s, 10m or 1h");
const ratio = z.number().gt(0).max(1);

/** ACK's node autoscaler settings (`alicloud.cs.AutoscalingConfig`), with ACK's documented defaults. */
export const AutoscalerSchema = z
  .strictObject({
    scanInterval: duration
      .default("30s")
      .describe("How often the autoscaler looks for pending pods and idle nodes. Default `30s`."),
    expander: z
      .enum(["least-waste", "random", "priority"])
      .register(SPEC_TYPES, {
        id: "AutoscalerExpander",
        description: "Which node pool a scale-out picks.",
        members: {
          "least-waste": ["LeastWaste", "The pool that leaves the least CPU and memory idle."],
          random: ["Random", "Any pool that fits."],
          priority: ["Priority", "The pool of the highest priority."],
        },
      })
      .default("least-waste")
      .describe("Which pool a scale-out picks. Default `least-waste`."),
    scaleDownEnabled: z.boolean().default(true).describe("Remove idle nodes. Default true."),
    scaleDownUtilizationThreshold: ratio
      .default(0.5)
      .describe(
        "A node whose requested CPU and memory are below this share of its capacity is idle. Default 0.5.",
      ),
    gpuScaleDownUtilizationThreshold: ratio
      .default(0.5)
      .describe("The same for GPU nodes, on their GPU requests. Default 0.5."),
    scaleDownDelay: duration
      .default("10m")
      .describe("No scale-in this long after a scale-out. Default `10m`."),
    scaleDownUnneededTime: duration
      .default("10m")
      .describe("A node idle this long is removed. Default `10m`."),
    skipNodesWithSystemPods: z
      .boolean()
      .default(true)
      .describe("Keep nodes running kube-system pods (DaemonSets aside). Default true."),
    skipNodesWithLocalStorage: z
      .boolean()
      .default(false)
      .describe("Keep nodes whose pods use emptyDir or hostPath volumes. Default false."),
    maxGracefulTerminationSec: z
      .number()
      .int()
      .positive()
      .default(14400)
      .describe("Longest a pod may take to terminate during a scale-in, in seconds. Default 14400."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentClusterAutoscaler",
    description: "The node autoscaler of an ACK cluster: how fast it scales out and in.",
  });

/** A Karpenter NodePool (karpenter.sh/v1) of an EKS cluster. */
export const KarpenterNodePoolSchema = z
  .strictObject({
    name,
    capacityTypes: z
      .array(
        z.enum(["on-demand", "spot"]).register(SPEC_TYPES, {
          id: "KarpenterCapacityType",
          description: "A capacity type Karpenter may launch.",
          members: { "on-demand": ["OnDemand", "On-demand instances."], spot: ["Spot", "Spot instances."] },
        }),
      )
      .min(1)
      .default(["on-demand"])
      .describe(
        "Capacity types; with both, Karpenter prefers spot and falls back to on-demand. Default on-demand.",
      ),
    architectures: z
      .array(
        z.enum(["amd64", "arm64"]).register(SPEC_TYPES, {
          id: "KarpenterArchitecture",
          description: "A CPU architecture Karpenter may launch.",
          members: { amd64: ["Amd64", "64-bit x86."], arm64: ["Arm64", "64-bit Arm (Graviton)."] },
        }),
      )
      .min(1)
      .default(["amd64"])
      .describe("Architectures. Default amd64."),
    instanceCategories: z
      .array(z.string())
      .default(["c", "m", "r"])
      .describe("EC2 instance categories (c, m, r, ...). Default c, m, r; empty: any."),
    instanceFamilies: z
      .array(z.string())
      .default([])
      .describe("EC2 instance families (m7g, c7i, ...). Default any."),
    cpuLimit: z
      .number()
      .int()
      .positive()
      .describe("Most vCPUs the pool may hold (quota and budget count it)."),
    memoryLimitGiB: z.number().int().positive().describe("Most memory the pool may hold, in GiB."),
    consolidateUnderutilized: z
      .boolean()
      .default(true)
      .describe("Consolidate underutilised nodes as well as empty ones. Default true."),
    consolidateAfter: duration.default("1m").describe("Wait this long before consolidating. Default `1m`."),
    disruptionBudget: z
      .string()
      .regex(/^([0-9]+|[0-9]{1,2}%|100%)$/, "a node count or a percentage")
      .default("10%")
      .describe("Most nodes disrupted at once, a count or a percentage. Default `10%`."),
    expireAfter: duration
      .default("720h")
      .describe("Replace nodes older than this. Default `720h` (30 days)."),
    labels: z.record(z.string(), z.string()).default({}).describe("Kubernetes labels of the nodes."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentKarpenterNodePool",
    description: "A Karpenter NodePool of an EKS cluster.",
  });

export const KarpenterSchema = z
  .strictObject({
    nodeOs: z
      .enum(["bottlerocket", "al2023"])
      .register(SPEC_TYPES, {
        id: "KarpenterNodeOs",
        description: "The AMI family Karpenter's nodes boot.",
        members: {
          bottlerocket: ["Bottlerocket", "Bottlerocket (immutable)."],
          al2023: ["Al2023", "Amazon Linux 2023."],
        },
      })
      .default("bottlerocket")
      .describe("Node OS: `bottlerocket` (default, node/immutable-image) or `al2023`."),
    nodePools: z.array(KarpenterNodePoolSchema).min(1).describe("Karpenter NodePools (at least one)."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentKarpenter",
    description: "Karpenter on an EKS cluster: node OS and NodePools.",
  });

/**
 * Self-managed clusters (`kind: selfmanaged`): Kubernetes installed by kubeadm on the cloud's
 * plain instances (ECS on Alibaba Cloud, EC2 on AWS), on the project's immutable ostree image,
 * after the Alauda Container Platform model of self-provisioned clusters ("Creating an
 * on-premise cluster"): an odd number of control-plane nodes behind an API server VIP, Kube-OVN
 * or Calico, etcd encrypted at rest.
 */
export const CLUSTER_KINDS = ["managed", "selfmanaged"] as const;

/** The Kube-OVN join CIDR Kube-OVN documents as its default (Kube-OVN docs: Join subnet). */
export const KUBE_OVN_DEFAULT_JOIN_CIDR = "100.64.0.0/16";

export const ENCRYPTION_PROVIDERS = ["secretbox", "aescbc"] as const;

export const SelfManagedControlPlaneSchema = z
  .strictObject({
    count: z
      .number()
      .int()
      .default(3)
      .describe("Control-plane nodes: 1, 3 or 5, never 2 (cluster/control-plane-count). Default 3."),
    instanceType: z
      .string()
      .optional()
      .describe(
        "Instance type. Default: `ecs.g7.xlarge` (Alibaba Cloud), `m7i.xlarge` (AWS): 4 vCPU, 16 GiB.",
      ),
    vcpu: z.number().positive().default(4).describe("vCPUs per instance (quota and budget arithmetic)."),
    memoryGiB: z.number().positive().default(16).describe("Memory per instance in GiB."),
    diskGiB: z
      .number()
      .int()
      .positive()
      .default(120)
      .describe("System disk size in GiB (etcd lives on it). Default 120."),
    diskCategory: z
      .string()
      .optional()
      .describe("Disk category (`cloud_essd`) or EBS volume type (`gp3`). Default: `cloud_essd` / `gp3`."),
    zones: z
      .array(z.string())
      .optional()
      .describe("Zones the nodes spread over, in turn. Default: every zone of the cluster."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentSelfManagedControlPlane",
    description: "The control plane of a self-managed cluster: kubeadm control-plane nodes.",
  });

export const SelfManagedSchema = z
  .strictObject({
    imageId: z
      .string()
      .optional()
      .describe(
        "The node image every node boots, an id of a custom image (Alibaba Cloud) or an AMI (AWS): overrides the project's image. Default: the environment's `ostreeImage`, built and imported for this cluster (one NodeImage per cluster); one of the two is required. A new image replaces the nodes, never patches them.",
      ),
    controlPlane: SelfManagedControlPlaneSchema.default({
      count: 3,
      vcpu: 4,
      memoryGiB: 16,
      diskGiB: 120,
    }).describe("Control-plane nodes. Default: three."),
    apiVip: z
      .string()
      .optional()
      .describe(
        "The API server VIP: the internal load balancer's address. Default: planned in the control-plane subnet (cidr/api-vip).",
      ),
    joinCidr: cidrText
      .optional()
      .describe(
        `Kube-OVN join CIDR (node-to-pod traffic). Default ${KUBE_OVN_DEFAULT_JOIN_CIDR}, as Kube-OVN documents.`,
      ),
    etcdEncryption: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Encrypt Secrets in etcd. Default true."),
        provider: z
          .enum(ENCRYPTION_PROVIDERS)
          .register(SPEC_TYPES, {
            id: "EtcdEncryptionProvider",
            description: "The API server's encryption-at-rest provider.",
            members: {
              secretbox: [
                "Secretbox",
                "XSalsa20 and Poly1305 (Kubernetes docs: the strongest local-key provider).",
              ],
              aescbc: ["Aescbc", "AES-CBC with PKCS#7 padding."],
            },
          })
          .default("secretbox")
          .describe("`secretbox` (default) or `aescbc`; the 32-byte key is generated and kept secret."),
      })
      .register(SPEC_TYPES, {
        id: "EnvironmentEtcdEncryption",
        description: "Encryption at rest of a self-managed cluster's Secrets (EncryptionConfiguration).",
      })
      .default({ enabled: true, provider: "secretbox" })
      .describe("Encryption at rest. Default: on, secretbox."),
    loginKeyPair: z.string().optional().describe("Key pair the nodes log in with. Default: none."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentSelfManaged",
    description: "Settings of a self-managed (kubeadm) cluster.",
  });

export const ClusterSchema = z
  .strictObject({
    name,
    slot: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        "Address slot in the VPC; default: the cluster's position. Pin it before removing an earlier cluster.",
      ),
    kind: z
      .enum(CLUSTER_KINDS)
      .register(SPEC_TYPES, {
        id: "ClusterKind",
        description: "Who runs a cluster's control plane.",
        members: {
          managed: ["Managed", "The cloud's managed Kubernetes: ACK on Alibaba Cloud, EKS on AWS."],
          selfmanaged: [
            "SelfManaged",
            "kubeadm on the cloud's instances (ECS, EC2) with the project's ostree image.",
          ],
        },
      })
      .default("managed")
      .describe("`managed` (ACK, EKS) or `selfmanaged` (kubeadm on ECS / EC2). Default managed. Immutable."),
    selfManaged: SelfManagedSchema.optional().describe(
      "kind selfmanaged: its control plane, node image, API VIP, join CIDR, encryption. Required there.",
    ),
    edition: z
      .enum(["pro", "standard"])
      .register(SPEC_TYPES, {
        id: "AckEdition",
        description: "ACK cluster edition.",
        members: {
          pro: ["Pro", "ACK Pro (`ack.pro.small`)."],
          standard: ["Standard", "ACK standard (`ack.standard`)."],
        },
      })
      .default("pro")
      .describe("ACK edition."),
    kubernetesVersion: z
      .string()
      .optional()
      .describe(
        "Kubernetes version: ACK `x.y.z-aliyun.n`, EKS `major.minor`. Default: the cloud's newest version in standard support (plan/versions.ts).",
      ),
    supportType: z
      .enum(["standard", "extended"])
      .register(SPEC_TYPES, {
        id: "EksSupportType",
        description: "What EKS does with a cluster at the end of its version's standard support.",
        members: {
          standard: ["Standard", "EKS upgrades the cluster to the next minor version automatically."],
          extended: ["Extended", "The version stays, in paid extended support, for 12 more months."],
        },
      })
      .default("standard")
      .describe(
        "EKS `upgradePolicy.supportType`, always registered (EKS's own default when unset is extended, which is billed): standard upgrades the cluster automatically at the end of standard support, extended keeps the version in paid extended support. Default standard. ACK has no extended support: ignored there.",
      ),
    maintenanceWindow: z
      .strictObject({
        start: z
          .string()
          .regex(
            /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
            "an RFC 3339 time like 2026-01-05T02:00:00.000+08:00",
          )
          .describe("First window, RFC 3339 (ACK `maintenanceTime`), e.g. `2026-01-05T02:00:00.000+08:00`."),
        duration: z
          .string()
          .regex(/^([1-9]|1\d|2[0-4])h$/, "hours from 1h to 24h")
          .default("3h")
          .describe("Length of each window, `1h`–`24h` (ACK `duration`). Default 3h."),
        weekdays: z
          .array(
            z
              .enum(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
              .register(SPEC_TYPES, { id: "Weekday", description: "A day of the week." }),
          )
          .min(1)
          .default(["Thursday"])
          .describe("Days the window opens (ACK `weeklyPeriod`). Default Thursday, ACK's default."),
      })
      .register(SPEC_TYPES, {
        id: "ClusterMaintenanceWindow",
        description:
          "When ACK may run the cluster's automatic operations (auto upgrade, managed pool upgrades and repairs).",
      })
      .optional()
      .describe(
        "ACK only: the cluster's maintenance window (`alicloud.cs.ManagedKubernetes` maintenanceWindow). EKS has no control plane maintenance window. Default: none (ACK's own schedule).",
      ),
    autoUpgrade: z
      .strictObject({
        channel: z
          .enum(["patch", "stable", "rapid"])
          .register(SPEC_TYPES, {
            id: "AckAutoUpgradeChannel",
            description: "ACK's cluster auto upgrade channel.",
            members: {
              patch: ["Patch", "Patch versions of the current minor only."],
              stable: ["Stable", "Minor versions too, once ACK deems them stable."],
              rapid: ["Rapid", "Minor versions as soon as ACK offers them."],
            },
          })
          .describe(
            "ACK's auto upgrade channel: `patch` (patch versions only), `stable` or `rapid` (minors too).",
          ),
      })
      .register(SPEC_TYPES, {
        id: "ClusterAutoUpgrade",
        description:
          "ACK cluster auto upgrade (`operationPolicy.clusterAutoUpgrade`), run in the maintenance window.",
      })
      .optional()
      .describe(
        "ACK only: let ACK upgrade the control plane in the maintenance window (needs maintenanceWindow). Off by default: an upgrade ACK makes leaves kubernetesVersion behind the running version, which the next change must catch up with. Default: off.",
      ),
    cni: z
      .enum(["terway", "flannel", "vpc-cni", "kube-ovn", "calico"])
      .register(SPEC_TYPES, { id: "ClusterCni", description: "The container network plugin of a cluster." })
      .optional()
      .describe(
        "Default: terway on alicloud, vpc-cni on aws, kube-ovn on a self-managed cluster (which takes kube-ovn or calico). Immutable.",
      ),
    ipStack: z
      .enum(["ipv4", "dual"])
      .register(SPEC_TYPES, { id: "ClusterIpStack", description: "IPv4 only, or dual stack." })
      .default("ipv4")
      .describe("IPv4 only, or dual stack. Immutable."),
    zones: z
      .array(z.string())
      .optional()
      .describe("Zones the cluster spans; default the environment's zones."),
    podCidr: cidrText
      .optional()
      .describe(
        "Pod CIDR of an overlay CNI (Flannel, Kube-OVN, Calico); chosen by the planner when omitted. Immutable.",
      ),
    nodeCidrMask: z
      .number()
      .int()
      .min(FLANNEL_NODE_CIDR_MASK.min)
      .max(FLANNEL_NODE_CIDR_MASK.max)
      .default(26)
      .describe("Flannel per-node pod range prefix, 24–28 (256 to 16 pod addresses per node)."),
    serviceCidr: cidrText.optional().describe("Chosen by the planner when omitted. Immutable."),
    ipv6ServiceCidr: cidrText.optional(),
    maxPodsPerNode: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Default 64 (Terway / VPC CNI); Flannel: 2^(32 - nodeCidrMask)."),
    nodePools: z.array(NodePoolSchema).default([]).describe("Node pools."),
    security: ClusterSecuritySchema.default({}).describe(
      "Security settings. Default: production defaults (resolveEnvironment).",
    ),
    apiServer: ApiServerSchema.default({ public: false, allowList: [] }).describe(
      "API server access. Default: private only.",
    ),
    ingress: z.array(IngressSchema).default([]).describe("Ingress controllers."),
    storage: z
      .strictObject({
        defaultClass: z
          .string()
          .optional()
          .describe("The StorageClass to mark default. Default: the cloud's encrypted block-storage class."),
      })
      .register(SPEC_TYPES, {
        id: "EnvironmentClusterStorage",
        description: "Storage settings of a cluster.",
      })
      .default({}),
    tags: z.record(z.string(), z.string()).default({}).describe("Tags of the cluster's resources."),
    karpenter: KarpenterSchema.optional().describe(
      "EKS: provision nodes with Karpenter instead of the Cluster Autoscaler; the cluster's node pools are then fixed-size and run the controller (README: Choosing and sizing an autoscaler). Default: none.",
    ),
    autoscaler: AutoscalerSchema.optional().describe(
      "ACK: node autoscaler settings, used when a pool autoscales. Default: ACK's documented defaults (README: Choosing and sizing an autoscaler). EKS: configure the Cluster Autoscaler chart under addons.cluster-autoscaler.config.",
    ),
    addons: z
      .record(z.string(), AddonSettingSchema)
      .default({})
      .describe("Cluster add-ons by name: enable, disable, pin or configure one (README: Cluster add-ons)."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentCluster",
    description: "A Kubernetes cluster of the environment.",
  });

const quantityMap = z
  .record(z.string(), z.string())
  .describe("Kubernetes quantities by resource, e.g. {requests.cpu: '4'}.");

export const TenantNamespaceSchema = z
  .strictObject({
    name: name.describe("Namespace name; the project name is prefixed when missing."),
    cluster: name,
    quota: quantityMap.default({}),
    limitRange: z
      .strictObject({
        defaultRequest: quantityMap.optional(),
        default: quantityMap.optional(),
        max: quantityMap.optional(),
        min: quantityMap.optional(),
      })
      .register(SPEC_TYPES, {
        id: "EnvironmentLimitRange",
        description: "LimitRange defaults of a tenant namespace, Kubernetes quantities by resource.",
      })
      .optional()
      .describe("LimitRange. Default: none."),
    podSecurity: z
      .enum(["baseline", "restricted", "privileged"])
      .register(SPEC_TYPES, {
        id: "PodSecurityLevel",
        description: "Pod Security Standard enforced on a namespace.",
      })
      .optional()
      .describe("Default: restricted in production, baseline elsewhere."),
    defaultDenyNetworkPolicy: z
      .boolean()
      .optional()
      .describe("Default: on where the CNI enforces NetworkPolicy (Terway, VPC CNI)."),
    serviceAccountRoles: z
      .array(
        z
          .strictObject({
            serviceAccount: name.describe("The service account in this namespace that assumes the role."),
            awsPolicyArns: z
              .array(z.string())
              .default([])
              .describe("EKS: IAM policy ARNs attached to its role."),
            ramPolicies: z
              .array(z.string())
              .default([])
              .describe("ACK: RAM system policy names attached to its role (through RRSA)."),
          })
          .register(SPEC_TYPES, {
            id: "EnvironmentServiceAccountRole",
            description: "A cloud role for one service account of a tenant namespace.",
          }),
      )
      .default([])
      .describe(
        "Cloud roles for the namespace's service accounts (EKS Pod Identity, ACK RRSA); no administrator policies (security/tenant-role-admin).",
      ),
  })
  .register(SPEC_TYPES, { id: "EnvironmentTenantNamespace", description: "A tenant namespace." });

export const TenantProjectSchema = z
  .strictObject({
    name,
    clusters: z
      .array(
        z
          .strictObject({
            name,
            quota: quantityMap.default({}),
            storageClasses: z.array(z.string()).default([]).describe("StorageClasses the project may use."),
          })
          .register(SPEC_TYPES, {
            id: "EnvironmentProjectCluster",
            description: "A tenant project's share of one cluster.",
          }),
      )
      .describe("The clusters the project runs in."),
    namespaces: z.array(TenantNamespaceSchema).default([]).describe("Its namespaces."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentTenantProject",
    description: "A tenant project: quotas per cluster and namespaces.",
  });

/**
 * The platform's roles, defined once: the four predefined access levels of ACK's authorization
 * page and the four project roles (kubernetes/rbacRoles.ts gives each its ClusterRole). On EKS
 * the predefined ones map onto EKS access policies; the project roles have no access policy and
 * reach the cluster as the grant's Kubernetes group, bound by PlatformRbac (aws/accessEntries.ts).
 */
export const PREDEFINED_ROLES = ["admin", "ops", "dev", "restricted"] as const;
export const PROJECT_ROLES = ["project-admin", "namespace-admin", "developer", "auditor"] as const;
export const PLATFORM_ROLES = [...PREDEFINED_ROLES, ...PROJECT_ROLES] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Where `pulumi up` runs, as far as reaching a cluster's API server goes. */
export const DEPLOY_FROM = ["internet", "vpc"] as const;

export const AccessSchema = z
  .strictObject({
    breakGlassGroups: z
      .array(z.string())
      .default([])
      .describe("The only groups that may be bound to cluster-admin."),
    grants: z
      .array(
        z
          .strictObject({
            group: z.string().describe("Identity-provider group (Kubernetes group)."),
            role: z
              .enum(PLATFORM_ROLES)
              .register(SPEC_TYPES, {
                id: "AccessRole",
                description: "A platform role an identity-provider group is granted.",
              })
              .describe("The platform role."),
            clusters: z.array(name).optional().describe("Default: every cluster."),
            namespaces: z
              .array(z.string())
              .optional()
              .describe("Namespace-scoped grant; default cluster-wide."),
            principalArn: z
              .string()
              .optional()
              .describe("AWS: the IAM principal mapped to this group by an EKS access entry."),
          })
          .register(SPEC_TYPES, {
            id: "EnvironmentAccessGrant",
            description: "A role granted to an identity-provider group.",
          }),
      )
      .default([]),
    deployers: z
      .array(z.string())
      .optional()
      .describe(
        "AWS: the IAM role or user ARNs that run `pulumi up`; each gets an EKS access entry with AmazonEKSClusterAdminPolicy (cluster scope), so the program can manage in-cluster objects. Default: the identity running the program (an assumed-role session maps to its role). []: nobody (security/deployer-access).",
      ),
    deployFrom: z
      .enum(DEPLOY_FROM)
      .register(SPEC_TYPES, {
        id: "DeployFrom",
        description: "Where `pulumi up` runs, as far as reaching a cluster's API server goes.",
        members: {
          internet: ["Internet", "A laptop or hosted CI: reaches only public endpoints."],
          vpc: ["Vpc", "A runner inside the VPC or a network connected to it: reaches private endpoints."],
        },
      })
      .default("internet")
      .describe(
        "Where `pulumi up` runs: `internet` (a laptop or hosted CI: it reaches a cluster's API only through a public endpoint whose allow-list holds its address) or `vpc` (a runner inside the VPC or a network connected to it: it reaches private endpoints). security/deployer-access refuses a private-only cluster deployed from the internet.",
      ),
  })
  .register(SPEC_TYPES, { id: "EnvironmentAccess", description: "Who may do what in the clusters." });

export const QuotasSchema = z
  .strictObject({
    clusterNodes: z.number().int().positive().optional(),
    nodePoolsPerCluster: z.number().int().positive().optional(),
    nodesPerPool: z.number().int().positive().optional(),
    scaleStep: z.number().int().positive().optional(),
    routeEntries: z.number().int().positive().optional(),
    loadBalancers: z.number().int().positive().optional(),
    listenersPerLoadBalancer: z.number().int().positive().optional(),
    backendsPerLoadBalancer: z.number().int().positive().optional(),
    eips: z.number().int().positive().optional(),
    securityGroups: z.number().int().positive().optional(),
    autoscalingVcpu: z.number().int().positive().optional(),
    spotVcpu: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "vCPUs of spot instances per region, a quota of its own (AWS: All Standard Spot Instance Requests, L-34B43A08; Alibaba Cloud ECS: the spot vCPU quota). Default: not checked.",
      ),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentQuotas",
    description: "Quotas raised above the documented defaults (RULES.md), e.g. after a support ticket.",
  });

export const BudgetSchema = z
  .strictObject({
    clusters: z.number().int().nonnegative().optional(),
    nodes: z.number().int().nonnegative().optional(),
    vcpu: z.number().nonnegative().optional(),
    memoryGiB: z.number().nonnegative().optional(),
    loadBalancers: z.number().int().nonnegative().optional(),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentBudget",
    description: "Upper bounds of the environment's size (quota/budget rules).",
  });

/** The rpm-ostree image pools with `image: ostree` boot, and how it reaches the cloud. */
export const OstreeImageSchema = z
  .strictObject({
    treefile: z
      .strictObject({
        ref: z.string().describe("The ostree branch the commits land on, e.g. `platform/41/x86_64/node`."),
        releasever: z.string().optional().describe("`releasever` of the repositories. Default none."),
        repos: z
          .array(
            z
              .strictObject({
                id: z.string().describe("Repository id (`[id]` of its .repo file)."),
                name: z.string().optional().describe("Human name. Default: the id."),
                baseurl: z
                  .string()
                  .optional()
                  .describe("`baseurl`; one of baseurl and metalink is required."),
                metalink: z.string().optional().describe("`metalink`."),
                gpgcheck: z.boolean().default(true).describe("Check package signatures. Default true."),
                gpgkey: z.string().optional().describe("The signing key URL. Default none."),
              })
              .register(SPEC_TYPES, {
                id: "EnvironmentOstreeRepo",
                description: "An RPM repository the node image's packages come from.",
              }),
          )
          .min(1)
          .describe("RPM repositories (at least one)."),
        packages: z
          .array(z.string())
          .min(1)
          .describe(
            "Packages of the image: the kernel, systemd, ostree, rpm-ostree, containerd, the kubelet, ignition, `bootupd` (the disk's bootloader); for managed pools on ACK `cloud-init` (ACK's node initialisation), on EKS `aws-iam-authenticator`; for a self-managed cluster's nodes `kubeadm`, `kubelet` and `containerd`.",
          ),
        excludePackages: z
          .array(z.string())
          .default([])
          .describe("Packages that must not be pulled in. Default none."),
        units: z.array(z.string()).default([]).describe("systemd units enabled in the image. Default none."),
        kernelArguments: z
          .array(z.string())
          .default([])
          .describe("Kernel arguments of the deployment (and Ignition's `kernelArguments`). Default none."),
      })
      .register(SPEC_TYPES, {
        id: "EnvironmentOstreeTreefile",
        description: "The rpm-ostree treefile of the node image.",
      })
      .describe("The treefile composed into an ostree commit."),
    remoteUrl: z
      .string()
      .url()
      .describe("Where the build's ostree repository is served: nodes' `rpm-ostree upgrade` pulls from it."),
    gpgVerify: z.boolean().default(false).describe("Nodes verify commit signatures. Default false."),
    bucket: z
      .string()
      .min(1)
      .describe(
        "An existing OSS (ACK) or S3 (EKS) bucket in the environment's region the disk image is uploaded to for import.",
      ),
    keyPrefix: z
      .string()
      .default("node-images/")
      .describe("Key prefix of the uploaded disks. Default `node-images/`."),
    diskSizeGiB: z
      .number()
      .int()
      .min(4)
      .max(500)
      .default(10)
      .describe("Size of the disk image in GiB; pools' system disks are at least this. Default 10."),
    vmImportRole: z
      .string()
      .default("vmimport")
      .describe("EKS: the IAM role VM Import/Export assumes to read the bucket. Default `vmimport`."),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentOstreeImage",
    description:
      "The rpm-ostree node image: composed on the machine running Pulumi (root, with rpm-ostree, ostree, sgdisk, qemu-img), imported as a custom image, booted by pools with `image: ostree` and by self-managed clusters' nodes.",
  });

export const EnvironmentSchema = z
  .strictObject({
    name,
    cloud: z
      .enum(["alicloud", "aws"])
      .describe("`alicloud` or `aws`.")
      .register(SPEC_TYPES, { id: "CloudName", description: "The cloud of an environment." }),
    region: z.string().describe("Region id, e.g. `cn-hangzhou` or `eu-west-1`."),
    production: z
      .boolean()
      .default(false)
      .describe("A production environment: safe defaults, and the mandatory-in-production rules bind."),
    zones: z
      .array(z.string())
      .min(1)
      .describe("Zones in slot order: append new zones at the end, never reorder."),
    vpc: VpcSchema.describe("The VPC."),
    connectedRanges: z.array(ConnectedRangeSchema).default([]).describe("Networks connected to the VPC."),
    clusters: z.array(ClusterSchema).default([]).describe("Kubernetes clusters."),
    quotas: QuotasSchema.default({}).describe("Raised quotas."),
    budget: BudgetSchema.default({}).describe("Size limits."),
    tenancy: z
      .strictObject({ projects: z.array(TenantProjectSchema).default([]) })
      .register(SPEC_TYPES, { id: "EnvironmentTenancy", description: "Tenancy of the environment." })
      .default({ projects: [] })
      .describe("Tenant projects. Default: none."),
    access: AccessSchema.default({ breakGlassGroups: [], grants: [], deployFrom: "internet" }).describe(
      "Access grants. Default: none.",
    ),
    tags: z.record(z.string(), z.string()).default({}).describe("Tags of every resource."),
    ostreeImage: OstreeImageSchema.optional().describe(
      "The rpm-ostree node image of pools with `image: ostree`, and of self-managed clusters that name no `selfManaged.imageId`. Default none (no managed pool may choose `ostree`).",
    ),
  })
  .register(SPEC_TYPES, {
    id: "EnvironmentSpec",
    description: "One environment (dev, staging, prod, ...): the document under `platform:environment`.",
  });

/** The spec as written (defaults optional). */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** The spec after zod's parse, before the cloud- and production-dependent defaults. */
export type ParsedEnvironment = z.output<typeof EnvironmentSchema>;
/** The spec after parsing and `resolveEnvironment`: every default decided (see resolve.ts). */
export type {
  ClusterKindName,
  ClusterSpec,
  Cni,
  Environment,
  IngressSpec,
  NodePoolSpec,
  SelfManagedSpec,
  TenantProjectSpec,
} from "./resolve";
export type VpcSpec = z.output<typeof VpcSchema>;
export type ConnectedRange = z.output<typeof ConnectedRangeSchema>;
export type Quotas = z.output<typeof QuotasSchema>;
export type Budget = z.output<typeof BudgetSchema>;
export type AccessSpec = z.output<typeof AccessSchema>;
export type AddonSetting = z.output<typeof AddonSettingSchema>;
export type OstreeImageSpec = z.output<typeof OstreeImageSchema>;

export type SpecParse = { ok: true; env: Environment } | { ok: false; diagnostics: Diagnostic[] };

/** Render a zod path as `clusters[0].nodePools[1].maxSize`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "(root)";
}

/** Parse and shape-check a spec. Every problem is reported, each with its path. */
export function parseEnvironment(input: unknown, source = "environment"): SpecParse {
  const r = EnvironmentSchema.safeParse(input);
  if (r.success) return { ok: true, env: resolveEnvironment(r.data) };
  return {
    ok: false,
    diagnostics: r.error.issues.map((issue) => ({
      rule: SPEC_SCHEMA,
      severity: "mandatory" as const,
      resource: source,
      path: formatPath(issue.path),
      message: withValue(issue.message, valueAt(input, issue.path)),
    })),
  };
}

/** The value at a zod issue's path in the raw input. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** zod names what it expected; name what the spec holds too (`maxSize -1`, `cloud "gcp"`). */
function withValue(message: string, value: unknown): string {
  if (value === undefined || (typeof value === "object" && value !== null)) return message;
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return `${message} (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

/** The CNI a cluster runs, with the cloud's default applied (resolved specs carry it already). */
export function cniOf(
  env: Pick<Environment, "cloud">,
  cluster: { cni?: Cni; kind?: (typeof CLUSTER_KINDS)[number] },
): Cni {
  return cluster.cni ?? defaultCni(env.cloud, cluster.kind);
}

/** The zones a cluster spans, in environment slot order. */
export function clusterZones(env: Pick<Environment, "zones">, cluster: { zones?: string[] }): string[] {
  const wanted = cluster.zones ?? env.zones;
  return env.zones.filter((z) => wanted.includes(z));
}
