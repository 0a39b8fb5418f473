/**
 * The address plan as a picture: one self-contained HTML page (inline SVG and CSS, no scripts,
 * no network) showing the VPC's cluster slots, each cluster's zone slots with their vSwitches
 * drawn to scale inside the slot and labelled with their CIDR (inside the block where it fits,
 * below it with a leader line where it does not), free space hatched, the pod and service
 * ranges outside the VPC drawn as bars of their own, the connected ranges, and every
 * diagnostic: spec and policy pack apart, severity in words and a symbol, not colour only.
 * Everything a reader needs is printed: nothing hides in a tooltip.
 */
import {
  computeLayout,
  type Diagnostic,
  type Environment,
  type EnvironmentPlan,
  formatCount,
  parseCidr,
  size,
  subnet,
} from "@kubeplat/plan";

const WIDTH = 960;
const ROLE_COLOUR: Record<string, string> = { node: "#2f7ed8", pod: "#8bbc21", public: "#f28f43" };
const RANGE_COLOUR = { pod: "#c9a0dc", service: "#ffd966" };
/** Severity in words and a symbol, so print in black and white and colour-blind readers keep it. */
const SEVERITY_MARK: Record<string, string> = { mandatory: "✖ mandatory", advisory: "⚠ advisory" };

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/**
 * A generous estimate of how wide 11px system-ui text is, to choose labels that fit their block
 * (the browser test measures the real boxes).
 */
export const textWidth = (s: string) => s.length * 6.8 + 4;

interface Callout {
  /** Centre of the block the label belongs to. */
  anchor: number;
  text: string;
}

/**
 * Labels that do not fit their block go below the bar, each in the first row where it overlaps
 * no other label, with a leader line to its block. Returns the SVG and the height it takes.
 */
function callouts(items: Callout[], top: number): { body: string; height: number } {
  const rows: { from: number; to: number }[][] = [];
  const out: string[] = [];
  for (const c of [...items].sort((a, b) => a.anchor - b.anchor)) {
    const w = textWidth(c.text);
    const from = Math.min(Math.max(c.anchor - w / 2, 0), WIDTH - w);
    let row = rows.findIndex((r) => r.every((b) => from >= b.to + 6 || from + w <= b.from - 6));
    if (row < 0) {
      rows.push([]);
      row = rows.length - 1;
    }
    rows[row]?.push({ from, to: from + w });
    const y = top + 14 + row * 16;
    out.push(
      `<line x1="${c.anchor.toFixed(1)}" y1="${top}" x2="${c.anchor.toFixed(1)}" y2="${y - 10}" stroke="#666" stroke-width="0.75"/>`,
      `<text x="${(from + w / 2).toFixed(1)}" y="${y}" text-anchor="middle" class="callout">${escapeHtml(c.text)}</text>`,
    );
  }
  return { body: out.join(""), height: rows.length === 0 ? 0 : rows.length * 16 + 6 };
}

function rect(
  x: number,
  y: number,
  w: number,
  h: number,
  fill: string,
  title: string,
  labels: string[] = [],
): string {
  const t = `<title>${escapeHtml(title)}</title>`;
  // The longest label that fits; none when even the shortest does not.
  const label = labels.find((l) => textWidth(l) <= w);
  const dark = fill.startsWith("url(") || fill === "#d9e7f7";
  const text = label
    ? `<text x="${(x + w / 2).toFixed(1)}" y="${(y + h / 2 + 4).toFixed(1)}" text-anchor="middle" class="label${dark ? " dark" : ""}">${escapeHtml(label)}</text>`
    : "";
  return `<g><rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(w, 1).toFixed(1)}" height="${h}" fill="${fill}" stroke="#333" stroke-width="0.5">${t}</rect>${text}</g>`;
}

function vpcBar(env: Environment, plan: EnvironmentPlan): string {
  const diags: Diagnostic[] = [];
  const layout = computeLayout(env, diags);
  if (!layout) return "<p>The VPC layout is invalid; see the diagnostics.</p>";
  const slotW = WIDTH / layout.clusterSlots;
  const parts: string[] = [];
  for (let s = 0; s < layout.clusterSlots; s++) {
    const slot = subnet(layout.vpc, layout.clusterPrefix, s);
    const c = plan.clusters.find((x) => x.slot === s);
    parts.push(
      rect(
        s * slotW,
        0,
        slotW,
        34,
        c ? "#d9e7f7" : "url(#free)",
        `${slot?.text ?? ""}: ${c ? `cluster ${c.name}` : "free slot"}`,
        c ? [`${c.name} ${slot?.text ?? ""}`, c.name] : [`free ${slot?.text ?? ""}`, "free"],
      ),
    );
  }
  return svg(34, parts.join(""));
}

