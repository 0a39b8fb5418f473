/**
 * The disk-image step of the build script: deploy the composed ostree commit into a fresh
 * sysroot on a loop-mounted raw disk, install the bootloader, and convert the disk to the format
 * the cloud imports. Run on the build host right after `rpm-ostree compose tree` (buildScript.ts).
 *
 * The steps are the ones coreos-assembler's disk builder (`create_disk.sh`, the Fedora CoreOS
 * disk layout) and osbuild's ostree stages run, written with the documented commands:
 * - GPT layout with `sgdisk` (gdisk(8)): BIOS boot (x86_64 only), EFI system, `boot` (ext4),
 *   `root` (xfs) filling the rest — Fedora CoreOS's layout, so its static GRUB configs find them;
 * - the sysroot with `ostree admin init-fs` and `ostree admin os-init` (ostree docs:
 *   "Deployments", ostree-admin(1)), the commit with `ostree pull-local --remote=<remote>` so
 *   the deployment's origin is `<remote>:<ref>` and `rpm-ostree upgrade` later pulls from the
 *   served repository, then `ostree admin deploy --os=… --karg=…` (ostree-admin-deploy(1));
 * - the bootloader with `bootupctl backend install --with-static-configs --device=<disk>`, run
 *   from the deployment itself as osbuild's `org.osbuild.bootupd` stage runs it (bootupd must be
 *   in the treefile's packages: validateDiskPackages);
 * - `/boot/ignition.firstboot`, the stamp the static GRUB config turns into the
 *   `ignition.firstboot` kernel argument, so Ignition runs on the first boot only;
 * - `qemu-img convert` (qemu-img(1)) to qcow2 for ECS ImportImage (formats RAW, VHD, qcow2) or
 *   to a stream-optimized VMDK for EC2 ImportSnapshot (formats VHD, VMDK, RAW), the VMDK options
 *   coreos-assembler uses for its AWS image.
 *
 * Prints the disk's path and SHA-256 on marker lines (parseDiskOutput).
 */

import { OSTREE_DISK_PACKAGES } from "@kubeplat/plan";
import { shellQuote } from "./buildScript";
import type { CloudImageTarget, DiskArchitecture, ResolvedCloudImage } from "./cloudImage";

/** Ignition's platform ids (Ignition docs: Supported platforms). */
export const IGNITION_PLATFORM: Readonly<Record<CloudImageTarget, string>> = {
  alicloud: "aliyun",
  aws: "aws",
};

/** The file each cloud imports, and its format as the import API spells it. */
export const DISK_FORMAT: Readonly<Record<CloudImageTarget, { extension: string; importFormat: string }>> = {
  alicloud: { extension: "qcow2", importFormat: "qcow2" },
  aws: { extension: "vmdk", importFormat: "VMDK" },
};

/** The serial console of both clouds' instances, so the boot is visible in the console log. */
export const CONSOLE_KARG = "console=ttyS0,115200n8";

/** The packages the disk step runs from the deployment: the bootloader installer (one list, in the plan). */
export const DISK_PACKAGES = OSTREE_DISK_PACKAGES;

/** The stateroot (osname) of the deployment. */
export const STATEROOT = "platform";

/** GPT partition type GUIDs (UEFI spec; Discoverable Partitions Specification). */
const GPT = {
  biosBoot: "21686148-6449-6E6F-744E-656564454649",
  efiSystem: "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
  linuxData: "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
  rootX86_64: "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709",
  rootArm64: "B921B045-1DF0-41C3-AF44-4C6F280D3FAE",
} as const;

export interface DiskPartition {
  number: number;
  label: string;
  size: string;
  typecode: string;
  /** mkfs command, `{}` the partition device. */
  mkfs?: string;
}

