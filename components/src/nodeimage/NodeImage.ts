import {
  checkNodeImage,
  DEFAULT_MAX_PODS_SELF_PROVISIONED,
  type Diagnostic,
  formatDiagnostic,
  type KubeletSettings,
  type KubeletSettingsInput,
  type NodeImageFacts,
  type NodeTaint,
  resolveKubeletSettings,
  SPEC_SCHEMA,
  type TerwayEniMode,
} from "@kubeplat/plan";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../cloudSdks";
import { judge } from "../judgement";
import { TaintEffect } from "../platform/environmentSpec";
import {
  BOTTLEROCKET_ARCHITECTURES,
  BOTTLEROCKET_FLAVORS,
  type BottlerocketArchitecture,
  type BottlerocketFlavor,
  bottlerocketParameterName,
  bottlerocketUserData,
  kubernetesMinor,
} from "./bottlerocketSettings";
import { buildScript, defaultBuildPaths, type OstreeBuildPaths, parseBuildOutput } from "./buildScript";
import {
  CUSTOM_IMAGE_TYPE,
  diskIdentity,
  type OstreeCloudImageArgs,
  resolveCloudImage,
  validateCloudImage,
} from "./cloudImage";
import { diskObjectKey, importImage } from "./cloudImport";
import { diskImagePath, diskStep, parseDiskOutput } from "./diskImage";
import { eksKubeconfigInput } from "./eksJoin";
import { type IgnitionUser, ignitionJson, type SystemdUnit } from "./ignition";
import { contentHash, imageIdentity } from "./imageIdentity";
import { type TreefileSettings, treefileContext, treefileHash, validateTreefile } from "./treefile";

/**
 * The image families, one per way the platform gets immutable nodes. An `as const` object so
 * Pulumi's component schema inference publishes it as an enum.
 */
export const NodeImageFamily = {
  /** ContainerOS on ACK managed node pools. */
  ContainerOs: "containeros",
  /** Bottlerocket on EKS. */
  Bottlerocket: "bottlerocket",
  /** An rpm-ostree image the platform builds, for self-provisioned clusters. */
  Ostree: "ostree",
} as const;
export type NodeImageFamily = (typeof NodeImageFamily)[keyof typeof NodeImageFamily];
export const NODE_IMAGE_FAMILIES: readonly NodeImageFamily[] = Object.values(NodeImageFamily);

// Declared once, generated from the spec's schema (platform/environmentSpec.ts).
export { TaintEffect } from "../platform/environmentSpec";

const TAINT_EFFECTS: readonly string[] = Object.values(TaintEffect);

/** Bottlerocket AMI architectures. */
export const BottlerocketArch = { X86_64: "x86_64", Arm64: "arm64" } as const;
export type BottlerocketArch = (typeof BottlerocketArch)[keyof typeof BottlerocketArch];

export interface NodeTaintArgs {
  key: string;
  /** Default "". */
  value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  effect: TaintEffect;
}

export interface RegistryMirrorArgs {
  /** The registry mirrored, e.g. `docker.io`; `*` for every registry. */
  registry: string;
  /** Mirror endpoints in order of preference. */
  endpoints: string[];
}

/** How node pools roll an image change out. Nodes are always replaced, never patched. */
export interface RolloutArgs {
  /** Nodes taken out of service at a time (EKS `updateConfig.maxUnavailable`, ACK `maxUnavailable`). Default 1. */
  maxUnavailable?: number;
  /** Extra nodes created before old ones drain (ACK `surge`). Default 1. */
  maxSurge?: number;
}

/** Network facts used only to check `node/max-pods` against the instance type's capacity. */
export interface NodeNetworkArgs {
  /** `terway`, `flannel`, `vpc-cni`, ... Default: unknown (no capacity check). */
  cni?: string;
  /** Terway mode. Default `shared`. */
  terwayEniMode?: TerwayEniMode;
  /** The instance type, named in messages. */
  instanceType?: string;
  /** ENIs the instance type supports. */
  enis?: number;
  /** Private IPs per ENI. */
  ipsPerEni?: number;
}

