/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policy`. The policies live in
 * policies.ts (importable without starting the analyzer server this constructor starts).
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("platform", {
  description:
    "Quotas, CIDR plans, cluster, node, ingress and security rules of the Kubernetes platform (ACK, EKS), one policy per rule id of RULES.md.",
  displayName: "Kubernetes platform rules",
  enforcementLevel: "advisory",
  tags: ["kubernetes", "alicloud", "aws", "networking", "quotas"],
  policies,
});
