/**
 * AlicloudLoadBalancer: a CLB (`alicloud.slb.ApplicationLoadBalancer`) or NLB
 * (`alicloud.nlb.LoadBalancer`) for an ingress tier or an API server, with deletion protection,
 * an access-control list (CLB) or security groups (NLB), optional Pulumi-managed listeners, and
 * the Service annotations (`serviceAnnotations.ts`) that make ACK's cloud controller manager use
 * it.
 *
 * Listeners are managed by one owner only: `ccm` (the default for an ingress tier: CCM reuses
 * the balancer through `…-loadbalancer-id` and, with `force-override-listeners: "true"`,
 * creates and updates the listeners from the Service, ACK docs: Considerations for configuring a LoadBalancer type Service; Configure a Classic Load Balancer by using annotations), or
 * `pulumi` (listeners are resources of this component and CCM is told not to touch them).
 * CCM only reuses balancers created outside it (ACK docs: FAQ about container networking), which this component's are; an
 * intranet one must sit in the cluster's VPC (ACK docs: FAQ about container networking; Use an existing SLB instance to expose an application). The args are checked with
 * security/deletion-protection, lb/traffic-policy, lb/reuse, quota/load-balancers (listeners)
 * and cidr/invalid (ACL entries).
 */

import {
  checkCidrList,
  checkDeletionProtection,
  checkLoadBalancerService,
  checkLoadBalancers,
  type Diagnostic,
  SPEC_SCHEMA,
  throwIfMandatory,
} from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { alicloudSdk } from "../cloudSdks";
import { cidrToNamePart, distinct } from "./naming";
import {
  checkServiceLoadBalancerSettings,
  type ListenerProtocol,
  type LoadBalancerScheduler,
  type ServiceListenerSettings,
  type ServiceLoadBalancerSettings,
  serviceLoadBalancing,
} from "./serviceAnnotations";

// String choices as `as const` objects with a type of the same name: Pulumi's component schema
// inference publishes them as enums.

/** `clb` (Classic Load Balancer) or `nlb` (Network Load Balancer). */
export const AlicloudLoadBalancerKind = { Clb: "clb", Nlb: "nlb" } as const;
export type AlicloudLoadBalancerKind =
  (typeof AlicloudLoadBalancerKind)[keyof typeof AlicloudLoadBalancerKind];

/** What a balancer fronts. */
export const AlicloudLoadBalancerPurpose = { Ingress: "ingress", Apiserver: "apiserver" } as const;
export type AlicloudLoadBalancerPurpose =
  (typeof AlicloudLoadBalancerPurpose)[keyof typeof AlicloudLoadBalancerPurpose];

/** Internet-facing or VPC-internal. */
export const AlicloudAddressType = { Internet: "internet", Intranet: "intranet" } as const;
export type AlicloudAddressType = (typeof AlicloudAddressType)[keyof typeof AlicloudAddressType];

/** Internet billing of a CLB or an EIP. */
export const AlicloudInternetChargeType = {
  PayByTraffic: "PayByTraffic",
  PayByBandwidth: "PayByBandwidth",
} as const;
export type AlicloudInternetChargeType =
  (typeof AlicloudInternetChargeType)[keyof typeof AlicloudInternetChargeType];

/** A white list (only these sources) or a black list (all but these). */
export const AlicloudAclType = { White: "white", Black: "black" } as const;
export type AlicloudAclType = (typeof AlicloudAclType)[keyof typeof AlicloudAclType];

/** Who owns a balancer's listeners. */
export const AlicloudListenerManagement = {
  /** The cloud controller manager, from the Service annotations. */
  Ccm: "ccm",
  /** Pulumi, from `listeners`. */
  Pulumi: "pulumi",
} as const;
export type AlicloudListenerManagement =
  (typeof AlicloudListenerManagement)[keyof typeof AlicloudListenerManagement];

/** A vSwitch of the balancer. */
export interface AlicloudLoadBalancerVSwitchArgs {
  /** vSwitch id. */
  id: pulumi.Input<string>;
  /** Its zone. */
  zone: string;
}

