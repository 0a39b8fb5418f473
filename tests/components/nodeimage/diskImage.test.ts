import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildScript, defaultBuildPaths } from "@kubeplat/components/internal/nodeimage/buildScript";
import { resolveCloudImage } from "@kubeplat/components/internal/nodeimage/cloudImage";
import {
  convertCommand,
  type DiskStepInput,
  deploymentKargs,
  diskPartitions,
  diskStep,
  parseDiskOutput,
  partitionCommand,
  STATEROOT,
  sysrootStep,
} from "@kubeplat/components/internal/nodeimage/diskImage";
import { treefileContext } from "@kubeplat/components/internal/nodeimage/treefile";
import { afterAll, describe, expect, it } from "vitest";
import { nodeTreefile } from "./fixtures";
import { requireTool, run } from "./tools";

const scratch = mkdtempSync(join(tmpdir(), "nodeimage-disk-"));
afterAll(() => {
  // ostree marks each deployment's root immutable (chattr +i) when it may: undo it to clean up.
  const deployDir = join(scratch, "sysroot/ostree/deploy", STATEROOT, "deploy");
  for (const d of readdirSync(deployDir, { withFileTypes: true }))
    if (d.isDirectory()) spawnSync("chattr", ["-i", join(deployDir, d.name)]);
  rmSync(scratch, { recursive: true, force: true });
});

const paths = defaultBuildPaths("workers");
const input = (cloud: "alicloud" | "aws", over: Partial<DiskStepInput> = {}): DiskStepInput => ({
  workdir: paths.workdir,
  repo: paths.repo,
  ref: nodeTreefile.ref,
  remoteName: "platform",
  remoteUrl: "https://ostree.example.com/repo",
  gpgVerify: false,
  identity: "0123456789",
  disk: resolveCloudImage({ cloud, bucket: "platform-images" }),
  kernelArguments: nodeTreefile.kernelArguments ?? [],
  ...over,
});

