// @kubeplat/plan/facts: pure decoders from provider resource properties to the facts the rules
// judge. The CrossGuard pack runs them on what the engine shows it, the offline preview on what
// the mock runtime recorded, the components on the properties they are about to register.
export * from "./access";
export * from "./addons";
export * from "./cluster";
// Two modules name a helper alike; these settle which one the bare name means.
export { clusterFacts } from "./cluster";
export * from "./deployer";
export * from "./known";
export * from "./kubernetes";
export { clusterName as providerClusterName } from "./kubernetes";
export * from "./network";
export { clusterFacts as clusterNetworkFacts, clusterName } from "./network";
export * from "./quota";
export * from "./rawResource";
export * from "./resourceTypes";
export * from "./service";
export * from "./settings";
export * from "./stack";
