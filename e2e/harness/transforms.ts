/**
 * The only changes the e2e suite makes to what the programs register, as a Pulumi resource
 * transform the harness installs around the unchanged programs (the components and stacks know
 * nothing of it, so a real `pulumi up` is untouched):
 *
 *  - Helm releases install the offline stand-in chart of the same name and version from
 *    e2e/charts/ (there is no network to pull the pinned chart from), with `skipAwait`.
 *  - Workloads and Services get the Kubernetes provider's `pulumi.com/skipAwait: "true"`
 *    annotation: there is no kubelet or scheduler, so no pod ever becomes ready and no endpoint
 *    appears.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { REPO } from "./toolchain";

const AWAITING = new Set([
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:batch/v1:Job",
  "kubernetes:core/v1:Service",
  "kubernetes:core/v1:Pod",
  "kubernetes:networking.k8s.io/v1:Ingress",
  "kubernetes:core/v1:PersistentVolumeClaim",
]);

type Props = Record<string, unknown>;

export const e2eTransform: pulumi.ResourceTransform = (args) => {
  const props = { ...(args.props as Props) };
  if (args.type === "kubernetes:helm.sh/v3:Release") {
    const chart = String(props.chart);
    const local = join(REPO, "e2e", "charts", chart);
    if (!existsSync(local)) throw new Error(`e2e: no offline stand-in chart for "${chart}" in e2e/charts/`);
    props.chart = local;
    delete props.repositoryOpts;
    props.skipAwait = true;
    return { props, opts: args.opts };
  }
  if (AWAITING.has(args.type)) {
    const metadata = { ...((props.metadata as Props | undefined) ?? {}) };
    metadata.annotations = {
      ...((metadata.annotations as Props | undefined) ?? {}),
      "pulumi.com/skipAwait": "true",
    };
    props.metadata = metadata;
    return { props, opts: args.opts };
  }
  return undefined;
};
