/**
 * The address plan as a picture: one self-contained HTML page (inline SVG and CSS, no scripts,
 * no network) showing the VPC's cluster slots, each cluster's zone slots with their vSwitches
 * drawn to scale inside the slot, free space hatched, the pod and service ranges outside the
 * VPC, the connected ranges, and every diagnostic.
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

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/** Roughly how wide 11px text is, to leave out labels that would not fit their block. */
const textWidth = (s: string) => s.length * 6.2;

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
  const label = labels.find((l) => textWidth(l) + 6 <= w);
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
    for (let z = 0; z < layout.zoneSlots; z++) {
      const zoneSlot = subnet(slot.cidr, layout.zonePrefix, z);
      const zoneName = env.zones[z];
      const x0 = z * zoneW;
      parts.push(
        rect(x0, 18, zoneW, 40, "url(#free)", `${zoneSlot?.text ?? ""}: ${zoneName ?? "no zone"} (free)`),
      );
      parts.push(
        `<text x="${(x0 + 4).toFixed(1)}" y="12" class="zone">${escapeHtml(zoneName && c.zones.includes(zoneName) ? zoneName : zoneName ? `${zoneName} (not used)` : "spare zone slot")} ${escapeHtml(zoneSlot?.text ?? "")}</text>`,
      );
      if (!zoneSlot || !zoneName) continue;
      const total = Number(size(zoneSlot));
      for (const key of c.vswitchKeys) {
        const v = plan.vswitches.find((s) => s.key === key);
        if (!v || v.zone !== zoneName) continue;
        const p = parseCidr(v.cidr);
        if (!p.ok || p.cidr.start < zoneSlot.start || p.cidr.end > zoneSlot.end) continue;
        const x = x0 + (Number(p.cidr.start - zoneSlot.start) / total) * zoneW;
        const w = (Number(size(p.cidr)) / total) * zoneW;
        parts.push(
          rect(
            x,
            18,
            w,
            40,
            ROLE_COLOUR[v.role] ?? "#999",
            `${v.role} ${v.cidr}: ${formatCount(v.usableAddresses)} usable`,
            [`${v.role} ${v.cidr}`, v.cidr, `/${p.cidr.prefix}`],
          ),
        );
      }
    }
    out.push(svg(60, parts.join("")));
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
  const ranges = [
    c.podCidr
      ? `<li><span class="chip" style="background:#c9a0dc"></span>pod CIDR ${escapeHtml(c.podCidr)} (node mask /${c.nodeCidrMask}, ${formatCount(c.capacity.flannelNodeSlots ?? 0)} node ranges, ${formatCount(c.capacity.podAddresses ?? 0)} addresses)</li>`
      : "",
    `<li><span class="chip" style="background:#ffd966"></span>service CIDR ${escapeHtml(c.serviceCidr)}</li>`,
    c.ipv6ServiceCidr
      ? `<li><span class="chip" style="background:#ffd966"></span>IPv6 service CIDR ${escapeHtml(c.ipv6ServiceCidr)}</li>`
      : "",
  ].join("");
  out.push(`<ul class="ranges">${ranges}</ul>`);
  out.push(
    `<p>Capacity: ${formatCount(c.capacity.maxNodes)} nodes, ${formatCount(c.capacity.maxPods)} pods (${c.maxPodsPerNode} per node).</p>`,
  );
  return out.join("\n");
}

export function renderPlanHtml(
  env: Environment,
  plan: EnvironmentPlan,
  diagnostics: readonly Diagnostic[],
): string {
  const vpc = [plan.vpc.cidr, ...plan.vpc.secondaryCidrs].map(escapeHtml).join(" + ");
  const connected = env.connectedRanges
    .map((r) => `<li>${escapeHtml(r.name)} (${escapeHtml(r.kind)}): ${escapeHtml(r.cidr)}</li>`)
    .join("");
  const diag = diagnostics
    .map(
      (d) =>
        `<li class="${d.severity}"><b>${escapeHtml(d.rule)}</b> at <code>${escapeHtml(d.path)}</code> (${escapeHtml(d.resource)}): ${escapeHtml(d.message)}</li>`,
    )
    .join("");
  const legend = Object.entries(ROLE_COLOUR)
    .filter(([role]) => plan.vswitches.some((v) => v.role === role))
    .map(([role, colour]) => `<span class="chip" style="background:${colour}"></span>${role} `)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Address plan: ${escapeHtml(plan.environment)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:${WIDTH + 40}px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}small{color:#666;font-weight:normal}
.label{font:11px system-ui,sans-serif;fill:#fff}.label.dark{fill:#333}.zone{font:11px system-ui,sans-serif;fill:#333}
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
<h2>Diagnostics</h2>${diag ? `<ul>${diag}</ul>` : "<p>No rule violations.</p>"}
</body></html>
`;
}
