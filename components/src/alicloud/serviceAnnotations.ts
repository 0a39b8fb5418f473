/**
 * The Service annotations that make ACK's cloud controller manager (CCM) use and configure a
 * load balancer, generated from typed settings instead of hand-typed strings. Pure (no Pulumi
 * import), snapshot-tested.
 *
 * Facts (seed 002): the annotation prefix is `service.beta.kubernetes.io/alibaba-cloud-
 * loadbalancer-` (the older `alicloud-loadbalancer-` names were renamed, 002:13013–13014).
 * CCM only reuses load balancers created outside it (002:12862), and by default does not
 * touch a reused one's listeners unless `force-override-listeners` is `true`
 * (002:13076–13079, 12915–12928). Each setting below cites the seed line of its annotation.
 */
import { CCM_ANNOTATION_PREFIX, type Diagnostic, SPEC_SCHEMA, throwIfMandatory } from "@kubeplat/plan";

/** `service.beta.kubernetes.io/alibaba-cloud-loadbalancer-` (the lb rules read the same prefix). */
export const ANNOTATION_PREFIX = CCM_ANNOTATION_PREFIX;

/** Full annotation name of a CCM load-balancer setting, e.g. `address-type`. */
export function annotation(name: string): string {
  return `${ANNOTATION_PREFIX}${name}`;
}

// String choices as `as const` objects with a type of the same name: Pulumi's component schema
// inference publishes them as enums.

/** Listener protocol. */
export const ListenerProtocol = { Tcp: "tcp", Udp: "udp", Http: "http", Https: "https" } as const;
export type ListenerProtocol = (typeof ListenerProtocol)[keyof typeof ListenerProtocol];

/** Listener health check type (002:13493–13535). */
export const ServiceHealthCheckType = { Tcp: "tcp", Http: "http" } as const;
export type ServiceHealthCheckType = (typeof ServiceHealthCheckType)[keyof typeof ServiceHealthCheckType];

/** Internet billing of a balancer CCM manages (002:13152–13163). */
export const ServiceChargeType = { PayByTraffic: "paybytraffic", PayByBandwidth: "paybybandwidth" } as const;
export type ServiceChargeType = (typeof ServiceChargeType)[keyof typeof ServiceChargeType];

/** IP version of a balancer CCM creates (002:13222–13232). */
export const ServiceIpVersion = { Ipv4: "ipv4", Ipv6: "ipv6" } as const;
export type ServiceIpVersion = (typeof ServiceIpVersion)[keyof typeof ServiceIpVersion];

/** Listener scheduling (002:13429–13442). */
export const LoadBalancerScheduler = { Rr: "rr", Wrr: "wrr", Wlc: "wlc" } as const;
export type LoadBalancerScheduler = (typeof LoadBalancerScheduler)[keyof typeof LoadBalancerScheduler];

/** A Service's `externalTrafficPolicy` (002:12943–12950). */
export const ServiceExternalTrafficPolicy = { Local: "Local", Cluster: "Cluster" } as const;
export type ServiceExternalTrafficPolicy =
  (typeof ServiceExternalTrafficPolicy)[keyof typeof ServiceExternalTrafficPolicy];

/** Redirect of an http port to an https port. */
export interface ForwardPortSetting {
  /** The http port. */
  from: number;
  /** The https port. */
  to: number;
}

export interface ServicePortSetting {
  /** Listener protocol. */
  protocol: ListenerProtocol;
  /** Listener (Service) port. */
  port: number;
}

export interface HealthCheckSetting {
  /** `tcp` or `http` (002:13493–13535). */
  type: ServiceHealthCheckType;
  /** http: the path probed, e.g. `/healthz`. Required for http. */
  uri?: string;
  /** tcp: connect timeout in seconds. Default 8 (the seed's example, 002:13506). */
  connectTimeoutSeconds?: number;
  /** http: response timeout in seconds. Default 10 (002:13533). */
  timeoutSeconds?: number;
  /** Seconds between checks. Default 3 (002:13509). */
  intervalSeconds?: number;
  /** Successes before a backend is healthy. Default 4 (002:13507). */
  healthyThreshold?: number;
  /** Failures before a backend is unhealthy. Default 4 (002:13508). */
  unhealthyThreshold?: number;
}

/**
 * Typed settings of a `type: LoadBalancer` Service on ACK. Everything is optional; an unset
 * setting emits no annotation (CCM's default applies).
 */