/** CLB settings. */
export interface AlicloudClbArgs {
  /** Performance-guaranteed spec (e.g. `slb.s2.small`); then billed PayBySpec. Default: PayByCLCU, no spec. */
  spec?: string;
  /** Primary zone (immutable). Default: the cloud's choice. */
  masterZoneId?: string;
  /** Standby zone (immutable). Default: the cloud's choice. */
  slaveZoneId?: string;
  /** Internet billing: `PayByTraffic` (default) or `PayByBandwidth`. */
  internetChargeType?: AlicloudInternetChargeType;
  /** Peak bandwidth with PayByBandwidth, Mbit/s. */
  bandwidth?: number;
}

/** CLB access control: a white or black list of CIDRs. */
export interface AlicloudLoadBalancerAclArgs {
  /** `white` or `black`. */
  type: AlicloudAclType;
  /** The CIDRs. */
  cidrs: string[];
}

/** Raised quotas of a balancer. */
export interface AlicloudLoadBalancerQuotasArgs {
  /** Listeners per balancer (quota/load-balancers). Default 50. */
  listenersPerLoadBalancer?: number;
}

/** A Pulumi-managed CLB listener (`listenerManagement: "pulumi"`). */
export interface AlicloudListenerArgs {
  /** `tcp`, `udp`, `http` or `https`. */
  protocol: ListenerProtocol;
  /** Frontend port. */
  port: number;
  /** Backend port. Default: `port`. */
  backendPort?: number;
  /** https: the server certificate id. */
  certificateId?: pulumi.Input<string>;
  /** Scheduling `rr`, `wrr` (default) or `wlc`. */
  scheduler?: LoadBalancerScheduler;
  /** http/https health check path. Default `/healthz` for http/https; tcp checks the port. */
  healthCheckUri?: string;
}

export interface AlicloudLoadBalancerArgs {
  /** Production environment: deletion protection, console protection and `protect` on. Default false. */
  production?: boolean;
  /** `clb` (default) or `nlb`. Immutable. */
  kind?: AlicloudLoadBalancerKind;
  /** What the balancer fronts, for its name and description. Default `ingress`. */
  purpose?: AlicloudLoadBalancerPurpose;
  /** The balancer's name. Default: the component name. */
  loadBalancerName?: string;
  /** `internet` or `intranet`. Immutable. */
  addressType: AlicloudAddressType;
  /** The VPC (the cluster's VPC for an intranet balancer, ACK docs: FAQ about container networking). */
  vpcId: pulumi.Input<string>;
  /** The cluster's VPC, to check that an intranet balancer sits in it (`lb/reuse`). Default: not checked. */
  clusterVpcId?: pulumi.Input<string>;
  /**
   * vSwitches by zone. CLB intranet: the first is the balancer's vSwitch (internet CLBs take
   * none). NLB: one per zone, ≥ 2 zones.
   */
  vswitches: AlicloudLoadBalancerVSwitchArgs[];
  /** CLB settings. */
  clb?: AlicloudClbArgs;
  /** NLB security groups (an NLB has no ACL). Default none. */
  securityGroupIds?: pulumi.Input<string>[];
  /** CLB access control: a white or black list of CIDRs. Default: none. */
  acl?: AlicloudLoadBalancerAclArgs;
  /** Cloud deletion protection (ACK docs: Configure a Classic Load Balancer by using annotations). Default: `production`. */
  deletionProtection?: boolean;
  /** Console modification protection (ACK docs: Configure a Classic Load Balancer by using annotations). Default: `production`. */
  modificationProtection?: boolean;
  /** Pulumi `protect`. Default: `production`. */
  protect?: boolean;
  /** Who owns the listeners: `ccm` (default) or `pulumi`. */
  listenerManagement?: AlicloudListenerManagement;
  /** Pulumi-managed listeners (`listenerManagement: "pulumi"`). Default []. */
  listeners?: AlicloudListenerArgs[];
  /**
   * More Service settings for the generated annotations (scheduler, health check, listeners by
   * protocol and port, certificate, ...). The id, address type, force-override and ACL come from
   * this component.
   */
  service?: ServiceListenerSettings;
  /** Raised quota of listeners per balancer (quota/load-balancers). Default 50. */
  quotas?: AlicloudLoadBalancerQuotasArgs;
  /** Tags. Default {}. */
  tags?: Record<string, string>;
  /** Resource group. Default: the account's default group. */
  resourceGroupId?: string;
}

