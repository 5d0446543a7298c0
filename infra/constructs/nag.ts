/**
 * cdk-nag 3 acknowledgements, in one place so that every one carries a reason and the IAM5
 * finding ids are computed the way cdk-nag computes them (never hand-copied from a report).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
// Deep import on purpose: the rule builds its finding ids with this function, so using the same
// one keeps acknowledgements and findings identical across cdk-nag releases.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

/**
 * Acknowledges one rule (or one finding, `Rule[Finding]`) on a construct and everything below it.
 *
 * @example
 * acknowledge(logsBucket, 'AwsSolutions-S1', 'This is the access-log bucket itself.');
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges the AwsSolutions-IAM5 finding that a wildcard resource (an object-key pattern such as
 * `<bucket ARN>/incoming/*`, or `*` itself) produces in a policy attached below `scope`.
 *
 * Only resolvable values work: intrinsic references to another stack are replaced at synthesis,
 * which is why the pipeline stack receives the storage stack's values as named imports.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const flattened = flattenCfnReference(Stack.of(scope).resolve(resource));
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${flattened}]`, reason);
}
