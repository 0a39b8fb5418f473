/**
 * EksCluster: an EKS control plane with its IAM role, secrets encryption with a KMS key, a
 * private API endpoint (public only with an allow-list), control-plane logging, access entries
 * mapping the platform's roles (admin, ops, dev, restricted) to EKS access policies, the IAM
 * OIDC provider for service-account roles, a kubeconfig (secret) and a Kubernetes provider for
 * the in-cluster components.
 *
 * Args are validated with the shared rules (plan/rules/{cluster,security,access,cidr}.ts)
 * before any resource is registered.
 */

import {
  checkCluster,
  checkDeletionProtection,
  checkInvalid,
  checkPublicApiServer,
  checkSecretsEncryption,
  checkServiceOverlapsVpc,
  checkVersionSupported,
  contains,
  DEFAULT_KUBERNETES_VERSION,
  type Diagnostic,
  deployerAccess,
  diagnostic,
  kubernetesVersionProblem,
  type NetworkFacts,
  PRIVATE_RANGES,
  parseCidr,
  vpcFactsFromCidrs,
} from "@kubeplat/plan";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../cloudSdks";
import { judge } from "../judgement";
import {
  accessPolicyArn,
  BREAK_GLASS_POLICY,
  checkAccessGrants,
  type EksAccessPolicy,
  planAccessEntries,
  principalOfCaller,
} from "./accessEntries";
import { argProblem, checkOneOf } from "./argCheck";
import { renderKubeconfig } from "./kubeconfig";

/** Control-plane log types EKS can send to CloudWatch Logs. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** EKS `upgradePolicy.supportType`, lower-cased as the spec spells it. */
export const EKS_SUPPORT_TYPES = ["standard", "extended"] as const;

/** A subnet the control plane places its network interfaces in. */
export interface EksSubnetArgs {
  /** Subnet id (e.g. from AwsNetwork `subnets`). */
  id: pulumi.Input<string>;
  /** Its availability zone (for cluster/zones, checked before anything is created). */
  zone: string;
}

export interface EksEndpointArgs {
  /** Private endpoint inside the VPC. Default true. */
  privateAccess?: boolean;
  /** Public endpoint. Default false; when true, `publicAccessCidrs` must restrict it. */
  publicAccess?: boolean;
  /** Allow-list of the public endpoint (never 0.0.0.0/0 in production). Default none. */
  publicAccessCidrs?: string[];
}

export interface EksSecretsEncryptionArgs {
  /** Encrypt Kubernetes Secrets with a KMS key (EKS envelope encryption). Default true. */
  enabled?: boolean;
  /** Use this KMS key (ARN) instead of creating one. Default: a new key with rotation on. */
  kmsKeyArn?: string;
}

/** One grant of a predefined platform role to an IAM principal. */
export interface EksAccessGrantArgs {
  /** IAM role or user ARN, e.g. `arn:aws:iam::123456789012:role/platform-ops`. */
  principalArn: string;
  /**
   * `admin` (AmazonEKSAdminPolicy, cluster-wide), `ops` (AmazonEKSEditPolicy + AmazonEKSAdminViewPolicy,
   * cluster-wide), `dev` (AmazonEKSEditPolicy) or `restricted` (AmazonEKSViewPolicy).
   */
  role: string;
  /** dev and restricted only: limit the grant to these namespaces. Default: every namespace. */
  namespaces?: string[];
}

