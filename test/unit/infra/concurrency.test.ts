/**
 * Cloud defaults that protect the account: a maximum concurrency on every SQS event source
 * (translate sized from the engine's budget), reserved concurrency checked against it, GET/HEAD
 * only at the edge, and alarms that either notify someone or say at synth that they do not.
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config';
import { stageConcurrency } from '../../../infra/stacks/pipeline-stack';
import { CDK_JSON_CONTEXT, EVERYTHING_ON, resourcesOfType, synthPolywire, type SynthesizedPolywire } from './synth';

const defaults = synthPolywire();
const custom = synthPolywire(EVERYTHING_ON);

/** Event-source settings by queue (`Ingest`, `Translate`, `TranslateBulk`, `Webhook` …). */
function eventSources(app: SynthesizedPolywire): Record<string, { maxConcurrency: number | undefined; batchSize: number }> {
  return Object.fromEntries(
    Object.values(resourcesOfType(app.pipelineTemplate, 'AWS::Lambda::EventSourceMapping')).map((mapping) => [
      String(mapping.Properties!.EventSourceArn['Fn::GetAtt'][0]).replace(/Queue.*$/, ''),
      { maxConcurrency: mapping.Properties!.ScalingConfig?.MaximumConcurrency, batchSize: mapping.Properties!.BatchSize },
    ]),
  );
}

const config = (context: Record<string, unknown>) => loadConfig({ tryGetContext: (key) => ({ ...CDK_JSON_CONTEXT, ...context })[key] });

describe('event-source concurrency', () => {
  it('caps every stage by default, translate sized from the amazon-translate budget (40 requests: bulk lane 2 × 1 job, standard 2 × 4 jobs, × 4 requests)', () => {
    expect(eventSources(defaults)).toEqual({
      Ingest: { maxConcurrency: 5, batchSize: 10 },
      Translate: { maxConcurrency: 2, batchSize: 4 },
      TranslateBulk: { maxConcurrency: 2, batchSize: 1 },
      Publish: { maxConcurrency: 50, batchSize: 10 },
      Webhook: { maxConcurrency: 10, batchSize: 10 },
      Lifecycle: { maxConcurrency: 2, batchSize: 10 },
    });
  });

  it('sizes translate from engineConcurrency and lets maxConcurrency set any stage', () => {
    const app = synthPolywire({ engineConcurrency: 400, maxConcurrency: { ingest: 3, deliver: 20 } });
    expect(eventSources(app)).toMatchObject({
      Ingest: { maxConcurrency: 3 },
      // 400 requests / 4 per job = 100 jobs, 2 of them the bulk lane's: 9 invocations of 10.
      Translate: { maxConcurrency: 9, batchSize: 10 },
      TranslateBulk: { maxConcurrency: 2, batchSize: 1 },
      Webhook: { maxConcurrency: 20 },
    });
  });

  it('keeps translate within the engine budget however small, shrinking the batch below SQS’s minimum of 2 invocations', () => {
    for (const engineConcurrency of [1, 8, 16, 40, 80, 100, 4000]) {
      const { translate } = stageConcurrency(config({ engineConcurrency }));
      // Both lanes: the standard one and the bulk one's 2 × 1 job.
      const inFlight = (translate.maxConcurrency * translate.batchSize + 2) * 4;
      expect(translate.maxConcurrency).toBeGreaterThanOrEqual(2);
      expect(translate.maxConcurrency).toBeLessThanOrEqual(1000);
      expect(translate.batchSize).toBeGreaterThanOrEqual(1);
      expect(translate.batchSize).toBeLessThanOrEqual(10);
      // At least 2 × 1 × 4 requests per lane are unavoidable; above that the budget holds.
      expect(inFlight, `engineConcurrency ${engineConcurrency}`).toBeLessThanOrEqual(Math.max(16, engineConcurrency));
    }
    expect(stageConcurrency(config({ engine: 'libretranslate', libreTranslateUrl: 'https://translate.example.org' })).translate).toEqual({ maxConcurrency: 2, batchSize: 1 });
  });

  it('refuses a maximum concurrency outside SQS’s 2–1000 and a non-number engine budget, naming the key', () => {
    expect(() => config({ maxConcurrency: { translate: 1 } })).toThrow(/context "maxConcurrency" \(translate\)/);
    expect(() => config({ maxConcurrency: '{"ingest": 1001}' })).toThrow(/maxConcurrency/);
    expect(() => config({ engineConcurrency: 'many' })).toThrow(/context "engineConcurrency"/);
    expect(config({ engineConcurrency: '120', maxConcurrency: '{"publish": 4}' })).toMatchObject({ engineConcurrency: 120, maxConcurrency: { publish: 4 } });
  });

  it('passes reserved concurrency through and warns at synth when it is below the stage’s maximum concurrency', () => {
    const reserved = Object.values(resourcesOfType(custom.pipelineTemplate, 'AWS::Lambda::Function')).filter((fn) => fn.Properties!.ReservedConcurrentExecutions !== undefined);
    expect(reserved.map((fn) => fn.Properties!.ReservedConcurrentExecutions)).toEqual([5]);
    Annotations.fromStack(custom.pipeline).hasNoWarning('*', Match.stringLikeRegexp('reservedConcurrency'));

    const throttled = synthPolywire({ reservedConcurrency: { publish: 4 } });
    Annotations.fromStack(throttled.pipeline).hasWarning('*', Match.stringLikeRegexp('reservedConcurrency.publish \\(4\\) is below the publish event source.s maximum concurrency \\(50\\)'));
    // Translate's reservation must also cover its bulk lane: 2 standard + 2 bulk invocations.
    const translate = synthPolywire({ reservedConcurrency: { translate: 3 } });
    Annotations.fromStack(translate.pipeline).hasWarning(
      '*',
      Match.stringLikeRegexp('reservedConcurrency.translate \\(3\\) is below the translate event sources. maximum concurrency \\(4, its bulk lane.s 2 included\\)'),
    );
  });
});

describe('CloudFront', () => {
  it('allows and caches GET and HEAD only', () => {
    for (const app of [defaults, custom]) {
      app.storageTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ AllowedMethods: ['GET', 'HEAD'], CachedMethods: ['GET', 'HEAD'] }),
        }),
      });
    }
  });
});

describe('alarm actions', () => {
  const alarms = (app: SynthesizedPolywire) => Object.values(resourcesOfType(app.pipelineTemplate, 'AWS::CloudWatch::Alarm'));

  it('warns at synth that the alarms notify nobody when no alarm e-mail is configured', () => {
    expect(alarms(defaults).length).toBeGreaterThan(0);
    for (const alarm of alarms(defaults)) expect(alarm.Properties!.AlarmActions).toBeUndefined();
    Annotations.fromStack(defaults.pipeline).hasWarning('*', Match.stringLikeRegexp(`the ${alarms(defaults).length} alarms .* notify nobody: set the alarmEmail context key`));
  });

  it('sends every alarm to the topic and does not warn when an e-mail address is configured', () => {
    for (const alarm of alarms(custom)) {
      expect(alarm.Properties!.AlarmActions).toHaveLength(1);
      expect(alarm.Properties!.OKActions).toEqual(alarm.Properties!.AlarmActions);
    }
    Annotations.fromStack(custom.pipeline).hasNoWarning('*', Match.stringLikeRegexp('notify nobody'));
  });
});
