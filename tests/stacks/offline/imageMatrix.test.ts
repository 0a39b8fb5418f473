/**
 * Every node image family × cluster edition × cloud the spec's schema accepts, through the
 * offline preview: each one previews, or is refused with one clear mandatory diagnostic at a
 * spec path. Never an internal error (an `image: alinux` pool once crashed the program with
 * "Cannot read properties of undefined (reading 'imageType')").
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodePoolSchema } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { failed, previewEnvironment } from "../../../stacks/offline/preview";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

type Doc = Record<string, unknown> & { clusters: Record<string, unknown>[] };

const FAMILIES = [undefined, ...NodePoolSchema.shape.image.unwrap().options] as const;
const EDITIONS = ["pro", "standard"] as const;
const BASES = { alicloud: "dev", aws: "aws-dev" } as const;

/** What each cloud can boot from the spec alone (anything else must be refused). */
const PREVIEWS: Record<keyof typeof BASES, (family: string | undefined, edition: string) => boolean> = {
  alicloud: (family, edition) =>
    family === undefined || family === "alinux" || (family === "containeros" && edition === "pro"),
  // aws-dev is not production: al2023 previews with an advisory node/immutable-image.
  aws: (family) => family === undefined || family === "bottlerocket" || family === "al2023",
};

function variant(env: string, family: string | undefined, edition: string): Doc {
  const doc = structuredClone(readStackSettings(env).config[ENVIRONMENT_KEY]) as Doc;
  const cluster = doc.clusters[0] as { edition?: string; nodePools: Record<string, unknown>[] };
  cluster.edition = edition;
  for (const pool of cluster.nodePools) {
    if (family === undefined) delete pool.image;
    else pool.image = family;
  }
  return doc;
}

describe("every image family × edition × cloud previews or is refused with one diagnostic", () => {
  const dir = mkdtempSync(join(tmpdir(), "image-matrix-"));
  const cases = (Object.keys(BASES) as (keyof typeof BASES)[]).flatMap((cloud) =>
    EDITIONS.flatMap((edition) => FAMILIES.map((family) => ({ cloud, edition, family }))),
  );
  it.each(cases)(
    "$cloud $edition image=$family",
    async ({ cloud, edition, family }) => {
      const env = `img-${cloud}-${edition}-${family ?? "default"}`;
      const doc = variant(BASES[cloud], family, edition);
      writeFileSync(join(dir, `Pulumi.${env}.yaml`), stringify({ config: { [ENVIRONMENT_KEY]: doc } }));
      const r = await previewEnvironment(env, { dir });
      const mandatory = [...r.diagnostics, ...r.policyDiagnostics].filter((d) => d.severity === "mandatory");
      if (PREVIEWS[cloud](family, edition)) {
        expect(mandatory).toEqual([]);
        expect(failed(r)).toBe(false);
        expect(r.resources.length).toBeGreaterThan(0);
      } else {
        expect(mandatory).toHaveLength(1);
        const [d] = mandatory as [(typeof mandatory)[number]];
        // A spec path the user edits: the pool's image or the cluster's edition.
        expect(d.path).toMatch(/^clusters\[0\]\.(nodePools\[0\]\.image|edition)$/);
        expect(d.message).toContain(family as string);
        expect(r.resources).toEqual([]);
      }
    },
    60_000,
  );
});
