/**
 * The Service annotations that make ACK's cloud controller manager (CCM) use and configure a
 * load balancer, generated from typed settings instead of hand-typed strings. Pure (no Pulumi
 * import), snapshot-tested.
 *
 * Facts (ACK docs): the annotation prefix is `service.beta.kubernetes.io/alibaba-cloud-
 * loadbalancer-` (the older `alicloud-loadbalancer-` names were renamed, ACK docs: Considerations for configuring a LoadBalancer type Service).
 * CCM only reuses load balancers created outside it (ACK docs: FAQ about container networking), and by default does not
 * touch a reused one's listeners unless `force-override-listeners` is `true`
 * (ACK docs: Configure a Classic Load Balancer by using annotations; Considerations for configuring a LoadBalancer type Service). Each setting below cites the public page of its annotation.
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

/** Listener health check type (ACK docs: Configure a Classic Load Balancer by using annotations). */
export const ServiceHealthCheckType = { Tcp: "tcp", Http: "http" } as const;
export type ServiceHealthCheckType = (typeof ServiceHealthCheckType)[keyof typeof ServiceHealthCheckType];

/** Internet billing of a balancer CCM manages (ACK docs: Configure a Classic Load Balancer by using annotations). */
export const ServiceChargeType = { PayByTraffic: "paybytraffic", PayByBandwidth: "paybybandwidth" } as const;
export type ServiceChargeType = (typeof ServiceChargeType)[keyof typeof ServiceChargeType];

/** IP version of a balancer CCM creates (ACK docs: Configure a Classic Load Balancer by using annotations). */
export const ServiceIpVersion = { Ipv4: "ipv4", Ipv6: "ipv6" } as const;
export type ServiceIpVersion = (typeof ServiceIpVersion)[keyof typeof ServiceIpVersion];

/** Listener scheduling (ACK docs: Configure a Classic Load Balancer by using annotations). */
export const LoadBalancerScheduler = { Rr: "rr", Wrr: "wrr", Wlc: "wlc" } as const;
export type LoadBalancerScheduler = (typeof LoadBalancerScheduler)[keyof typeof LoadBalancerScheduler];

/** A Service's `externalTrafficPolicy` (ACK docs: Considerations for configuring a LoadBalancer type Service). */
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
  /** `tcp` or `http` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  type: ServiceHealthCheckType;
  /** http: the path probed, e.g. `/healthz`. Required for http. */
  uri?: string;
  /** tcp: connect timeout in seconds. Default 8 (the documented example, ACK docs: Configure a Classic Load Balancer by using annotations). */
  connectTimeoutSeconds?: number;
  /** http: response timeout in seconds. Default 10 (ACK docs: Configure a Classic Load Balancer by using annotations). */
  timeoutSeconds?: number;
  /** Seconds between checks. Default 3 (ACK docs: Configure a Classic Load Balancer by using annotations). */
  intervalSeconds?: number;
  /** Successes before a backend is healthy. Default 4 (ACK docs: Configure a Classic Load Balancer by using annotations). */
  healthyThreshold?: number;
  /** Failures before a backend is unhealthy. Default 4 (ACK docs: Configure a Classic Load Balancer by using annotations). */
  unhealthyThreshold?: number;
}

/**
 * Typed settings of a `type: LoadBalancer` Service on ACK. Everything is optional; an unset
 * setting emits no annotation (CCM's default applies).
 */
export interface ServiceLoadBalancerSettings extends ServiceListenerSettings {
  /** `clb` (Classic Load Balancer, the default) or `nlb` (Network Load Balancer). */
  kind?: "clb" | "nlb";
  /** Reuse this load balancer (its id), e.g. the one AlicloudLoadBalancer created (ACK docs: Configure a Classic Load Balancer by using annotations). */
  loadBalancerId?: string;
  /**
   * Let CCM manage (and overwrite) the reused load balancer's listeners (ACK docs: Configure a Classic Load Balancer by using annotations). Default:
   * true when `loadBalancerId` is set, since the platform creates the balancer for this Service.
   */
  forceOverrideListeners?: boolean;
  /** `internet` or `intranet` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  addressType?: "internet" | "intranet";
  /** An access-control list of the balancer, by id (ACK docs: Configure a Classic Load Balancer by using annotations). */
  acl?: { id: string; type: "white" | "black" };
}

/**
 * The settings of a Service's balancer other than which balancer it is, its address type and
 * its ACL: what AlicloudLoadBalancer's `service` arg takes (the component fills in the rest).
 */