describe("disk image step", () => {
  it("the whole build script with the disk step matches the snapshot (Alibaba Cloud, local build)", () => {
    expect(
      buildScript({
        paths,
        files: treefileContext(nodeTreefile),
        ref: nodeTreefile.ref,
        disk: diskStep(input("alicloud")),
      }),
    ).toMatchSnapshot();
  });

  it("the whole build script with the disk step and the build host's upload matches the snapshot (AWS)", () => {
    expect(
      buildScript({
        paths,
        files: treefileContext(nodeTreefile),
        ref: nodeTreefile.ref,
        disk: diskStep(
          input("aws", { disk: resolveCloudImage({ cloud: "aws", bucket: "b", architecture: "arm64" }) }),
        ),
        upload: {
          path: "/var/lib/platform/ostree/workers/build/disk-0123456789.vmdk",
          to: { cloud: "aws", bucket: "b", key: "node-images/workers/0123456789.vmdk" },
        },
      }),
    ).toMatchSnapshot();
  });

  it("lays out Fedora CoreOS's partitions: BIOS boot on x86_64 only, the root's type per architecture", () => {
    expect(diskPartitions("x86_64").map((p) => `${p.number}:${p.label}`)).toEqual([
      "1:BIOS-BOOT",
      "2:EFI-SYSTEM",
      "3:boot",
      "4:root",
    ]);
    expect(diskPartitions("arm64").map((p) => `${p.number}:${p.label}`)).toEqual([
      "2:EFI-SYSTEM",
      "3:boot",
      "4:root",
    ]);
    expect(diskPartitions("arm64").at(-1)?.typecode).not.toBe(diskPartitions("x86_64").at(-1)?.typecode);
  });

  it("reads the disk's path and checksum back, and names what is missing", () => {
    const sha = "a".repeat(64);
    expect(parseDiskOutput(`noise\ndisk-image=/x/disk.qcow2\ndisk-sha256=${sha}\n`)).toEqual({
      path: "/x/disk.qcow2",
      sha256: sha,
    });
    expect(() => parseDiskOutput("ostree-commit=abc\n")).toThrow('printed no "disk-image=" line');
    expect(() => parseDiskOutput("disk-image=/x\ndisk-sha256=zz\n")).toThrow('got "zz"');
  });

  it("deploys a commit into a sysroot for real (Debian's ostree): the origin is the remote's ref and the boot entry carries the kernel arguments", () => {
    const ostree = requireTool("ostree", "ostree");
    const repo = join(scratch, "repo");
    const tree = join(scratch, "tree");
    const sysroot = join(scratch, "sysroot");
    // A tree with what `ostree admin deploy` needs: a kernel and an initramfs under /usr/lib/modules.
    mkdirSync(join(tree, "usr/lib/modules/6.1.0"), { recursive: true });
    mkdirSync(join(tree, "usr/etc"), { recursive: true });
    writeFileSync(join(tree, "usr/lib/modules/6.1.0/vmlinuz"), "kernel");
    writeFileSync(join(tree, "usr/lib/modules/6.1.0/initramfs.img"), "initramfs");
    writeFileSync(join(tree, "usr/lib/os-release"), "ID=platform\n");
    expect(run(ostree, [`--repo=${repo}`, "init", "--mode=archive"]).status).toBe(0);
    const commit = run(ostree, [
      `--repo=${repo}`,
      "commit",
      "-b",
      nodeTreefile.ref,
      `--tree=dir=${tree}`,
      "-s",
      "t",
    ]);
    expect(commit.status).toBe(0);
    mkdirSync(join(sysroot, "boot"), { recursive: true });

    const step = sysrootStep(input("aws", { repo }));
    const r = run("sh", ["-c", `set -eu\ndisk_mnt='${sysroot}'\n${step}`]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);

    const deployDir = join(sysroot, "ostree/deploy", STATEROOT, "deploy");
    const deployments = readdirSync(deployDir).filter((d) => d.endsWith(".0"));
    expect(deployments).toEqual([`${commit.stdout.trim()}.0`]);
    expect(readFileSync(join(deployDir, `${deployments[0]}.origin`), "utf8")).toContain(
      `refspec=platform:${nodeTreefile.ref}`,
    );
    const entries = readdirSync(join(sysroot, "boot/loader/entries"));
    expect(entries).toHaveLength(1);
    const entry = readFileSync(join(sysroot, "boot/loader/entries", entries[0] as string), "utf8");
    const options = entry.split("\n").find((l) => l.startsWith("options "));
    for (const karg of deploymentKargs("aws", nodeTreefile.kernelArguments ?? []))
      expect(options).toContain(karg);
    expect(options).toContain("ostree=/ostree/boot.");
    const remotes = run(ostree, [`--repo=${join(sysroot, "ostree/repo")}`, "remote", "show-url", "platform"]);
    expect(remotes.stdout.trim()).toBe("https://ostree.example.com/repo");
  });

  it.each(["x86_64", "arm64"] as const)(
    "writes the GPT with the real sgdisk (%s): Fedora CoreOS's names, sizes and type GUIDs",
    (arch) => {
      const sgdisk = requireTool("sgdisk", "gdisk");
      const disk = join(scratch, `gpt-${arch}.raw`);
      expect(run("truncate", ["-s", "4G", disk]).status).toBe(0);
      const written = run("sh", ["-ec", partitionCommand(arch, `'${disk}'`)]);
      expect(written.status, written.stderr).toBe(0);
      for (const p of diskPartitions(arch)) {
        const info = run(sgdisk, [`--info=${p.number}`, disk]).stdout;
        expect(info).toContain(`Partition GUID code: ${p.typecode}`);
        expect(info).toContain(`Partition name: '${p.label}'`);
        // sizes like +127M: 2,048 sectors of 512 bytes per MiB
        if (p.size !== "0")
          expect(info).toContain(`Partition size: ${Number(p.size.slice(1, -1)) * 2048} sectors`);
      }
      expect(run(sgdisk, ["--verify", disk]).stdout).toContain("No problems found");
    },
  );

  it.each([
    ["alicloud", "qcow2", undefined],
    ["aws", "vmdk", "streamOptimized"],
  ] as const)(
    "converts with the real qemu-img (%s): the format the import takes",
    (cloud, format, createType) => {
      const qemuImg = requireTool("qemu-img", "qemu-utils");
      const raw = join(scratch, `convert-${cloud}.raw`);
      const out = join(scratch, `convert-${cloud}.${format}`);
      expect(run("truncate", ["-s", "1G", raw]).status).toBe(0);
      const converted = run("sh", ["-ec", convertCommand(cloud, raw, out)]);
      expect(converted.status, converted.stderr).toBe(0);
      const info = JSON.parse(run(qemuImg, ["info", "--output=json", out]).stdout);
      expect(info.format).toBe(format);
      expect(info["virtual-size"]).toBe(1024 ** 3);
      if (createType) expect(info["format-specific"].data["create-type"]).toBe(createType);
    },
  );
});
