/** Shared inputs of the node image tests. */
import type { TreefileSettings } from "@kubeplat/components/internal/nodeimage/treefile";

export const nodeTreefile: TreefileSettings = {
  ref: "platform/41/x86_64/node",
  releasever: "41",
  repos: [
    {
      id: "fedora",
      metalink: "https://mirrors.fedoraproject.org/metalink?repo=fedora-$releasever&arch=$basearch",
      gpgkey: "file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-$releasever-$basearch",
    },
    { id: "kubernetes", name: "Kubernetes v1.31", baseurl: "https://pkgs.k8s.io/core:/stable:/v1.31/rpm/" },
  ],
  packages: ["kernel", "systemd", "ostree", "rpm-ostree", "containerd", "kubelet", "ignition"],
  excludePackages: ["python3"],
  units: ["containerd.service"],
  kernelArguments: ["systemd.unified_cgroup_hierarchy=1", "console=ttyS0"],
  automaticVersionPrefix: "41.<date:%Y%m%d>",
};

/** A throwaway ed25519 public key (no private key exists for it anywhere). */
export const SSH_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake ops@platform";

export const CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBfakeCA\n-----END CERTIFICATE-----\n";

export const BOOTSTRAP_TOKEN = "abcdef.0123456789abcdef";
