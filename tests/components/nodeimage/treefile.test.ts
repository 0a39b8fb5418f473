import {
  repoFile,
  type TreefileSettings,
  treefile,
  treefileContext,
  treefileHash,
  treefileYaml,
  validateTreefile,
} from "@kubeplat/components/internal/nodeimage/treefile";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { nodeTreefile } from "./fixtures";

describe("treefile", () => {
  it("matches the snapshot (YAML) and parses back to the same treefile", () => {
    const text = treefileYaml(nodeTreefile);
    expect(text).toMatchSnapshot();
    expect(parse(text)).toEqual(treefile(nodeTreefile));
    expect(parse(text)).toMatchObject({
      ref: "platform/41/x86_64/node",
      repos: ["fedora", "kubernetes"],
      packages: nodeTreefile.packages,
      units: ["containerd.service"],
      "readonly-executables": true,
      "add-commit-metadata": {
        "platform.kernel-arguments": "systemd.unified_cgroup_hierarchy=1 console=ttyS0",
      },
    });
  });

  it("writes one .repo file per repository next to it", () => {
    expect(Object.keys(treefileContext(nodeTreefile))).toEqual([
      "treefile.yaml",
      "fedora.repo",
      "kubernetes.repo",
    ]);
    expect(repoFile(nodeTreefile.repos[1] as TreefileSettings["repos"][number])).toMatchSnapshot();
    expect(repoFile({ id: "local", baseurl: "file:///srv/rpms", gpgcheck: false })).toContain("gpgcheck=0");
  });

  it("hashes the build context: same content same hash, any change another", () => {
    const h = treefileHash(nodeTreefile);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(treefileHash({ ...nodeTreefile, packages: [...nodeTreefile.packages] })).toBe(h);
    expect(treefileHash({ ...nodeTreefile, packages: [...nodeTreefile.packages, "htop"] })).not.toBe(h);
    expect(
      treefileHash({
        ...nodeTreefile,
        repos: nodeTreefile.repos.map((r, i) => (i === 0 ? { ...r, gpgcheck: false } : r)),
      }),
    ).not.toBe(h);
  });

  it("reports a bad ref, no packages, a repo without source, a duplicate id and a bad kernel argument", () => {
    const ds = validateTreefile(
      {
        ref: "/bad ref",
        repos: [{ id: "a" }, { id: "a", baseurl: "https://x" }],
        packages: [],
        kernelArguments: ["quiet splash"],
      },
      "img",
    );
    expect(ds.map((d) => [d.rule, d.path])).toEqual([
      ["spec/schema", "ostree.treefile.ref"],
      ["spec/schema", "ostree.treefile.packages"],
      ["spec/schema", "ostree.treefile.repos[0]"],
      ["spec/schema", "ostree.treefile.repos[1].id"],
      ["spec/schema", "ostree.treefile.kernelArguments"],
    ]);
    expect(ds[0]?.message).toContain('ostree ref "/bad ref"');
    expect(ds[2]?.message).toContain('repository "a" has neither baseurl nor metalink');
    expect(ds[3]?.message).toContain('repository id "a" appears twice');
    expect(ds[4]?.message).toContain('"quiet splash"');
    expect(validateTreefile(nodeTreefile, "img")).toEqual([]);
  });
});