/** ContainerOS on ACK (family `containeros`). */
export interface ContainerOsArgs {
  /** Pin one ContainerOS image id. Default: ACK's ContainerOS image for the cluster's version. */
  imageId?: string;
  /** Whether the pool is an ACK managed node pool (ContainerOS needs one). Default true. */
  managedPool?: boolean;
  /** The ACK cluster's edition (ContainerOS needs Pro). Default `pro`. */
  clusterEdition?: string;
  /** The container runtime (ContainerOS needs containerd). Default `containerd`. */
  runtime?: string;
  /** The key pair nodes log in with. Required (managed pools log in only with key pairs). */
  loginKeyPair?: string;
}

/** Bottlerocket on EKS (family `bottlerocket`). */
export interface BottlerocketArgs {
  /** The EKS cluster's name. */
  clusterName: pulumi.Input<string>;
  /** The EKS API server endpoint. */
  apiServer: pulumi.Input<string>;
  /** The cluster CA, base64 (`certificateAuthority.data`). */
  clusterCertificate: pulumi.Input<string>;
  /** `x86_64` or `arm64`. Default `x86_64`. */
  architecture?: BottlerocketArch;
  /** "" (default), `nvidia` or `fips`. */
  flavor?: string;
  /** Bottlerocket release, e.g. `1.20.0`, or `latest` (default): picks the SSM parameter. */
  version?: string;
  /** Pin an AMI id and skip the SSM lookup. Default: resolved from SSM. */
  amiId?: pulumi.Input<string>;
  /** Registry mirrors. Default none. */
  registryMirrors?: RegistryMirrorArgs[];
}

/** The host that composes ostree images. */
export interface OstreeBuildHostArgs {
  host: pulumi.Input<string>;
  /** Default `root`. */
  user?: pulumi.Input<string>;
  /** Default 22. */
  port?: pulumi.Input<number>;
  /** SSH private key (kept secret). */
  privateKey: pulumi.Input<string>;
}

export interface OstreeRepoArgs {
  id: string;
  /** Default: the id. */
  name?: string;
  baseurl?: string;
  metalink?: string;
  /** Default true. */
  gpgcheck?: boolean;
  gpgkey?: string;
}

export interface OstreeTreefileArgs {
  /** The ostree branch, e.g. `platform/41/x86_64/node`. */
  ref: string;
  /** `releasever` of the repositories. Default none. */
  releasever?: string;
  repos: OstreeRepoArgs[];
  packages: string[];
  /** Default none. */
  excludePackages?: string[];
  /** systemd units enabled in the image. Default none. */
  units?: string[];
  /** Kernel arguments (commit metadata, and Ignition `kernelArguments.shouldExist`). Default none. */
  kernelArguments?: string[];
  /** Commit version prefix. Default none. */
  automaticVersionPrefix?: string;
  /** Default false. */
  documentation?: boolean;
  /** Default false. */
  recommends?: boolean;
}

export interface OstreeUserArgs {
  name: string;
  /** Public SSH keys; treated as secrets (userData becomes secret). */
  sshAuthorizedKeys: pulumi.Input<string>[];
  /** Default none. */
  groups?: string[];
}

export interface KubeletBootstrapArgs {
  apiServer: pulumi.Input<string>;
  /** Cluster CA, PEM. */
  caCertificate: pulumi.Input<string>;
  /** Bootstrap token `<id>.<secret>` (kept secret). */
  token: pulumi.Input<string>;
}

export interface SystemdUnitArgs {
  name: string;
  contents?: string;
  /** Default true when contents are given. */
  enabled?: boolean;
  /** Default false. */
  mask?: boolean;
}

