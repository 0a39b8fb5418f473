/**
 * GPU pools and the EKS node OS choice, judged from the spec: which taint a GPU pool's nodes carry,
 * and what the spec cannot ask of an Amazon Linux 2023 node group.
 *
 * A GPU pool (`nodePools[].gpu`) boots the cloud's GPU image variant (EKS: Bottlerocket's
 * `nvidia` variant, which brings the NVIDIA driver and the Kubernetes device plugin; ACK installs
 * the driver on GPU-accelerated nodes itself (ACK docs: Specify an NVIDIA driver version for nodes
 * by adding a label) and runs its own GPU device plugin there) and carries the NVIDIA taint,
 * so only pods that tolerate it (and request `nvidia.com/gpu`) land on the expensive nodes.
 */
import { type Diagnostic, SPEC_SCHEMA } from "./diagnostic";
import type { NodePoolSpec } from "./resolve";
import type { Environment } from "./spec";

/** The taint of GPU nodes: the key the NVIDIA device plugin's DaemonSet tolerates. */
export const NVIDIA_GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;

type Taint = NodePoolSpec["taints"][number];

/** A pool's taints: its own, plus the NVIDIA taint on a GPU pool unless it names that key itself. */
export function poolTaints(pool: Pick<NodePoolSpec, "taints" | "gpu">): Taint[] {
  if (pool.gpu === undefined || pool.taints.some((t) => t.key === NVIDIA_GPU_TAINT.key)) return pool.taints;
  return [...pool.taints, { ...NVIDIA_GPU_TAINT }];
}

/**
 * What an AL2023 or GPU pool cannot be given: AL2023 is an EKS family (the availability rule
 * reports it on ACK); its node has one root volume (no Bottlerocket data volume); an AL2023 GPU
 * pool would need the NVIDIA device plugin installed, which the platform does not do (the
 * Bottlerocket NVIDIA variant brings it).
 */
export function checkNodeOsAndGpu(env: Environment): Diagnostic[] {
  if (env.cloud !== "aws") return [];
  const out: Diagnostic[] = [];
  env.clusters.forEach((c, i) => {
    c.nodePools.forEach((p, j) => {
      if (p.image !== "al2023") return;
      const at = `clusters[${i}].nodePools[${j}]`;
      const no = (path: string, message: string) =>
        out.push({
          rule: SPEC_SCHEMA,
          severity: "mandatory",
          resource: env.name,
          path: `${at}.${path}`,
          message: `pool "${c.name}/${p.name}" (image al2023): ${message}`,
        });
      if ((p.dataDisks?.length ?? 0) > 0)
        no("dataDisks", "an Amazon Linux 2023 node has its root volume only; size it with systemDisk");
      if (p.gpu !== undefined)
        no(
          "gpu",
          "the Amazon Linux 2023 NVIDIA AMI has the driver but not the NVIDIA device plugin, which this platform does not install; use image bottlerocket (its NVIDIA variant brings the device plugin)",
        );
    });
  });
  return out;
}
