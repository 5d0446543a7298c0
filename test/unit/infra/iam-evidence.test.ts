/**
 * IAM from evidence: the AWS SDK commands each stage sent in the integration runs
 * (test/integration/sdk-commands.json, recorded by test/support/sdk-commands.ts) must be granted
 * to that stage's function, on the bucket, table, index or queue the command named; and no
 * function holds a DynamoDB action that its recorded commands do not need, nor may send to a
 * queue it was not seen sending to (the stages send through the local SQS service in the runs).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../../../infra/config';
import { localQueueSettings } from '../../../functions/stages';
import { type PolicyStatement, iamActionsFor, isGranted, renderResource, ungrantedEntries } from '../../support/iam-evidence';
import { readEvidence } from '../../support/sdk-commands';
import { type SynthesizedPolywire, resourcesOfType, synthPolywire } from './synth';

let defaults: SynthesizedPolywire;
beforeAll(() => {
  defaults = synthPolywire();
}, 180_000);

const evidence = readEvidence();
const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The statements of the identity policies attached to one function's role. */
function statementsOf(name: string): PolicyStatement[] {
  const roles = Object.keys(resourcesOfType(defaults.pipelineTemplate, 'AWS::IAM::Role'));
  const roleId = roles.find((id) => id.startsWith(`${capitalize(name)}Role`));
  if (!roleId) throw new Error(`no role for function ${name}`);
  return Object.values(resourcesOfType(defaults.pipelineTemplate, 'AWS::IAM::Policy'))
    .filter((policy) => policy.Properties!.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as PolicyStatement[]);
}

describe('IAM from evidence', () => {
  it('has evidence for every function, and only for functions', () => {
    expect(Object.keys(evidence).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it('grants every function each command its stage sent in the integration runs, on what the command named', () => {
    expect(ungrantedEntries(evidence, statementsOf)).toEqual([]);
  });

  it.each(FUNCTION_NAMES)('grants %s no DynamoDB action its recorded commands do not need', (name) => {
    const needed = new Set(
      (evidence[name] ?? []).flatMap((entry) => {
        const [operation, resource] = entry.split(' ') as [string, string];
        return iamActionsFor(operation).map((action) => `${action} ${resource.replace(/^table/, 'TableArn')}`);
      }),
    );
    const granted = statementsOf(name)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) =>
        asArray(statement.Action)
          .filter((action) => action.startsWith('dynamodb:'))
          .flatMap((action) => asArray(statement.Resource).map((resource) => `${action} ${renderResource(resource)}`)),
      );
    expect(granted.filter((grant) => !needed.has(grant))).toEqual([]);
  });

  it.each(FUNCTION_NAMES)('grants %s sqs:SendMessage on exactly the queues its stage sent to', (name) => {
    const sentTo = new Set((evidence[name] ?? []).filter((entry) => /^sqs:SendMessage(Batch)? /.test(entry)).map((entry) => entry.split(' ')[1]!));
    // Every queue, translate's bulk lane included.
    const queues = localQueueSettings().map(({ settings }) => settings.queueName);
    const grantedOn = queues.filter((queue) => isGranted(statementsOf(name), 'sqs:SendMessage', queue));
    expect(grantedOn).toEqual(queues.filter((queue) => sentTo.has(queue)));
  });
});