/** Self-provisioned ostree images (family `ostree`): Fedora CoreOS / openSUSE MicroOS family. */
export interface OstreeArgs {
  treefile: OstreeTreefileArgs;
  /** Build over SSH on this host. Default: build on the machine running Pulumi. */
  buildHost?: OstreeBuildHostArgs;
  /** Build directory. Default `/var/lib/platform/ostree/<name>/build`. */
  workdir?: string;
  /** The ostree repository. Default `/var/lib/platform/ostree/<name>/repo`. */
  repo?: string;
  /** rpm-ostree's cache. Default `/var/lib/platform/ostree/<name>/cache`. */
  cachedir?: string;
  /** The ostree remote the nodes pull from. Default `platform`. */
  remoteName?: string;
  /** Where the repository is served to the nodes. */
  remoteUrl: string;
  /** Verify commit signatures. Default false. */
  gpgVerify?: boolean;
  /** Login users. Default none. */
  users?: OstreeUserArgs[];
  /** Extra sysctls. Default none (the Kubernetes ones are always set). */
  sysctls?: Record<string, string>;
  /** Kernel arguments to remove at first boot. Default none. */
  kernelArgumentsRemoved?: string[];
  /** Registry mirrors for containerd. Default none. */
  registryMirrors?: RegistryMirrorArgs[];
  /** Kubelet TLS bootstrap. Default none (the kubeconfig is provided another way). */
  bootstrap?: KubeletBootstrapArgs;
  /** Extra systemd units. Default none. */
  units?: SystemdUnitArgs[];
  /**
   * Turn the commit into a bootable disk and import it as a cloud custom image (ECS image or
   * AMI); `imageId` is then that image. Default: none (no disk is written, `imageId` is "", and
   * machines booted from another ostree-based image rebase onto the commit at first boot).
   */
  cloudImage?: OstreeCloudImageArgs;
  /**
   * Join an EKS cluster with the node role (a kubeconfig with aws-iam-authenticator, eksJoin.ts)
   * instead of a bootstrap token. Default none.
   */
  eksJoin?: OstreeEksJoinArgs;
}

/** The EKS cluster an ostree node joins with its IAM role. */
export interface OstreeEksJoinArgs {
  clusterName: pulumi.Input<string>;
  /** The API server endpoint. */
  apiServer: pulumi.Input<string>;
  /** The cluster CA, base64 (`certificateAuthority.data`). */
  certificateAuthority: pulumi.Input<string>;
}

export interface NodeImageArgs {
  /** `containeros` (ACK), `bottlerocket` (EKS) or `ostree` (self-provisioned). Required. */
  family: NodeImageFamily;
  /** Kubernetes version of the cluster, e.g. `1.31` or `1.31.1-aliyun.1`. Required. */
  kubernetesVersion: string;
  /** A production environment: `node/immutable-image` is mandatory. Default false. */
  production?: boolean;
  /** Kubelet settings. Defaults: see KubeletSettingsInput (eviction defaults, swap off). */
  kubelet?: KubeletSettingsInput;
  /** Node labels. Default none. */
  nodeLabels?: Record<string, string>;
  /** Node taints. Default none. */
  nodeTaints?: NodeTaintArgs[];
  /** Instance network capacity, to check max pods. Default: no capacity check. */
  network?: NodeNetworkArgs;
  /** Rollout of an image change. Defaults: maxUnavailable 1, maxSurge 1. */
  rollout?: RolloutArgs;
  /** Settings of family `containeros`. */
  containerOs?: ContainerOsArgs;
  /** Settings of family `bottlerocket` (required for it). */
  bottlerocket?: BottlerocketArgs;
  /** Settings of family `ostree` (required for it). */
  ostree?: OstreeArgs;
}

export interface NodeRollout {
  /**
   * Always `replace`: an image change replaces nodes, never patches them. (A `string`, not the
   * literal type: component schema inference publishes no single-literal types.)
   */
  strategy: string;
  maxUnavailable: number;
  maxSurge: number;
}

const FAMILY_SETTINGS = {
  containeros: "containerOs",
  bottlerocket: "bottlerocket",
  ostree: "ostree",
} as const;

function schema(resource: string, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message };
}

