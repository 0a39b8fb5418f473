/**
 * The simulated clouds: the outputs each resource type computes, and the data sources (invokes)
 * the platform calls. Everything is deterministic: ids and addresses derive from the URN and the
 * inputs, so two runs of the same program produce the same state.
 *
 * Every cluster's API server is the local one the e2e harness started: its admin kubeconfig is in
 * the file named by `KUBEPLAT_E2E_KUBECONFIG`.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { hash, isObject, logicalName, reveal, secret, type Value } from "./values";

export const ACCOUNT_ID = "111122223333";
/** The identity `pulumi up` runs as (what `aws sts get-caller-identity` would say). */
export const CALLER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/e2e-deployer`;
type Obj = Record<string, Value>;

export interface LocalCluster {
  server: string;
  caData: string;
  /** The admin token (ACK kubeconfigs are the cluster creator's, with full rights). */
  token: string;
  kubeconfig: string;
}

export function localCluster(): LocalCluster {
  const file = process.env.KUBEPLAT_E2E_KUBECONFIG;
  if (!file) throw new Error("cloud simulator: KUBEPLAT_E2E_KUBECONFIG is not set (the e2e harness sets it)");
  const kubeconfig = readFileSync(file, "utf8");
  const doc = parse(kubeconfig) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { token: string } }[];
  };
  const c = doc.clusters[0]?.cluster;
  if (!c) throw new Error(`cloud simulator: no cluster in ${file}`);
  const token = doc.users[0]?.user.token ?? "";
  return { server: c.server, caData: c["certificate-authority-data"], token, kubeconfig };
}

/** `prefix-` + 17 hex characters, the shape of EC2 and VPC ids. */
const rid = (prefix: string, ...seed: Value[]) => `${prefix}-${hash(...seed).slice(0, 17)}`;
const ip = (base: string, ...seed: Value[]) =>
  `${base}.${(Number.parseInt(hash(...seed).slice(0, 2), 16) % 250) + 2}`;

export interface Context {
  urn: string;
  region: string;
  /** The outputs before an update; undefined on create. */
  olds?: Obj;
}

/** Computed outputs of `type`, given its (checked) inputs. */
export function computed(type: string, inputs: Obj, ctx: Context): { id: string; outs: Obj } {
  const i = reveal(inputs) as Obj;
  const seed = [ctx.urn, inputs];
  // An update keeps the id; a create (or a replacement: other inputs) gets a new one.
  const keep = (fresh: string) => (ctx.olds?.__id as string | undefined) ?? fresh;
  const arn = (service: string, resource: string, global = false) =>
    `arn:aws:${service}:${global ? "" : ctx.region}:${ACCOUNT_ID}:${resource}`;
  const tagsAll = i.tags ?? {};
  switch (type) {
    case "aws:ec2/vpc:Vpc": {
      const id = keep(rid("vpc", seed));
      return {
        id,
        outs: {
          arn: arn("ec2", `vpc/${id}`),
          defaultRouteTableId: rid("rtb", id, "default"),
          mainRouteTableId: rid("rtb", id, "main"),
          defaultSecurityGroupId: rid("sg", id),
          defaultNetworkAclId: rid("acl", id),
          ownerId: ACCOUNT_ID,
          tagsAll,
        },
      };
    }
    case "aws:ec2/subnet:Subnet": {
      const id = keep(rid("subnet", seed));
      return { id, outs: { arn: arn("ec2", `subnet/${id}`), ownerId: ACCOUNT_ID, tagsAll } };
    }
    case "aws:ec2/eip:Eip": {
      const id = keep(rid("eipalloc", seed));
      return { id, outs: { allocationId: id, publicIp: ip("198.51.100", id), domain: "vpc", tagsAll } };
    }
    case "aws:ec2/internetGateway:InternetGateway": {
      const id = keep(rid("igw", seed));
      return { id, outs: { arn: arn("ec2", `internet-gateway/${id}`), ownerId: ACCOUNT_ID, tagsAll } };
    }
    case "aws:ec2/natGateway:NatGateway": {
      const id = keep(rid("nat", seed));
      return { id, outs: { networkInterfaceId: rid("eni", id), privateIp: ip("10.0.0", id), tagsAll } };
    }
    case "aws:ec2/routeTable:RouteTable": {
      const id = keep(rid("rtb", seed));
      return { id, outs: { arn: arn("ec2", `route-table/${id}`), ownerId: ACCOUNT_ID, tagsAll } };
    }
    case "aws:ec2/route:Route":
      return {
        id: keep(`r-${i.routeTableId}${hash(seed).slice(0, 10)}`),
        outs: { origin: "CreateRoute", state: "active" },
      };
    case "aws:ec2/routeTableAssociation:RouteTableAssociation":
      return { id: keep(rid("rtbassoc", seed)), outs: {} };
    case "aws:ec2/tag:Tag":
      return { id: `${i.resourceId},${i.key}`, outs: {} };
    case "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation":
      return { id: keep(rid("vpc-cidr-assoc", seed)), outs: {} };
    case "aws:ec2/launchTemplate:LaunchTemplate": {
      const id = keep(rid("lt", seed));
      const latest = ctx.olds ? Number(ctx.olds.latestVersion ?? 1) + 1 : 1;
      return {
        id,
        outs: { arn: arn("ec2", `launch-template/${id}`), latestVersion: latest, defaultVersion: 1, tagsAll },
      };
    }
    case "aws:eks/cluster:Cluster": {
      const name = String(i.name);
      const local = localCluster();
      const vpc = (isObject(i.vpcConfig) ? i.vpcConfig : {}) as Obj;
      const oidcId = hash(ctx.urn).slice(0, 32).toUpperCase();
      return {
        id: name,
        outs: {
          arn: arn("eks", `cluster/${name}`),
          endpoint: local.server,
          certificateAuthority: { data: local.caData },
          identities: [{ oidcs: [{ issuer: `https://oidc.eks.${ctx.region}.amazonaws.com/id/${oidcId}` }] }],
          vpcConfig: {
            ...vpc,
            vpcId: rid("vpc", "cluster", ctx.urn),
            clusterSecurityGroupId: rid("sg", "cluster", ctx.urn),
          },
          version: i.version ?? "1.33",
          platformVersion: "eks.1",
          status: "ACTIVE",
          clusterId: hash(ctx.urn).slice(0, 36),
          tagsAll,
        },
      };
    }
    case "aws:eks/nodeGroup:NodeGroup": {
      const id = `${i.clusterName}:${i.nodeGroupName}`;
      return {
        id,
        outs: {
          arn: arn("eks", `nodegroup/${i.clusterName}/${i.nodeGroupName}/${hash(seed).slice(0, 8)}`),
          status: "ACTIVE",
          resources: [{ autoscalingGroups: [{ name: `eks-${i.nodeGroupName}-${hash(seed).slice(0, 8)}` }] }],
          tagsAll,
        },
      };
    }
    case "aws:eks/accessEntry:AccessEntry":
      return {
        id: `${i.clusterName}:${i.principalArn}`,
        outs: {
          accessEntryArn: arn("eks", `access-entry/${i.clusterName}/${hash(seed).slice(0, 8)}`),
          userName: String(i.principalArn),
          kubernetesGroups: [],
          tagsAll,
        },
      };
    case "aws:eks/accessPolicyAssociation:AccessPolicyAssociation":
      return {
        id: `${i.clusterName}#${i.principalArn}#${i.policyArn}`,
        outs: { associatedAt: "2026-01-01T00:00:00Z" },
      };
    case "aws:iam/role:Role":
      return {
        id: String(i.name),
        outs: {
          arn: arn("iam", `role${i.path ?? "/"}${i.name}`, true),
          uniqueId: `AROA${hash(seed).slice(0, 17).toUpperCase()}`,
          createDate: "2026-01-01T00:00:00Z",
          tagsAll,
        },
      };
    case "aws:iam/policy:Policy": {
      const a = arn("iam", `policy${i.path ?? "/"}${i.name}`, true);
      return { id: a, outs: { arn: a, policyId: `ANPA${hash(seed).slice(0, 17).toUpperCase()}`, tagsAll } };
    }
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return { id: `${i.role}-${hash(i.policyArn).slice(0, 20)}`, outs: {} };
    case "aws:iam/rolePolicy:RolePolicy":
      return { id: `${i.role}:${i.name}`, outs: {} };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
      const a = arn("iam", `oidc-provider/${String(i.url).replace(/^https:\/\//, "")}`, true);
      return { id: a, outs: { arn: a, thumbprintLists: [hash(i.url).slice(0, 40)], tagsAll } };
    }
    case "aws:kms/key:Key": {
      const id = keep(
        hash(seed)
          .slice(0, 32)
          .replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-"),
      );
      return { id, outs: { arn: arn("kms", `key/${id}`), keyId: id, tagsAll } };
    }
    // Alibaba Cloud
    case "alicloud:vpc/network:Network": {
      const id = keep(rid("vpc", seed));
      return {
        id,
        outs: {
          routeTableId: rid("vtb", id),
          routerId: rid("vrt", id),
          routerTableId: rid("vtb", id),
          status: "Available",
        },
      };
    }
    case "alicloud:vpc/switch:Switch":
      return { id: keep(rid("vsw", seed)), outs: { status: "Available" } };
    case "alicloud:vpc/ipv4CidrBlock:Ipv4CidrBlock":
      return { id: `${i.vpcId}:${i.secondaryCidrBlock}`, outs: {} };
    case "alicloud:ecs/securityGroup:SecurityGroup":
      return { id: keep(rid("sg", seed)), outs: {} };
    case "alicloud:ecs/securityGroupRule:SecurityGroupRule":
      return { id: keep(`${i.securityGroupId}:${hash(seed).slice(0, 12)}`), outs: {} };
    case "alicloud:vpc/natGateway:NatGateway": {
      const id = keep(rid("ngw", seed));
      return {
        id,
        outs: { snatTableIds: rid("stb", id), forwardTableIds: rid("ftb", id), status: "Available" },
      };
    }
    case "alicloud:ecs/eipAddress:EipAddress": {
      const id = keep(rid("eip", seed));
      return { id, outs: { ipAddress: ip("203.0.113", id), status: "Available" } };
    }
    case "alicloud:ecs/eipAssociation:EipAssociation":
      return { id: `${i.allocationId}:${i.instanceId}`, outs: {} };
    case "alicloud:vpc/snatEntry:SnatEntry": {
      const entry = `snat-${hash(seed).slice(0, 17)}`;
      return { id: keep(`${i.snatTableId}:${entry}`), outs: { snatEntryId: entry, status: "Available" } };
    }
    case "alicloud:cs/managedKubernetes:ManagedKubernetes": {
      const id = keep(`c${hash(seed).slice(0, 32)}`);
      const local = localCluster();
      return {
        id,
        outs: {
          connections: {
            apiServerIntranet: local.server,
            apiServerInternet: i.slbInternetEnabled ? local.server : undefined,
            masterPublicIp: i.slbInternetEnabled ? ip("203.0.113", id, "api") : undefined,
            serviceDomain: `*.${id}.${ctx.region}.alicontainer.com`,
          },
          slbId: rid("lb", id),
          slbIntranet: ip("192.168.0", id),
          natGatewayId: "",
          vpcId: rid("vpc", "cluster", id),
          workerRamRoleName: `KubernetesWorkerRole-${hash(id).slice(0, 8)}`,
          securityGroupId: i.securityGroupId ?? rid("sg", id),
          clusterDomain: "cluster.local",
          certificateAuthority: secret({ clusterCert: local.caData }),
        },
      };
    }
    case "alicloud:cs/nodePool:NodePool": {
      const np = `np${hash(seed).slice(0, 30)}`;
      return { id: keep(`${i.clusterId}:${np}`), outs: { nodePoolId: np, scalingGroupId: rid("asg", np) } };
    }
    default: {
      const short = type.split(":").at(-1)?.toLowerCase() ?? "r";
      return { id: keep(rid(short, seed)), outs: { tagsAll } };
    }
  }
}