/** The partition table of the disk for one architecture (BIOS boot only on x86_64). */
export function diskPartitions(architecture: DiskArchitecture): DiskPartition[] {
  const out: DiskPartition[] = [];
  if (architecture === "x86_64")
    out.push({ number: 1, label: "BIOS-BOOT", size: "+1M", typecode: GPT.biosBoot });
  out.push(
    {
      number: 2,
      label: "EFI-SYSTEM",
      size: "+127M",
      typecode: GPT.efiSystem,
      mkfs: "mkfs.vfat -F 32 -n EFI-SYSTEM",
    },
    { number: 3, label: "boot", size: "+384M", typecode: GPT.linuxData, mkfs: "mkfs.ext4 -q -L boot" },
    {
      number: 4,
      label: "root",
      size: "0",
      typecode: architecture === "arm64" ? GPT.rootArm64 : GPT.rootX86_64,
      mkfs: "mkfs.xfs -q -f -L root",
    },
  );
  return out;
}

export interface DiskStepInput {
  /** The build directory; the disk is written here. */
  workdir: string;
  /** The ostree repository the commit was composed into. */
  repo: string;
  ref: string;
  /** The remote the deployment's origin names, and its URL (where nodes upgrade from). */
  remoteName: string;
  remoteUrl: string;
  gpgVerify: boolean;
  /** The disk identity: names the files and the mount point, so builds never share them. */
  identity: string;
  disk: ResolvedCloudImage;
  /** The treefile's kernel arguments, appended to the deployment's. */
  kernelArguments: readonly string[];
}

export const DISK_MARKER = "disk-image=";
export const DISK_SHA256_MARKER = "disk-sha256=";

/** The path of the converted disk on the build host. */
export function diskImagePath(workdir: string, identity: string, cloud: CloudImageTarget): string {
  return `${workdir}/disk-${identity}.${DISK_FORMAT[cloud].extension}`;
}

/** The kernel arguments of the deployment: root and boot by label, console, Ignition's platform, the treefile's. */
export function deploymentKargs(cloud: CloudImageTarget, kernelArguments: readonly string[]): string[] {
  return [
    "root=LABEL=root",
    "rw",
    CONSOLE_KARG,
    `ignition.platform.id=${IGNITION_PLATFORM[cloud]}`,
    ...kernelArguments,
  ];
}

/** `qemu-img convert` from the raw disk to the cloud's import format. */
export function convertCommand(cloud: CloudImageTarget, raw: string, out: string): string {
  const q = shellQuote;
  return cloud === "alicloud"
    ? `qemu-img convert -f raw -O qcow2 ${q(raw)} ${q(out)}`
    : `qemu-img convert -f raw -O vmdk -o adapter_type=lsilogic,subformat=streamOptimized,compat6 ${q(raw)} ${q(out)}`;
}

/**
 * The sysroot on the mounted root file system `$disk_mnt`: init-fs, the stateroot, the remote,
 * the commit pulled as `<remote>:<ref>`, and the deployment with its kernel arguments.
 */
export function sysrootStep(input: DiskStepInput): string {
  const q = shellQuote;
  const sysrepo = '"$disk_mnt/ostree/repo"';
  const remoteAdd = [
    `ostree --repo=${sysrepo} remote add`,
    input.gpgVerify ? "--set=gpg-verify=true" : "--no-gpg-verify",
    q(input.remoteName),
    q(input.remoteUrl),
    q(input.ref),
  ].join(" ");
  const deploy = [
    `ostree admin deploy --sysroot="$disk_mnt" --os=${STATEROOT}`,
    ...deploymentKargs(input.disk.cloud, input.kernelArguments).map((k) => `--karg-append=${q(k)}`),
    q(`${input.remoteName}:${input.ref}`),
  ].join(" ");
  return [
    'ostree admin init-fs "$disk_mnt"',
    `ostree admin os-init --sysroot="$disk_mnt" ${STATEROOT}`,
    remoteAdd,
    `ostree --repo=${sysrepo} pull-local --remote=${q(input.remoteName)} ${q(input.repo)} ${q(input.ref)}`,
    deploy,
  ].join("\n");
}

/** `sgdisk` (gdisk(8)) writing the GPT of diskPartitions onto `disk` (a shell word, already quoted). */
export function partitionCommand(architecture: DiskArchitecture, disk: string): string {
  return [
    "sgdisk --zap-all",
    ...diskPartitions(architecture).map(
      (p) =>
        `--new=${p.number}:0:${p.size} --change-name=${p.number}:${p.label} --typecode=${p.number}:${p.typecode}`,
    ),
    disk,
  ].join(" \\\n  ");
}

