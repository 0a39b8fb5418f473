/**
 * Shape checks of component args that no catalogue rule covers (a missing subnet, min > max, an
 * unknown enum value). They are reported as `spec/schema` diagnostics, the id the spec parser
 * uses for shape problems, so a component still throws one error listing every problem with
 * its path and values (pure, no Pulumi import).
 */
import { type Diagnostic, SPEC_SCHEMA } from "@kubeplat/plan";

export function argProblem(resource: string, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message };
}

/** A string that must be one of `allowed`; undefined passes (the default applies). */
export function checkOneOf(
  resource: string,
  path: string,
  value: string | undefined,
  allowed: readonly string[],
): Diagnostic[] {
  if (value === undefined || allowed.includes(value)) return [];
  return [argProblem(resource, path, `${JSON.stringify(value)} is not one of ${allowed.join(", ")}`)];
}

/** A DNS-1123 label (Kubernetes namespace names, label-like names): 1–63 of [a-z0-9-]. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
