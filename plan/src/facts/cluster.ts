/**
 * Raw cluster, node pool and load balancer properties → ClusterFacts (rules/cluster.ts),
 * NodePoolFacts (rules/node.ts), NodeImageFacts (rules/image.ts) and SecurityFacts
 * (rules/security.ts).
 *
 * A property absent from the inputs takes the provider's documented default where the SDK
 * documents one (ACK `slbInternetEnabled` "Default to true"; EKS `endpointPublicAccess` and
 * `publicAccessCidrs` ["0.0.0.0/0"]; deletion protection off); a property present with an
 * unknown value stays undefined and so never violates.
 */
import {
  type ClusterFacts,
  type LoadBalancerProtectionFacts,
  type NodeImageFacts,
  type NodePoolFacts,
  readServiceAnnotations,
  type SecurityFacts,
  type VersionFacts,
} from "../index";
import { arr, bool, num, obj, str, strMap, strs } from "./known";
import { meta } from "./kubernetes";
import { ackCni, clusterName, poolCluster, vswitchFacts } from "./network";
import type { Labels, RawResource, RuleContext } from "./rawResource";
import { cloudOf, T, VSWITCH_TYPES } from "./resourceTypes";
import type { StackIndex } from "./stack";

/**
 * The `clusterSpec` of an ACK ManagedKubernetes for each edition: the encoding AckCluster
 * registers and `ackEdition` decodes, in one place.
 */
export const ACK_CLUSTER_SPEC = { pro: "ack.pro.small", standard: "ack.standard" } as const;

/** The `clusterSpec` an ACK cluster of `edition` registers. */
export function ackClusterSpec(edition: keyof typeof ACK_CLUSTER_SPEC): string {
  return ACK_CLUSTER_SPEC[edition];
}

/** ACK edition from `clusterSpec`: ack.standard → standard, ack.pro.* (any Pro size) → pro. */
export function ackEdition(p: Record<string, unknown>): "pro" | "standard" | undefined {
  const spec = str(p.clusterSpec);
  if (spec === undefined) return undefined;
  if (spec === ACK_CLUSTER_SPEC.standard) return "standard";
  if (spec.startsWith("ack.pro")) return "pro";
  return undefined;
}

/** `key in props` with a known value, or the default when the key is absent. */
function withDefault<T>(
  p: Record<string, unknown>,
  key: string,
  read: (v: unknown) => T | undefined,
  dflt: T,
): T | undefined {
  return key in p ? read(p[key]) : dflt;
}

// ---------------------------------------------------------------------------------------------
// cluster/*

/** ClusterFacts of a cluster on its own (zones come from the stack, see stackClusterFacts). */
export function clusterFacts(r: RawResource, ctx: RuleContext, labels: Labels): ClusterFacts | undefined {
  const p = r.props;
  if (r.type === T.ack) {
    return {
      resource: labels.of(r),
      path: "",
      production: ctx.production,
      cloud: "alicloud",
      name: str(p.name),
      selfProvisioned: false,
      controlPlaneVSwitchIds: "vswitchIds" in p ? arr(p.vswitchIds)?.map(str) : undefined,
      tags: "tags" in p ? strMap(p.tags) : {},
      fieldPaths: { controlPlaneVSwitchIds: "vswitchIds", zones: "vswitchIds" },
    };
  }
  if (r.type === T.eks) {
    return {
      resource: labels.of(r),
      path: "",
      production: ctx.production,
      cloud: "aws",
      name: str(p.name),
      selfProvisioned: false,
      tags: "tags" in p ? strMap(p.tags) : {},
      fieldPaths: { zones: "vpcConfig.subnetIds" },
    };
  }
  if (r.type === T.ackNodePool || r.type === T.eksNodeGroup) {
    const ack = r.type === T.ackNodePool;
    return {
      resource: labels.of(r),
      path: "",
      production: ctx.production,
      cloud: cloudOf(r.type),
      nodePools: [
        {
          resource: labels.of(r),
          path: "",
          name: ack ? (str(p.nodePoolName) ?? str(p.name)) : str(p.nodeGroupName),
          fieldPaths: { name: ack ? ("nodePoolName" in p ? "nodePoolName" : "name") : "nodeGroupName" },
        },
      ],
    };
  }
  return undefined;
}