/** Inputs from other languages are checked at run time: the type alone does not guarantee it. */
function isFamily(f: string): f is NodeImageFamily {
  return (NODE_IMAGE_FAMILIES as readonly string[]).includes(f);
}

/** The kubelet settings a family runs with: the family's max-pods default applied. */
export function nodeImageKubelet(args: Pick<NodeImageArgs, "family" | "kubelet">): KubeletSettings {
  return resolveKubeletSettings(args.kubelet, {
    defaultMaxPods: args.family === "ostree" ? DEFAULT_MAX_PODS_SELF_PROVISIONED : undefined,
  });
}

/** The rule facts of a NodeImage's args (exported for the preview and the policy pack). */
export function nodeImageFacts(name: string, args: NodeImageArgs): NodeImageFacts {
  const kubelet = nodeImageKubelet(args);
  const cos = args.family === "containeros" ? (args.containerOs ?? {}) : undefined;
  return {
    resource: name,
    production: args.production ?? false,
    image: args.family,
    cluster: {
      ...(cos ? { edition: cos.clusterEdition ?? "pro" } : {}),
      ...(args.network?.cni ? { cni: args.network.cni } : {}),
    },
    pool: cos
      ? {
          managed: cos.managedPool ?? true,
          runtime: cos.runtime ?? "containerd",
          login: cos.loginKeyPair ? "key-pair" : "none",
        }
      : {},
    kubelet: {
      maxPods: kubelet.maxPods,
      evictionHard: kubelet.evictionHard,
      evictionSoft: kubelet.evictionSoft,
      evictionSoftGracePeriod: kubelet.evictionSoftGracePeriod,
      swap: kubelet.swap,
    },
    network: args.network
      ? {
          instanceType: args.network.instanceType,
          terwayEniMode: args.network.terwayEniMode,
          enis: args.network.enis,
          ipsPerEni: args.network.ipsPerEni,
        }
      : undefined,
    rollout: { imageChange: "replace" },
  };
}

/**
 * Every diagnostic of a NodeImage's args: the shape (family and its settings, taints, rollout,
 * treefile) as `spec/schema`, then the image rules of RULES.md.
 */
export function validateNodeImageArgs(name: string, args: NodeImageArgs): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isFamily(args.family)) {
    out.push(
      schema(name, "family", `family "${args.family}" is not one of ${NODE_IMAGE_FAMILIES.join(", ")}`),
    );
    return out;
  }
  for (const [family, key] of Object.entries(FAMILY_SETTINGS)) {
    const given = args[key] !== undefined;
    if (family === args.family && !given && family !== "containeros") {
      out.push(schema(name, key, `family ${args.family} needs its settings object "${key}"`));
    }
    if (family !== args.family && given) {
      out.push(
        schema(name, key, `settings "${key}" are for family ${family}, but the family is ${args.family}`),
      );
    }
  }
  if (kubernetesMinor(args.kubernetesVersion) === undefined) {
    out.push(
      schema(
        name,
        "kubernetesVersion",
        `kubernetesVersion "${args.kubernetesVersion}" is not a version like 1.31`,
      ),
    );
  }
  (args.nodeTaints ?? []).forEach((t, i) => {
    if (!TAINT_EFFECTS.includes(t.effect)) {
      out.push(
        schema(
          name,
          `nodeTaints[${i}].effect`,
          `taint ${t.key} has effect "${t.effect}", not one of ${TAINT_EFFECTS.join(", ")}`,
        ),
      );
    }
  });
  const r = args.rollout ?? {};
  if (r.maxUnavailable !== undefined && !(Number.isInteger(r.maxUnavailable) && r.maxUnavailable >= 1)) {
    out.push(
      schema(
        name,
        "rollout.maxUnavailable",
        `maxUnavailable ${r.maxUnavailable} must be an integer ≥ 1, or no node can be replaced`,
      ),
    );
  }
  if (r.maxSurge !== undefined && !(Number.isInteger(r.maxSurge) && r.maxSurge >= 0)) {
    out.push(schema(name, "rollout.maxSurge", `maxSurge ${r.maxSurge} must be an integer ≥ 0`));
  }
  const br = args.family === "bottlerocket" ? args.bottlerocket : undefined;
  if (
    br?.architecture !== undefined &&
    !(BOTTLEROCKET_ARCHITECTURES as readonly string[]).includes(br.architecture)
  ) {
    out.push(
      schema(
        name,
        "bottlerocket.architecture",
        `architecture "${br.architecture}" is not one of ${BOTTLEROCKET_ARCHITECTURES.join(", ")}`,
      ),
    );
  }
  if (br?.flavor !== undefined && !(BOTTLEROCKET_FLAVORS as readonly string[]).includes(br.flavor)) {
    out.push(schema(name, "bottlerocket.flavor", `flavor "${br.flavor}" is not one of "", nvidia, fips`));
  }
  if (args.family === "ostree" && args.ostree) {
    out.push(...validateTreefile(args.ostree.treefile, name, "ostree.treefile"));
    if (args.ostree.cloudImage)
      out.push(...validateCloudImage(args.ostree.cloudImage, args.ostree.treefile.packages, name));
    if (args.ostree.eksJoin && args.ostree.bootstrap)
      out.push(
        schema(
          name,
          "ostree.eksJoin",
          "a node joins with eksJoin (its IAM role) or bootstrap (a token), not both",
        ),
      );
  }
  out.push(...checkNodeImage(nodeImageFacts(name, args)));
  return out;
}

