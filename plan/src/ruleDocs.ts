/**
 * The rule catalogue as product documentation: for every rule id of `RULES` (diagnostic.ts),
 * what it checks, why, the public documentation it comes from (by title), and how to fix a
 * violation. `docs/RULES.md` is generated from this file and `RULES` (`npm run gen:docs`); a
 * test fails when an id has no entry here or the generated file is stale.
 *
 * The type requires an entry for every id in `RULES`, so adding a rule without documenting it
 * does not compile.
 */
import type { RuleId } from "./diagnostic";

/** Who publishes the page a rule comes from. */
export type SourceDoc =
  | "ACK docs"
  | "Amazon EKS docs"
  | "Amazon VPC docs"
  | "Kubernetes docs"
  | "Alauda Container Platform docs"
  | "Immutable infrastructure article"
  | "kubeplat";

export interface RuleSource {
  doc: SourceDoc;
  /** The page title, as the publisher titles it. */
  title: string;
  /** A section of the page, where the rule comes from one part of it. */
  section?: string;
}

export interface RuleDoc {
  /** What the rule checks, in one or two sentences. */
  checks: string;
  /** Why: what breaks, or what the platform refuses, when it is violated. */
  why: string;
  /** The public pages the rule comes from. */
  sources: readonly RuleSource[];
  /** How to fix a violation: the spec field or setting to change. */
  fix: string;
}

const ack = (title: string, section?: string): RuleSource => ({ doc: "ACK docs", title, section });
const acp = (title: string, section?: string): RuleSource => ({
  doc: "Alauda Container Platform docs",
  title,
  section,
});
const eks = (title: string, section?: string): RuleSource => ({ doc: "Amazon EKS docs", title, section });
const k8s = (title: string, section?: string): RuleSource => ({ doc: "Kubernetes docs", title, section });
const own = (title: string): RuleSource => ({ doc: "kubeplat", title });

const NETWORK_PLAN = "Plan the network of an ACK cluster";
const CREATE_DEDICATED = "Create an ACK dedicated cluster";
const LB_CONSIDERATIONS = "Considerations for configuring a LoadBalancer type Service";

/**
 * Every catalogue id's documentation. Typed with an index signature as well so that entries for
 * ids being added on other branches may exist before the id reaches `RULES`; only ids in `RULES`
 * are published.
 */
