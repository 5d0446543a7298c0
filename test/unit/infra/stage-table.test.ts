/**
 * The stage table (functions/stages.ts) is the one place a stage's settings are written: the
 * synthesized CloudFormation template and the local stack's queues and runner bindings must all
 * use what it says (the local ones where it says they differ). The integration harness runs the
 * stages with the same `localBindings` (test/integration/pipeline/harness.ts).
 */
import { describe, expect, it } from 'vitest';
import { localBindings, QUEUE_NAMES } from '../../../infra/local/stack';
import type { LocalQueue } from '../../../infra/local/sqs/queue';
import { STAGE_NAMES, STAGES, localStageSettings, VISIBILITY_TIMEOUT_FACTOR, type StageDefinition, type StageName } from '../../../functions/stages';
import { resourcesOfType, synthPolywire } from './synth';

const app = synthPolywire();
const capitalized = (stage: StageName) => stage.charAt(0).toUpperCase() + stage.slice(1);

/** Per stage, what the template gives its function, event source and queue. */
function cloudSettings(stage: StageName) {
  const functions = resourcesOfType(app.pipelineTemplate, 'AWS::Lambda::Function');
  const [functionId, fn] = Object.entries(functions).find(([id]) => id.startsWith(`${capitalized(stage)}Function`))!;
  const mapping = Object.values(resourcesOfType(app.pipelineTemplate, 'AWS::Lambda::EventSourceMapping')).find((m) => m.Properties!.FunctionName.Ref === functionId)!;
  const queueId = mapping.Properties!.EventSourceArn['Fn::GetAtt'][0] as string;
  const queue = resourcesOfType(app.pipelineTemplate, 'AWS::SQS::Queue')[queueId]!;
  return {
    description: fn.Properties!.Description,
    timeoutSeconds: fn.Properties!.Timeout,
    memoryMb: fn.Properties!.MemorySize,
    batchSize: mapping.Properties!.BatchSize,
    maxBatchingWindowSeconds: mapping.Properties!.MaximumBatchingWindowInSeconds,
    maxConcurrency: mapping.Properties!.ScalingConfig?.MaximumConcurrency,
    queueId,
    fifo: queue.Properties!.FifoQueue === true,
  };
}

describe('the stage table', () => {
  it.each(STAGE_NAMES)('%s: the synthesized template uses the table', (stage) => {
    const table = STAGES[stage];
    const cloud = cloudSettings(stage);
    expect(cloud).toMatchObject({
      description: table.description,
      timeoutSeconds: table.timeoutSeconds,
      memoryMb: table.memoryMb,
      maxBatchingWindowSeconds: table.maxBatchingWindowSeconds,
      fifo: table.queue.fifo,
    });
    expect(cloud.queueId.startsWith(`${capitalized(table.queue.name as StageName)}Queue`)).toBe(true);
    if (table.maxConcurrency === undefined) {
      // Translate: sized from the engine budget, never above the table's batch.
      expect(cloud.batchSize).toBe(app.pipeline.concurrency[stage].batchSize);
      expect(cloud.batchSize).toBeLessThanOrEqual(table.batchSize);
    } else {
      expect(cloud.batchSize).toBe(table.batchSize);
      expect(cloud.maxConcurrency).toBe(table.maxConcurrency);
    }
  });

  it('the local stack names, sizes and binds its queues from the table', () => {
    const fakeQueue = (name: string) => ({ name }) as unknown as LocalQueue;
    const noop = async () => undefined;
    const bindings = localBindings(fakeQueue, Object.fromEntries(STAGE_NAMES.map((s) => [s, noop])) as never);
    // Each stage's own queue, then translate's bulk lane, bound to the same function.
    expect(bindings.map((b) => b.functionName)).toEqual([...STAGE_NAMES.map((s) => `polywire-${s}`), 'polywire-translate']);
    expect(STAGE_NAMES.map((stage) => QUEUE_NAMES[stage])).toEqual(bindings.slice(0, STAGE_NAMES.length).map((b) => (b.queue as unknown as { name: string }).name));
    expect(bindings.at(-1)).toMatchObject({ batchSize: 1, concurrency: STAGES.translate.bulkLane.local.concurrency, timeoutMs: localStageSettings('translate').timeoutSeconds * 1000 });
    expect((bindings.at(-1)!.queue as unknown as { name: string }).name).toBe('polywire-translate-bulk');
    for (const [index, stage] of STAGE_NAMES.entries()) {
      const table: StageDefinition<never> = STAGES[stage];
      const local: { batchSize?: number; timeoutSeconds?: number } = table.local.differs ?? {};
      expect(bindings[index]).toMatchObject({
        batchSize: local.batchSize ?? table.batchSize,
        timeoutMs: (local.timeoutSeconds ?? table.timeoutSeconds) * 1000,
        concurrency: table.local.concurrency,
      });
      expect((bindings[index]!.queue as unknown as { name: string }).name).toBe(`polywire-${table.queue.name}${table.queue.fifo ? '.fifo' : ''}`);
      expect(localStageSettings(stage).visibilityTimeoutSeconds).toBe((local.timeoutSeconds ?? table.timeoutSeconds) * VISIBILITY_TIMEOUT_FACTOR);
      // A deliberate difference says why.
      if (table.local.differs) expect(table.local.differs.reason.length).toBeGreaterThan(20);
    }
  });
});
