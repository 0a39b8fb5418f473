/**
 * The platform program: reads this stack's environment spec (`platform:environment` in
 * `stacks/Pulumi.<stack>.yaml`) and builds it. Returns the stack outputs: the versioned
 * contract other teams read through `PlatformReference` (see components/src/platform/contract.ts).
 */
import { Platform } from "@kubeplat/components";
import * as pulumi from "@pulumi/pulumi";

export function platformProgram(): Record<string, pulumi.Output<unknown>> {
  const config = new pulumi.Config("platform");
  const platform = new Platform(pulumi.getStack(), {
    environment: config.requireObject("environment"),
    baselineAllocations: config.getObject<Record<string, string>>("baselineAllocations"),
  });
  const o = platform.outputs;
  return {
    contractVersion: o.contractVersion,
    environment: o.environment,
    cloud: o.cloud,
    region: o.region,
    vpc: o.vpc,
    vswitches: o.vswitches,
    clusters: o.clusters,
    kubeconfigs: platform.kubeconfigs,
  };
}
