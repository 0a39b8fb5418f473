import {
  checkEksNodeGroupArgs,
  EksNodeGroup,
  type EksNodeGroupArgs,
  IMAGE_IDENTITY_TAG,
} from "@kubeplat/components/internal/aws/EksNodeGroup";
import { bottlerocketUserData } from "@kubeplat/components/internal/nodeimage/bottlerocketSettings";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { PlatformValidationError, resolveKubeletSettings } from "@kubeplat/plan";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { awsState, EKS_CA, EKS_ENDPOINT, role } from "./fixtures";

const userData = bottlerocketUserData({
  clusterName: "prod-main",
  apiServer: EKS_ENDPOINT,
  clusterCertificate: EKS_CA,
  kubelet: resolveKubeletSettings({ maxPods: 58 }),
  nodeLabels: { "platform/pool": "general" },
});

const general: EksNodeGroupArgs = {
  clusterName: "prod-main",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  production: true,
  amiId: "ami-0bottlerocket1",
  userData,
  imageIdentity: "3f2a9c0d1e",
  instanceTypes: ["m6i.xlarge", "m6a.xlarge"],
  minSize: 3,
  maxSize: 12,
  autoscaling: true,
  labels: { "platform/pool": "general" },
  taints: [{ key: "dedicated", value: "platform", effect: "NoSchedule" }],
  tags: { environment: "prod" },
};

const N = "urn:pulumi:prod::platform::platform:aws:EksNodeGroup";