export interface EksClusterArgs {
  /** EKS cluster name. Immutable (a change replaces the cluster). Default: the component name. */
  clusterName?: string;
  /** A production cluster: protected, deletion protection, rules mandatory. Default false. */
  production?: boolean;
  /**
   * `upgradePolicy.supportType` of the cluster: "standard" (EKS upgrades the cluster at the end of
   * standard support) or "extended" (paid extended support). Registered always, since EKS's own
   * default is extended. Default "standard".
   */
  supportType?: string;
  /** Kubernetes `major.minor` (plan/versions.ts). Default: EKS's newest in standard support (1.35). */
  kubernetesVersion?: string;
  /** The private subnets of the control plane, at least 2 availability zones. */
  subnets: EksSubnetArgs[];
  /** VPC CIDRs (primary and secondary), to check the service CIDR against them. Default: unchecked. */
  vpcCidrs?: string[];
  /** Kubernetes service CIDR. Immutable (a change replaces the cluster). Default: EKS picks one. */
  serviceCidr?: string;
  /** API server endpoint access. Default: private only. */
  endpoint?: EksEndpointArgs;
  /** Secrets encryption. Default: on, with a new KMS key. */
  secretsEncryption?: EksSecretsEncryptionArgs;
  /** EKS deletion protection. Default: `production`. */
  deletionProtection?: boolean;
  /** Mark the cluster (and its KMS key) `protect`. Default: `production`. */
  protect?: boolean;
  /** Control-plane log types. Default: all of api, audit, authenticator, controllerManager, scheduler. */
  logTypes?: string[];
  /** Predefined-role grants (access entries). Default: none. */
  access?: EksAccessGrantArgs[];
  /** Break-glass principals granted cluster-admin (AmazonEKSClusterAdminPolicy). Default: none. */
  breakGlassPrincipalArns?: string[];
  /**
   * The IAM role or user ARNs that run `pulumi up` and create in-cluster objects through
   * `provider`: each gets an access entry with AmazonEKSClusterAdminPolicy at cluster scope.
   * Default: the identity running the program (`aws.getCallerIdentity`; an assumed-role session
   * maps to its role, resolved with `aws.iam.getRole` so an IAM path is kept), in an access entry
   * named `<name>-deployer`. []: nobody (security/deployer-access when `managesInClusterObjects`).
   */
  deployers?: string[];
  /** Whether the program creates objects through this cluster's API (`provider`). Default true. */
  managesInClusterObjects?: boolean;
  /**
   * Where `pulumi up` runs: `internet` or `vpc` (inside the VPC or a connected network). Default:
   * not checked. A private-only endpoint deployed from the internet is security/deployer-access.
   */
  deployFrom?: string;
  /**
   * EKS `bootstrapClusterCreatorAdminPermissions` (cluster-admin for whoever creates the cluster).
   * Immutable. Default false; true breaks security/cluster-admin-binding.
   */
  bootstrapClusterCreatorAdminPermissions?: boolean;
  /** AWS partition of ARNs: `aws`, `aws-cn`, `aws-us-gov`. Default "aws". */
  partition?: string;
  /** Region written into the kubeconfig. Default: the `aws:region` config, else the CLI's default. */
  region?: string;
  /** IAM role the kubeconfig's `aws eks get-token` assumes. Default: the caller's identity. */
  kubeconfigRoleArn?: string;
  /** AWS CLI profile of the kubeconfig. Default: the environment's. */
  kubeconfigProfile?: string;
  /** Tags of every resource. Default: none. */
  tags?: Record<string, string>;
}

/** AWS rule of EKS cluster names (@pulumi/aws eks.Cluster `name`: `^[0-9A-Za-z][A-Za-z0-9\-_]*$`). */
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;
/** EKS service CIDR: inside an RFC 1918 range, /12 to /24 (EKS CreateCluster serviceIpv4Cidr). */
const SERVICE_PREFIX = { min: 12, max: 24 };

