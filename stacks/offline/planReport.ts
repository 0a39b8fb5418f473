/**
 * The address plan as a person reads it: one table per cluster (zones, vSwitches, capacity),
 * then the diagnostics. Plain text, no colours, fit for a terminal and a pull-request comment.
 */
import { type Diagnostic, type EnvironmentPlan, formatCount, formatDiagnostic } from "@kubeplat/plan";

/** Render rows as aligned columns; numbers right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? formatCount(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number"));
  return cells
    .map((r) =>
      r
        .map((c, i) => (numeric[i] ? (c ?? "").padStart(widths[i] ?? 0) : (c ?? "").padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function renderPlan(plan: EnvironmentPlan): string {
  const out: string[] = [];
  const vpc = [plan.vpc.cidr, ...plan.vpc.secondaryCidrs].join(" + ");
  out.push(
    `Environment ${plan.environment} (${plan.cloud} ${plan.region}${plan.production ? ", production" : ""}): VPC ${vpc}${plan.vpc.id ? ` (existing ${plan.vpc.id})` : ""}, ${formatCount(plan.vpc.freeAddresses)} addresses not in any vSwitch`,
  );
  const byKey = new Map(plan.vswitches.map((v) => [v.key, v]));
  for (const c of plan.clusters) {
    out.push("");
    const ranges = [
      c.podCidr
        ? c.nodeCidrMask !== undefined
          ? `pod ${c.podCidr} (node mask /${c.nodeCidrMask}, ${formatCount(c.capacity.flannelNodeSlots ?? 0)} node ranges)`
          : `pod ${c.podCidr}`
        : undefined,
      `service ${c.serviceCidr}`,
      c.ipv6ServiceCidr ? `service IPv6 ${c.ipv6ServiceCidr}` : undefined,
      c.selfManaged
        ? `API VIP ${c.selfManaged.apiVip} in ${c.selfManaged.apiVipSubnet ?? "(no subnet)"}, control plane ${c.selfManaged.controlPlaneNodes.map((n) => `${n.name} ${n.ip}`).join(", ")}`
        : undefined,
    ].filter(Boolean);
    out.push(
      `Cluster ${c.name}: slot ${c.slot} ${c.slotCidr || "(none)"}, ${c.cni}, ${c.ipStack}; ${ranges.join(", ")}`,
    );
    const rows: (string | number)[][] = [];
    for (const z of c.capacity.zones) {
      const vs = c.vswitchKeys.map((k) => byKey.get(k)).filter((v) => v?.zone === z.zone);
      for (const [i, v] of vs.entries()) {
        if (!v) continue;
        rows.push([
          i === 0 ? z.zone : "",
          v.role,
          v.cidr + (v.existingId ? ` (${v.existingId})` : ""),
          v.usableAddresses,
          i === 0 ? String(z.plannedNodes) : "",
          i === 0 ? formatCount(z.plannedPods) : "",
          i === 0 ? (z.podCapacity === undefined ? "-" : formatCount(z.podCapacity)) : "",
          i === 0 ? formatCount(z.freeAddresses) : "",
        ]);
      }
    }
    out.push(
      table(["ZONE", "ROLE", "CIDR", "USABLE", "MAX NODES", "MAX PODS", "POD ADDRESSES", "FREE"], rows)
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n"),
    );
    out.push(
      `  capacity: ${formatCount(c.capacity.maxNodes)} nodes, ${formatCount(c.capacity.maxPods)} pods (${c.maxPodsPerNode} per node)${c.capacity.podAddresses !== undefined ? `, ${formatCount(c.capacity.podAddresses)} pod addresses` : ""}`,
    );
  }
  return out.join("\n");
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return "No rule violations.";
  const mandatory = diagnostics.filter((d) => d.severity === "mandatory").length;
  const lines = [`Diagnostics: ${mandatory} mandatory, ${diagnostics.length - mandatory} advisory`];
  const sorted = [...diagnostics].sort((a, b) =>
    a.severity === b.severity ? a.rule.localeCompare(b.rule) : a.severity === "mandatory" ? -1 : 1,
  );
  for (const d of sorted) lines.push(`  ${formatDiagnostic(d)}`);
  return lines.join("\n");
}
