import { kubernetesSubnetTags } from "@kubeplat/components/internal/aws/subnetTags";
import { describe, expect, it } from "vitest";

describe("Kubernetes subnet tags (Alauda Container Platform docs: Network initialization for AWS EKS clusters)", () => {
  it("tags public subnets for internet-facing load balancers and every cluster as shared", () => {
    expect(kubernetesSubnetTags("public", ["prod-b", "prod-a", "prod-a"])).toEqual({
      "kubernetes.io/role/elb": "1",
      "kubernetes.io/cluster/prod-a": "shared",
      "kubernetes.io/cluster/prod-b": "shared",
    });
  });

  it("tags node subnets for internal load balancers", () => {
    expect(kubernetesSubnetTags("node", ["prod"])).toEqual({
      "kubernetes.io/role/internal-elb": "1",
      "kubernetes.io/cluster/prod": "shared",
    });
  });

  it("gives pod subnets no load balancer role", () => {
    expect(kubernetesSubnetTags("pod", ["prod"])).toEqual({ "kubernetes.io/cluster/prod": "shared" });
  });
});