const COMPONENT = "AlicloudLoadBalancer";

export function resolveLoadBalancerArgs(name: string, args: AlicloudLoadBalancerArgs) {
  const production = args.production ?? false;
  return {
    production,
    kind: args.kind ?? "clb",
    lbName: args.loadBalancerName ?? name,
    deletionProtection: args.deletionProtection ?? production,
    modificationProtection: args.modificationProtection ?? production,
    protect: args.protect ?? production,
    listenerManagement: args.listenerManagement ?? "ccm",
  };
}

function schema(resource: string, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message };
}

/** The Service settings this component's balancer implies (the id is a placeholder when unknown). */
function serviceSettings(
  args: AlicloudLoadBalancerArgs,
  r: ReturnType<typeof resolveLoadBalancerArgs>,
  loadBalancerId: string,
  aclId: string | undefined,
): ServiceLoadBalancerSettings {
  return {
    ...(args.service ?? {}),
    kind: r.kind,
    loadBalancerId,
    addressType: args.addressType,
    forceOverrideListeners: r.listenerManagement === "ccm",
    ...(aclId !== undefined && args.acl && r.listenerManagement === "ccm"
      ? { acl: { id: aclId, type: args.acl.type } }
      : {}),
  };
}

/** Every problem of the args. Pure. */
export function validateLoadBalancerArgs(name: string, args: AlicloudLoadBalancerArgs): Diagnostic[] {
  const r = resolveLoadBalancerArgs(name, args);
  const out: Diagnostic[] = [];
  out.push(
    ...checkDeletionProtection({
      resource: name,
      path: "",
      production: r.production,
      loadBalancers: [
        {
          resource: name,
          path: "",
          name: r.lbName,
          production: r.production,
          deletionProtection: r.deletionProtection,
          protect: r.protect,
        },
      ],
    }),
  );
  out.push(
    ...checkServiceLoadBalancerSettings(
      serviceSettings(args, r, "(created)", args.acl ? "(created)" : undefined),
      {
        resource: name,
        path: "service",
      },
    ),
  );
  const known = (v: pulumi.Input<string> | undefined) => (typeof v === "string" ? v : undefined);
  out.push(
    ...checkLoadBalancerService({
      resource: name,
      path: "",
      production: r.production,
      name: r.lbName,
      serviceType: "LoadBalancer",
      externalTrafficPolicy: args.service?.externalTrafficPolicy ?? "Local",
      addressType: args.addressType,
      reusedLoadBalancer: { addressType: args.addressType, vpcId: known(args.vpcId), createdByCcm: false },
      clusterVpcId: known(args.clusterVpcId),
      fieldPaths: { externalTrafficPolicy: "service.externalTrafficPolicy", reusedLoadBalancer: "vpcId" },
    }),
  );
  const listeners = r.listenerManagement === "pulumi" ? args.listeners : args.service?.listeners;
  out.push(
    ...checkLoadBalancers({
      cloud: "alicloud",
      quotas: args.quotas,
      loadBalancers: [
        {
          resource: name,
          path: "",
          name: r.lbName,
          listeners: listeners?.length,
          paths: { listeners: r.listenerManagement === "pulumi" ? "listeners" : "service.listeners" },
        },
      ],
    }),
  );
  if (r.kind === "nlb") {
    const zones = distinct(args.vswitches.map((v) => v.zone));
    if (zones.length < 2) {
      out.push(schema(name, "vswitches", `an NLB needs vSwitches in ≥ 2 zones, got [${zones.join(", ")}]`));
    }
    if (args.acl) out.push(schema(name, "acl", "an NLB has no ACL; restrict it with securityGroupIds"));
    if (args.clb) out.push(schema(name, "clb", `clb settings on kind "nlb"`));
    if (r.listenerManagement === "pulumi") {
      out.push(
        schema(
          name,
          "listenerManagement",
          `Pulumi-managed listeners are CLB only; an NLB's listeners are CCM's`,
        ),
      );
    }
  } else {
    if (args.securityGroupIds?.length)
      out.push(schema(name, "securityGroupIds", "security groups are an NLB setting; a CLB uses acl"));
    if (args.addressType === "intranet" && args.vswitches.length === 0) {
      out.push(schema(name, "vswitches", "an intranet CLB needs a vSwitch"));
    }
    const c = args.clb ?? {};
    if (c.internetChargeType === "PayByBandwidth" && args.addressType !== "internet") {
      out.push(
        schema(
          name,
          "clb.internetChargeType",
          `PayByBandwidth is for internet balancers; addressType is "${args.addressType}"`,
        ),
      );
    }
    if (c.internetChargeType === "PayByBandwidth" && c.bandwidth === undefined) {
      out.push(schema(name, "clb.bandwidth", "PayByBandwidth needs bandwidth"));
    }
  }
  if (r.listenerManagement === "ccm" && args.listeners?.length) {
    out.push(
      schema(
        name,
        "listeners",
        `listeners are CCM's (listenerManagement "ccm"); declare them in service.listeners or set listenerManagement "pulumi"`,
      ),
    );
  }
  const ports = new Set<number>();
  for (const [i, l] of (args.listeners ?? []).entries()) {
    if (ports.has(l.port)) out.push(schema(name, `listeners[${i}].port`, `port ${l.port} has two listeners`));
    ports.add(l.port);
    if (l.protocol === "https" && l.certificateId === undefined) {
      out.push(
        schema(name, `listeners[${i}].certificateId`, `https listener on ${l.port} needs certificateId`),
      );
    }
  }
  if (args.acl) out.push(...checkCidrList({ resource: name, path: "acl.cidrs", cidrs: args.acl.cidrs }));
  return out;
}

