/**
 * The cloud provider SDKs, each loaded the first time a component creates one of its resources.
 *
 * Every component of both clouds is in the library's one module graph (the Platform's child list
 * names them all), and `import * as aws from "@pulumi/aws"` at the top of a module loads the SDK
 * when the module loads: an Alibaba Cloud environment paid for `@pulumi/aws` (about 0.15 s of CPU
 * and 20 MiB) and an AWS environment for `@pulumi/alicloud`. A component module imports the SDK's
 * types only (`import type * as aws`) and takes the SDK from here in the constructor
 * (`const aws = awsSdk();`), so the same classes register the same resources, and a program loads
 * the SDKs of the clouds it builds on. The validators never need an SDK.
 */
import type * as Alicloud from "@pulumi/alicloud";
import type * as Aws from "@pulumi/aws";
import type * as Tls from "@pulumi/tls";

let aws: typeof Aws | undefined;
let alicloud: typeof Alicloud | undefined;
let tls: typeof Tls | undefined;

/** `@pulumi/aws`, loaded on the first call. */
export function awsSdk(): typeof Aws {
  aws ??= require("@pulumi/aws") as typeof Aws;
  return aws;
}

/** `@pulumi/alicloud`, loaded on the first call. */
export function alicloudSdk(): typeof Alicloud {
  alicloud ??= require("@pulumi/alicloud") as typeof Alicloud;
  return alicloud;
}

/** `@pulumi/tls` (self-managed clusters' PKI), loaded on the first call. */
export function tlsSdk(): typeof Tls {
  tls ??= require("@pulumi/tls") as typeof Tls;
  return tls;
}
