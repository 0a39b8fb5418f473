/**
 * The spec's cluster upgrade settings against the cloud (spec/schema): ACK's maintenance window
 * and cluster auto upgrade (`alicloud.cs.ManagedKubernetes` maintenanceWindow, operationPolicy
 * .clusterAutoUpgrade, whose provider docs give the channels patch, stable and rapid) exist only
 * on ACK, and ACK runs auto upgrades in the maintenance window, so one needs the other. EKS has
 * no maintenance window for the control plane and no auto upgrade channel: it upgrades a cluster
 * only at the end of standard support, which `supportType` decides (Amazon EKS docs: "Understand
 * the Kubernetes version lifecycle on EKS").
 */
import { type Diagnostic, SPEC_SCHEMA } from "./diagnostic";
import type { Environment } from "./spec";

export function checkUpgradeSettings(env: Environment): Diagnostic[] {
  const out: Diagnostic[] = [];
  const no = (path: string, message: string) =>
    out.push({ rule: SPEC_SCHEMA, severity: "mandatory", resource: env.name, path, message });
  env.clusters.forEach((c, i) => {
    const at = `clusters[${i}]`;
    if (env.cloud === "aws") {
      if (c.maintenanceWindow !== undefined)
        no(
          `${at}.maintenanceWindow`,
          `cluster "${c.name}": EKS has no maintenance window for the control plane; remove maintenanceWindow (supportType decides what EKS does at the end of standard support)`,
        );
      if (c.autoUpgrade !== undefined)
        no(
          `${at}.autoUpgrade`,
          `cluster "${c.name}": EKS has no auto upgrade channel; it upgrades only at the end of standard support (supportType: standard)`,
        );
      return;
    }
    if (c.autoUpgrade !== undefined && c.maintenanceWindow === undefined)
      no(
        `${at}.autoUpgrade`,
        `cluster "${c.name}": auto upgrade channel "${c.autoUpgrade.channel}" needs a maintenanceWindow: ACK runs cluster auto upgrades in it`,
      );
  });
  return out;
}