export const RULE_DOCS: Record<RuleId, RuleDoc> & Record<string, RuleDoc> = {
  // ------------------------------------------------------------------------------- Addressing
  "cidr/invalid": {
    checks:
      "Every CIDR in the spec parses, has its host bits zero and a legal prefix length (`10.0.0.1/16` is reported with its canonical form `10.0.0.0/16`).",
    why: "A CIDR with host bits set is ambiguous: the cloud either rejects it or silently uses a different range than the one written.",
    sources: [own("Address plan conventions")],
    fix: "Write the canonical form the message names, at the path it names.",
  },
  "cidr/vpc-reserved-range": {
    checks:
      "A VPC CIDR lies outside 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 and 169.254.0.0/16; the standard private ranges are 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16.",
    why: "The cloud uses these ranges for its own services (100.64.0.0/10 for cloud services, 169.254.0.0/16 for metadata); a VPC in them cannot be created or cannot reach those services.",
    sources: [ack("Network overview"), ack(NETWORK_PLAN)],
    fix: "Set `vpc.cidr` to a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.",
  },
  "cidr/vswitch-outside-vpc": {
    checks: "Every vSwitch (subnet) lies inside its VPC's primary CIDR or one of its secondary CIDRs.",
    why: "The cloud refuses to create a vSwitch outside its VPC's ranges.",
    sources: [ack("Network overview"), ack(NETWORK_PLAN)],
    fix: "Change the vSwitch CIDR, or add the range to `vpc.secondaryCidrs`. For planned vSwitches, change `vpc.layout`.",
  },
  "cidr/vswitch-overlap": {
    checks: "No two vSwitches of one VPC overlap.",
    why: "The cloud refuses overlapping vSwitches; with adopted vSwitches, an overlap means two owners of one address.",
    sources: [ack("Network overview"), ack(NETWORK_PLAN)],
    fix: "Change one of the two CIDRs the message names (`existingVSwitches`, or `vpc.layout` for planned ones).",
  },
  "cidr/pod-overlaps-vpc": {
    checks: "A Flannel pod CIDR overlaps neither its VPC (primary and secondary CIDRs) nor any vSwitch.",
    why: "Pod traffic to an address inside the VPC is routed to the VPC instead of the pod: nodes and pods become unreachable.",
    sources: [ack(CREATE_DEDICATED, "Pod CIDR block"), ack(NETWORK_PLAN)],
    fix: "Leave `clusters[].podCidr` out (the planner picks a free /16 outside the VPC) or set one outside the VPC. The pod CIDR cannot change on an existing cluster.",
  },
  "cidr/service-overlaps-vpc": {
    checks: "A service CIDR overlaps neither its VPC nor any vSwitch.",
    why: "Service addresses inside the VPC shadow real hosts: traffic meant for a node or a load balancer lands on a Service.",
    sources: [ack(CREATE_DEDICATED, "Service CIDR block"), ack(NETWORK_PLAN)],
    fix: "Leave `clusters[].serviceCidr` out or set one outside the VPC. The service CIDR cannot change on an existing cluster.",
  },
  "cidr/pod-overlaps-service": {
    checks: "Within a cluster, the pod CIDR and the service CIDR do not overlap.",
    why: "kube-proxy cannot tell a pod address from a service address in the overlap.",
    sources: [ack(CREATE_DEDICATED, "Pod and Service CIDR blocks")],
    fix: "Change `clusters[].podCidr` or `clusters[].serviceCidr` so they are disjoint (or leave both out).",
  },
  "cidr/pod-overlaps-cluster": {
    checks:
      "Pod CIDRs of clusters that share a VPC, or sit in connected VPCs, overlap neither each other nor the other clusters' service CIDRs.",
    why: "Routes for one cluster's pods would capture the other's: cross-cluster traffic goes to the wrong nodes.",
    sources: [ack(NETWORK_PLAN, "Multiple clusters in one VPC or connected VPCs")],
    fix: "Give each cluster its own `podCidr` (or leave them out and let the planner pick per cluster slot).",
  },
  "cidr/service-shared": {
    checks: "Two clusters in one VPC use the same service CIDR.",
    why: "Allowed, but services of one cluster cannot reach the other's by ClusterIP.",
    sources: [ack(NETWORK_PLAN, "Multiple clusters in one VPC")],
    fix: "Give the clusters different `serviceCidr`s if they must call each other's services; otherwise nothing to do.",
  },
  "cidr/overlaps-peer": {
    checks:
      "No VPC, vSwitch, pod or service CIDR overlaps a declared connected range (peered VPC, CEN, VPN, leased line to a data centre).",
    why: "Traffic to the overlapping range cannot be routed both ways: either the peer or the local range becomes unreachable.",
    sources: [
      ack(NETWORK_PLAN, "Connected networks"),
      ack("Use the secondary CIDR blocks of a VPC to add vSwitches to a cluster"),
    ],
    fix: "Move the local range (`vpc.cidr`, `podCidr`, `serviceCidr`) away from the `connectedRanges` entry the message names.",
  },
  "cidr/terway-pod-vswitch-small": {
    checks: "A Terway pod vSwitch is /19 or larger (at least 8,192 addresses).",
    why: "Terway gives every pod a VPC address; a small pod vSwitch runs out of addresses and pods stay Pending.",
    sources: [ack("Add vSwitches for Terway"), ack(NETWORK_PLAN, "Terway")],
    fix: "Lower `vpc.layout.podPrefix` (a larger pod vSwitch) or give the VPC a larger CIDR.",
  },
  "cidr/terway-zone-mismatch": {
    checks:
      "Every zone that has a node vSwitch has a Terway pod vSwitch in the same zone, and no pod vSwitch sits in a zone without a node vSwitch.",
    why: "Terway assigns pod addresses from pod vSwitches in the node's zone; a zone without one cannot start pods.",
    sources: [ack("Create an ACK managed cluster"), ack("Work with Terway")],
    fix: "List the same zones for node and pod vSwitches (planned vSwitches always match; check `existingVSwitches`).",
  },
  "cidr/shared-vpc-needs-terway": {
    checks: "A cluster in a shared VPC uses Terway.",
    why: "Flannel needs VPC route entries, which a shared VPC's tenant cannot create.",
    sources: [ack(CREATE_DEDICATED, "Shared VPC")],
    fix: "Set `clusters[].cni: terway`, or put the cluster in a VPC of its own account.",
  },
  "cidr/ipv6-service-range": {
    checks:
      "A dual-stack cluster uses Terway and Kubernetes 1.20.4 or later; its IPv6 service CIDR lies in fc00::/7 with a prefix of /112 to /120.",
    why: "ACK supports dual stack only with Terway, and refuses other IPv6 service ranges.",
    sources: [ack(CREATE_DEDICATED, "IPv6 dual-stack")],
    fix: "Set `cni: terway`, a supported `kubernetesVersion`, and an IPv6 service CIDR such as `fd00::/120`.",
  },
  "cidr/pod-capacity": {
    checks:
      "The address plan holds the planned size. Flannel: 2^(node mask − pod prefix) ≥ max nodes. Terway: the pod vSwitch addresses of a zone ≥ the max pods planned in that zone. Node vSwitches hold the zone's max nodes.",
    why: "A cluster that outgrows its addresses cannot add nodes or pods; the ranges cannot be changed afterwards without replacing the cluster.",
    sources: [ack(CREATE_DEDICATED, "Pod CIDR block and node CIDR mask"), ack(NETWORK_PLAN)],
    fix: "Lower `maxSize` of the node pools, or give the plan more room: a larger `podCidr` (Flannel), a lower `vpc.layout.podPrefix`/`nodePrefix`, or a larger `vpc.cidr`.",
  },
  "cidr/kubeovn-join-overlap": {
    checks:
      "(Kube-OVN) the join CIDR overlaps neither the pod (cluster) CIDR nor the service CIDR; an underlay gateway lies inside the cluster CIDR.",
    why: "Kube-OVN routes node-to-pod traffic through the join subnet; an overlap breaks it.",
    sources: [acp("Creating an on-premise cluster", "Network")],
    fix: "Choose a join CIDR (`clusters[].selfManaged.joinCidr`, default 100.64.0.0/16) disjoint from the pod and service CIDRs.",
  },
  "cidr/api-vip": {
    checks:
      "(Self-provisioned) the API server VIP lies in the control-plane nodes' subnet and equals no node IP.",
    why: "The VIP floats between control-plane nodes; outside their subnet or on a node's address it is unreachable.",
    sources: [acp("Creating an on-premise cluster", "Control plane")],
    fix: "Leave `clusters[].selfManaged.apiVip` to the planner, or pick a free address in the first control-plane zone's node subnet.",
  },
  "cidr/api-acl-missing-ranges": {
    checks:
      "Where the API server load balancer uses an allow-list, the list holds 100.104.0.0/16 and every node vSwitch CIDR.",
    why: "Without them the cloud's own components and the nodes lose the API server: the cluster stops working.",
    sources: [ack("Configure access control policies for the API server")],
    fix: "Add 100.104.0.0/16 and the node vSwitch CIDRs the message lists to `clusters[].apiServer.allowList`.",
  },
  "cidr/plan-renumbered": {
    checks:
      "Growing a plan (a new zone, cluster or pool) never moves an address range an earlier plan of the same environment allocated (compared with `--baseline`).",
    why: "A vSwitch whose CIDR changes is replaced, and every node in it with it; a changed pod or service CIDR replaces the cluster.",
    sources: [own("Stable addresses: how the planner never moves a range")],
    fix: "Pin the range instead of accepting the move: a cluster's `slot`, an explicit `podCidr`/`serviceCidr`; append zones at the end of `zones`.",
  },
  // ---------------------------------------------------------------------------------- Quotas
  "quota/cluster-nodes": {
    checks:
      "Max nodes of a cluster (sum of the node pools' max sizes) ≤ 100 for a standard managed cluster, ≤ 1,000 for Pro (raisable to 5,000).",
    why: "The cloud refuses to scale past the quota: autoscaling stalls at the limit.",
    sources: [ack("FAQ about cluster management", "Node quota of a cluster")],
    fix: "Lower the pools' `maxSize`, use `edition: pro`, or declare the raised quota in `quotas.clusterNodes` after the support ticket.",
  },
  "quota/node-pools-per-cluster": {
    checks: "A cluster has at most 20 node pools.",
    why: "ACK refuses the 21st node pool.",
    sources: [ack("Node pool overview", "Limits")],
    fix: "Merge pools (several instance types fit one pool), or declare a raised `quotas.nodePoolsPerCluster`.",
  },
  "quota/nodes-per-pool": {
    checks: "A node pool holds at most 1,000 nodes.",
    why: "ACK refuses to scale a pool past 1,000 nodes.",
    sources: [ack("Node pool overview", "Limits")],
    fix: "Lower `maxSize`, or split the pool in two.",
  },
  "quota/scale-step": {
    checks: "One change raises a pool's desired size by at most 500 nodes.",
    why: "ACK refuses a scale-out of more than 500 nodes in one operation.",
    sources: [ack("Manage node pools", "Scale out a node pool")],
    fix: "Raise the size in steps of at most 500 nodes, one `pulumi up` each.",
  },
  "quota/flannel-route-entries": {
    checks: "A Flannel cluster's max nodes ≤ the VPC route-entry quota (default 48).",
    why: "Flannel adds one VPC route per node; when the route table is full, new nodes get no pod network.",
    sources: [ack("Create a cluster", "Quotas"), ack(LB_CONSIDERATIONS, "Quotas")],
    fix: "Use Terway, lower the pools' `maxSize`, or declare the raised `quotas.routeEntries`.",
  },
  "quota/load-balancers": {
    checks:
      "Load balancer instances of the environment ≤ 60; listeners per load balancer ≤ 50; backends per load balancer ≤ 200.",
    why: "Services of type LoadBalancer stay Pending when the account's quota is spent.",
    sources: [ack(LB_CONSIDERATIONS, "Quotas")],
    fix: "Share a load balancer between ingresses, use `externalTrafficPolicy: Local`, or declare the raised `quotas.loadBalancers`.",
  },
  "quota/eips": {
    checks: "EIPs ≤ 20 and security groups ≤ 100 in the environment.",
    why: "NAT gateways and public endpoints fail to get an address when the quota is spent.",
    sources: [ack("Create a cluster", "Quotas")],
    fix: "Use fewer NAT gateways (one per zone only in production), or declare the raised `quotas.eips` / `quotas.securityGroups`.",
  },
  "quota/node-pool-security-groups": {
    checks: "A node pool uses at most 5 security groups, all of one type (normal or enterprise).",
    why: "ECS refuses an instance in more groups, or in groups of mixed types.",
    sources: [ack("Manage node pools", "Security groups")],
    fix: "Reduce the pool's `securityGroupIds` to at most 5 of one type.",
  },
  "quota/autoscaler-instance-types": {
    checks: "An autoscaling pool lists at most 10 instance types.",
    why: "The scaling group refuses more than 10 instance types.",
    sources: [ack("Auto scaling of nodes", "Limits")],
    fix: "Shorten the pool's `instanceTypes` to 10.",
  },
  "quota/autoscaling-vcpu": {
    checks:
      "The sum over autoscaling pools of max size × vCPUs per instance ≤ the region's pay-as-you-go vCPU quota (default 50); spot capacity (spot pools, a mixed pool's spot share, Karpenter NodePools allowing spot) counts against the spot vCPU quota instead (AWS L-34B43A08 beside the on-demand L-1216C47A), where `quotas.spotVcpu` declares it.",
    why: "Scale-out stops at the account's vCPU quota, silently, when load is highest.",
    sources: [ack("Auto scaling of nodes", "Before you begin")],
    fix: "Lower the pools' `maxSize` (or the Karpenter limits), or declare the raised `quotas.autoscalingVcpu` / `quotas.spotVcpu` after raising them in the Quota Center (Service Quotas on AWS).",
  },
  "quota/environment-budget": {
    checks:
      "The environment's totals (clusters, nodes, vCPU, memory, load balancers) stay within the `budget` it declares.",
    why: "The budget is the platform team's own limit on what one environment may cost.",
    sources: [own("The environment spec: budget")],
    fix: "Lower the sizes, or raise the `budget` entry the message names.",
  },
  "quota/namespace-exceeds-project": {
    checks:
      "For every resource, the sum of a project's namespace quotas on a cluster ≤ the project's quota on that cluster; a namespace cannot be created when any resource has 0 left.",
    why: "The platform refuses to create a namespace whose quota the project cannot cover.",
    sources: [acp("Creating namespaces", "Resource quota"), acp("Importing namespaces")],
    fix: "Lower the namespace `quota`s, or raise the project's `clusters[].quota`.",
  },
  "quota/single-default": {
    checks: "A namespace has exactly one ResourceQuota and one LimitRange, each named `default`.",
    why: "Kubernetes checks every ResourceQuota separately, so extra quotas silently tighten or confuse the limits the platform shows.",
    sources: [acp("FAQ: why a namespace must not hold several ResourceQuotas when it is imported")],
    fix: "Declare one quota per namespace; imported namespaces' quotas are merged into `default` (`importedQuotas`).",
  },
  "quota/limitrange-order": {
    checks: "For each resource in a LimitRange: defaultRequest ≤ default ≤ max.",
    why: "The API server rejects a LimitRange out of order.",
    sources: [acp("Limit Range")],
    fix: "Reorder the namespace's `limitRange` values the message names.",
  },
  "quota/reserved-name": {
    checks:
      "A custom quota item does not use `limits.cpu`, `limits.memory`, `requests.cpu`, `requests.memory`, `pods`, `cpu` or `memory`, and its name is a valid qualified name (≤ 63 characters, optional DNS-subdomain prefix ≤ 253).",
    why: "Those names are the platform's own items; a duplicate is ambiguous, and an invalid name is refused by the API server.",
    sources: [acp("Creating namespaces", "Other quotas"), acp("Importing namespaces")],
    fix: "Rename the custom quota item.",
  },
  "quota/storageclass-not-assigned": {
    checks: "A per-StorageClass quota names a StorageClass assigned to the project.",
    why: "A quota on a class the project cannot use is a typo or a stale setting.",
    sources: [acp("Importing namespaces", "Storage quota")],
    fix: "Use a class of the project's `storageClasses`, or assign the class to the project.",
  },
  "quota/overcommit-ratio": {
    checks: "A namespace overcommit ratio is absent (inherit), 0 (unlimited) or an integer greater than 1.",
    why: "The platform refuses other values.",
    sources: [acp("Overcommit ratio")],
    fix: "Set `overcommit` to an integer > 1, 0, or leave it out.",
  },
  // ----------------------------------------------------------------- Clusters, nodes and images
  "cluster/control-plane-count": {
    checks:
      "(Self-provisioned) control-plane nodes: at least 1, never 2, an odd number; at least 3 in production.",
    why: "etcd needs a majority: two members tolerate no failure, and an even number adds risk without tolerance.",
    sources: [acp("Adding nodes to on-premise clusters")],
    fix: "Set `clusters[].selfManaged.controlPlane.count` to 1 (non-production only), 3 or 5.",
  },
  "cluster/zones": {
    checks: "A cluster spans 1 to 3 zones (vSwitches by zone); a production cluster spans at least 2.",
    why: "ACK takes at most 3 vSwitches for a cluster; a single-zone production cluster goes down with its zone.",
    sources: [ack(CREATE_DEDICATED, "vSwitches"), ack("Network overview", "High availability")],
    fix: "List 2 or 3 entries in `zones` (append, never reorder).",
  },
  "cluster/name": {
    checks: "Cluster and node-pool names are 1 to 63 characters.",
    why: "ACK and EKS refuse longer names.",
    sources: [ack("Create a cluster"), ack(CREATE_DEDICATED)],
    fix: "Shorten `clusters[].name` or `nodePools[].name`. Renaming an existing cluster replaces it.",
  },
  "cluster/tags": {
    checks:
      "At most 20 tags; keys ≤ 64 characters, not starting with `aliyun`, `http://` or `https://`; values ≤ 128 characters.",
    why: "The cloud refuses such tags when it creates the cluster.",
    sources: [ack(CREATE_DEDICATED, "Tags")],
    fix: "Fix the `tags` entry the message names.",
  },
  "node/containeros-requirements": {
    checks:
      "A ContainerOS node pool is a managed pool on a Pro cluster, runs containerd, and logs in with a key pair.",
    why: "ACK offers ContainerOS only under these conditions and refuses the pool otherwise.",
    sources: [
      ack("ContainerOS overview"),
      ack("Overview of managed node pools"),
      ack("Manage managed node pools"),
    ],
    fix: "Use `edition: pro`, `managed: true` and a key pair on the pool, or another image.",
  },
  "node/login": {
    checks:
      "Node pools log in with key pairs; a password, where allowed, is 8 to 30 characters of at least 3 classes, without `_`.",
    why: "Passwords leak and cannot be rotated on running nodes; managed pools accept only key pairs.",
    sources: [ack(CREATE_DEDICATED, "Logon type"), ack("Overview of managed node pools")],
    fix: "Set the pool's `keyName` and drop the password.",
  },
  "node/max-pods": {
    checks:
      "Max pods per node ≤ 256; with Terway shared ENI ≤ (ENIs − 1) × IPs per ENI of the instance type.",
    why: "The kubelet accepts pods the node cannot give an address to; they stay in ContainerCreating.",
    sources: [ack("Work with Terway", "Shared ENI mode"), acp("Creating an on-premise cluster", "Max pods")],
    fix: "Lower `kubelet.maxPods`, or pick an instance type with more ENIs.",
  },
  "node/eviction-thresholds": {
    checks:
      "Eviction thresholds have the form `<signal><op><quantity>`; `nodefs.inodesFree` and `imagefs.inodesFree` are percentages.",
    why: "The kubelet does not start with a malformed threshold.",
    sources: [acp("Handling resource exhaustion errors"), k8s("Node-pressure Eviction")],
    fix: "Write the threshold as e.g. `memory.available<500Mi` or `nodefs.inodesFree<5%`.",
  },
  "node/autoscaling-default-pool": {
    checks: "Autoscaling is not enabled on a cluster's default node pool.",
    why: "The default pool holds the system components; scaling it in evicts them.",
    sources: [ack("Node pool overview", "Default node pool")],
    fix: "Turn `autoscaling` off on the default pool and autoscale a separate pool.",
  },
  "node/pool-size": {
    checks:
      "A pool's sizes satisfy 0 ≤ minSize ≤ desiredSize ≤ maxSize, for fixed and autoscaling pools alike; every quota and budget rule counts the size the program will request.",
    why: "The cloud refuses inconsistent sizes, and quota checks on sizes the program never requests prove nothing.",
    sources: [
      ack("Manage node pools"),
      eks("Create a managed node group", "Node group scaling configuration"),
    ],
    fix: "Fix `minSize`, `desiredSize` or `maxSize` of the pool the message names.",
  },
  "node/pool-rotation": {
    checks:
      "A blue/green pool rotation goes in two changes: the new generation is added while the old one stays listed (`retiring: true`), and the old one is removed in a later change. Refused: two pools of one name and generation, a retiring pool without a newer generation, and (against the baseline versions) a new generation replacing a deployed one in the same change.",
    why: "Creating the new pool and deleting the old one in one `pulumi up` leaves no time to move the workloads: the old nodes go while the new ones may not be ready. Two changes keep both pools until the move is done.",
    sources: [
      eks("Best Practices for Cluster Upgrades"),
      eks("Update a managed node group for your cluster"),
    ],
    fix: "Keep the old generation listed with `retiring: true` until the new generation runs the workloads, then remove its entry.",
  },
  "node/immutable-image": {
    checks:
      "Worker pools boot an immutable OS image (ContainerOS, Bottlerocket or an ostree image built by the project); images change only by replacing nodes. Mandatory in production, advisory elsewhere.",
    why: "Nodes changed in place drift apart; an immutable image makes every node the tested image and every change a replacement that can be rolled back.",
    sources: [
      acp("Immutable infrastructure"),
      ack("ContainerOS overview"),
      {
        doc: "Immutable infrastructure article",
        title: "Immutable host operating systems: rpm-ostree and Atomic",
      },
    ],
    fix: "Set the pool's `image` to a ContainerOS, Bottlerocket or ostree image, with node replacement on change.",
  },
  "cluster/version-supported": {
    checks:
      "The cluster's Kubernetes version is in the cloud's standard support on the day of the preview (the pack's `today` setting fixes the day). Mandatory in production, advisory elsewhere.",
    why: "Clusters past standard support get no fixes, and the cloud upgrades or charges for them on its own schedule.",
    sources: [
      ack("Kubernetes version release notes"),
      eks("Understand the Kubernetes version lifecycle on EKS"),
    ],
    fix: "Raise `clusters[].kubernetesVersion` to a supported version, one minor at a time.",
  },
  "cluster/version-skew": {
    checks:
      "One change moves a control plane by at most one minor version, and never back; node pools are never newer than their control plane and at most as many minors behind as the Kubernetes version-skew policy allows (kubelet n-3 from Kubernetes 1.28, n-2 before). The change is seen against the versions deployed before it: the offline preview's `--baseline`, the pack's `baselineVersions` setting (which `--policy-config` writes). A pool's own version (`nodePools[].kubernetesVersion`) is an EKS pin; on ACK it is refused, as ACK node pools run their cluster's version.",
    why: "The cloud refuses multi-minor upgrades, and kubelets outside the skew policy are unsupported.",
    sources: [ack("Upgrade the Kubernetes version of an ACK cluster"), k8s("Version Skew Policy")],
    fix: "Upgrade one minor version per change: the control plane first, then the node pools.",
  },
  "cluster/upgrade-snapshot": {
    checks:
      "A production control plane moving to a newer minor (against the baseline versions) is reminded to snapshot the nodes' disks first; the spec states no snapshot policy. Advisory.",
    why: "An upgrade that goes wrong is rolled back from a snapshot; the cloud cannot downgrade a control plane.",
    sources: [ack("Upgrade a cluster")],
    fix: "Create a snapshot (or an automatic snapshot policy) of the node disks before `pulumi up`.",
  },
  // ------------------------------------------------------------- Ingress and load balancers
  "ingress/alb-vswitches": {
    checks: "An ALB ingress controller gets at least 2 vSwitches in different zones.",
    why: "An ALB instance needs two zones; with one, the AlbConfig is refused.",
    sources: [ack("Access Services by using an ALB Ingress"), ack("Configure an AlbConfig")],
    fix: "List at least two zones in `zones` for the cluster (the ALB uses one node vSwitch per zone).",
  },
  "ingress/class-unique": {
    checks:
      "Ingress classes in a cluster are unique; an extra nginx controller does not use the class `nginx`.",
    why: "Two controllers on one class both serve every Ingress of it: traffic is split unpredictably.",
    sources: [ack("Deploy multiple Ingress controllers")],
    fix: "Give the ingress its own `className`.",
  },
  "ingress/replicas": {
    checks:
      "A production ingress controller runs at least 2 replicas, spread over zones, never on control-plane nodes. Mandatory in production, advisory elsewhere.",
    why: "A single replica, or replicas in one zone, take every application's traffic down with them.",
    sources: [ack("Deploy a highly reliable NGINX Ingress controller")],
    fix: "Set the ingress `replicas` to 2 or more (the default in production).",
  },
  "lb/traffic-policy": {
    checks: "A LoadBalancer Service uses `externalTrafficPolicy: Local`.",
    why: "`Cluster` puts every node behind the balancer, spends the backend quota and loses the client's address.",
    sources: [ack(LB_CONSIDERATIONS, "externalTrafficPolicy")],
    fix: "Set `externalTrafficPolicy: Local` on the Service (the ingress controllers' default).",
  },
  "lb/reuse": {
    checks:
      "A reused load balancer matches the Service's address type; an intranet one sits in the cluster's VPC.",
    why: "The cloud controller cannot attach nodes of another VPC, nor serve internet traffic from an intranet balancer.",
    sources: [ack("Use an existing SLB instance to expose an application")],
    fix: "Reuse a balancer of the right address type in the cluster's VPC, or let the controller create one.",
  },
  // -------------------------------------------------------------------------------- Add-ons
  "addon/required": {
    checks:
      "An object that needs a cluster add-on has it on the same cluster, installed before it: AlbConfig and the `alb` IngressClass need the ALB Ingress Controller; a StorageClass the CSI driver of its provisioner; promised NetworkPolicies Terway with NetworkPolicy support or the VPC CNI with network policy enabled; autoscaling node pools the cluster's node autoscaler.",
    why: "Without the add-on the object is accepted and does nothing: volumes never bind, policies are not enforced, pools never scale.",
    sources: [
      ack("Access Services by using an ALB Ingress"),
      ack(CREATE_DEDICATED, "Components"),
      ack("Auto scaling of nodes"),
      eks("Store Kubernetes volumes with Amazon EBS"),
    ],
    fix: "Enable the add-on the message names on the cluster (`addons`), or drop the object that needs it.",
  },
  // -------------------------------------------------------------------- Security and access
  "security/deletion-protection": {
    checks:
      "Clusters and their load balancers have deletion protection on, and the program marks them `protect`. Mandatory in production, advisory elsewhere.",
    why: "One mistaken `pulumi destroy` or console click deletes a production cluster and its data.",
    sources: [
      ack(CREATE_DEDICATED, "Deletion protection"),
      ack("Configure a Classic Load Balancer by using annotations", "Enable deletion protection"),
    ],
    fix: "Set `clusters[].security.deletionProtection: true` (the default in production).",
  },
  "security/secrets-encryption": {
    checks:
      "Kubernetes Secrets are encrypted at rest with a KMS key (ACK Pro; EKS encryption config). Mandatory in production, advisory elsewhere.",
    why: "Without it, Secrets sit in etcd in plain text for anyone with access to its disks or backups.",
    sources: [
      ack("Use KMS to encrypt Kubernetes Secrets"),
      ack("Create an ACK Pro cluster"),
      eks("Encrypt Kubernetes secrets with KMS on existing clusters"),
    ],
    fix: "Set `clusters[].security.secretsEncryption: true` (ACK needs `edition: pro`).",
  },
  "security/public-api-server": {
    checks:
      "The API server has no public endpoint, or a public one restricted by an allow-list. Mandatory in production, advisory elsewhere.",
    why: "An open API server is scanned and attacked within minutes of creation.",
    sources: [
      ack(CREATE_DEDICATED, "API server access"),
      ack("Configure access control policies for the API server"),
    ],
    fix: "Set `clusters[].apiServer.public: false`, or keep it public with an `allowList`.",
  },
  "security/cluster-admin-binding": {
    checks: "No user or group is bound to `cluster-admin` except those the environment lists as break-glass.",
    why: "cluster-admin can do anything, including removing the audit trail; day-to-day access uses narrower roles.",
    sources: [ack("Grant RBAC permissions to RAM users or RAM roles")],
    fix: "Grant a narrower role in `access.grants`, or add the group to `access.breakGlassGroups`.",
  },
  "security/rbac-clusterrole": {
    checks:
      "Predefined access (admin, ops, dev, restricted) is granted by binding ClusterRoles, per namespace or cluster-wide.",
    why: "Roles copied into each namespace drift apart; one ClusterRole per access level keeps them identical.",
    sources: [ack("Authorization overview"), ack("Grant RBAC permissions to RAM users or RAM roles")],
    fix: "Grant the role through `access.grants` (a RoleBinding to the ClusterRole), not a namespaced Role.",
  },
  "security/pod-security": {
    checks:
      "Every tenant namespace carries Pod Security Admission labels; `enforce` is `baseline` or `restricted` (`restricted` in production).",
    why: "Without enforcement any tenant can run privileged pods and take over the node.",
    sources: [acp("Pod Security Admission"), k8s("Pod Security Admission")],
    fix: "Set the namespace's `podSecurity` to `restricted` (production) or `baseline`.",
  },
  "security/deployer-access": {
    checks:
      "A program that manages in-cluster objects grants the identity that runs it access to the cluster's API (EKS: an access entry with cluster-admin scope for the deployer), and the API endpoint is reachable from where it runs.",
    why: "With API authentication and no creator bootstrap nobody else has access: the program creates the cluster and then fails on every in-cluster object.",
    sources: [eks("Grant IAM users access to Kubernetes with EKS access entries")],
    fix: "List the IAM principals that run `pulumi up` in `access.deployers` (omitted: the identity running the program), and set `access.deployFrom` to where they run (`vpc` for a private endpoint, reached from inside the VPC or a connected network).",
  },
  "security/tenant-role-admin": {
    checks:
      "A tenant's workload identity (a cloud role bound to one service account of one namespace) is never granted an administrator policy: on AWS `AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess` or an inline statement allowing every action on every resource; on Alibaba Cloud `AdministratorAccess`, `AliyunRAMFullAccess` or `AliyunSTSAssumeRoleAccess`.",
    why: "A tenant holding one of them steps out of its namespace into the whole account: tenancy isolation ends at the cloud API.",
    sources: [
      eks("Learn how EKS Pod Identity grants pods access to AWS services"),
      ack("Use RRSA to authorize different pods to access different cloud services"),
    ],
    fix: "Give the service account a least-privilege policy in `tenancy.projects[].namespaces[].serviceAccountRoles[]`; administrator access stays with the platform team's break-glass roles.",
  },
  "security/secret-outputs": {
    checks: "Kubeconfigs, tokens and keys leave the program only as secret outputs.",
    why: "Plain outputs are stored unencrypted in the state and shown in every preview.",
    sources: [own("Conventions: secrets")],
    fix: "Wrap the value in `pulumi.secret` (the components do this for kubeconfigs).",
  },
};