describe("EksNodeGroup", () => {
  let rt: MockRuntime;
  beforeAll(async () => {
    rt = await startMockRuntime({ project: "platform", stack: "prod", state: awsState });
  });
  const under = (prefix: string) => rt.resources.filter((r) => r.name.startsWith(prefix));

  it("autoscaling Bottlerocket pool through a launch template carrying the image identity", async () => {
    const out = await rt.run(() => {
      const ng = new EksNodeGroup("general", general);
      return { version: ng.launchTemplateVersion, role: ng.nodeRoleArn, name: ng.nodeGroupName };
    });
    expect(
      under("general")
        .map((r) => r.urn)
        .sort(),
    ).toEqual([
      `${N}$aws:ec2/launchTemplate:LaunchTemplate::general-lt`,
      `${N}$aws:eks/nodeGroup:NodeGroup::general-ng`,
      `${N}$aws:iam/role:Role::general-node-role`,
      `${N}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::general-node-cni`,
      `${N}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::general-node-ecr`,
      `${N}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::general-node-ssm`,
      `${N}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::general-node-worker`,
      "urn:pulumi:prod::platform::pulumi:pulumi:Stack$platform:aws:EksNodeGroup::general",
    ]);
    const lt = rt.one("aws:ec2/launchTemplate:LaunchTemplate", "general-lt");
    expect(lt.inputs).toMatchObject({
      imageId: "ami-0bottlerocket1",
      description: "EKS node group general, node image 3f2a9c0d1e",
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: { volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
        {
          deviceName: "/dev/xvdb",
          ebs: { volumeType: "gp3", volumeSize: 20, encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      tags: { environment: "prod", [IMAGE_IDENTITY_TAG]: "3f2a9c0d1e" },
      tagSpecifications: [
        { resourceType: "instance", tags: { environment: "prod", [IMAGE_IDENTITY_TAG]: "3f2a9c0d1e" } },
        { resourceType: "volume", tags: { environment: "prod", [IMAGE_IDENTITY_TAG]: "3f2a9c0d1e" } },
      ],
    });
    // The user data is the Bottlerocket settings TOML, base64-encoded as EC2 wants it.
    const toml = Buffer.from(lt.inputs.userData as string, "base64").toString("utf8");
    expect(toml).toBe(userData);
    expect(parseToml(toml)).toMatchObject({
      settings: { kubernetes: { "cluster-name": "prod-main", "api-server": EKS_ENDPOINT, "max-pods": 58 } },
    });

    const ng = rt.one("aws:eks/nodeGroup:NodeGroup", "general-ng");
    expect(ng.inputs).toMatchObject({
      clusterName: "prod-main",
      nodeRoleArn: role("general-node-role"),
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      instanceTypes: ["m6i.xlarge", "m6a.xlarge"],
      capacityType: "ON_DEMAND",
      launchTemplate: { id: "general-lt-id", version: "1" },
      scalingConfig: { minSize: 3, maxSize: 12, desiredSize: 3 },
      labels: { "platform/pool": "general" },
      taints: [{ key: "dedicated", value: "platform", effect: "NO_SCHEDULE" }],
      updateConfig: { maxUnavailable: 1 },
    });
    // Custom AMI through the launch template: no amiType, no physical name (auto-named, so a
    // replacement can be created before the old group is deleted).
    expect(ng.inputs.amiType).toBeUndefined();
    expect(ng.inputs.nodeGroupName).toBeUndefined();
    expect(ng.ignoreChanges).toEqual(["scalingConfig.desiredSize"]);
    expect(ng.replaceOnChanges).toEqual(["instanceTypes", "subnetIds", "capacityType", "nodeRoleArn"]);
    expect(out).toEqual({ version: "1", role: role("general-node-role"), name: "general-ng-1234567" });
    const policies = rt
      .byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((r) => r.name.startsWith("general-node-"))
      .map((r) => r.inputs.policyArn)
      .sort();
    expect(policies).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
  });

  it("an image change keeps every name and changes only the launch template (a new version, nodes replaced)", async () => {
    await rt.run(() => {
      new EksNodeGroup("v1", general);
      new EksNodeGroup("v2", { ...general, amiId: "ami-0bottlerocket2", imageIdentity: "77b0c1d2e3" });
      return {};
    });
    const names = (p: string) => under(p).map((r) => `${r.type}::${r.name.slice(p.length)}`);
    expect(names("v2")).toEqual(names("v1"));
    const lt1 = rt.one("aws:ec2/launchTemplate:LaunchTemplate", "v1-lt").inputs;
    const lt2 = rt.one("aws:ec2/launchTemplate:LaunchTemplate", "v2-lt").inputs;
    expect(lt2.imageId).toBe("ami-0bottlerocket2");
    expect((lt2.tags as Record<string, string>)[IMAGE_IDENTITY_TAG]).toBe("77b0c1d2e3");
    expect((lt1.tags as Record<string, string>)[IMAGE_IDENTITY_TAG]).toBe("3f2a9c0d1e");
    const {
      launchTemplate: _a,
      nodeRoleArn: _b,
      ...ng1
    } = rt.one("aws:eks/nodeGroup:NodeGroup", "v1-ng").inputs;
    const {
      launchTemplate: _c,
      nodeRoleArn: _d,
      ...ng2
    } = rt.one("aws:eks/nodeGroup:NodeGroup", "v2-ng").inputs;
    expect(ng2).toEqual(ng1);
  });

  it("fixed-size pool: desired size managed by the program, percentage updates, a given node role", async () => {
    await rt.run(() => {
      new EksNodeGroup("fixed", {
        ...general,
        production: false,
        autoscaling: false,
        minSize: 2,
        maxSize: 4,
        desiredSize: 3,
        maxUnavailablePercentage: 33,
        capacityType: "SPOT",
        nodeRoleArn: role("shared-nodes"),
        dataVolumeSizeGiB: 100,
      });
      return {};
    });
    const ng = rt.one("aws:eks/nodeGroup:NodeGroup", "fixed-ng");
    expect(ng.ignoreChanges).toEqual([]);
    expect(ng.inputs).toMatchObject({
      nodeRoleArn: role("shared-nodes"),
      capacityType: "SPOT",
      scalingConfig: { minSize: 2, maxSize: 4, desiredSize: 3 },
      updateConfig: { maxUnavailablePercentage: 33 },
    });
    expect(under("fixed").filter((r) => r.type.startsWith("aws:iam/"))).toEqual([]);
    const data = (
      rt.one("aws:ec2/launchTemplate:LaunchTemplate", "fixed-lt").inputs.blockDeviceMappings as {
        ebs: { volumeSize?: number };
      }[]
    )[1];
    expect(data?.ebs.volumeSize).toBe(100);
  });

  it("throws one error listing every violation before registering anything", async () => {
    let error: unknown;
    try {
      new EksNodeGroup("broken", { ...general, imageFamily: "alinux", minSize: 5, maxSize: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformValidationError);
    expect((error as PlatformValidationError).diagnostics.map((d) => [d.rule, d.path])).toEqual([
      ["node/immutable-image", "imageFamily"],
      ["spec/schema", "minSize"],
      ["spec/schema", "desiredSize"],
    ]);
    await rt.settle();
    expect(under("broken")).toEqual([]);
  });
});

describe("EksNodeGroup rules", () => {
  const check = (over: Partial<EksNodeGroupArgs>, name = "general") =>
    checkEksNodeGroupArgs(name, { ...general, ...over });

  it("compliant: the reference pool", () => {
    expect(check({})).toEqual([]);
  });

  it("node/immutable-image: a mutable OS is mandatory in production, advisory elsewhere", () => {
    const [d] = check({ imageFamily: "alinux" });
    expect(d).toMatchObject({ rule: "node/immutable-image", severity: "mandatory" });
    expect(d?.message).toContain("alinux");
    expect(check({ imageFamily: "alinux", production: false }).map((x) => [x.rule, x.severity])).toEqual([
      ["node/immutable-image", "advisory"],
    ]);
  });

  it("cluster/name: node pool name characters and the EKS length with its unique suffix", () => {
    const [chars] = check({}, "general_pool");
    expect(chars).toMatchObject({ rule: "cluster/name", path: "name" });
    expect(chars?.message).toContain('"_"');
    const long = "p".repeat(53);
    const [len] = check({}, long);
    expect(len?.rule).toBe("cluster/name");
    expect(len?.message).toContain(`"${long}-ng"`);
    expect(len?.message).toContain("64 characters");
    expect(check({}, "p".repeat(52))).toEqual([]);
  });

  it("node/autoscaling-default-pool: advisory on an autoscaling default pool", () => {
    const d = check({ defaultPool: true });
    expect(d.map((x) => [x.rule, x.severity, x.path])).toEqual([
      ["node/autoscaling-default-pool", "advisory", "autoscaling"],
    ]);
    expect(check({ defaultPool: true, autoscaling: false })).toEqual([]);
  });

  it("quota/nodes-per-pool: only against a declared quota on AWS", () => {
    const [d] = check({ maxSize: 600, quotas: { nodesPerPool: 450 } });
    expect(d).toMatchObject({ rule: "quota/nodes-per-pool", path: "maxSize" });
    expect(d?.message).toContain("600");
    expect(d?.message).toContain("450");
    expect(check({ maxSize: 450, quotas: { nodesPerPool: 450 } })).toEqual([]);
    expect(check({ maxSize: 600 })).toEqual([]);
  });

  it("spec/schema: sizes, update config, taint effect, capacity type, empty lists", () => {
    const d = check({
      instanceTypes: [],
      subnetIds: [],
      imageIdentity: "",
      capacityType: "RESERVED",
      minSize: 0,
      maxSize: 0,
      desiredSize: 1,
      maxUnavailable: 1,
      maxUnavailablePercentage: 150,
      taints: [{ key: "a", effect: "NoWay" }],
    });
    expect(d.every((x) => x.rule === "spec/schema")).toBe(true);
    expect(d.map((x) => x.path)).toEqual([
      "instanceTypes",
      "subnetIds",
      "imageIdentity",
      "capacityType",
      "maxSize",
      "desiredSize",
      "maxUnavailablePercentage",
      "maxUnavailablePercentage",
      "taints[0].effect",
    ]);
    expect(d.find((x) => x.path === "capacityType")?.message).toContain('"RESERVED"');
    expect(d.find((x) => x.path === "desiredSize")?.message).toContain(
      "desiredSize 1 is outside [minSize 0, maxSize 0]",
    );
    expect(d.find((x) => x.path === "taints[0].effect")?.message).toContain('"NoWay"');
  });
});
