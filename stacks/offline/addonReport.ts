/** The add-ons of each cluster, as the offline preview lists them (text and JSON). */
import { type ClusterAddon, clusterAddons, type Environment } from "@kubeplat/plan";
import { table } from "./planReport";

/** Cluster name → its add-ons (installed and not), in install order. */
export function environmentAddons(env: Environment): Record<string, ClusterAddon[]> {
  return Object.fromEntries(env.clusters.map((c) => [c.name, clusterAddons(env, c)]));
}

function versionNote(cloud: Environment["cloud"], a: ClusterAddon): string {
  switch (a.versionSource) {
    case "spec":
      return "pinned in the spec";
    case "pinned":
      return "platform pin for the Kubernetes minor";
    case "latest":
      return "latest for the minor, resolved at deploy";
    case "cloud-default":
      return cloud === "aws"
        ? "AWS default for the minor, resolved at deploy"
        : "ACK's at install, then kept";
  }
}

export function renderAddons(env: Environment): string {
  return env.clusters
    .map((c) => {
      const rows = clusterAddons(env, c).map((a) => [
        a.name,
        a.enabled ? "yes" : "no",
        a.enabled ? (a.version ?? "-") : "",
        a.enabled ? versionNote(env.cloud, a) : "",
        Object.keys(a.config).length > 0 && a.enabled ? JSON.stringify(a.config) : "",
        a.reason,
      ]);
      return `Add-ons of cluster ${c.name} (Kubernetes ${c.kubernetesVersion})\n${table(
        ["ADD-ON", "ON", "VERSION", "VERSION FROM", "CONFIG", "WHY"],
        rows,
      )}`;
    })
    .join("\n\n");
}
