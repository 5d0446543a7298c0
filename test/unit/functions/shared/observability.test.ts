/**
 * The tracer is loaded only when tracing is asked for: POWERTOOLS_TRACE_ENABLED=true (which the
 * function construct sets with -c enableTracing=true) → config → loadTracing → the wrapper (middy with the tracer middleware).
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadDeliverConfig } from '../../../../functions/config';
import { createObservability, loadTracing, withObservability } from '../../../../functions/shared/observability';

const base = { TABLE_NAME: 'polywire', WEBHOOK_QUEUE_URL: 'http://127.0.0.1:9324/queue/polywire-webhook' };

describe('tracing configuration', () => {
  it('is on only for POWERTOOLS_TRACE_ENABLED=true', () => {
    expect(loadDeliverConfig({ ...base, POWERTOOLS_TRACE_ENABLED: 'true' }).observability?.tracing).toBe(true);
    expect(loadDeliverConfig({ ...base, POWERTOOLS_TRACE_ENABLED: 'false' }).observability?.tracing).toBeUndefined();
    expect(loadDeliverConfig(base).observability?.tracing).toBeUndefined();
  });
});

describe('loadTracing', () => {
  it('loads nothing unless tracing is true', async () => {
    await expect(loadTracing('deliver')).resolves.toBeUndefined();
    await expect(loadTracing('deliver', { tracing: false })).resolves.toBeUndefined();
  });

  it('gives the Powertools tracer and its middleware when tracing is true, and the chain uses the middleware', async () => {
    const tracing = await loadTracing('deliver', { tracing: true });
    expect(tracing?.tracer).toBeInstanceOf(Tracer);
    const calls: string[] = [];
    const middleware = tracing!.middleware;
    const before: NonNullable<typeof middleware.before> = async (request) => {
      calls.push('before');
      await middleware.before?.(request);
    };
    const observed = { ...tracing!, middleware: { ...middleware, before } };
    const observability = createObservability('deliver', { logLevel: 'SILENT', metrics: false }, observed);
    const handler = withObservability(async () => ({ batchItemFailures: [] }), observability);
    await handler({ Records: [] } as unknown as SQSEvent, { functionName: 'f', awsRequestId: 'r' } as Context);
    expect(calls).toEqual(['before']);
    expect(createObservability('deliver').tracing).toBeUndefined();
  });
});

describe('withObservability without the tracer', () => {
  const context = { functionName: 'polywire-deliver', awsRequestId: 'req-1' } as Context;
  const event = { Records: [{}, {}] } as unknown as SQSEvent;

  it('binds the logger to the invocation and flushes the metrics, also when the handler throws', async () => {
    const observability = createObservability('deliver', { logLevel: 'SILENT', metrics: false });
    const published: number[] = [];
    const publish = observability.metrics.publishStoredMetrics.bind(observability.metrics);
    observability.metrics.publishStoredMetrics = () => {
      published.push(Object.keys(observability.metrics.serializeMetrics()._aws.CloudWatchMetrics[0]!.Metrics).length);
      return publish();
    };
    let requestIdSeen: unknown;
    const ok = withObservability(async () => {
      requestIdSeen = observability.logger.getPersistentLogAttributes();
      observability.logger.appendKeys({ releaseId: 'acme-1' });
      return { batchItemFailures: [] };
    }, observability);
    await ok(event, context);
    expect(published).toEqual([1]);
    expect(requestIdSeen).toBeDefined();
    // Keys a record appended are gone after the invocation.
    expect(JSON.stringify(observability.logger.getPersistentLogAttributes())).not.toContain('acme-1');

    const failing = withObservability(async () => {
      throw new Error('boom');
    }, observability);
    await expect(failing(event, context)).rejects.toThrow('boom');
    expect(published).toEqual([1, 1]);
  });
});
