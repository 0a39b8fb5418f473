/**
 * The rpm-ostree treefile of a self-provisioned node image (Fedora CoreOS / openSUSE MicroOS /
 * Flatcar family): RPM repositories in, one ostree commit out, "like docker builds an image from
 * a Dockerfile" (Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems). Generated from typed settings; written as YAML with
 * the `yaml` package (rpm-ostree reads JSON or YAML treefiles), with one dnf `.repo` file per
 * repository next to it (the treefile's `repos` name them; rpm-ostree does not read the build
 * host's /etc/yum.repos.d).
 */

import { type Diagnostic, SPEC_SCHEMA } from "@kubeplat/plan";
import { stringify } from "yaml";
import { contentHash } from "./imageIdentity";

export interface OstreeRepoSource {
  /** The repository id (`[id]` in the .repo file, listed in the treefile's `repos`). */
  id: string;
  /** Human name. Default: the id. */
  name?: string;
  /** `baseurl`; one of baseurl or metalink is required. */
  baseurl?: string;
  /** `metalink`. */
  metalink?: string;
  /** Check package signatures. Default true. */
  gpgcheck?: boolean;
  /** The signing key, e.g. `file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-41-x86_64`. */
  gpgkey?: string;
}

export interface TreefileSettings {
  /** The ostree branch the commit lands on, e.g. `platform/41/x86_64/node`. */
  ref: string;
  /** `releasever` for the repositories. Default: none. */
  releasever?: string;
  repos: OstreeRepoSource[];
  /** Packages of the image (mandatory, non-empty). */
  packages: string[];
  /** Packages that must not be pulled in. Default: none. */
  excludePackages?: string[];
  /** systemd units enabled in the image. Default: none. */
  units?: string[];
  /**
   * Kernel arguments of the image. rpm-ostree treefiles have no kernel-argument key: they are
   * recorded in the commit metadata (`platform.kernel-arguments`) and applied at first boot by
   * Ignition's `kernelArguments` (and `ostree admin deploy --karg`, Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems). Default: none.
   */
  kernelArguments?: string[];
  /** Version prefix of the commits, e.g. `41.<date:%Y%m%d>`. Default: none. */
  automaticVersionPrefix?: string;
  /** Install documentation. Default false (a minimal host, Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems). */
  documentation?: boolean;
  /** Install weak dependencies. Default false. */
  recommends?: boolean;
}

/** An ostree ref: slash-separated components of letters, digits, `-`, `.`, `_`. */
const REF = /^[A-Za-z0-9][-._A-Za-z0-9]*(\/[A-Za-z0-9][-._A-Za-z0-9]*)*$/;
const REPO_ID = /^[A-Za-z0-9][-._:A-Za-z0-9]*$/;

/** Shape problems of the settings (spec/schema diagnostics), each naming the value at fault. */
export function validateTreefile(
  settings: TreefileSettings,
  resource: string,
  path = "ostree.treefile",
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (p: string, message: string) =>
    out.push({ rule: SPEC_SCHEMA, severity: "mandatory", resource, path: `${path}.${p}`, message });
  if (!REF.test(settings.ref))
    bad("ref", `ostree ref "${settings.ref}" is not of the form a/b/c (letters, digits, -._)`);
  if (settings.packages.length === 0)
    bad("packages", "the treefile lists no packages; rpm-ostree needs at least one");
  if (settings.repos.length === 0) bad("repos", "the treefile names no repository to take packages from");
  const seen = new Set<string>();
  settings.repos.forEach((r, i) => {
    if (!REPO_ID.test(r.id))
      bad(`repos[${i}].id`, `repository id "${r.id}" is not a valid dnf repository id`);
    if (seen.has(r.id)) bad(`repos[${i}].id`, `repository id "${r.id}" appears twice`);
    seen.add(r.id);
    if (!r.baseurl && !r.metalink)
      bad(`repos[${i}]`, `repository "${r.id}" has neither baseurl nor metalink`);
  });
  for (const karg of settings.kernelArguments ?? []) {
    if (/\s/.test(karg) || karg === "") {
      bad("kernelArguments", `kernel argument "${karg}" is empty or contains whitespace`);
    }
  }
  return out;
}

/** The treefile as data (keys as rpm-ostree spells them). */
export function treefile(settings: TreefileSettings): Record<string, unknown> {
  const out: Record<string, unknown> = { ref: settings.ref };
  if (settings.releasever !== undefined) out.releasever = settings.releasever;
  out.repos = settings.repos.map((r) => r.id);
  out.packages = [...settings.packages];
  if ((settings.excludePackages ?? []).length > 0)
    out["exclude-packages"] = [...(settings.excludePackages ?? [])];
  if ((settings.units ?? []).length > 0) out.units = [...(settings.units ?? [])];
  out.documentation = settings.documentation ?? false;
  out.recommends = settings.recommends ?? false;
  // Executables lose their write bit: nothing patches the image in place.
  out["readonly-executables"] = true;
  if (settings.automaticVersionPrefix !== undefined)
    out["automatic-version-prefix"] = settings.automaticVersionPrefix;
  const kargs = settings.kernelArguments ?? [];
  if (kargs.length > 0) out["add-commit-metadata"] = { "platform.kernel-arguments": kargs.join(" ") };
  return out;
}

/** The treefile as YAML. */
export function treefileYaml(settings: TreefileSettings): string {
  return stringify(treefile(settings), { lineWidth: 0 });
}

/** One repository as a dnf `.repo` file. */
export function repoFile(repo: OstreeRepoSource): string {
  const lines = [`[${repo.id}]`, `name=${repo.name ?? repo.id}`];
  if (repo.baseurl) lines.push(`baseurl=${repo.baseurl}`);
  if (repo.metalink) lines.push(`metalink=${repo.metalink}`);
  lines.push("enabled=1", `gpgcheck=${repo.gpgcheck === false ? 0 : 1}`);
  if (repo.gpgkey) lines.push(`gpgkey=${repo.gpgkey}`);
  return `${lines.join("\n")}\n`;
}

/** The build context: file name → content (the treefile and its .repo files). */
export function treefileContext(settings: TreefileSettings): Record<string, string> {
  const files: Record<string, string> = { "treefile.yaml": treefileYaml(settings) };
  for (const r of settings.repos) files[`${r.id}.repo`] = repoFile(r);
  return files;
}

/** SHA-256 of the build context: the trigger that rebuilds the image, and only when it changes. */
export function treefileHash(settings: TreefileSettings): string {
  return contentHash(treefileContext(settings));
}