export class AlicloudLoadBalancer extends pulumi.ComponentResource {
  /** The balancer id. */
  readonly loadBalancerId: pulumi.Output<string>;
  /** Its address (CLB IP, NLB DNS name). */
  readonly address: pulumi.Output<string>;
  /** The CLB access-control list, when there is one. */
  readonly aclId: pulumi.Output<string | undefined>;
  /** Annotations for the `type: LoadBalancer` Service that should use this balancer. */
  readonly serviceAnnotations: pulumi.Output<Record<string, string>>;
  /** `spec.externalTrafficPolicy` for that Service. */
  readonly externalTrafficPolicy: pulumi.Output<string>;
  /** `spec.loadBalancerClass` for that Service (NLB), else undefined. */
  readonly loadBalancerClass: pulumi.Output<string | undefined>;

  constructor(name: string, args: AlicloudLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const alicloud = alicloudSdk();
    const advisories = throwIfMandatory(`${COMPONENT} "${name}"`, validateLoadBalancerArgs(name, args));
    super(`platform:alicloud:${COMPONENT}`, name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const r = resolveLoadBalancerArgs(name, args);
    const tags = args.tags ?? {};
    const purpose = args.purpose ?? "ingress";
    const stateful: pulumi.CustomResourceOptions = { parent: this, protect: r.protect };

    let id: pulumi.Output<string>;
    let address: pulumi.Output<string>;
    if (r.kind === "clb") {
      const c = args.clb ?? {};
      const lb = new alicloud.slb.ApplicationLoadBalancer(
        `${name}-clb`,
        {
          loadBalancerName: r.lbName,
          addressType: args.addressType,
          vswitchId: args.addressType === "intranet" ? args.vswitches[0]?.id : undefined,
          paymentType: "PayAsYouGo",
          instanceChargeType: c.spec !== undefined ? "PayBySpec" : "PayByCLCU",
          loadBalancerSpec: c.spec,
          masterZoneId: c.masterZoneId,
          slaveZoneId: c.slaveZoneId,
          internetChargeType:
            args.addressType === "internet" ? (c.internetChargeType ?? "PayByTraffic") : undefined,
          bandwidth: c.bandwidth,
          deleteProtection: r.deletionProtection ? "on" : "off",
          modificationProtectionStatus: r.modificationProtection ? "ConsoleProtection" : "NonProtection",
          modificationProtectionReason: r.modificationProtection
            ? `${purpose} balancer managed by Pulumi`
            : undefined,
          resourceGroupId: args.resourceGroupId,
          tags,
        },
        { ...stateful, replaceOnChanges: ["addressType", "vswitchId", "masterZoneId", "slaveZoneId"] },
      );
      id = lb.id;
      address = lb.address;
    } else {
      const lb = new alicloud.nlb.LoadBalancer(
        `${name}-nlb`,
        {
          loadBalancerName: r.lbName,
          loadBalancerType: "Network",
          addressType: args.addressType === "internet" ? "Internet" : "Intranet",
          vpcId: args.vpcId,
          zoneMappings: args.vswitches.map((v) => ({ vswitchId: v.id, zoneId: v.zone })),
          securityGroupIds: args.securityGroupIds,
          deletionProtectionConfig: {
            enabled: r.deletionProtection,
            reason: r.deletionProtection ? `${purpose} balancer managed by Pulumi` : undefined,
          },
          modificationProtectionConfig: {
            status: r.modificationProtection ? "ConsoleProtection" : "NonProtection",
            reason: r.modificationProtection ? `${purpose} balancer managed by Pulumi` : undefined,
          },
          resourceGroupId: args.resourceGroupId,
          tags,
        },
        { ...stateful, replaceOnChanges: ["addressType", "vpcId"] },
      );
      id = lb.id;
      address = lb.dnsName;
    }

    // CLB access control list: one entry resource per CIDR, named from the CIDR.
    let aclId: pulumi.Output<string> | undefined;
    let aclEntries: pulumi.Resource[] = [];
    if (args.acl) {
      const acl = new alicloud.slb.Acl(
        `${name}-acl`,
        {
          name: `${r.lbName}-${args.acl.type}`,
          ipVersion: "ipv4",
          resourceGroupId: args.resourceGroupId,
          tags,
        },
        { parent: this },
      );
      aclEntries = args.acl.cidrs.map(
        (c) =>
          new alicloud.slb.AclEntryAttachment(
            `${name}-acl-${cidrToNamePart(c)}`,
            { aclId: acl.id, entry: c, comment: `${purpose} ${args.acl?.type} list` },
            { parent: this },
          ),
      );
      aclId = acl.id;
    }

    for (const l of r.listenerManagement === "pulumi" ? (args.listeners ?? []) : []) {
      const http = l.protocol === "http" || l.protocol === "https";
      new alicloud.slb.Listener(
        `${name}-${l.protocol}-${l.port}`,
        {
          loadBalancerId: id,
          protocol: l.protocol,
          frontendPort: l.port,
          backendPort: l.backendPort ?? l.port,
          scheduler: l.scheduler ?? "wrr",
          serverCertificateId: l.certificateId,
          healthCheck: http ? "on" : undefined,
          healthCheckUri: http ? (l.healthCheckUri ?? "/healthz") : undefined,
          bandwidth: -1,
          ...(aclId !== undefined && args.acl ? { aclStatus: "on", aclType: args.acl.type, aclId } : {}),
          description: `${purpose} ${l.protocol}:${l.port}`,
        },
        { parent: this, dependsOn: aclEntries },
      );
    }

    const settled = aclId ?? pulumi.output(undefined as string | undefined);
    const lbz = pulumi
      .all([id, settled])
      .apply(([lbId, acl]) =>
        serviceLoadBalancing(serviceSettings(args, r, lbId, acl), { resource: name, path: "service" }),
      );
    this.loadBalancerId = id;
    this.address = address;
    this.aclId = aclId ? aclId.apply((x): string | undefined => x) : pulumi.output(undefined);
    this.serviceAnnotations = lbz.apply((x) => x.annotations);
    this.externalTrafficPolicy = lbz.apply((x) => x.externalTrafficPolicy);
    this.loadBalancerClass = lbz.apply((x) => x.loadBalancerClass);
    this.registerOutputs({
      loadBalancerId: this.loadBalancerId,
      address: this.address,
      aclId: this.aclId,
      serviceAnnotations: this.serviceAnnotations,
      externalTrafficPolicy: this.externalTrafficPolicy,
      loadBalancerClass: this.loadBalancerClass,
    });
  }
}