/** Data sources. Throws on one the simulator does not know, naming it. */
export function invoke(token: string, args: Obj, region: string): Obj {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        id: ACCOUNT_ID,
        accountId: ACCOUNT_ID,
        arn: CALLER_ARN,
        userId: "AIDAE2EDEPLOYER",
      };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getRegion:getRegion":
      return {
        id: region,
        name: region,
        region,
        endpoint: `ec2.${region}.amazonaws.com`,
        description: region,
      };
    case "aws:ssm/getParameter:getParameter": {
      const name = String(args.name);
      // Public SSM parameters of AMI ids (EKS-optimized, Bottlerocket): an AMI id.
      const value = `ami-${hash(name).slice(0, 17)}`;
      return {
        id: name,
        name,
        arn: `arn:aws:ssm:${region}::parameter${name}`,
        type: "String",
        value,
        insecureValue: value,
        version: 1,
        withDecryption: args.withDecryption ?? true,
      };
    }
    case "aws:iam/getRole:getRole": {
      // An IAM role by name (what an assumed-role caller ARN resolves to): its ARN, path "/".
      const name = String(args.name);
      return {
        id: name,
        name,
        arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
        path: "/",
        uniqueId: `AROA${hash(name).slice(0, 17).toUpperCase()}`,
        assumeRolePolicy: "{}",
        maxSessionDuration: 3600,
      };
    }
    case "aws:eks/getAddonVersion:getAddonVersion": {
      // AWS resolves the add-on's default (or most recent) version for a Kubernetes minor; the
      // simulator answers a fixed, well-formed eksbuild version per add-on, minor and choice.
      const addonName = String(args.addonName);
      const kubernetesVersion = String(args.kubernetesVersion);
      const build = (parseInt(hash(`${addonName}/${kubernetesVersion}`).slice(0, 2), 16) % 9) + 1;
      const version = `v1.${args.mostRecent ? 2 : 1}.0-eksbuild.${build}`;
      return { id: addonName, addonName, kubernetesVersion, mostRecent: args.mostRecent ?? false, version };
    }
    case "alicloud:cs/getClusterCredential:getClusterCredential": {
      const local = localCluster();
      return {
        id: String(args.clusterId),
        clusterId: args.clusterId,
        clusterName: logicalName(String(args.clusterId)),
        kubeConfig: local.kubeconfig,
        certificateAuthority: { clusterCert: local.caData },
        expiration: "2099-01-01T00:00:00Z",
        temporaryDurationMinutes: args.temporaryDurationMinutes,
      };
    }
    default:
      throw new Error(`cloud simulator: no data source ${token}; add it to e2e/cloud-simulator/cloud.ts`);
  }
}