function svg(height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img">
<defs><pattern id="free" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ccc" stroke-width="2"/></pattern></defs>
${body}</svg>`;
}

/**
 * The cluster's ranges outside the VPC, each drawn as a bar of its own: the Flannel pod CIDR cut
 * into its per-node ranges (planned nodes filled, the rest free), the service CIDR, the IPv6
 * service CIDR.
 */
function rangeBars(c: EnvironmentPlan["clusters"][number]): string {
  const parts: string[] = [];
  let y = 0;
  const bar = (label: string, fill: string, filled: number, title: string) => {
    const w = WIDTH * Math.min(Math.max(filled, 0), 1);
    parts.push(`<text x="0" y="${y + 12}" class="zone">${escapeHtml(label)}</text>`);
    parts.push(rect(0, y + 16, WIDTH, 20, "url(#free)", `${title} (free)`));
    if (w > 0) parts.push(rect(0, y + 16, w, 20, fill, title));
    y += 44;
  };
  if (c.podCidr) {
    const slots = c.capacity.flannelNodeSlots ?? 0;
    const planned = c.capacity.maxNodes;
    bar(
      `pod CIDR ${c.podCidr} (Flannel): /${c.nodeCidrMask} per node, ${formatCount(planned)} of ${formatCount(slots)} node ranges planned, ${formatCount(c.capacity.podAddresses ?? 0)} addresses`,
      RANGE_COLOUR.pod,
      slots > 0 ? planned / slots : 0,
      `pod CIDR ${c.podCidr}: ${formatCount(planned)} planned nodes`,
    );
  }
  const svc = parseCidr(c.serviceCidr);
  bar(
    `service CIDR ${c.serviceCidr}: ${svc.ok ? formatCount(Number(size(svc.cidr))) : "?"} addresses`,
    RANGE_COLOUR.service,
    1,
    `service CIDR ${c.serviceCidr}`,
  );
  if (c.ipv6ServiceCidr)
    bar(
      `IPv6 service CIDR ${c.ipv6ServiceCidr}`,
      RANGE_COLOUR.service,
      1,
      `IPv6 service CIDR ${c.ipv6ServiceCidr}`,
    );
  return `<p>Outside the VPC:</p>\n${svg(y, parts.join(""))}`;
}

function clusterSection(env: Environment, plan: EnvironmentPlan, name: string): string {
  const c = plan.clusters.find((x) => x.name === name);
  if (!c) return "";
  const layout = computeLayout(env, []);
  const slot = parseCidr(c.slotCidr);
  const out: string[] = [];
  out.push(
    `<h2>Cluster ${escapeHtml(c.name)} <small>slot ${c.slot} ${escapeHtml(c.slotCidr)} · ${escapeHtml(c.cni)} · ${escapeHtml(c.ipStack)}</small></h2>`,
  );
  if (layout && slot.ok) {
    const zoneW = WIDTH / layout.zoneSlots;
    const parts: string[] = [];
    const outside: Callout[] = [];
    for (let z = 0; z < layout.zoneSlots; z++) {
      const zoneSlot = subnet(slot.cidr, layout.zonePrefix, z);
      const zoneName = env.zones[z];
      const x0 = z * zoneW;
      parts.push(
        rect(x0, 18, zoneW, 40, "url(#free)", `${zoneSlot?.text ?? ""}: ${zoneName ?? "no zone"} (free)`),
      );
      const heading =
        zoneName && c.zones.includes(zoneName) ? zoneName : zoneName ? `${zoneName} (not used)` : "spare";
      const headings = [`${heading} ${zoneSlot?.text ?? ""}`, heading, zoneSlot?.text ?? ""];
      const fits = headings.find((h) => textWidth(h) <= zoneW - 4) ?? "";
      parts.push(`<text x="${(x0 + 4).toFixed(1)}" y="12" class="zone">${escapeHtml(fits)}</text>`);
      if (!zoneSlot || !zoneName) continue;
      const total = Number(size(zoneSlot));
      for (const key of c.vswitchKeys) {
        const v = plan.vswitches.find((s) => s.key === key);
        if (!v || v.zone !== zoneName) continue;
        const p = parseCidr(v.cidr);
        if (!p.ok || p.cidr.start < zoneSlot.start || p.cidr.end > zoneSlot.end) continue;
        const x = x0 + (Number(p.cidr.start - zoneSlot.start) / total) * zoneW;
        const w = (Number(size(p.cidr)) / total) * zoneW;
        const labels = [`${v.role} ${v.cidr}`, v.cidr];
        parts.push(
          rect(
            x,
            18,
            w,
            40,
            ROLE_COLOUR[v.role] ?? "#999",
            `${v.role} ${v.cidr}: ${formatCount(v.usableAddresses)} usable`,
            labels,
          ),
        );
        // Too narrow for its CIDR: the label goes below, never lost to a tooltip.
        if (!labels.some((l) => textWidth(l) <= w))
          outside.push({ anchor: x + w / 2, text: `${v.role} ${v.cidr}` });
      }
    }
    const below = callouts(outside, 58);
    out.push(svg(60 + below.height, parts.join("") + below.body));
  }
  const rows = c.capacity.zones
    .map(
      (z) =>
        `<tr><td>${escapeHtml(z.zone)}</td><td>${formatCount(z.plannedNodes)} / ${formatCount(z.nodeCapacity)}</td><td>${formatCount(z.plannedPods)}${z.podCapacity !== undefined ? ` / ${formatCount(z.podCapacity)}` : ""}</td><td>${formatCount(z.freeAddresses)}</td></tr>`,
    )
    .join("");
  out.push(
    `<table><tr><th>zone</th><th>nodes (planned / capacity)</th><th>pods (planned / addresses)</th><th>free addresses</th></tr>${rows}</table>`,
  );
  out.push(rangeBars(c));
  out.push(
    `<p>Capacity: ${formatCount(c.capacity.maxNodes)} nodes, ${formatCount(c.capacity.maxPods)} pods (${c.maxPodsPerNode} per node).</p>`,
  );
  return out.join("\n");
}

function diagnosticList(title: string, diagnostics: readonly Diagnostic[]): string {
  const items = diagnostics
    .map(
      (d) =>
        `<li class="${d.severity}"><span class="sev">[${SEVERITY_MARK[d.severity] ?? d.severity}]</span> <b>${escapeHtml(d.rule)}</b> at <code>${escapeHtml(d.path)}</code> (${escapeHtml(d.resource)}): ${escapeHtml(d.message)}</li>`,
    )
    .join("");
  const mandatory = diagnostics.filter((d) => d.severity === "mandatory").length;
  const counts = `${mandatory} mandatory, ${diagnostics.length - mandatory} advisory`;
  return `<h3>${escapeHtml(title)} <small>${counts}</small></h3>${items ? `<ul class="diags">${items}</ul>` : "<p>No rule violations.</p>"}`;
}

/**
 * The page. `policyDiagnostics` are what the CrossGuard pack reports on the registered
 * resources (absent with --plan-only): listed apart from the spec's own.
 */
export function renderPlanHtml(
  env: Environment,
  plan: EnvironmentPlan,
  diagnostics: readonly Diagnostic[],
  policyDiagnostics?: readonly Diagnostic[],
): string {
  const vpc = [plan.vpc.cidr, ...plan.vpc.secondaryCidrs].map(escapeHtml).join(" + ");
  const connected = env.connectedRanges
    .map((r) => `<li>${escapeHtml(r.name)} (${escapeHtml(r.kind)}): ${escapeHtml(r.cidr)}</li>`)
    .join("");
  const diag =
    diagnosticList("Spec and plan", diagnostics) +
    (policyDiagnostics
      ? diagnosticList("Policy pack (what `pulumi preview --policy-pack policy` reports)", policyDiagnostics)
      : "");
  const legend = Object.entries(ROLE_COLOUR)
    .filter(([role]) => plan.vswitches.some((v) => v.role === role))
    .map(([role, colour]) => `<span class="chip" style="background:${colour}"></span>${role} vSwitch `)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Address plan: ${escapeHtml(plan.environment)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:${WIDTH + 40}px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}small{color:#666;font-weight:normal}
.label{font:11px system-ui,sans-serif;fill:#fff}.label.dark{fill:#333}.zone,.callout{font:11px system-ui,sans-serif;fill:#333}
h3{font-size:14px;margin:16px 0 4px}ul.diags{padding-left:18px}.sev{font-weight:bold;white-space:nowrap}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
.chip{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle;border:1px solid #333}
ul.ranges{list-style:none;padding:0}.mandatory{color:#b00020}.advisory{color:#8a6d00}
</style></head><body>
<h1>Address plan: ${escapeHtml(plan.environment)} <small>${escapeHtml(plan.cloud)} ${escapeHtml(plan.region)}${plan.production ? " · production" : ""}</small></h1>
<p>VPC ${vpc}${plan.vpc.id ? ` (existing ${escapeHtml(plan.vpc.id)})` : ""}: ${formatCount(plan.vpc.freeAddresses)} addresses in no vSwitch. Cluster slots:</p>
${vpcBar(env, plan)}
<p>${legend}<span class="chip" style="background:#f4f4f4"></span>free</p>
${plan.clusters.map((c) => clusterSection(env, plan, c.name)).join("\n")}
<h2>Connected ranges</h2>${connected ? `<ul>${connected}</ul>` : "<p>None.</p>"}
<h2>Diagnostics</h2>${diag}
</body></html>
`;
}
