/**
 * TenantIdentities: a cloud role for each tenant service account that asks for one, bound to
 * that service account only.
 *
 *  - EKS (EKS Pod Identity): an IAM role trusted by `pods.eks.amazonaws.com` (`sts:AssumeRole`,
 *    `sts:TagSession`), the requested policy ARNs attached, and an `eks.PodIdentityAssociation`
 *    for `<namespace>/<service account>` of the cluster (after the eks-pod-identity-agent add-on,
 *    the component's dependsOn).
 *  - ACK (RRSA; ACK docs: "Use RRSA to authorize different pods to access different cloud
 *    services"): a RAM role trusted by the cluster's RRSA OIDC provider for exactly that service
 *    account (`oidc:sub` = `system:serviceaccount:<namespace>:<name>`, `oidc:aud` =
 *    `sts.aliyuncs.com`, `oidc:iss` = the issuer), the requested system policies attached. The
 *    pod reads the role through ACK's `ack-pod-identity-webhook` or the RRSA SDK credentials.
 *
 * No administrator policy is ever attached (`security/tenant-role-admin`), checked before
 * anything is registered.
 */

import { checkTenantRoleAdmin, type Diagnostic, SPEC_SCHEMA } from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrustPolicy } from "../aws/podIdentity";
import { alicloudSdk, awsSdk } from "../cloudSdks";
import { judge } from "../judgement";
import { dependsOnList } from "./clusterAddons";

/** One service account's role. */
export interface TenantServiceAccountRoleArgs {
  /** The namespace. Required. */
  namespace: string;
  /** The service account. Required. */
  serviceAccount: string;
  /** EKS: IAM policy ARNs to attach. Default []. */
  awsPolicyArns?: string[];
  /** ACK: RAM system policy names to attach. Default []. */
  ramPolicies?: string[];
}

export interface TenantIdentitiesArgs {
  /** `aws` (EKS Pod Identity) or `alicloud` (ACK RRSA). Required. */
  cloud: string;
  /** EKS: the cluster name. Required on aws. */
  clusterName?: pulumi.Input<string>;
  /** ACK: the RRSA OIDC provider ARN (`AckCluster.rrsaOidcProviderArn`). Required on alicloud. */
  oidcProviderArn?: pulumi.Input<string>;
  /** ACK: the RRSA issuer URL (`AckCluster.rrsaOidcIssuerUrl`). Required on alicloud. */
  oidcIssuerUrl?: pulumi.Input<string>;
  /** The roles. Required (may be empty). */
  roles: TenantServiceAccountRoleArgs[];
  /** Tags of the roles. Default {}. */
  tags?: Record<string, string>;
}

/** The RRSA trust policy of a RAM role for one service account. */
export function rrsaTrustPolicy(
  providerArn: string,
  issuerUrl: string,
  namespace: string,
  serviceAccount: string,
): Record<string, unknown> {
  return {
    Version: "1",
    Statement: [
      {
        Action: "sts:AssumeRole",
        Effect: "Allow",
        Principal: { Federated: [providerArn] },
        Condition: {
          StringEquals: {
            "oidc:aud": "sts.aliyuncs.com",
            "oidc:iss": issuerUrl,
            "oidc:sub": `system:serviceaccount:${namespace}:${serviceAccount}`,
          },
        },
      },
    ],
  };
}

export function validateTenantIdentitiesArgs(resource: string, args: TenantIdentitiesArgs): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (path: string, message: string) =>
    out.push({ rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message });
  if (args.cloud !== "aws" && args.cloud !== "alicloud")
    bad("cloud", `cloud "${args.cloud}" is not one of alicloud, aws`);
  if (args.cloud === "aws" && args.clusterName === undefined)
    bad("clusterName", "EKS Pod Identity needs clusterName");
  if (args.cloud === "alicloud" && (args.oidcProviderArn === undefined || args.oidcIssuerUrl === undefined))
    bad("oidcProviderArn", "RRSA needs the cluster's oidcProviderArn and oidcIssuerUrl");
  const seen = new Set<string>();
  args.roles.forEach((r, i) => {
    const key = `${r.namespace}/${r.serviceAccount}`;
    if (seen.has(key))
      bad(`roles[${i}]`, `service account ${key} has two roles; one role per service account`);
    seen.add(key);
  });
  out.push(
    ...checkTenantRoleAdmin(
      args.roles.map((r, i) => ({
        resource,
        path: `roles[${i}]`,
        subject: `${r.namespace}/${r.serviceAccount}`,
        awsPolicyArns: r.awsPolicyArns,
        ramPolicies: r.ramPolicies,
      })),
    ),
  );
  return out;
}

export class TenantIdentities extends pulumi.ComponentResource {
  /** `<namespace>/<service account>` → the role's ARN. */
  readonly roleArns: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: TenantIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    judge(`TenantIdentities "${name}"`, args, () => validateTenantIdentitiesArgs(name, args));
    super("platform:kubernetes:TenantIdentities", name, {}, opts);
    const tags = args.tags ?? {};
    const arns: Record<string, pulumi.Output<string>> = {};
    for (const r of args.roles) {
      const base = `${name}-${r.namespace}-${r.serviceAccount}`;
      const key = `${r.namespace}/${r.serviceAccount}`;
      if (args.cloud === "aws") {
        const aws = awsSdk();
        const role = new aws.iam.Role(
          base,
          {
            description: `Tenant service account ${key} (EKS Pod Identity)`,
            assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()),
            tags,
          },
          { parent: this },
        );
        const attachments = (r.awsPolicyArns ?? []).map(
          (arn, i) =>
            new aws.iam.RolePolicyAttachment(
              `${base}-${i}`,
              { role: role.name, policyArn: arn },
              { parent: this },
            ),
        );
        new aws.eks.PodIdentityAssociation(
          base,
          {
            clusterName: args.clusterName as pulumi.Input<string>,
            namespace: r.namespace,
            serviceAccount: r.serviceAccount,
            roleArn: role.arn,
            tags,
          },
          { parent: this, dependsOn: [...attachments, ...dependsOnList(opts)] },
        );
        arns[key] = role.arn;
      } else {
        const alicloud = alicloudSdk();
        const role = new alicloud.ram.Role(
          base,
          {
            roleName: `${r.namespace}-${r.serviceAccount}`.slice(0, 64),
            description: `Tenant service account ${key} (ACK RRSA)`,
            assumeRolePolicyDocument: pulumi
              .all([args.oidcProviderArn as pulumi.Input<string>, args.oidcIssuerUrl as pulumi.Input<string>])
              .apply(([provider, issuer]) =>
                JSON.stringify(rrsaTrustPolicy(provider, issuer, r.namespace, r.serviceAccount)),
              ),
          },
          { parent: this },
        );
        (r.ramPolicies ?? []).forEach((policy, i) => {
          new alicloud.ram.RolePolicyAttachment(
            `${base}-${i}`,
            { roleName: role.roleName, policyName: policy, policyType: "System" },
            { parent: this },
          );
        });
        arns[key] = role.arn;
      }
    }
    this.roleArns = pulumi.all(arns);
    this.registerOutputs({ roleArns: this.roleArns });
  }
}