/** Every diagnostic of an EksCluster's args (pure; exported for the offline preview and tests). */
export function checkEksClusterArgs(name: string, args: EksClusterArgs): Diagnostic[] {
  const production = args.production ?? false;
  const clusterName = args.clusterName ?? name;
  const endpoint = args.endpoint ?? {};
  const publicAccess = endpoint.publicAccess ?? false;
  const privateAccess = endpoint.privateAccess ?? true;
  const encryption = args.secretsEncryption?.enabled ?? true;
  const out: Diagnostic[] = [];

  out.push(
    ...checkCluster({
      resource: name,
      path: "",
      production,
      cloud: "aws",
      name: clusterName,
      zones: args.subnets.map((s) => s.zone),
      tags: args.tags,
      fieldPaths: { name: "clusterName", zones: "subnets" },
    }),
  );
  if (clusterName.length > 0 && !EKS_NAME.test(clusterName)) {
    out.push(
      diagnostic("cluster/name", {
        resource: name,
        path: "clusterName",
        production,
        message: `EKS cluster name ${JSON.stringify(clusterName)} must start with a letter or digit and hold only letters, digits, "-" and "_"`,
      }),
    );
  }
  const security = {
    resource: name,
    path: "",
    production,
    name: clusterName,
    deletionProtection: args.deletionProtection ?? production,
    protect: args.protect ?? production,
    secretsEncrypted: encryption,
    publicEndpoint: publicAccess,
    publicAccessCidrs: endpoint.publicAccessCidrs ?? [],
    fieldPaths: {
      secretsEncrypted: "secretsEncryption.enabled",
      publicAccessCidrs: "endpoint.publicAccessCidrs",
    },
  };
  out.push(
    ...checkDeletionProtection(security),
    ...checkSecretsEncryption(security),
    ...checkPublicApiServer(security),
  );

  const net: NetworkFacts = {
    vpcs: vpcFactsFromCidrs(name, args.vpcCidrs),
    vswitches: [],
    clusters: [
      {
        resource: name,
        name: clusterName,
        path: "",
        vpc: "vpc",
        cni: "vpc-cni",
        serviceCidr:
          args.serviceCidr !== undefined ? { cidr: args.serviceCidr, path: "serviceCidr" } : undefined,
        apiAllowList: publicAccess
          ? { cidrs: endpoint.publicAccessCidrs ?? [], path: "endpoint.publicAccessCidrs" }
          : undefined,
      },
    ],
    connected: [],
  };
  out.push(...checkInvalid(net), ...checkServiceOverlapsVpc(net));
  if (args.serviceCidr !== undefined) {
    const p = parseCidr(args.serviceCidr);
    if (
      p.ok &&
      (p.cidr.version !== 4 ||
        p.cidr.prefix < SERVICE_PREFIX.min ||
        p.cidr.prefix > SERVICE_PREFIX.max ||
        !PRIVATE_RANGES.some((r) => contains(r, p.cidr)))
    ) {
      out.push(
        diagnostic("cidr/invalid", {
          resource: name,
          path: "serviceCidr",
          message: `service CIDR ${p.cidr.text} is not accepted by EKS: an IPv4 block of /${SERVICE_PREFIX.min} to /${SERVICE_PREFIX.max} inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
        }),
      );
    }
  }

  out.push(
    ...checkAccessGrants({
      resource: name,
      path: "access",
      grants: args.access ?? [],
      // Deployers hold cluster-admin by design (security/deployer-access), like break-glass.
      breakGlassPrincipalArns: [...(args.breakGlassPrincipalArns ?? []), ...(args.deployers ?? [])],
      bootstrapClusterCreatorAdminPermissions: args.bootstrapClusterCreatorAdminPermissions,
    }).map((d) => {
      const m = /^breakGlassPrincipalArns\[(\d+)\]$/.exec(d.path);
      const bg = args.breakGlassPrincipalArns?.length ?? 0;
      return m && Number(m[1]) >= bg ? { ...d, path: `deployers[${Number(m[1]) - bg}]` } : d;
    }),
    ...deployerAccess({
      resource: name,
      cluster: clusterName,
      cloud: "aws",
      managesInClusterObjects: args.managesInClusterObjects ?? true,
      deployerAdmin: args.deployers === undefined || args.deployers.length > 0,
      creatorAdmin: args.bootstrapClusterCreatorAdminPermissions ?? false,
      authenticationMode: "API",
      publicEndpoint: publicAccess,
      deployFrom: args.deployFrom,
    }),
  );

  // Shapes no catalogue rule covers.
  const version = args.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION.aws;
  const versionProblem = kubernetesVersionProblem("aws", version);
  if (versionProblem) out.push(argProblem(name, "kubernetesVersion", versionProblem));
  // Standard support on today's date (cluster/version-supported); the skew rule needs the
  // version deployed before, which a component does not see: the spec check and the pack judge it.
  out.push(...checkVersionSupported({ resource: name, path: "", cloud: "aws", production, version }));
  if (!publicAccess && !privateAccess) {
    out.push(
      argProblem(
        name,
        "endpoint",
        "endpoint.privateAccess and endpoint.publicAccess are both false: the API server would be unreachable",
      ),
    );
  }
  if (!publicAccess && (endpoint.publicAccessCidrs ?? []).length > 0) {
    out.push(
      argProblem(
        name,
        "endpoint.publicAccessCidrs",
        `publicAccessCidrs [${endpoint.publicAccessCidrs?.join(", ")}] given but endpoint.publicAccess is false`,
      ),
    );
  }
  if (args.supportType !== undefined)
    out.push(...checkOneOf(name, "supportType", args.supportType, EKS_SUPPORT_TYPES));
  for (const [i, t] of (args.logTypes ?? []).entries()) {
    out.push(...checkOneOf(name, `logTypes[${i}]`, t, EKS_LOG_TYPES));
  }
  if (args.secretsEncryption?.kmsKeyArn !== undefined && !encryption) {
    out.push(
      argProblem(
        name,
        "secretsEncryption.kmsKeyArn",
        `kmsKeyArn ${args.secretsEncryption.kmsKeyArn} given but secretsEncryption.enabled is false`,
      ),
    );
  }
  return out;
}

/** The short name of an access policy in resource names: AmazonEKSEditPolicy → edit. */
function policyShortName(p: EksAccessPolicy): string {
  return p
    .replace(/^AmazonEKS/, "")
    .replace(/Policy$/, "")
    .toLowerCase();
}

/**
 * Each cluster's Kubernetes provider, behind the `provider` getter: TypeScript programs use it,
 * and the component package schema (which publishes every field) leaves it out, since a provider
 * output cannot be used as a resource option from other languages; they build their own from
 * `kubeconfig`.
 */
const k8sProviders = new WeakMap<EksCluster, k8s.Provider>();

export class EksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly certificateAuthorityData: pulumi.Output<string>;
  /** The security group EKS created for the control plane and the nodes. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** The OIDC issuer URL (https://oidc.eks...), for IAM roles for service accounts. */
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** The KMS key of secrets encryption; undefined when encryption is off. */
  readonly kmsKeyArn: pulumi.Output<string | undefined>;
  readonly kubernetesVersion: pulumi.Output<string>;
  /** The kubeconfig (`aws eks get-token` exec plugin), a secret. */
  readonly kubeconfig: pulumi.Output<string>;
  /**
   * Kubernetes provider for the in-cluster components (after the access entries exist).
   * TypeScript only: not in the component package schema.
   */
  get provider(): k8s.Provider {
    return k8sProviders.get(this) as k8s.Provider;
  }

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const aws = awsSdk();
    // Validated before anything registers, this component included.
    const advisories = judge(`EksCluster ${name}`, args, () => checkEksClusterArgs(name, args));
    super("platform:aws:EksCluster", name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const production = args.production ?? false;
    const protect = args.protect ?? production;
    const clusterName = args.clusterName ?? name;
    const partition = args.partition ?? "aws";
    const version = args.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION.aws;
    const endpoint = args.endpoint ?? {};
    const publicAccess = endpoint.publicAccess ?? false;
    const tags = { ...(args.tags ?? {}) };
    const breakGlass = args.breakGlassPrincipalArns ?? [];

    // IAM role of the control plane.
    const role = new aws.iam.Role(
      `${name}-cluster-role`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "eks.amazonaws.com" },
              Action: ["sts:AssumeRole", "sts:TagSession"],
            },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    const rolePolicies: pulumi.Resource[] = [
      new aws.iam.RolePolicyAttachment(
        `${name}-cluster-policy`,
        { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
        { parent: this },
      ),
    ];

    // Secrets encryption: the given key, or a new one with rotation (protected with the cluster).
    let keyArn: pulumi.Output<string> | undefined;
    if (args.secretsEncryption?.enabled ?? true) {
      if (args.secretsEncryption?.kmsKeyArn !== undefined) {
        keyArn = pulumi.output(args.secretsEncryption.kmsKeyArn);
      } else {
        const key = new aws.kms.Key(
          `${name}-secrets-key`,
          {
            description: `Kubernetes Secrets encryption of EKS cluster ${clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags,
          },
          { parent: this, protect },
        );
        keyArn = key.arn;
      }
      rolePolicies.push(
        new aws.iam.RolePolicy(
          `${name}-cluster-kms`,
          {
            role: role.id,
            policy: keyArn.apply((arn) =>
              JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                  {
                    Effect: "Allow",
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                    Resource: arn,
                  },
                ],
              }),
            ),
          },
          { parent: this },
        ),
      );
    }

    const cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: clusterName,
        version,
        // STANDARD or EXTENDED (the provider's valid values); EKS defaults to EXTENDED.
        upgradePolicy: { supportType: (args.supportType ?? "standard").toUpperCase() },
        roleArn: role.arn,
        vpcConfig: {
          // No vpcId: it is output-only (EKS derives the VPC from the subnets; setting it fails
          // with "Value for unconfigurable attribute", pulumi/pulumi-aws issue 4558).
          subnetIds: args.subnets.map((s) => s.id),
          endpointPrivateAccess: endpoint.privateAccess ?? true,
          endpointPublicAccess: publicAccess,
          publicAccessCidrs: publicAccess ? endpoint.publicAccessCidrs : undefined,
        },
        kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: args.serviceCidr },
        accessConfig: {
          authenticationMode: "API",
          bootstrapClusterCreatorAdminPermissions: args.bootstrapClusterCreatorAdminPermissions ?? false,
        },
        enabledClusterLogTypes: args.logTypes ?? [...EKS_LOG_TYPES],
        encryptionConfig: keyArn ? { provider: { keyArn }, resources: ["secrets"] } : undefined,
        deletionProtection: args.deletionProtection ?? production,
        tags,
      },
      {
        parent: this,
        protect,
        dependsOn: rolePolicies,
        replaceOnChanges: [
          "name",
          "kubernetesNetworkConfig.serviceIpv4Cidr",
          "kubernetesNetworkConfig.ipFamily",
          "accessConfig.bootstrapClusterCreatorAdminPermissions",
        ],
      },
    );

    // IAM OIDC provider: IAM roles for service accounts (Alauda Container Platform docs: Network initialization for AWS EKS clusters).
    const issuer = cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");
    const oidc = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: issuer, clientIdLists: ["sts.amazonaws.com"], tags },
      { parent: this },
    );

    // Access entries: one per principal, one association per EKS access policy.
    const associations: pulumi.Resource[] = [];
    const deployers = args.deployers ?? [];
    for (const entry of planAccessEntries(args.access ?? [], [...breakGlass, ...deployers])) {
      const accessEntry = new aws.eks.AccessEntry(
        `${name}-access-${entry.key}`,
        {
          clusterName: cluster.name,
          principalArn: entry.principalArn,
          type: "STANDARD",
          // Project roles: the group PlatformRbac binds (left out when empty, as before).
          kubernetesGroups: entry.kubernetesGroups.length > 0 ? entry.kubernetesGroups : undefined,
          tags,
        },
        { parent: this, replaceOnChanges: ["principalArn"] },
      );
      for (const a of entry.associations) {
        associations.push(
          new aws.eks.AccessPolicyAssociation(
            `${name}-access-${entry.key}-${policyShortName(a.policy)}`,
            {
              clusterName: cluster.name,
              principalArn: entry.principalArn,
              policyArn: accessPolicyArn(a.policy, partition),
              accessScope:
                a.scope.type === "cluster"
                  ? { type: "cluster" }
                  : { type: "namespace", namespaces: a.scope.namespaces },
            },
            { parent: this, dependsOn: [accessEntry] },
          ),
        );
      }
    }

    if (args.deployers === undefined) {
      // The identity running the program: with API authentication and no creator bootstrap it has
      // no access to the cluster until this entry exists, and the provider below needs it.
      const named = new Set([...breakGlass, ...deployers, ...(args.access ?? []).map((g) => g.principalArn)]);
      const caller = aws.getCallerIdentityOutput({}, { parent: this }).arn.apply((arn) => {
        // A test double that answers nothing: leave the principal unset rather than guess.
        if (typeof arn !== "string") return { arn: arn as string, supported: true, roleName: undefined };
        const p = principalOfCaller(arn);
        if (!p.supported)
          throw new Error(
            `EksCluster ${name}: the identity running the program, ${arn}, cannot hold an EKS access entry (only IAM roles and users can); run as an IAM role or user, or name the deployers in deployers`,
          );
        return p;
      });
      const principalArn = caller.apply((p) =>
        (p.roleName !== undefined
          ? aws.iam.getRoleOutput({ name: p.roleName }, { parent: this }).arn
          : pulumi.output(p.arn)
        ).apply((arn) => {
          if (named.has(arn))
            throw new Error(
              `EksCluster ${name}: the identity running the program, ${arn}, already has an access entry (access or breakGlassPrincipalArns); EKS allows one per principal: list it in deployers instead`,
            );
          return arn;
        }),
      );
      const deployerEntry = new aws.eks.AccessEntry(
        `${name}-deployer`,
        { clusterName: cluster.name, principalArn, type: "STANDARD", tags },
        { parent: this, replaceOnChanges: ["principalArn"] },
      );
      associations.push(
        new aws.eks.AccessPolicyAssociation(
          `${name}-deployer-cluster-admin`,
          {
            clusterName: cluster.name,
            principalArn,
            policyArn: accessPolicyArn(BREAK_GLASS_POLICY, partition),
            accessScope: { type: "cluster" },
          },
          { parent: this, dependsOn: [deployerEntry] },
        ),
      );
    }

    const region = args.region ?? new pulumi.Config("aws").get("region");
    const kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([n, ep, ca]) =>
        renderKubeconfig({
          clusterName: n,
          endpoint: ep,
          certificateAuthorityData: ca?.data ?? "",
          region,
          roleArn: args.kubeconfigRoleArn,
          profile: args.kubeconfigProfile,
        }),
      ),
    );
    k8sProviders.set(
      this,
      new k8s.Provider(
        `${name}-k8s`,
        { kubeconfig, enableServerSideApply: true },
        { parent: this, dependsOn: associations },
      ),
    );

    this.clusterName = cluster.name;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityData = cluster.certificateAuthority.apply((c) => c?.data ?? "");
    this.clusterSecurityGroupId = cluster.vpcConfig.apply((v) => v?.clusterSecurityGroupId ?? "");
    this.oidcProviderArn = oidc.arn;
    this.oidcIssuerUrl = issuer;
    this.kmsKeyArn = keyArn ? keyArn.apply((a): string | undefined => a) : pulumi.output(undefined);
    this.kubernetesVersion = cluster.version;
    this.kubeconfig = kubeconfig;
    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      endpoint: this.endpoint,
      certificateAuthorityData: this.certificateAuthorityData,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      kmsKeyArn: this.kmsKeyArn,
      kubernetesVersion: this.kubernetesVersion,
      kubeconfig: this.kubeconfig,
    });
  }
}
