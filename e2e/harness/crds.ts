/**
 * CRDs that a managed cluster's add-ons install and the platform's objects need. The schemas are
 * open (`x-kubernetes-preserve-unknown-fields`): the suite checks that the platform's objects are
 * accepted and read back, not the add-on's validation.
 */
import { ALB_CONFIG_API_VERSION, ALB_CONFIG_KIND } from "@kubeplat/components/internal/kubernetes/albConfig";
import type { ApiServer } from "./apiserver";

/** ACK's ALB Ingress controller add-on: `AlbConfig` (cluster-scoped). */
export async function installAlbConfigCrd(api: ApiServer["api"]): Promise<void> {
  const [group, version] = ALB_CONFIG_API_VERSION.split("/") as [string, string];
  const plural = `${ALB_CONFIG_KIND.toLowerCase()}s`;
  await api("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: "Cluster",
      names: {
        plural,
        singular: ALB_CONFIG_KIND.toLowerCase(),
        kind: ALB_CONFIG_KIND,
        listKind: `${ALB_CONFIG_KIND}List`,
      },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          subresources: { status: {} },
        },
      ],
    },
  });
  // Established within a second or two.
  for (let i = 0; i < 60; i++) {
    const crd = await api<{ status?: { conditions?: { type: string; status: string }[] } }>(
      "GET",
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${plural}.${group}`,
    );
    if (crd?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("AlbConfig CRD not established");
}