function taintsOf(args: NodeImageArgs): NodeTaint[] {
  return (args.nodeTaints ?? []).map((t) => ({
    key: t.key,
    value: t.value ?? "",
    effect: t.effect as NodeTaint["effect"],
  }));
}

/**
 * An immutable OS image for a cluster's nodes, in one of three families behind one interface:
 *
 * - `containeros`: Alibaba Cloud ContainerOS for ACK managed node pools (read-only root, only
 *   /etc and /var writable, whole-image updates only; ACK docs: ContainerOS overview). Checks
 *   `node/containeros-requirements`: managed pool, Pro cluster, containerd, key pair.
 * - `bottlerocket`: the Bottlerocket AMI for EKS, resolved from AWS's public SSM parameter for the
 *   cluster's Kubernetes version and architecture, and its settings TOML as user data.
 * - `ostree`: an image the platform composes itself with rpm-ostree from a generated treefile
 *   on a build host (Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems), rebuilt only when the treefile's content hash changes, and
 *   an Ignition v3 first-boot config that deploys its commit.
 *
 * All three check `node/max-pods`, `node/eviction-thresholds` and `node/immutable-image` on the
 * kubelet settings (defaults: eviction memory.available<100Mi, nodefs.available<10%,
 * nodefs.inodesFree<5%, imagefs.available<15%; swap off) and throw one error listing every
 * violation before creating anything.
 *
 * ## Rollout contract
 * Nodes are cattle with read-only roots: an image change replaces nodes, never patches them
 * (Alauda Container Platform docs: Immutable infrastructure). The `identity` output is a short content hash of everything that defines the
 * image — image or AMI id, ostree commit and treefile, generated user data, kubelet settings —
 * and of nothing else (secrets such as SSH keys and bootstrap tokens are left out, so rotating
 * them does not roll nodes). A consumer MUST carry it into the node group's identity:
 * - EKS: in the launch template (its `imageId`/`userData` change with it; put `identity` in a tag
 *   or the description) so a change makes a new launch template version, and the managed node
 *   group rolls nodes with `updateConfig.maxUnavailable = rollout.maxUnavailable`;
 * - ACK: in the node pool's name (`rolloutName(pool, identity)`) with `replaceOnChanges` on it,
 *   or via `upgradePolicy.useReplace`, so ACK replaces nodes (system-disk replacement, ACK docs: View the scaling strength of a node pool; Overview of managed node pools) `rollout.maxUnavailable` at a time with `rollout.maxSurge` extra nodes;
 * - self-provisioned: in the machine names, so new machines boot the new Ignition config.
 * Nothing in this contract updates a node in place; the same identity means the same nodes.
 */
