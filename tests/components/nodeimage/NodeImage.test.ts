import { createHash } from "node:crypto";
import {
  type BottlerocketArch,
  type BottlerocketArgs,
  NodeImage,
  type NodeImageArgs,
  type NodeImageFamily,
} from "@kubeplat/components/internal/nodeimage/NodeImage";
import { treefileHash } from "@kubeplat/components/internal/nodeimage/treefile";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { PlatformValidationError } from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { ignitionValidate } from "../../support/ignition";
import { BOOTSTRAP_TOKEN, CA_PEM, nodeTreefile, SSH_KEY } from "./fixtures";

const STACK = "urn:pulumi:dev::platform::pulumi:pulumi:Stack";
const ssmCalls: string[] = [];
/** The AMI AWS publishes under a parameter: one per Kubernetes minor and architecture. */
const amiFor = (parameter: string) =>
  `ami-${createHash("sha256").update(parameter).digest("hex").slice(0, 17)}`;
/** The error a constructor throws (validation runs before anything registers, even outside a stack). */
function thrown(make: () => unknown): PlatformValidationError {
  try {
    make();
  } catch (e) {
    if (e instanceof PlatformValidationError) return e;
    throw e;
  }
  throw new Error("expected a PlatformValidationError");
}

/** The commit rpm-ostree would print: here derived from the treefile hash the command was triggered with. */
const commitFor = (trigger: unknown) => createHash("sha256").update(String(trigger)).digest("hex");

let rt: MockRuntime;

beforeAll(async () => {
  rt = await startMockRuntime({
    project: "platform",
    stack: "dev",
    call: (args) => {
      if (args.token === "aws:ssm/getParameter:getParameter") {
        const name = String(args.inputs.name);
        ssmCalls.push(name);
        return {
          name,
          value: amiFor(name),
          type: "String",
          insecureValue: amiFor(name),
          arn: "arn",
          id: name,
        };
      }
      return undefined;
    },
    state: (args) => {
      if (args.type === "command:local:Command" || args.type === "command:remote:Command") {
        const trigger = (args.inputs.triggers as unknown[])[0];
        return {
          stdout: `Committing...\nostree-ref=${nodeTreefile.ref}\nostree-commit=${commitFor(trigger)}\n`,
          stderr: "",
        };
      }
      return undefined;
    },
  });
});

function outputsOf(img: NodeImage) {
  return {
    imageId: img.imageId,
    imageType: img.imageType,
    identity: img.identity,
    userData: img.userData,
    kubelet: img.kubelet,
    rollout: img.rollout,
    ostreeRef: img.ostreeRef,
    ostreeCommit: img.ostreeCommit,
  };
}

