import { kubeconfigObject, renderKubeconfig } from "@kubeplat/components/internal/aws/kubeconfig";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const base = {
  clusterName: "prod-main",
  endpoint: "https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com",
  certificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=",
};

describe("EKS kubeconfig", () => {
  it("renders the aws eks get-token exec plugin document", async () => {
    await expect(renderKubeconfig({ ...base, region: "eu-west-1" })).toMatchFileSnapshot(
      "__snapshots__/kubeconfig.region.yaml",
    );
  });

  it("renders role and profile when given", async () => {
    await expect(
      renderKubeconfig({
        ...base,
        region: "cn-north-1",
        roleArn: "arn:aws-cn:iam::123456789012:role/platform-deployer",
        profile: "platform",
        contextName: "prod",
      }),
    ).toMatchFileSnapshot("__snapshots__/kubeconfig.role-profile.yaml");
  });

  it("parses back to the same object, with the cluster's endpoint and CA and no credential", () => {
    const doc = parse(renderKubeconfig(base));
    expect(doc).toEqual(kubeconfigObject(base));
    expect(doc.clusters[0].cluster).toEqual({
      server: base.endpoint,
      "certificate-authority-data": base.certificateAuthorityData,
    });
    const exec = doc.users[0].user.exec;
    expect(exec.command).toBe("aws");
    expect(exec.args).toEqual(["eks", "get-token", "--output", "json", "--cluster-name", "prod-main"]);
    expect(doc.users[0].user.token).toBeUndefined();
    expect(doc["current-context"]).toBe("prod-main");
  });
});
