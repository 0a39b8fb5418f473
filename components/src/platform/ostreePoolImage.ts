/**
 * The NodeImage args of a managed pool with `image: ostree`: the environment's `ostreeImage`
 * (treefile, repository URL, bucket) built on the machine running Pulumi and imported as the
 * cloud's custom image, which the ACK node pool (`imageType: Custom`) or the EKS node group
 * (launch template `imageId`, no `amiType`) boots. On EKS the Ignition config joins the node with
 * its IAM role (eksJoin); ACK's own node initialisation joins ACK nodes.
 */

import type { ClusterSpec, Environment, NodePoolSpec, OstreeImageSpec } from "@kubeplat/plan";
import { NODE_IMAGE_FAMILY_TAG } from "@kubeplat/plan/facts";
import type { NodeImageArgs } from "../nodeimage/NodeImage";
import type { Refs } from "./platformArgs";

type Common = Omit<NodeImageArgs, "family" | "containerOs" | "bottlerocket" | "ostree">;

/**
 * The ostree settings of a NodeImage built from the environment's `ostreeImage` and imported as
 * the cloud's custom image: the treefile, the remote, the disk and its import. Shared by managed
 * pools with `image: ostree` and self-managed clusters (selfManagedArgs.ts).
 */
export function environmentOstreeSettings(
  env: Environment & { ostreeImage: OstreeImageSpec },
  architecture: NonNullable<NodePoolSpec["architecture"]> | undefined,
): Pick<NonNullable<NodeImageArgs["ostree"]>, "treefile" | "remoteUrl" | "gpgVerify" | "cloudImage"> {
  const o = env.ostreeImage;
  return {
    treefile: {
      ref: o.treefile.ref,
      releasever: o.treefile.releasever,
      repos: o.treefile.repos,
      packages: o.treefile.packages,
      excludePackages: o.treefile.excludePackages,
      units: o.treefile.units,
      kernelArguments: o.treefile.kernelArguments,
    },
    remoteUrl: o.remoteUrl,
    gpgVerify: o.gpgVerify,
    cloudImage: {
      cloud: env.cloud,
      bucket: o.bucket,
      keyPrefix: o.keyPrefix,
      diskSizeGiB: o.diskSizeGiB,
      ...(env.cloud === "aws" ? { architecture, vmImportRole: o.vmImportRole } : {}),
    },
  };
}

export function ostreePoolImageArgs(
  env: Environment & { ostreeImage: OstreeImageSpec },
  cluster: ClusterSpec,
  pool: NodePoolSpec,
  refs: Refs,
  common: Common,
): NodeImageArgs {
  const c = refs.cluster(cluster.name);
  return {
    ...common,
    family: "ostree",
    ostree: {
      ...environmentOstreeSettings(env, pool.architecture),
      ...(env.cloud === "aws"
        ? {
            eksJoin: {
              clusterName: c.name,
              apiServer: c.endpoint,
              certificateAuthority: c.certificateAuthority,
            },
          }
        : {}),
    },
  };
}

/**
 * The ECS tag that tells the policy pack an ACK pool's `Custom` image is the platform's own
 * ostree image (node/immutable-image): its id is not known before the update, so config
 * `immutableImages` cannot list it. Nothing for other pools.
 */
export function ostreePoolTags(pool: NodePoolSpec): Record<string, string> {
  return pool.image === "ostree" ? { [NODE_IMAGE_FAMILY_TAG]: "ostree" } : {};
}
