/**
 * The address plan: what `plan(spec)` returns. Plain data (JSON-serialisable), consumed by the
 * network components (they create exactly these vSwitches/subnets), the offline preview and
 * `cidr/plan-renumbered` (which compares two plans' `allocations`).
 */
import type { Diagnostic } from "./diagnostic";
import type { Cni } from "./spec";

/**
 * node: the vSwitch (subnet) nodes live in (on AWS with the VPC CNI, pods too);
 * pod: a Terway pod vSwitch; public: an AWS public subnet (load balancers, NAT gateways).
 */
export const VSwitchRole = { Node: "node", Pod: "pod", Public: "public" } as const;
export type VSwitchRole = (typeof VSwitchRole)[keyof typeof VSwitchRole];

export interface PlannedVSwitch {
  /** Stable allocation key `<cluster>/<zone>/<role>`; also the basis of the resource name. */
  key: string;
  cluster: string;
  zone: string;
  role: VSwitchRole;
  cidr: string;
  /** Dual stack: the index of this vSwitch's IPv6 /64 inside the VPC's /56 (0–255). */
  ipv6Index?: number;
  /** Adopted, not created: the existing vSwitch id from the spec. */
  existingId?: string;
  /** Addresses usable by nodes or pods (block size minus the cloud's reserved addresses). */
  usableAddresses: number;
}

export interface ZoneCapacity {
  zone: string;
  /** Planned max nodes in the zone: each pool's max size spread evenly over its zones. */
  plannedNodes: number;
  /** How many nodes the zone's node vSwitch can address. */
  nodeCapacity: number;
  /** Planned max pods in the zone (planned nodes × max pods per node). */
  plannedPods: number;
  /** Pod addresses available to the zone (Terway pod vSwitch, VPC-CNI node subnet); Flannel: n/a. */
  podCapacity?: number;
  /** Usable addresses of the zone's vSwitches left once the planned nodes (and pods) are placed. */
  freeAddresses: number;
}

/** One planned control-plane node of a self-managed cluster. */
export interface PlannedControlPlaneNode {
  /** `<cluster>-cp-<i>`: the instance's name and the node's Kubernetes name. */
  name: string;
  index: number;
  zone: string;
  /** The key of the node vSwitch / subnet it sits in. */
  vswitchKey: string;
  /** Its fixed private IP, in that vSwitch. */
  ip: string;
}

/** The control-plane addresses of a self-managed cluster. */
export interface SelfManagedPlan {
  /** The API server VIP: the internal load balancer's fixed address. */
  apiVip: string;
  /** The control-plane subnet the VIP lies in: the node vSwitch of the first control-plane zone. */
  apiVipSubnet?: string;
  apiVipZone?: string;
  apiVipVSwitchKey?: string;
  /**
   * Alibaba Cloud: the API NLB's private address in each other zone of the cluster (an NLB spans
   * at least two zones, one vSwitch and one address each), planned like the VIP. Absent on AWS,
   * where the NLB takes its other zones' addresses itself.
   */
  apiZoneAddresses?: PlannedApiZoneAddress[];
  controlPlaneNodes: PlannedControlPlaneNode[];
}

/** One of the API NLB's addresses beside the VIP: `end − 4` of a zone's node vSwitch. */
export interface PlannedApiZoneAddress {
  zone: string;
  vswitchKey: string;
  ip: string;
}

export interface ClusterPlan {
  name: string;
  slot: number;
  cni: Cni;
  ipStack: "ipv4" | "dual";
  zones: string[];
  /** The cluster's fixed slot inside the VPC's primary CIDR. */
  slotCidr: string;
  /** Flannel: the pod CIDR and per-node mask. */
  podCidr?: string;
  nodeCidrMask?: number;
  serviceCidr: string;
  ipv6ServiceCidr?: string;
  maxPodsPerNode: number;
  /** Keys of this cluster's vSwitches in `EnvironmentPlan.vswitches`. */
  vswitchKeys: string[];
  /** A self-managed cluster's control-plane addresses (selfManagedPlan.ts). */
  selfManaged?: SelfManagedPlan;
  capacity: {
    maxNodes: number;
    maxPods: number;
    /** Flannel: nodes the pod CIDR can give a range to, 2^(nodeMask − podPrefix). */
    flannelNodeSlots?: number;
    /** Flannel: addresses of the pod CIDR. */
    podAddresses?: number;
    zones: ZoneCapacity[];
  };
}

export interface EnvironmentPlan {
  environment: string;
  cloud: "alicloud" | "aws";
  region: string;
  production: boolean;
  vpc: {
    id?: string;
    cidr: string;
    secondaryCidrs: string[];
    /** Addresses of the primary and secondary CIDRs no vSwitch uses. */
    freeAddresses: number;
  };
  vswitches: PlannedVSwitch[];
  clusters: ClusterPlan[];
  /** Every range the plan allocated, by stable key (`vswitch:…`, `pod:…`, `service:…`). */
  allocations: Record<string, string>;
  /** Everything the rules found in the spec and the plan. */
  diagnostics: Diagnostic[];
}
