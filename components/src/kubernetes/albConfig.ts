/**
 * The ALB Ingress objects of ACK as plain data (no Pulumi import): the `AlbConfig` custom
 * resource (one ALB instance) and the IngressClass that points Ingresses at it.
 *
 * AlbConfig fields (ACK docs: Configure an AlbConfig): `spec.config` with `name`, `addressType`
 * (Internet/Intranet), `addressAllocatedMode: Dynamic`, `deletionProtectionEnabled`, `edition`,
 * `forceOverride`, `zoneMappings[].vSwitchId` ("Albconfig需要配置两个vSwitch"; the vSwitches lie in
 * two different zones, ACK docs: Access Services by using an ALB Ingress, rule ingress/alb-vswitches) and `accessLogConfig`
 * (`logStore` starts with `alb_`, ACK docs: Configure an AlbConfig). Deleting an AlbConfig releases its ALB
 * (ACK docs: Configure an AlbConfig), so the component protects it in production.
 *
 * The docs show AlbConfig in `kube-system`; current ALB Ingress controllers define it
 * cluster-scoped and bind it through an IngressClass with `parameters` (ACK "Configure an ALB
 * instance using an AlbConfig"). This module follows the current, cluster-scoped form.
 */

export const ALB_CONFIG_API_VERSION = "alibabacloud.com/v1";
export const ALB_CONFIG_KIND = "AlbConfig";
/** The controller value of ALB IngressClasses. */
export const ALB_INGRESS_CONTROLLER = "ingress.k8s.alibabacloud/alb";

export interface AlbConfigInput {
  /** AlbConfig metadata name and ALB instance name. */
  name: string;
  addressType: "Internet" | "Intranet";
  /** vSwitch ids in at least two zones. */
  vSwitchIds: string[];
  deletionProtection: boolean;
  /** `Standard` (default) or `StandardWithWaf`. */
  edition?: string;
  /** Access log to Simple Log Service: project and a logstore named `alb_*`. */
  accessLog?: { project: string; logStore: string };
  /** Listeners; default HTTP 80 (and HTTPS 443 when `https` is true). */
  https?: boolean;
}

/** The AlbConfig `spec`. */
export function albConfigSpec(input: AlbConfigInput): Record<string, unknown> {
  const config: Record<string, unknown> = {
    name: input.name,
    addressType: input.addressType,
    addressAllocatedMode: "Dynamic",
    deletionProtectionEnabled: input.deletionProtection,
    edition: input.edition ?? "Standard",
    forceOverride: false,
    zoneMappings: input.vSwitchIds.map((vSwitchId) => ({ vSwitchId })),
  };
  if (input.accessLog) {
    config.accessLogConfig = { logProject: input.accessLog.project, logStore: input.accessLog.logStore };
  }
  const listeners: Record<string, unknown>[] = [{ port: 80, protocol: "HTTP" }];
  if (input.https) listeners.push({ port: 443, protocol: "HTTPS" });
  return { config, listeners };
}

/** The IngressClass `spec` that binds a class to an AlbConfig. */
export function albIngressClassSpec(albConfigName: string): Record<string, unknown> {
  return {
    controller: ALB_INGRESS_CONTROLLER,
    parameters: { apiGroup: "alibabacloud.com", kind: ALB_CONFIG_KIND, name: albConfigName },
  };
}