export interface ServiceLoadBalancerSettings extends ServiceListenerSettings {
  /** `clb` (Classic Load Balancer, the default) or `nlb` (Network Load Balancer). */
  kind?: "clb" | "nlb";
  /** Reuse this load balancer (its id), e.g. the one AlicloudLoadBalancer created (002:13096). */
  loadBalancerId?: string;
  /**
   * Let CCM manage (and overwrite) the reused load balancer's listeners (002:13116). Default:
   * true when `loadBalancerId` is set, since the platform creates the balancer for this Service.
   */
  forceOverrideListeners?: boolean;
  /** `internet` or `intranet` (002:13043). */
  addressType?: "internet" | "intranet";
  /** An access-control list of the balancer, by id (002:13372–13387). */
  acl?: { id: string; type: "white" | "black" };
}

/**
 * The settings of a Service's balancer other than which balancer it is, its address type and
 * its ACL: what AlicloudLoadBalancer's `service` arg takes (the component fills in the rest).
 */
export interface ServiceListenerSettings {
  /** Intranet balancers: the vSwitch to place it in; same VPC as the cluster (002:13181–13190). */
  vswitchId?: string;
  /** Instance spec such as `slb.s1.small` (002:13064). */
  spec?: string;
  /** Primary and standby zones, immutable once created (002:13132–13139). */
  masterZoneId?: string;
  slaveZoneId?: string;
  /** `paybytraffic` or `paybybandwidth` (internet only, 002:13152–13163). */
  chargeType?: ServiceChargeType;
  /** Peak bandwidth in Mbit/s with `paybybandwidth` (002:13163, 13175). */
  bandwidth?: number;
  /** `ipv4` or `ipv6`; ipv6 needs kube-proxy in IPVS mode and is immutable (002:13222–13232). */
  ipVersion?: ServiceIpVersion;
  /** Deletion protection (002:13244–13252). Default: on (CCM's default). */
  deleteProtection?: boolean;
  /** Console modification protection (002:13265–13271). Default: on (CCM's default). */
  modificationProtection?: boolean;
  /** Balancer name (002:13289). */
  name?: string;
  /** Resource group, immutable once created (002:13300–13309). */
  resourceGroupId?: string;
  /** Extra tags on a balancer CCM creates; not with `loadBalancerId` (002:13090, 13208). */
  additionalTags?: Record<string, string>;
  /** Listeners by protocol and port: `https:443,http:80` (002:13360, 13410). */
  listeners?: ServicePortSetting[];
  /** Certificate of the https listeners (002:13411). */
  certId?: string;
  /** Redirect an http port to an https port, `80:443` (002:13412). */
  forwardPort?: ForwardPortSetting;
  /** Scheduling: `rr` (CCM default), `wrr`, `wlc` (002:13429–13442). Default `wrr` under `Local`. */
  scheduler?: LoadBalancerScheduler;
  /** Listener health check (002:13493–13535). */
  healthCheck?: HealthCheckSetting;
  /** TCP session persistence in seconds (TCP only, 002:13326–13334). */
  persistenceTimeout?: number;
  /** Insert-cookie sticky sessions with this timeout in seconds (http/https, 002:13348–13360). */
  stickySessionCookieTimeout?: number;
  /** Graceful connection drain timeout in seconds (tcp/udp only, 002:13548–13554). */
  connectionDrainTimeout?: number;
  /** Pass the listener protocol in `X-Forwarded-Proto` (http/https, 002:13567–13574). */
  xForwardedForProto?: boolean;
  /** Idle timeout in seconds (http/https, 002:13587–13594). */
  idleTimeout?: number;
  /** HTTP/2 on https listeners (https only, 002:13607–13615). */
  http2Enabled?: boolean;
  /** Only nodes with these labels are backends (AND, 002:13630–13637). */
  backendLabels?: Record<string, string>;
  /** Drop cordoned/drained nodes from the backends (002:13676–13690). */
  removeUnscheduledBackend?: boolean;
  /**
   * `Local` (the default; only nodes running the pods are backends, client IP kept) or
   * `Cluster` (every node is a backend, spending the balancer quota): 002:12943–12950.
   */
  externalTrafficPolicy?: ServiceExternalTrafficPolicy;
}

/** What a Service needs: annotations plus the spec fields that go with them. */
export interface ServiceLoadBalancing {
  annotations: Record<string, string>;
  externalTrafficPolicy: "Local" | "Cluster";
  /** `spec.loadBalancerClass`, set for NLB. */
  loadBalancerClass?: string;
}

/**
 * `spec.loadBalancerClass` that hands a Service to CCM's NLB controller. Not in the seeds
 * (they predate NLB support): taken from ACK's NLB documentation.
 */
export const NLB_LOAD_BALANCER_CLASS = "alibabacloud.com/nlb";