/** The disk step as shell (POSIX sh, `set -eu` from the surrounding script). */
export function diskStep(input: DiskStepInput): string {
  const q = shellQuote;
  const raw = `${input.workdir}/disk-${input.identity}.raw`;
  const out = diskImagePath(input.workdir, input.identity, input.disk.cloud);
  // Under /run: the deployment's chroot sees it through the /run bind mount (as osbuild's stage).
  const mnt = `/run/platform-disk-${input.identity}`;
  const deployment = `${mnt}/ostree/deploy/${STATEROOT}/deploy`;
  const parts = diskPartitions(input.disk.architecture);
  // The loop device's partition n (losetup --partscan names them <loop>p<n>).
  const dev = (n: number) => `"$\{disk_loop}p${n}"`;
  const sgdisk = partitionCommand(input.disk.architecture, '"$disk_raw"');
  const lines = [
    `# Disk image ${input.identity}: the commit of ${input.ref}, deployed and made bootable`,
    `disk_raw=${q(raw)}`,
    `disk_mnt=${q(mnt)}`,
    'rm -f "$disk_raw"',
    `truncate -s ${input.disk.diskSizeGiB}G "$disk_raw"`,
    sgdisk,
    'disk_loop="$(losetup --find --show --partscan "$disk_raw")"',
    `trap 'umount -R "$disk_mnt" 2>/dev/null || true; losetup -d "$disk_loop" 2>/dev/null || true' EXIT`,
    ...parts.filter((p) => p.mkfs).map((p) => `${p.mkfs} ${dev(p.number)}`),
    'mkdir -p "$disk_mnt"',
    `mount ${dev(4)} "$disk_mnt"`,
    'mkdir -p "$disk_mnt/boot"',
    `mount ${dev(3)} "$disk_mnt/boot"`,
    'mkdir -p "$disk_mnt/boot/efi"',
    `mount ${dev(2)} "$disk_mnt/boot/efi"`,
    sysrootStep(input),
    // The first (and only) deployment of the stateroot: <commit>.0.
    `disk_deploy="$(ls -d ${q(deployment)}/*.0)"`,
    'touch "$disk_mnt/boot/ignition.firstboot"',
    'for d in dev proc sys run; do mount --rbind "/$d" "$disk_deploy/$d"; done',
    'chroot "$disk_deploy" /usr/bin/bootupctl backend install --with-static-configs --device="$disk_loop" "$disk_mnt"',
    'for d in run sys proc dev; do umount -R "$disk_deploy/$d"; done',
    'umount -R "$disk_mnt"',
    'losetup -d "$disk_loop"',
    "trap - EXIT",
    convertCommand(input.disk.cloud, raw, out),
    'rm -f "$disk_raw"',
    `printf '${DISK_MARKER}%s\\n' ${q(out)}`,
    `printf '${DISK_SHA256_MARKER}%s\\n' "$(sha256sum ${q(out)} | cut -d' ' -f1)"`,
  ];
  return lines.join("\n");
}

export interface DiskOutput {
  path: string;
  sha256: string;
}

/** Read the disk's path and SHA-256 from the script's stdout (the last marker lines win). */
export function parseDiskOutput(stdout: string): DiskOutput {
  let path: string | undefined;
  let sha256: string | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    if (line.startsWith(DISK_MARKER)) path = line.slice(DISK_MARKER.length).trim();
    if (line.startsWith(DISK_SHA256_MARKER)) sha256 = line.slice(DISK_SHA256_MARKER.length).trim();
  }
  if (!path) throw new Error(`the disk image step printed no "${DISK_MARKER}" line`);
  if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new Error(
      `the disk image step printed no "${DISK_SHA256_MARKER}<64 hex>" line for ${path} (got ${sha256 === undefined ? "none" : `"${sha256}"`})`,
    );
  }
  return { path, sha256 };
}