describe("NodeImage: ContainerOS on ACK", () => {
  const args: NodeImageArgs = {
    family: "containeros",
    kubernetesVersion: "1.31.1-aliyun.1",
    production: true,
    kubelet: { maxPods: 40 },
    network: { cni: "terway", instanceType: "ecs.g7.xlarge", enis: 4, ipsPerEni: 15 },
    rollout: { maxUnavailable: 2 },
    containerOs: { loginKeyPair: "ops-key" },
  };

  it("is a component without children whose outputs the node pool consumes", async () => {
    const out = await rt.run(() => outputsOf(new NodeImage("cos", args)));
    expect(rt.urns().filter((u) => u.includes("::cos"))).toEqual([
      `${STACK}$platform:nodeimage:NodeImage::cos`,
    ]);
    expect(out.imageType).toBe("ContainerOS");
    expect(out.imageId).toBe("");
    expect(out.userData).toBe("");
    expect(out.identity).toMatch(/^[0-9a-f]{10}$/);
    expect(out.kubelet).toMatchObject({
      maxPods: 40,
      swap: false,
      evictionHard: expect.arrayContaining(["memory.available<100Mi"]),
    });
    expect(out.rollout).toEqual({ strategy: "replace", maxUnavailable: 2, maxSurge: 1 });
    expect(out.ostreeCommit).toBeUndefined();
  });

  it("gives a pinned image another identity, and the same args the same one", async () => {
    const out = await rt.run(() => ({
      a: new NodeImage("cos-a", args).identity,
      same: new NodeImage("cos-same", args).identity,
      pinned: new NodeImage("cos-pinned", {
        ...args,
        containerOs: { ...args.containerOs, imageId: "lifsea_3_x64_new.vhd" },
      }).identity,
      kubelet: new NodeImage("cos-kubelet", { ...args, kubelet: { maxPods: 30 } }).identity,
    }));
    expect(out.same).toBe(out.a);
    expect(out.pinned).not.toBe(out.a);
    expect(out.kubelet).not.toBe(out.a);
  });

  it("refuses a pool that breaks node/containeros-requirements, before registering anything", async () => {
    const bad: NodeImageArgs = {
      ...args,
      containerOs: { clusterEdition: "standard", runtime: "docker" },
      kubelet: { maxPods: 300, evictionHard: ["nodefs.inodesFree<1Gi"] },
    };
    const e = thrown(() => new NodeImage("cos-bad", bad));
    expect(e.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "node/containeros-requirements cluster.edition",
      "node/containeros-requirements runtime",
      "node/containeros-requirements loginKeyPair",
      "node/max-pods kubelet.maxPods",
      "node/max-pods kubelet.maxPods",
      "node/eviction-thresholds kubelet.evictionHard[4]",
    ]);
    expect(e.message).toContain('NodeImage "cos-bad": 6 rule violation(s)');
    expect(e.message).toContain("edition standard");
    expect(e.message).toContain("uses docker");
    expect(e.message).toContain("maxPods 300 of cos-bad exceeds the limit of 256");
    expect(e.message).toContain("(4 ENIs − 1) × 15 IPs per ENI = 45");
    expect(e.message).toContain("nodefs.inodesFree must be a percentage, not 1Gi");
    expect(rt.resources.filter((r) => r.name.startsWith("cos-bad"))).toEqual([]);
  });
});

describe("NodeImage: Bottlerocket on EKS", () => {
  const settings = (overrides: Partial<BottlerocketArgs> = {}): BottlerocketArgs => ({
    clusterName: pulumi.output("prod-eks"),
    apiServer: pulumi.output("https://ABC.gr7.ap-southeast-1.eks.amazonaws.com"),
    clusterCertificate: "LS0tCA==",
    architecture: "arm64",
    registryMirrors: [{ registry: "docker.io", endpoints: ["https://mirror.example.com"] }],
    ...overrides,
  });
  const args = (overrides: Partial<NodeImageArgs> = {}): NodeImageArgs => ({
    family: "bottlerocket",
    kubernetesVersion: "1.31",
    kubelet: { maxPods: 58 },
    nodeLabels: { "platform.io/pool": "general" },
    nodeTaints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }],
    bottlerocket: settings(),
    ...overrides,
  });

  it("resolves the AMI from AWS's public SSM parameter and writes the settings TOML as user data", async () => {
    const out = await rt.run(() => outputsOf(new NodeImage("br", args())));
    const parameter = "/aws/service/bottlerocket/aws-k8s-1.31/arm64/latest/image_id";
    expect(ssmCalls).toContain(parameter);
    expect(out.imageId).toBe(amiFor(parameter));
    expect(out.imageType).toBe("BOTTLEROCKET_ARM_64");
    const toml = parseToml(out.userData as string) as { settings: { kubernetes: Record<string, unknown> } };
    expect(toml.settings.kubernetes).toMatchObject({
      "cluster-name": "prod-eks",
      "api-server": "https://ABC.gr7.ap-southeast-1.eks.amazonaws.com",
      "cluster-certificate": "LS0tCA==",
      "max-pods": 58,
      "node-labels": { "platform.io/pool": "general" },
      "node-taints": { dedicated: ["gpu:NoSchedule"] },
      "eviction-hard": { "memory.available": "100Mi", "imagefs.available": "15%" },
    });
    expect(out.userData).toMatchSnapshot();
    expect(rt.urns().filter((u) => u.includes("::br"))).toEqual([
      `${STACK}$platform:nodeimage:NodeImage::br`,
    ]);
  });

  it("changes identity when the AMI or the settings change, never otherwise", async () => {
    const out = await rt.run(() => ({
      base: new NodeImage("br-base", args()).identity,
      again: new NodeImage("br-again", args()).identity,
      newer: new NodeImage("br-130", args({ kubernetesVersion: "1.30" })).identity,
      taint: new NodeImage("br-taint", args({ nodeTaints: [] })).identity,
      pinned: new NodeImage("br-pin", args({ bottlerocket: settings({ amiId: "ami-pinned" }) })).imageId,
    }));
    expect(out.again).toBe(out.base);
    expect(out.newer).not.toBe(out.base);
    expect(out.taint).not.toBe(out.base);
    expect(out.pinned).toBe("ami-pinned");
  });

  it("a pinned AMI skips the SSM lookup", async () => {
    const before = ssmCalls.length;
    const out = await rt.run(() => ({
      id: new NodeImage(
        "br-pin-only",
        args({ kubernetesVersion: "1.29", bottlerocket: settings({ amiId: "ami-x" }) }),
      ).imageId,
    }));
    expect(out.id).toBe("ami-x");
    expect(ssmCalls.slice(before)).toEqual([]);
  });

  it("user data holds no secret and is not marked secret", async () => {
    let secret: boolean | undefined;
    await rt.run(async () => {
      secret = await pulumi.isSecret(new NodeImage("br-secret", args()).userData);
      return {};
    });
    expect(secret).toBe(false);
  });

  it("reports missing settings and a bad architecture as spec/schema errors", async () => {
    const err = thrown(() => new NodeImage("br-bad", { family: "bottlerocket", kubernetesVersion: "1.31" }));
    expect(err.diagnostics.map((d) => [d.rule, d.path, d.message])).toEqual([
      ["spec/schema", "bottlerocket", 'family bottlerocket needs its settings object "bottlerocket"'],
    ]);
    // Values the types exclude can still arrive from YAML, Python or Go programs.
    const arch = thrown(
      () =>
        new NodeImage(
          "br-arch",
          args({ bottlerocket: settings({ architecture: "amd64" as BottlerocketArch }) }),
        ),
    );
    expect(arch.message).toContain('architecture "amd64" is not one of x86_64, arm64');
  });
});