export class NodeImage extends pulumi.ComponentResource {
  readonly family: NodeImageFamily;
  /**
   * The cloud image instances boot:
   * - `ostree` with `ostree.cloudImage`: the imported custom image — the ECS image id
   *   (`m-…`, alicloud.ecs.ImageImport) or the AMI id (`ami-…`, aws.ec2.Ami);
   * - `ostree` without it: "" (no cloud image; the commit is `ostreeCommit`);
   * - `bottlerocket`: the AMI id, pinned (`bottlerocket.amiId`) or read from AWS's public SSM
   *   parameter for the version and architecture;
   * - `containeros`: the pinned image id, or "" when ACK picks its ContainerOS image for the version.
   */
  readonly imageId: pulumi.Output<string>;
  /**
   * ACK `imageType` (`ContainerOS`), EKS AMI type (`BOTTLEROCKET_x86_64`/`BOTTLEROCKET_ARM_64`),
   * for an imported ostree image the custom type of its cloud (`Custom` on ACK, `CUSTOM` on EKS),
   * or `ostree` for an ostree image with no cloud image.
   */
  readonly imageType: pulumi.Output<string>;
  /** Short content hash of image + kubelet settings: node pools put it in their name or version. */
  readonly identity: pulumi.Output<string>;
  /** Bottlerocket TOML, Ignition JSON, or "" (ContainerOS); secret when it holds keys or tokens. */
  readonly userData: pulumi.Output<string>;
  /** The kubelet settings with defaults applied. */
  readonly kubelet: pulumi.Output<KubeletSettings>;
  readonly rollout: pulumi.Output<NodeRollout>;
  /** The ostree ref built (family `ostree`). */
  readonly ostreeRef?: pulumi.Output<string>;
  /** The ostree commit built (family `ostree`). */
  readonly ostreeCommit?: pulumi.Output<string>;
  /**
   * The identity of the imported disk (family `ostree` with `ostree.cloudImage`): the treefile
   * hash and disk settings; it names the upload and import resources, so a new one is a new image.
   */
  readonly diskIdentity?: string;
  /** The cloud image's name (family `ostree` with `ostree.cloudImage`). */
  readonly cloudImageName?: pulumi.Output<string>;

