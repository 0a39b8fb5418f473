/**
 * Spec checks that need more than the schema's shape and less than a rule's facts: values that
 * only make sense on one cloud (a CNI, a Kubernetes version) and the region the stack's
 * provider settings point at. Each reports once, at the spec path the user edits, before the
 * rules that would otherwise trip over the same value several times.
 */
import { type Diagnostic, SPEC_SCHEMA } from "./diagnostic";
import { CNIS_OF_CLOUD, type Environment } from "./resolve";
import { kubernetesVersionProblem } from "./versions";

const CLOUD_LABEL = { alicloud: "Alibaba Cloud (ACK)", aws: "AWS (EKS)" } as const;

function problem(env: Pick<Environment, "name">, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource: env.name, path, message };
}

/** Clusters whose CNI the cloud does not offer (`vpc-cni` on ACK, Terway or Flannel on EKS). */
export function checkCniAvailable(env: Environment): Diagnostic[] {
  const offered = CNIS_OF_CLOUD[env.cloud];
  return env.clusters.flatMap((c, i) =>
    offered.includes(c.cni)
      ? []
      : [
          problem(
            env,
            `clusters[${i}].cni`,
            `cluster "${c.name}": cni "${c.cni}" is not available on ${CLOUD_LABEL[env.cloud]}; it offers ${offered.map((x) => `"${x}"`).join(" or ")}`,
          ),
        ],
  );
}

/** Kubernetes versions that are not versions of the environment's cloud (versions.ts). */
export function checkKubernetesVersions(env: Environment): Diagnostic[] {
  return env.clusters.flatMap((c, i) => {
    const why = kubernetesVersionProblem(env.cloud, c.kubernetesVersion);
    return why ? [problem(env, `clusters[${i}].kubernetesVersion`, `cluster "${c.name}": ${why}`)] : [];
  });
}

/** The stack setting that names a cloud's default region for its provider. */
export const REGION_SETTING = { alicloud: "alicloud:region", aws: "aws:region" } as const;

/**
 * The spec's `region` against the region the cloud provider is configured with (the stack's
 * `alicloud:region` / `aws:region`): the components create every resource through the stack's
 * provider, so two different values would put the platform in a region the spec does not name.
 * No setting: nothing to compare (the provider then reads its environment variables, which a
 * program cannot see without credentials).
 */
export function checkRegion(
  env: Pick<Environment, "name" | "cloud" | "region">,
  configured?: string,
): Diagnostic[] {
  if (configured === undefined || configured === "" || configured === env.region) return [];
  return [
    problem(
      env,
      "region",
      `region "${env.region}" differs from the stack's ${REGION_SETTING[env.cloud]} "${configured}": the resources would be created in "${configured}"; make them the same`,
    ),
  ];
}
