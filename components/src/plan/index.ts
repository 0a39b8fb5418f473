// The plan layer: pure, no Pulumi import. Generated list; one line per module.
export * from "./cidr";
export * from "./diagnostic";
export * from "./spec";
export * from "./plan-types";
export * from "./planner";
export * from "./quantity";
export * from "./quota-merge";
export * from "./kubelet";
export * from "./rules/access";
export * from "./rules/cidr";
export * from "./rules/cluster";
export * from "./rules/image";
export * from "./rules/ingress";
export * from "./rules/lb";
export * from "./rules/node";
export * from "./rules/security";
