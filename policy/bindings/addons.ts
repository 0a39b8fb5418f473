/** addon/required over raw provider resources: add-ons per cluster and the objects that need them. */
import { type AddonFacts, addonRules } from "@kubeplat/plan";
import { stackAddonFacts } from "@kubeplat/plan/facts";
import type { StackBinding } from "../define";

const required: StackBinding<AddonFacts> = {
  scope: "stack",
  rule: "addon/required",
  description:
    "An object that needs a cluster add-on (AlbConfig and the alb IngressClass, a StorageClass's CSI driver, NetworkPolicies, autoscaling node pools) has it on the same cluster, installed before it.",
  key: "addons",
  settings: [],
  facts: (resources, _ctx, labels) => stackAddonFacts(resources, labels),
  check: addonRules["addon/required"],
};

export const addonBindings = [required];
