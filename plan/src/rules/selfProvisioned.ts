/**
 * cidr/* rules of self-provisioned clusters: the Kube-OVN join CIDR, the API server VIP, and the
 * API server ACL's missing ranges.
 */
import { bitsOf, type Cidr, contains, overlaps, cidr as parse, parseCidr } from "../cidr";
import { type Diagnostic, diagnostic } from "../diagnostic";
import { ACK_CONTROL_PLANE_RANGE, type NetworkFacts } from "./cidr";
import { parseFacts } from "./networkParsing";

/**
 * cidr/kubeovn-join-overlap: the Kube-OVN join CIDR overlaps neither the pod (cluster) CIDR
 * nor the service CIDR; an underlay gateway lies inside the cluster CIDR (Alauda Container Platform docs: Creating an on-premise cluster).
 */
export function checkKubeOvnJoinOverlap(facts: NetworkFacts): Diagnostic[] {
  const p = parseFacts(facts);
  const out: Diagnostic[] = [];
  for (const c of facts.clusters) {
    if (!c.kubeOvn) continue;
    const join = p.joinCidr.get(c);
    const pod = c.podCidr?.cidr !== undefined ? parseCidr(c.podCidr.cidr) : undefined;
    const svc = p.service.get(c);
    const podCidr = pod?.ok ? pod.cidr : undefined;
    const path = c.kubeOvn.joinCidr?.path ?? `${c.path}.kubeOvn.joinCidr`;
    if (join && podCidr && overlaps(join, podCidr)) {
      out.push(
        diagnostic("cidr/kubeovn-join-overlap", {
          resource: c.resource,
          path,
          message: `join CIDR ${join.text} overlaps cluster CIDR ${podCidr.text} (cluster "${c.name}")`,
        }),
      );
    }
    if (join && svc && overlaps(join, svc)) {
      out.push(
        diagnostic("cidr/kubeovn-join-overlap", {
          resource: c.resource,
          path,
          message: `join CIDR ${join.text} overlaps service CIDR ${svc.text} (cluster "${c.name}")`,
        }),
      );
    }
    for (const g of c.kubeOvn.underlayGateways ?? []) {
      if (g.ip === undefined || !podCidr) continue;
      const ip = parseCidr(`${g.ip}/${bitsOf(podCidr.version)}`);
      if (!ip.ok) {
        out.push(
          diagnostic("cidr/kubeovn-join-overlap", {
            resource: c.resource,
            path: g.path,
            message: `underlay gateway "${g.ip}" is not an IP address (cluster "${c.name}")`,
          }),
        );
      } else if (!contains(podCidr, ip.cidr)) {
        out.push(
          diagnostic("cidr/kubeovn-join-overlap", {
            resource: c.resource,
            path: g.path,
            message: `underlay gateway ${g.ip} is outside cluster CIDR ${podCidr.text} (cluster "${c.name}")`,
          }),
        );
      }
    }
  }
  return out;
}

/** cidr/api-vip: the API server VIP is in the control-plane subnet and equals no node IP (Alauda Container Platform docs: Creating an on-premise cluster). */
export function checkApiVip(facts: NetworkFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of facts.clusters) {
    const v = c.apiVip;
    if (!v || v.vip === undefined) continue;
    const d = (message: string) =>
      out.push(diagnostic("cidr/api-vip", { resource: c.resource, path: v.path, message }));
    const subnet = v.subnet !== undefined ? parseCidr(v.subnet) : undefined;
    const bits = subnet?.ok ? bitsOf(subnet.cidr.version) : v.vip.includes(":") ? 128 : 32;
    const vip = parseCidr(`${v.vip}/${bits}`);
    if (!vip.ok) {
      d(`API server VIP "${v.vip}" is not an IP address (cluster "${c.name}")`);
      continue;
    }
    if (subnet?.ok && !contains(subnet.cidr, vip.cidr)) {
      d(
        `API server VIP ${v.vip} is outside the control-plane subnet ${subnet.cidr.text} (cluster "${c.name}")`,
      );
    }
    if ((v.nodeIps ?? []).includes(v.vip)) {
      d(`API server VIP ${v.vip} equals a node IP (cluster "${c.name}")`);
    }
  }
  return out;
}

/**
 * cidr/api-acl-missing-ranges: where the API server load balancer uses an allow-list, it holds
 * 100.104.0.0/16 and every node vSwitch CIDR (ACK docs: Configure access control policies for the API server).
 */
export function checkApiAclMissingRanges(facts: NetworkFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const control = parse(ACK_CONTROL_PLANE_RANGE);
  for (const c of facts.clusters) {
    const acl = c.apiAllowList;
    if (!acl || acl.cidrs === undefined) continue;
    const entries = acl.cidrs.map((t) => parseCidr(t)).flatMap((r) => (r.ok ? [r.cidr] : []));
    const covered = (x: Cidr) => entries.some((e) => contains(e, x));
    const required: Cidr[] = [];
    if (c.cni !== "vpc-cni") required.push(control);
    for (const z of c.zones ?? []) {
      for (const t of z.nodeCidrs ?? []) {
        const r = parseCidr(t);
        if (r.ok) required.push(r.cidr);
      }
    }
    const missing = required.filter((r) => !covered(r)).map((r) => r.text);
    if (missing.length > 0) {
      out.push(
        diagnostic("cidr/api-acl-missing-ranges", {
          resource: c.resource,
          path: acl.path,
          message: `API server allow-list [${acl.cidrs.join(", ")}] lacks ${missing.join(", ")} (cluster "${c.name}")`,
        }),
      );
    }
  }
  return out;
}
