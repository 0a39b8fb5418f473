import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildScript,
  composeStep,
  defaultBuildPaths,
  ostreeInitStep,
  parseBuildOutput,
  reportStep,
  shellQuote,
  writeFilesStep,
} from "@kubeplat/components/internal/nodeimage/buildScript";
import { treefileContext, treefileYaml } from "@kubeplat/components/internal/nodeimage/treefile";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { nodeTreefile } from "./fixtures";
import { requireTool, run } from "./tools";

const scratch = mkdtempSync(join(tmpdir(), "nodeimage-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("build script", () => {
  const script = buildScript({
    paths: defaultBuildPaths("workers"),
    files: treefileContext(nodeTreefile),
    ref: nodeTreefile.ref,
  });

  it("matches the snapshot", () => {
    expect(script).toMatchSnapshot();
  });

  it("composes with rpm-ostree --unified-core, its cache and repository (Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems)", () => {
    expect(composeStep(defaultBuildPaths("workers"))).toContain(
      "rpm-ostree compose tree --unified-core --cachedir='/var/lib/platform/ostree/workers/cache' " +
        "--repo='/var/lib/platform/ostree/workers/repo' '/var/lib/platform/ostree/workers/build/treefile.yaml' >&2",
    );
  });

  it("is valid POSIX sh", () => {
    const r = run("sh", ["-n"], { input: script });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("quotes any word so sh reads it back unchanged", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 20 }).filter((s) => !s.includes("\0")),
        (word) => {
          const r = run("sh", ["-c", `printf '%s' ${shellQuote(word)}`]);
          expect(r.stdout).toBe(word);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("refuses file names that would escape the build directory", () => {
    expect(() => writeFilesStep("/w", { "../etc/passwd": "x" })).toThrow(
      '"../etc/passwd" is not a plain file name',
    );
  });
});

describe("the script's ostree steps, run with the real ostree", () => {
  it("init a repository, commit a small tree, read the ref and commit back", () => {
    const ostree = requireTool("ostree", "ostree");
    const build = join(scratch, "build");
    const repo = join(scratch, "repo");
    const ref = nodeTreefile.ref;
    const files = treefileContext(nodeTreefile);
    // The compose step needs rpm-ostree and RPM repositories; an `ostree commit` of the build
    // context stands in for it, between the script's own write, init and report steps.
    const commitStep = `${ostree} --repo=${shellQuote(repo)} commit --branch=${shellQuote(ref)} --subject=test --tree=dir=${shellQuote(build)}`;
    const steps = [
      "set -eu",
      writeFilesStep(build, files),
      ostreeInitStep(repo),
      commitStep,
      reportStep(repo, ref),
    ].join("\n");

    const first = run("sh", ["-c", steps]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const out = parseBuildOutput(first.stdout);
    expect(out.ref).toBe(ref);
    expect(out.commit).toBe(run(ostree, [`--repo=${repo}`, "rev-parse", ref]).stdout.trim());
    expect(run(ostree, [`--repo=${repo}`, "cat", ref, "/treefile.yaml"]).stdout).toBe(
      treefileYaml(nodeTreefile),
    );
    expect(run("sh", ["-c", `grep -q 'mode=archive' ${shellQuote(`${repo}/config`)}`]).status).toBe(0);

    // Again on the same repository: init is skipped, the new commit's parent is the first.
    const second = run("sh", ["-c", steps]);
    expect(second.status).toBe(0);
    const again = parseBuildOutput(second.stdout);
    expect(again.commit).not.toBe(out.commit);
    expect(run(ostree, [`--repo=${repo}`, "rev-parse", `${ref}^`]).stdout.trim()).toBe(out.commit);
  });
});

describe("parseBuildOutput", () => {
  const commit = "a".repeat(64);

  it("takes the last marker lines after rpm-ostree's own output", () => {
    expect(
      parseBuildOutput(
        `Downloading metadata...\nWrote commit: x\nostree-ref=old\nostree-ref=p/n\nostree-commit=${commit}\n`,
      ),
    ).toEqual({ ref: "p/n", commit });
  });

  it("names what is missing", () => {
    expect(() => parseBuildOutput("error: compose failed\n")).toThrow(
      'ostree build output has no "ostree-ref=" line (last lines: error: compose failed)',
    );
    expect(() => parseBuildOutput("ostree-ref=p/n\nostree-commit=\n")).toThrow(
      'no "ostree-commit=<64 hex>" line for ref p/n (got "")',
    );
  });
});
