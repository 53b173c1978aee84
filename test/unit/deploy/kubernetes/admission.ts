import { evaluate } from '@marcbachmann/cel-js';
import type { Manifest } from './manifests.ts';

interface Validation {
  expression: string;
  message: string;
}

/**
 * The messages of a ValidatingAdmissionPolicy's validations that refuse `object`, its variables
 * evaluated first as the API server does. Evaluated with a standard CEL evaluator: the API
 * server's CEL (type-checked against the OpenAPI schema, with cost limits and Kubernetes'
 * own libraries) is not run here, and the policy uses none of those libraries. An expression
 * that fails to evaluate refuses, as under `failurePolicy: Fail`.
 *
 * @example
 * refusals(policy, { spec: { hostUsers: true, containers: [] } })
 * // ['A sandbox pod runs in its own user namespace (hostUsers: false).', …]
 */
export function refusals(policy: Manifest, object: unknown): string[] {
  const variables: Record<string, unknown> = {};
  for (const v of policy.spec.variables ?? []) {
    variables[v.name] = evaluate(v.expression, { object, variables });
  }
  return (policy.spec.validations as Validation[])
    .filter((v) => {
      try {
        return evaluate(v.expression, { object, variables }) !== true;
      } catch {
        return true;
      }
    })
    .map((v) => v.message);
}