/** ClusterFacts with the zones of the cluster's vSwitches (subnets), for cluster/zones. */
export function stackClusterFacts(index: StackIndex, ctx: RuleContext, labels: Labels): ClusterFacts[] {
  const out: ClusterFacts[] = [];
  for (const c of index.of([T.ack, T.eks])) {
    const f = clusterFacts(c, ctx, labels);
    if (!f) continue;
    const p = c.props;
    if (c.type === T.ack && "zoneIds" in p) {
      f.zones = arr(p.zoneIds)?.map(str);
      f.fieldPaths = { ...f.fieldPaths, zones: "zoneIds" };
    } else {
      const prop = c.type === T.ack ? "vswitchIds" : "vpcConfig";
      const value = c.type === T.ack ? p.vswitchIds : obj(p.vpcConfig)?.subnetIds;
      const ids = arr(value);
      if (ids !== undefined) {
        const refs = index.refs(c, prop, VSWITCH_TYPES, value);
        const zones = refs.resources.map((s) => vswitchFacts(s, labels).zone);
        // An id outside the stack, or not yet resolved, is one unknown zone.
        const missing = Math.max(0, ids.length - refs.resources.length);
        f.zones = [...zones, ...Array.from({ length: missing }, () => undefined)];
      }
    }
    out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// node/login, node/autoscaling-default-pool

/** Names ACK gives a cluster's default node pool. */
export const DEFAULT_POOL_NAMES = ["default-nodepool", "default"];

export function nodePoolFacts(r: RawResource, ctx: RuleContext, labels: Labels): NodePoolFacts | undefined {
  const p = r.props;
  if (r.type === T.ackNodePool) {
    const management = obj(p.management);
    const scaling = obj(p.scalingConfig);
    const name = str(p.nodePoolName) ?? str(p.name);
    const passwordSet = "password" in p || "kmsEncryptedPassword" in p;
    return {
      resource: labels.of(r),
      path: "",
      production: ctx.production,
      name,
      managed:
        "management" in p ? (management ? withDefault(management, "enable", bool, false) : undefined) : false,
      keyPairLogin: "keyName" in p ? (str(p.keyName) === undefined ? undefined : true) : false,
      passwordLogin: passwordSet,
      password: str(p.password),
      loginRequired: true,
      default: name === undefined ? undefined : DEFAULT_POOL_NAMES.includes(name),
      autoscaling:
        "scalingConfig" in p ? (scaling ? withDefault(scaling, "enable", bool, false) : undefined) : false,
      minSize: scaling ? num(scaling.minSize) : undefined,
      maxSize: scaling ? num(scaling.maxSize) : undefined,
      desiredSize: num(p.desiredSize),
      fieldPaths: {
        passwordLogin: "password",
        password: "password",
        keyPairLogin: "keyName",
        autoscaling: "scalingConfig.enable",
        minSize: "scalingConfig.minSize",
        maxSize: "scalingConfig.maxSize",
      },
    };
  }
  if (r.type === T.eksNodeGroup) {
    const remote = obj(p.remoteAccess);
    const eksScaling = obj(p.scalingConfig);
    return {
      resource: labels.of(r),
      path: "",
      production: ctx.production,
      name: str(p.nodeGroupName),
      keyPairLogin: "remoteAccess" in p ? (remote ? "ec2SshKey" in remote : undefined) : false,
      passwordLogin: false,
      loginRequired: false,
      minSize: eksScaling ? num(eksScaling.minSize) : undefined,
      desiredSize: eksScaling ? num(eksScaling.desiredSize) : undefined,
      maxSize: eksScaling ? num(eksScaling.maxSize) : undefined,
      fieldPaths: {
        keyPairLogin: "remoteAccess.ec2SshKey",
        minSize: "scalingConfig.minSize",
        desiredSize: "scalingConfig.desiredSize",
        maxSize: "scalingConfig.maxSize",
      },
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// node/containeros-requirements, node/max-pods, node/eviction-thresholds, node/immutable-image

/**
 * The ECS tag the platform puts on an ACK node pool that boots the rpm-ostree image it built and
 * imported itself (NodeImage, family `ostree`): its custom image id is not known before the
 * update, so config `immutableImages` cannot name it.
 */
export const NODE_IMAGE_FAMILY_TAG = "platform.kubeplat.io/node-image-family";

/**
 * The OS image a pool boots: ACK imageType (custom images: config immutableImages, or the
 * platform's own ostree image by NODE_IMAGE_FAMILY_TAG), EKS amiType.
 */
export function poolImage(r: RawResource, ctx: RuleContext): string | undefined {
  const p = r.props;
  const immutable = (id: string | undefined) =>
    id === undefined
      ? undefined
      : ctx.settings.immutableImages.includes(id)
        ? "ostree"
        : `custom image ${id}`;
  if (r.type === T.ackNodePool) {
    const type = str(p.imageType);
    if (type !== undefined && type !== "Custom") return type;
    if (type === "Custom" && str(obj(p.tags)?.[NODE_IMAGE_FAMILY_TAG]) === "ostree") return "ostree";
    if ("imageId" in p) return immutable(str(p.imageId));
    return type === "Custom" ? "custom" : undefined;
  }
  if (r.type === T.eksNodeGroup) {
    const ami = str(p.amiType);
    if (ami === undefined || ami === "CUSTOM") return undefined; // the AMI is in a launch template
    return ami.startsWith("BOTTLEROCKET") ? "bottlerocket" : ami;
  }
  return undefined;
}

function loginOf(p: Record<string, unknown>): "key-pair" | "password" | "none" | undefined {
  if ("keyName" in p) return str(p.keyName) === undefined ? undefined : "key-pair";
  if ("password" in p || "kmsEncryptedPassword" in p) return "password";
  return "none";
}

export function nodeImageFacts(
  r: RawResource,
  ctx: RuleContext,
  labels: Labels,
  cluster?: RawResource,
): NodeImageFacts | undefined {
  if (r.type !== T.ackNodePool && r.type !== T.eksNodeGroup) return undefined;
  const p = r.props;
  const facts: NodeImageFacts = {
    resource: labels.of(r),
    path: "",
    production: ctx.production,
    image: poolImage(r, ctx),
  };
  if (cluster) {
    facts.cluster = {
      name: clusterName(cluster),
      edition: cluster.type === T.ack ? ackEdition(cluster.props) : undefined,
      cni: cluster.type === T.ack ? ackCni(cluster.props) : "vpc-cni",
    };
  }
  if (r.type === T.ackNodePool) {
    const management = obj(p.management);
    facts.pool = {
      managed:
        "management" in p ? (management ? withDefault(management, "enable", bool, false) : undefined) : false,
      runtime: str(p.runtimeName),
      login: loginOf(p),
    };
    const k = obj(p.kubeletConfiguration);
    if (k) {
      facts.kubelet = {
        maxPods: num(k.maxPods),
        evictionHard: "evictionHard" in k ? strMap(k.evictionHard) : undefined,
        evictionSoft: "evictionSoft" in k ? strMap(k.evictionSoft) : undefined,
        evictionSoftGracePeriod:
          "evictionSoftGracePeriod" in k ? strMap(k.evictionSoftGracePeriod) : undefined,
      };
    }
  }
  return facts;
}

/** NodeImageFacts of every pool with its cluster (cluster edition and CNI matter to ContainerOS). */
export function stackNodeImageFacts(index: StackIndex, ctx: RuleContext, labels: Labels): NodeImageFacts[] {
  return index
    .of([T.ackNodePool, T.eksNodeGroup])
    .map((pool) => nodeImageFacts(pool, ctx, labels, poolCluster(index, pool)))
    .filter((f): f is NodeImageFacts => f !== undefined);
}

// ---------------------------------------------------------------------------------------------
// security/deletion-protection, security/secrets-encryption, security/public-api-server

function loadBalancerProtection(r: RawResource, labels: Labels): LoadBalancerProtectionFacts | undefined {
  const p = r.props;
  const base = { resource: labels.of(r), path: "", protect: r.protect };
  switch (r.type) {
    case T.slb:
      return {
        ...base,
        name: str(p.loadBalancerName) ?? str(p.name) ?? r.name,
        deletionProtection:
          "deleteProtection" in p
            ? str(p.deleteProtection) === undefined
              ? undefined
              : p.deleteProtection === "on"
            : false,
        fieldPaths: { deletionProtection: "deleteProtection", protect: "opts.protect" },
      };
    case T.nlb:
      return {
        ...base,
        name: str(p.loadBalancerName) ?? r.name,
        deletionProtection: withDefault(p, "deletionProtectionEnabled", bool, false),
        fieldPaths: { deletionProtection: "deletionProtectionEnabled", protect: "opts.protect" },
      };
    case T.awsLb:
    case T.awsAlb:
      return {
        ...base,
        name: str(p.name) ?? r.name,
        deletionProtection: withDefault(p, "enableDeletionProtection", bool, false),
        fieldPaths: { deletionProtection: "enableDeletionProtection", protect: "opts.protect" },
      };
    case T.service: {
      const spec = obj(p.spec);
      if (str(spec?.type) !== "LoadBalancer") return undefined;
      const m = meta(r);
      // The CCM creates the Service's SLB: no program `protect` applies to it.
      return {
        resource: labels.of(r),
        path: "",
        name: `${m.namespace ?? "default"}/${m.name ?? r.name}`,
        deletionProtection: m.annotations
          ? readServiceAnnotations(m.annotations).deletionProtection
          : undefined,
        fieldPaths: {
          deletionProtection:
            'metadata.annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-delete-protection"]',
        },
      };
    }
    default:
      return undefined;
  }
}

export function securityFacts(r: RawResource, ctx: RuleContext, labels: Labels): SecurityFacts | undefined {
  const p = r.props;
  if (r.type === T.ack) {
    const disabled = bool(p.disableEncryption);
    const key = str(p.encryptionProviderKey);
    return {
      resource: labels.of(r),
      path: "",
      production: ctx.production,
      name: str(p.name) ?? r.name,
      edition: ackEdition(p),
      deletionProtection: withDefault(p, "deletionProtection", bool, false),
      protect: r.protect,
      secretsEncrypted:
        disabled === true
          ? false
          : "encryptionProviderKey" in p
            ? key === undefined
              ? undefined
              : key !== ""
            : false,
      secretsEncryptionKey: key,
      publicEndpoint: withDefault(p, "slbInternetEnabled", bool, true),
      // ManagedKubernetes has no allow-list for the API server's internet SLB.
      publicAccessCidrs: [],
      fieldPaths: {
        edition: "clusterSpec",
        deletionProtection: "deletionProtection",
        protect: "opts.protect",
        secretsEncrypted: disabled === true ? "disableEncryption" : "encryptionProviderKey",
        publicAccessCidrs: "slbInternetEnabled",
      },
    };
  }
  if (r.type === T.eks) {
    const vpc = obj(p.vpcConfig);
    const enc = p.encryptionConfig;
    const encObj = obj(Array.isArray(enc) ? enc[0] : enc);
    const resources = encObj ? strs(encObj.resources) : undefined;
    return {
      resource: labels.of(r),
      path: "",
      production: ctx.production,
      name: str(p.name) ?? r.name,
      deletionProtection: withDefault(p, "deletionProtection", bool, false),
      protect: r.protect,
      secretsEncrypted:
        "encryptionConfig" in p
          ? resources === undefined
            ? undefined
            : resources.includes("secrets")
          : false,
      secretsEncryptionKey: str(obj(encObj?.provider)?.keyArn),
      publicEndpoint: vpc ? withDefault(vpc, "endpointPublicAccess", bool, true) : undefined,
      publicAccessCidrs: vpc
        ? "publicAccessCidrs" in vpc
          ? arr(vpc.publicAccessCidrs)?.map(str)
          : ["0.0.0.0/0"]
        : undefined,
      fieldPaths: {
        deletionProtection: "deletionProtection",
        protect: "opts.protect",
        secretsEncrypted: "encryptionConfig",
        publicAccessCidrs: "vpcConfig.publicAccessCidrs",
      },
    };
  }
  const lb = loadBalancerProtection(r, labels);
  if (lb) return { resource: labels.of(r), path: "", production: ctx.production, loadBalancers: [lb] };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// cluster/version-supported, cluster/version-skew

/**
 * Version facts of every ACK / EKS cluster of the stack: the control plane's `version`, the
 * versions before the change from the `baselineVersions` setting (a policy sees only the new
 * inputs), and the cluster's EKS node groups (`version`, default the cluster's). ACK node pools
 * have no version input: they run their cluster's version.
 */
export function stackVersionFacts(index: StackIndex, ctx: RuleContext, labels: Labels): VersionFacts[] {
  const pools = new Map<RawResource, RawResource[]>();
  for (const pool of index.of([T.eksNodeGroup])) {
    const c = poolCluster(index, pool);
    if (c) pools.set(c, [...(pools.get(c) ?? []), pool]);
  }
  return index.of([T.ack, T.eks]).map((c) => {
    const name = clusterName(c);
    const before = ctx.settings.baselineVersions[name];
    const version = "version" in c.props ? str(c.props.version) : undefined;
    return {
      resource: labels.of(c),
      path: "",
      versionPath: "version",
      production: ctx.production,
      cloud: c.type === T.ack ? "alicloud" : "aws",
      name,
      version,
      baseline: before?.version,
      today: ctx.settings.today,
      pools: (pools.get(c) ?? []).map((pool) => {
        const poolName = str(pool.props.nodeGroupName) ?? pool.name;
        return {
          resource: labels.of(pool),
          path: "version",
          name: poolName,
          version: "version" in pool.props ? str(pool.props.version) : version,
          baseline: before?.pools?.[poolName],
        };
      }),
    };
  });
}