export interface ServiceListenerSettings {
  /** Intranet balancers: the vSwitch to place it in; same VPC as the cluster (ACK docs: Configure a Classic Load Balancer by using annotations). */
  vswitchId?: string;
  /** Instance spec such as `slb.s1.small` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  spec?: string;
  /** Primary and standby zones, immutable once created (ACK docs: Configure a Classic Load Balancer by using annotations). */
  masterZoneId?: string;
  slaveZoneId?: string;
  /** `paybytraffic` or `paybybandwidth` (internet only, ACK docs: Configure a Classic Load Balancer by using annotations). */
  chargeType?: ServiceChargeType;
  /** Peak bandwidth in Mbit/s with `paybybandwidth` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  bandwidth?: number;
  /** `ipv4` or `ipv6`; ipv6 needs kube-proxy in IPVS mode and is immutable (ACK docs: Configure a Classic Load Balancer by using annotations). */
  ipVersion?: ServiceIpVersion;
  /** Deletion protection (ACK docs: Configure a Classic Load Balancer by using annotations). Default: on (CCM's default). */
  deleteProtection?: boolean;
  /** Console modification protection (ACK docs: Configure a Classic Load Balancer by using annotations). Default: on (CCM's default). */
  modificationProtection?: boolean;
  /** Balancer name (ACK docs: Configure a Classic Load Balancer by using annotations). */
  name?: string;
  /** Resource group, immutable once created (ACK docs: Configure a Classic Load Balancer by using annotations). */
  resourceGroupId?: string;
  /** Extra tags on a balancer CCM creates; not with `loadBalancerId` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  additionalTags?: Record<string, string>;
  /** Listeners by protocol and port: `https:443,http:80` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  listeners?: ServicePortSetting[];
  /** Certificate of the https listeners (ACK docs: Configure a Classic Load Balancer by using annotations). */
  certId?: string;
  /** Redirect an http port to an https port, `80:443` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  forwardPort?: ForwardPortSetting;
  /** Scheduling: `rr` (CCM default), `wrr`, `wlc` (ACK docs: Configure a Classic Load Balancer by using annotations). Default `wrr` under `Local`. */
  scheduler?: LoadBalancerScheduler;
  /** Listener health check (ACK docs: Configure a Classic Load Balancer by using annotations). */
  healthCheck?: HealthCheckSetting;
  /** TCP session persistence in seconds (TCP only, ACK docs: Configure a Classic Load Balancer by using annotations). */
  persistenceTimeout?: number;
  /** Insert-cookie sticky sessions with this timeout in seconds (http/https, ACK docs: Configure a Classic Load Balancer by using annotations). */
  stickySessionCookieTimeout?: number;
  /** Graceful connection drain timeout in seconds (tcp/udp only, ACK docs: Configure a Classic Load Balancer by using annotations). */
  connectionDrainTimeout?: number;
  /** Pass the listener protocol in `X-Forwarded-Proto` (http/https, ACK docs: Configure a Classic Load Balancer by using annotations). */
  xForwardedForProto?: boolean;
  /** Idle timeout in seconds (http/https, ACK docs: Configure a Classic Load Balancer by using annotations). */
  idleTimeout?: number;
  /** HTTP/2 on https listeners (https only, ACK docs: Configure a Classic Load Balancer by using annotations). */
  http2Enabled?: boolean;
  /** Only nodes with these labels are backends (AND, ACK docs: Configure a Classic Load Balancer by using annotations). */
  backendLabels?: Record<string, string>;
  /** Drop cordoned/drained nodes from the backends (ACK docs: Configure a Classic Load Balancer by using annotations). */
  removeUnscheduledBackend?: boolean;
  /**
   * `Local` (the default; only nodes running the pods are backends, client IP kept) or
   * `Cluster` (every node is a backend, spending the balancer quota): ACK docs: Considerations for configuring a LoadBalancer type Service.
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
 * `spec.loadBalancerClass` that hands a Service to CCM's NLB controller. Not in the ACK or ACP docs
 * (they predate NLB support): taken from ACK's NLB documentation.
 */
export const NLB_LOAD_BALANCER_CLASS = "alibabacloud.com/nlb";

const onOff = (b: boolean) => (b ? "on" : "off");
const pairs = (m: Record<string, string>) =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}=${m[k]}`)
    .join(",");

/** Settings that only a CLB understands (the docs document CLB annotations only). */
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
 * Check settings that contradict each other or the documented constraints. These are shape
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
  // them, e.g. ACK docs: Configure a Classic Load Balancer by using annotations for persistence-timeout).
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
      `vswitchId ${s.vswitchId} needs addressType "intranet", not ${JSON.stringify(s.addressType)} (ACK docs: Configure a Classic Load Balancer by using annotations)`,
    );
  }
  if (s.chargeType === "paybybandwidth") {
    if (s.addressType === "intranet") {
      bad(
        "chargeType",
        `chargeType "paybybandwidth" is for internet balancers only, addressType is "intranet" (ACK docs: Configure a Classic Load Balancer by using annotations)`,
      );
    }
    if (s.bandwidth === undefined)
      bad(
        "bandwidth",
        `chargeType "paybybandwidth" needs bandwidth (ACK docs: Configure a Classic Load Balancer by using annotations)`,
      );
  }
  if (s.bandwidth !== undefined && s.chargeType !== "paybybandwidth") {
    bad(
      "bandwidth",
      `bandwidth ${s.bandwidth} needs chargeType "paybybandwidth" (ACK docs: Configure a Classic Load Balancer by using annotations)`,
    );
  }
  if (s.additionalTags !== undefined && s.loadBalancerId !== undefined) {
    bad(
      "additionalTags",
      `additionalTags cannot be added to a reused balancer ${s.loadBalancerId} (ACK docs: Configure a Classic Load Balancer by using annotations)`,
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
    bad(
      "certId",
      `an https listener needs certId (ACK docs: Configure a Classic Load Balancer by using annotations)`,
    );
  }
  if (s.forwardPort) {
    const from = ports.get(s.forwardPort.from);
    const to = ports.get(s.forwardPort.to);
    if (from !== "http" || to !== "https") {
      bad(
        "forwardPort",
        `forwardPort ${s.forwardPort.from}:${s.forwardPort.to} needs an http listener on ${s.forwardPort.from} and an https listener on ${s.forwardPort.to} (ACK docs: Configure a Classic Load Balancer by using annotations)`,
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
    bad(
      "healthCheck.uri",
      `an http health check needs uri (ACK docs: Configure a Classic Load Balancer by using annotations)`,
    );
  }
  const policy = s.externalTrafficPolicy ?? "Local";
  if (policy === "Local" && s.scheduler !== undefined && s.scheduler !== "wrr") {
    bad(
      "scheduler",
      `externalTrafficPolicy "Local" needs scheduler "wrr", not "${s.scheduler}" (ACK docs: Configure a Classic Load Balancer by using annotations)`,
    );
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