describe("NodeImage: self-provisioned ostree image", () => {
  const args = (overrides: Partial<NodeImageArgs["ostree"]> = {}): NodeImageArgs => ({
    family: "ostree",
    kubernetesVersion: "1.31",
    production: true,
    nodeLabels: { "platform.io/pool": "infra" },
    ostree: {
      treefile: nodeTreefile,
      remoteUrl: "https://ostree.example.com/repo",
      users: [{ name: "core", sshAuthorizedKeys: [pulumi.secret(SSH_KEY)], groups: ["wheel"] }],
      bootstrap: {
        apiServer: "https://10.0.0.10:6443",
        caCertificate: CA_PEM,
        token: pulumi.secret(BOOTSTRAP_TOKEN),
      },
      ...overrides,
    },
  });

  it("builds with a local command triggered by the treefile hash and outputs the ref and commit", async () => {
    const img = await rt.run(() => {
      const i = new NodeImage("os", args());
      return { ...outputsOf(i), secret: pulumi.isSecret(i.userData) };
    });
    const build = rt.one("command:local:Command", "os-build");
    expect(build.parent).toBe(`${STACK}$platform:nodeimage:NodeImage::os`);
    expect(build.inputs.triggers).toEqual([treefileHash(nodeTreefile)]);
    expect(build.inputs.create).toContain(
      "rpm-ostree compose tree --unified-core --cachedir='/var/lib/platform/ostree/os/cache' --repo='/var/lib/platform/ostree/os/repo'",
    );
    expect(rt.urns().filter((u) => u.includes("::os"))).toEqual([
      // The mock runtime names a grandchild by its parent's type only (see mockRuntime.test.ts).
      "urn:pulumi:dev::platform::platform:nodeimage:NodeImage$command:local:Command::os-build",
      `${STACK}$platform:nodeimage:NodeImage::os`,
    ]);
    const commit = commitFor(treefileHash(nodeTreefile));
    expect(img.ostreeRef).toBe(nodeTreefile.ref);
    expect(img.ostreeCommit).toBe(commit);
    // No cloud image: nothing names an image to boot; the commit is ostreeCommit.
    expect(img.imageId).toBe("");
    expect(img.imageType).toBe("ostree");
    expect(img.kubelet).toMatchObject({ maxPods: 110 });
    expect(await img.secret).toBe(true);
    const ignition = JSON.parse(img.userData as string);
    expect(ignition.passwd.users[0].sshAuthorizedKeys).toEqual([SSH_KEY]);
    expect(ignition.kernelArguments.shouldExist).toEqual(nodeTreefile.kernelArguments);
    expect(JSON.stringify(ignition)).toContain(encodeURIComponent(BOOTSTRAP_TOKEN));
    const deploy = ignition.systemd.units.find(
      (u: { name: string }) => u.name === "platform-ostree-deploy.service",
    );
    expect(deploy.contents).toContain(`rpm-ostree rebase platform:${nodeTreefile.ref} ${commit}`);

    // The component's user data is what ignition-validate accepts.
    expect(ignitionValidate(img.userData as string)).toEqual({ status: 0, output: "" });
  });

  it("builds over SSH on a build host, keeping the private key secret", async () => {
    await rt.run(() =>
      outputsOf(
        new NodeImage(
          "os-remote",
          args({
            buildHost: { host: "10.0.0.5", privateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----") },
          }),
        ),
      ),
    );
    const build = rt.one("command:remote:Command", "os-remote-build");
    // The engine receives the whole connection as a secret (Pulumi's secret signature wraps it).
    expect(build.inputs.connection).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: { host: "10.0.0.5", user: "root", port: 22, privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" },
    });
    expect(build.additionalSecretOutputs).toEqual(["connection"]);
    expect(build.inputs.triggers).toEqual([treefileHash(nodeTreefile)]);
  });

  it("rebuilds and rolls nodes on a treefile change; rotating keys or the token does neither", async () => {
    const changed = { ...nodeTreefile, packages: [...nodeTreefile.packages, "htop"] };
    const out = await rt.run(() => ({
      base: new NodeImage("os-id-base", args()).identity,
      rotated: new NodeImage(
        "os-id-rotated",
        args({
          users: [{ name: "core", sshAuthorizedKeys: [pulumi.secret(`${SSH_KEY}2`)], groups: ["wheel"] }],
          bootstrap: {
            apiServer: "https://10.0.0.10:6443",
            caCertificate: CA_PEM,
            token: pulumi.secret("zzzzzz.0123456789abcdef"),
          },
        }),
      ).identity,
      changed: new NodeImage("os-id-changed", args({ treefile: changed })).identity,
      sysctl: new NodeImage("os-id-sysctl", args({ sysctls: { "vm.max_map_count": "262144" } })).identity,
    }));
    expect(out.rotated).toBe(out.base);
    expect(out.changed).not.toBe(out.base);
    expect(out.sysctl).not.toBe(out.base);
    expect(rt.one("command:local:Command", "os-id-changed-build").inputs.triggers).toEqual([
      treefileHash(changed),
    ]);
    expect(rt.one("command:local:Command", "os-id-rotated-build").inputs.triggers).toEqual([
      treefileHash(nodeTreefile),
    ]);
  });

  it("refuses a bad treefile, an unknown family and swap on, listing every problem", async () => {
    const err = thrown(
      () =>
        new NodeImage("os-bad", {
          ...args({ treefile: { ...nodeTreefile, ref: "bad ref", packages: [] } }),
          kubelet: { swap: true },
          rollout: { maxUnavailable: 0 },
          containerOs: {},
        }),
    );
    expect(err.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "spec/schema containerOs",
      "spec/schema rollout.maxUnavailable",
      "spec/schema ostree.treefile.ref",
      "spec/schema ostree.treefile.packages",
      "node/eviction-thresholds kubelet.swap",
    ]);
    expect(err.message).toContain(
      'settings "containerOs" are for family containeros, but the family is ostree',
    );
    expect(err.message).toContain("swap is on for os-bad");
    const family = thrown(
      () => new NodeImage("os-ubuntu", { family: "ubuntu" as NodeImageFamily, kubernetesVersion: "1.31" }),
    );
    expect(family.message).toContain('family "ubuntu" is not one of containeros, bottlerocket, ostree');
    expect(rt.resources.filter((r) => r.name.startsWith("os-bad") || r.name.startsWith("os-ubuntu"))).toEqual(
      [],
    );
  });
});
