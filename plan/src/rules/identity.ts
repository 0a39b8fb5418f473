/**
 * `security/tenant-role-admin` (proposed for RULES.md): a tenant's workload identity (a cloud
 * role bound to one service account of one namespace) is never granted an administrator policy:
 * on AWS `AdministratorAccess`, `PowerUserAccess`, `IAMFullAccess` or an inline statement that
 * allows every action on every resource; on Alibaba Cloud `AdministratorAccess`,
 * `AliyunRAMFullAccess` or `AliyunSTSAssumeRoleAccess` (which reaches every other role). A tenant
 * that holds one of them can step out of its namespace into the whole account. Pure.
 */
import { type Diagnostic, diagnostic } from "../diagnostic";

/** AWS managed policies that hand out the account. */
export const AWS_ADMIN_POLICIES = [
  "arn:aws:iam::aws:policy/AdministratorAccess",
  "arn:aws:iam::aws:policy/PowerUserAccess",
  "arn:aws:iam::aws:policy/IAMFullAccess",
];
/** RAM system policies that hand out the account. */
export const RAM_ADMIN_POLICIES = ["AdministratorAccess", "AliyunRAMFullAccess", "AliyunSTSAssumeRoleAccess"];

export interface TenantRoleFact {
  resource: string;
  /** Field path of the policy list, e.g. `tenancy.projects[0].namespaces[1].serviceAccountRoles[0]`. */
  path: string;
  /** `<namespace>/<service account>`. */
  subject: string;
  /** AWS policy ARNs (any partition). */
  awsPolicyArns?: readonly string[];
  /** RAM system policy names. */
  ramPolicies?: readonly string[];
}

const adminArn = (arn: string) =>
  AWS_ADMIN_POLICIES.some((a) => arn.replace(/^arn:aws[a-z-]*:/, "arn:aws:") === a);

/** `security/tenant-role-admin`. */
export function checkTenantRoleAdmin(facts: readonly TenantRoleFact[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of facts) {
    (f.awsPolicyArns ?? []).forEach((arn, i) => {
      if (adminArn(arn))
        out.push(
          diagnostic("security/tenant-role-admin", {
            resource: f.resource,
            path: `${f.path}.awsPolicyArns[${i}]`,
            message: `the role of tenant service account ${f.subject} is granted ${arn}, an administrator policy; grant the narrow policies the workload needs`,
          }),
        );
    });
    (f.ramPolicies ?? []).forEach((name, i) => {
      if (RAM_ADMIN_POLICIES.includes(name))
        out.push(
          diagnostic("security/tenant-role-admin", {
            resource: f.resource,
            path: `${f.path}.ramPolicies[${i}]`,
            message: `the RAM role of tenant service account ${f.subject} is granted ${name}, an administrator policy; grant the narrow policies the workload needs`,
          }),
        );
    });
  }
  return out;
}