const onOff = (b: boolean) => (b ? "on" : "off");
const pairs = (m: Record<string, string>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}=${m[k]}`)
    .join(",");

/** Settings that only a CLB understands (the seed documents CLB annotations only). */
const CLB_ONLY: (keyof ServiceLoadBalancerSettings)[] = [
  "spec",
  "masterZoneId",
  "slaveZoneId",
  "chargeType",
  "bandwidth",
  "listeners",
  "certId",
  "forwardPort",
  "scheduler",
  "acl",
  "healthCheck",
  "persistenceTimeout",
  "stickySessionCookieTimeout",
  "connectionDrainTimeout",
  "xForwardedForProto",
  "idleTimeout",
  "http2Enabled",
  "deleteProtection",
  "modificationProtection",
  "additionalTags",
  "ipVersion",
];

/**
 * Check settings that contradict each other or the seed's constraints. These are shape
 * problems of the settings (not catalogue rules), reported as `spec/schema` diagnostics.
 */
export function checkServiceLoadBalancerSettings(
  s: ServiceLoadBalancerSettings,
  where: { resource: string; path: string } = { resource: "service", path: "loadBalancer" },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (field: string, message: string) =>
    out.push({
      rule: SPEC_SCHEMA,
      severity: "mandatory",
      resource: where.resource,
      path: `${where.path}.${field}`,
      message,
    });
  const protocols = new Set((s.listeners ?? []).map((l) => l.protocol));
  // A listener setting needs at least one listener it applies to (it then applies to all of
  // them, e.g. 002:13326-13328 for persistence-timeout).
  const only = (field: keyof ServiceLoadBalancerSettings, allowed: ListenerProtocol[], line: string) => {
    if (s[field] === undefined || protocols.size === 0) return;
    if (![...protocols].some((p) => allowed.includes(p))) {
      const list = (s.listeners ?? []).map((l) => `${l.protocol}:${l.port}`).join(", ");
      bad(
        field,
        `${field} applies to ${allowed.join("/")} listeners, and the listeners are [${list}] (002:${line})`,
      );
    }
  };

  if (s.kind === "nlb") {
    for (const f of CLB_ONLY) {
      if (s[f] !== undefined) bad(f, `${f} is a CLB annotation; kind is "nlb"`);
    }
  }
  if (s.vswitchId !== undefined && s.addressType !== "intranet") {
    bad(
      "vswitchId",
      `vswitchId ${s.vswitchId} needs addressType "intranet", not ${JSON.stringify(s.addressType)} (002:13181-13190)`,
    );
  }
  if (s.chargeType === "paybybandwidth") {
    if (s.addressType === "intranet") {
      bad(
        "chargeType",
        `chargeType "paybybandwidth" is for internet balancers only, addressType is "intranet" (002:13152)`,
      );
    }
    if (s.bandwidth === undefined)
      bad("bandwidth", `chargeType "paybybandwidth" needs bandwidth (002:13156-13163)`);
  }
  if (s.bandwidth !== undefined && s.chargeType !== "paybybandwidth") {
    bad("bandwidth", `bandwidth ${s.bandwidth} needs chargeType "paybybandwidth" (002:13156-13163)`);
  }
  if (s.additionalTags !== undefined && s.loadBalancerId !== undefined) {
    bad(
      "additionalTags",
      `additionalTags cannot be added to a reused balancer ${s.loadBalancerId} (002:13090)`,
    );
  }
  if (s.ipVersion === "ipv6" && s.addressType === "intranet") {
    bad("ipVersion", `ipVersion "ipv6" with addressType "intranet": an IPv6 balancer is internet-facing`);
  }
  const ports = new Map<number, ListenerProtocol>();
  for (const l of s.listeners ?? []) {
    if (!Number.isInteger(l.port) || l.port < 1 || l.port > 65535) {
      bad("listeners", `listener port ${l.port} is not 1-65535`);
    }
    const prev = ports.get(l.port);
    if (prev !== undefined) bad("listeners", `port ${l.port} has two listeners (${prev}, ${l.protocol})`);
    ports.set(l.port, l.protocol);
  }
  if (protocols.has("https") && s.certId === undefined) {
    bad("certId", `an https listener needs certId (002:13400-13411)`);
  }
  if (s.forwardPort) {
    const from = ports.get(s.forwardPort.from);
    const to = ports.get(s.forwardPort.to);
    if (from !== "http" || to !== "https") {
      bad(
        "forwardPort",
        `forwardPort ${s.forwardPort.from}:${s.forwardPort.to} needs an http listener on ${s.forwardPort.from} and an https listener on ${s.forwardPort.to} (002:13400-13412)`,
      );
    }
  }
  only("persistenceTimeout", ["tcp"], "13326");
  only("stickySessionCookieTimeout", ["http", "https"], "13348");
  only("connectionDrainTimeout", ["tcp", "udp"], "13548");
  only("xForwardedForProto", ["http", "https"], "13567");
  only("idleTimeout", ["http", "https"], "13587");
  only("http2Enabled", ["https"], "13607");
  if (s.healthCheck?.type === "http" && !s.healthCheck.uri) {
    bad("healthCheck.uri", `an http health check needs uri (002:13520-13530)`);
  }
  const policy = s.externalTrafficPolicy ?? "Local";
  if (policy === "Local" && s.scheduler !== undefined && s.scheduler !== "wrr") {
    bad("scheduler", `externalTrafficPolicy "Local" needs scheduler "wrr", not "${s.scheduler}" (002:13655)`);
  }
  if (s.acl && !s.acl.id) bad("acl.id", "acl needs the id of an access-control list");
  return out;
}

/**
 * The annotations and spec fields for the settings. Throws a PlatformValidationError listing
 * every contradiction (see checkServiceLoadBalancerSettings) before generating anything.
 */
export function serviceLoadBalancing(
  s: ServiceLoadBalancerSettings,
  where?: { resource: string; path: string },
): ServiceLoadBalancing {
  throwIfMandatory("service load balancer settings", checkServiceLoadBalancerSettings(s, where));
  const a: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) a[annotation(name)] = value;
  };
  const policy = s.externalTrafficPolicy ?? "Local";

  set("id", s.loadBalancerId);
  if (s.loadBalancerId !== undefined)
    set("force-override-listeners", String(s.forceOverrideListeners ?? true));
  else if (s.forceOverrideListeners !== undefined)
    set("force-override-listeners", String(s.forceOverrideListeners));
  set("address-type", s.addressType);
  set("vswitch-id", s.vswitchId);
  set("spec", s.spec);
  set("master-zoneid", s.masterZoneId);
  set("slave-zoneid", s.slaveZoneId);
  set("charge-type", s.chargeType);
  set("bandwidth", s.bandwidth?.toString());
  set("ip-version", s.ipVersion);
  if (s.deleteProtection !== undefined) set("delete-protection", onOff(s.deleteProtection));
  if (s.modificationProtection !== undefined) {
    set("modification-protection", s.modificationProtection ? "ConsoleProtection" : "NonProtection");
  }
  set("name", s.name);
  set("resource-group-id", s.resourceGroupId);
  if (s.additionalTags) set("additional-resource-tags", pairs(s.additionalTags));
  if (s.listeners?.length) set("protocol-port", s.listeners.map((l) => `${l.protocol}:${l.port}`).join(","));
  set("cert-id", s.certId);
  if (s.forwardPort) set("forward-port", `${s.forwardPort.from}:${s.forwardPort.to}`);
  set("scheduler", s.scheduler ?? (policy === "Local" && s.kind !== "nlb" ? "wrr" : undefined));
  if (s.acl) {
    set("acl-status", "on");
    set("acl-id", s.acl.id);
    set("acl-type", s.acl.type);
  }
  const hc = s.healthCheck;
  if (hc) {
    if (hc.type === "http") set("health-check-flag", "on");
    set("health-check-type", hc.type);
    if (hc.type === "http") {
      set("health-check-uri", hc.uri);
      set("health-check-timeout", String(hc.timeoutSeconds ?? 10));
    } else {
      set("health-check-connect-timeout", String(hc.connectTimeoutSeconds ?? 8));
    }
    set("healthy-threshold", String(hc.healthyThreshold ?? 4));
    set("unhealthy-threshold", String(hc.unhealthyThreshold ?? 4));
    set("health-check-interval", String(hc.intervalSeconds ?? 3));
  }
  set("persistence-timeout", s.persistenceTimeout?.toString());
  if (s.stickySessionCookieTimeout !== undefined) {
    set("sticky-session", "on");
    set("sticky-session-type", "insert");
    set("cookie-timeout", String(s.stickySessionCookieTimeout));
  }
  if (s.connectionDrainTimeout !== undefined) {
    set("connection-drain", "on");
    set("connection-drain-timeout", String(s.connectionDrainTimeout));
  }
  if (s.xForwardedForProto !== undefined) set("xforwardedfor-proto", onOff(s.xForwardedForProto));
  set("idle-timeout", s.idleTimeout?.toString());
  if (s.http2Enabled !== undefined) set("http2-enabled", onOff(s.http2Enabled));
  if (s.backendLabels) set("backend-label", pairs(s.backendLabels));
  if (s.removeUnscheduledBackend !== undefined)
    set("remove-unscheduled-backend", onOff(s.removeUnscheduledBackend));

  const sorted = Object.fromEntries(Object.entries(a).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return {
    annotations: sorted,
    externalTrafficPolicy: policy,
    ...(s.kind === "nlb" ? { loadBalancerClass: NLB_LOAD_BALANCER_CLASS } : {}),
  };
}