  constructor(name: string, args: NodeImageArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before anything registers, this component included.
    const advisories = judge(`NodeImage "${name}"`, args, () => validateNodeImageArgs(name, args));
    super("platform:nodeimage:NodeImage", name, {}, opts);
    for (const d of advisories) pulumi.log.warn(formatDiagnostic(d), this);

    const family = args.family as NodeImageFamily;
    this.family = family;
    const kubelet = nodeImageKubelet(args);
    const taints = taintsOf(args);
    const labels = args.nodeLabels ?? {};
    this.kubelet = pulumi.output(kubelet);
    this.rollout = pulumi.output<NodeRollout>({
      strategy: "replace",
      maxUnavailable: args.rollout?.maxUnavailable ?? 1,
      maxSurge: args.rollout?.maxSurge ?? 1,
    });

    if (family === "containeros") {
      const cos = args.containerOs ?? {};
      const imageId = cos.imageId ?? "";
      this.imageId = pulumi.output(imageId);
      this.imageType = pulumi.output("ContainerOS");
      this.userData = pulumi.output("");
      this.identity = pulumi.output(
        imageIdentity({
          family,
          imageType: "ContainerOS",
          imageId,
          kubernetesVersion: args.kubernetesVersion,
          kubelet,
          nodeLabels: labels,
          nodeTaints: taints,
        }),
      );
    } else if (family === "bottlerocket") {
      const br = args.bottlerocket as BottlerocketArgs;
      const architecture = (br.architecture ?? "x86_64") as BottlerocketArchitecture;
      const imageId =
        br.amiId !== undefined
          ? pulumi.output(br.amiId)
          : awsSdk().ssm.getParameterOutput(
              {
                name: bottlerocketParameterName({
                  kubernetesVersion: args.kubernetesVersion,
                  architecture,
                  flavor: (br.flavor ?? "") as BottlerocketFlavor,
                  version: br.version,
                }),
              },
              { parent: this },
            ).value;
      this.imageId = imageId;
      this.imageType = pulumi.output(
        architecture === "arm64" ? "BOTTLEROCKET_ARM_64" : "BOTTLEROCKET_x86_64",
      );
      this.userData = pulumi
        .all([br.clusterName, br.apiServer, br.clusterCertificate])
        .apply(([clusterName, apiServer, clusterCertificate]) =>
          bottlerocketUserData({
            clusterName,
            apiServer,
            clusterCertificate,
            kubelet,
            nodeLabels: labels,
            nodeTaints: taints,
            registryMirrors: br.registryMirrors,
          }),
        );
      this.identity = pulumi
        .all([imageId, this.userData])
        .apply(([ami, userData]) => imageIdentity({ family, amiId: ami, userData: contentHash(userData) }));
    } else {
      const os = args.ostree as OstreeArgs;
      const treefile: TreefileSettings = os.treefile;
      const defaults = defaultBuildPaths(name);
      const paths: OstreeBuildPaths = {
        workdir: os.workdir ?? defaults.workdir,
        repo: os.repo ?? defaults.repo,
        cachedir: os.cachedir ?? defaults.cachedir,
      };
      const hash = treefileHash(treefile);
      const remoteName = os.remoteName ?? "platform";
      const cloud = os.cloudImage ? resolveCloudImage(os.cloudImage) : undefined;
      const diskId = cloud
        ? diskIdentity({
            treefileHash: hash,
            disk: cloud,
            kernelArguments: treefile.kernelArguments ?? [],
            remote: { name: remoteName, url: os.remoteUrl, gpgVerify: os.gpgVerify ?? false },
          })
        : undefined;
      const diskPath = cloud && diskId ? diskImagePath(paths.workdir, diskId, cloud.cloud) : undefined;
      const script = buildScript({
        paths,
        files: treefileContext(treefile),
        ref: treefile.ref,
        disk:
          cloud && diskId
            ? diskStep({
                workdir: paths.workdir,
                repo: paths.repo,
                ref: treefile.ref,
                remoteName,
                remoteUrl: os.remoteUrl,
                gpgVerify: os.gpgVerify ?? false,
                identity: diskId,
                disk: cloud,
                kernelArguments: treefile.kernelArguments ?? [],
              })
            : undefined,
        // A build host uploads the disk itself; a local build hands it to an object resource.
        upload:
          cloud && diskId && diskPath && os.buildHost
            ? {
                path: diskPath,
                to: { cloud: cloud.cloud, bucket: cloud.bucket, key: diskObjectKey(name, diskId, cloud) },
              }
            : undefined,
      });
      // Rebuilt only when the treefile's (or the disk's) content changes: the hashes are the trigger.
      const triggers = diskId ? [hash, diskId] : [hash];
      const build = os.buildHost
        ? new command.remote.Command(
            `${name}-build`,
            {
              connection: {
                host: os.buildHost.host,
                user: os.buildHost.user ?? "root",
                port: os.buildHost.port ?? 22,
                privateKey: pulumi.secret(os.buildHost.privateKey),
              },
              create: script,
              triggers,
            },
            { parent: this, additionalSecretOutputs: ["connection"] },
          )
        : new command.local.Command(`${name}-build`, { create: script, triggers }, { parent: this });
      const built = build.stdout.apply((stdout) => {
        if (typeof stdout !== "string")
          throw new Error(`NodeImage "${name}": the ostree build printed nothing`);
        return parseBuildOutput(stdout);
      });
      this.ostreeRef = built.ref;
      this.ostreeCommit = built.commit;
      if (cloud && diskId) {
        const imported = importImage({
          nodeImage: name,
          identity: diskId,
          disk: cloud,
          ref: treefile.ref,
          commit: built.commit,
          built: build.stdout.apply((stdout) => parseDiskOutput(stdout ?? "")),
          uploadFromHere: !os.buildHost,
          build,
          parent: this,
        });
        this.diskIdentity = diskId;
        this.cloudImageName = imported.imageName;
        this.imageId = imported.imageId;
        this.imageType = pulumi.output(CUSTOM_IMAGE_TYPE[cloud.cloud]);
      } else {
        this.imageId = pulumi.output("");
        this.imageType = pulumi.output("ostree");
      }
      const users = os.users ?? [];
      const bootstrap = os.bootstrap;
      const eks = os.eksJoin;
      const hasSecrets = users.some((u) => u.sshAuthorizedKeys.length > 0) || bootstrap !== undefined;
      const ignition = pulumi
        .all([
          built.commit,
          users.map((u) => pulumi.all(u.sshAuthorizedKeys)),
          bootstrap ? pulumi.all([bootstrap.apiServer, bootstrap.caCertificate, bootstrap.token]) : undefined,
          eks ? pulumi.all([eks.clusterName, eks.apiServer, eks.certificateAuthority]) : undefined,
        ])
        .apply(([commit, keys, boot, join]) => {
          const ignitionUsers: IgnitionUser[] = users.map((u, i) => ({
            name: u.name,
            sshAuthorizedKeys: keys[i] ?? [],
            ...(u.groups ? { groups: u.groups } : {}),
          }));
          return ignitionJson({
            users: ignitionUsers,
            kubelet,
            nodeLabels: labels,
            nodeTaints: taints,
            registryMirrors: os.registryMirrors,
            sysctls: os.sysctls,
            kernelArguments: treefile.kernelArguments,
            kernelArgumentsRemoved: os.kernelArgumentsRemoved,
            deployment: {
              remoteName,
              remoteUrl: os.remoteUrl,
              gpgVerify: os.gpgVerify,
              ref: treefile.ref,
              commit,
              preinstalled: cloud !== undefined,
            },
            bootstrap: boot ? { apiServer: boot[0], caCertificate: boot[1], token: boot[2] } : undefined,
            kubeconfig: join
              ? eksKubeconfigInput({
                  clusterName: join[0],
                  apiServer: join[1],
                  certificateAuthorityData: join[2],
                })
              : undefined,
            units: os.units as SystemdUnit[] | undefined,
          });
        });
      this.userData = hasSecrets ? pulumi.secret(ignition) : ignition;
      // Secrets (keys, token) stay out of the identity: rotating them does not roll nodes.
      this.identity = built.commit.apply((commit) =>
        imageIdentity({
          family,
          treefile: hash,
          commit,
          kubelet,
          nodeLabels: labels,
          nodeTaints: taints,
          firstBoot: {
            remoteName,
            remoteUrl: os.remoteUrl,
            gpgVerify: os.gpgVerify ?? false,
            users: users.map((u) => ({ name: u.name, groups: u.groups ?? [] })),
            sysctls: os.sysctls ?? {},
            kernelArgumentsRemoved: os.kernelArgumentsRemoved ?? [],
            registryMirrors: os.registryMirrors ?? [],
            units: os.units ?? [],
            bootstrap: bootstrap !== undefined,
          },
          // Absent without a cloud image, so identities of images without one do not change.
          disk: diskId,
          eksJoin: eks !== undefined ? true : undefined,
        }),
      );
    }

    this.registerOutputs({
      family: this.family,
      imageId: this.imageId,
      imageType: this.imageType,
      identity: this.identity,
      userData: this.userData,
      kubelet: this.kubelet,
      rollout: this.rollout,
      ostreeRef: this.ostreeRef,
      ostreeCommit: this.ostreeCommit,
      diskIdentity: this.diskIdentity,
      cloudImageName: this.cloudImageName,
    });
  }
}
