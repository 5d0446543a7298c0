import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createPolywireApp } from '../../../infra/app';
import { CDK_JSON_CONTEXT, EVERYTHING_ON, synthPolywire } from './synth';

/** Findings (errors and warnings) of both packs on a synthesized app. */
function findings(app: Parameters<AwsSolutionsChecks['validateScope']>[0]): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack.validateScope(app).violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`),
  );
}

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  it.each([
    ['the defaults', {}],
    ['every option (custom domain, alarm e-mail, no retention, terminologies)', EVERYTHING_ON],
    [
      'the libretranslate engine with an API key secret',
      {
        engine: 'libretranslate',
        libreTranslateUrl: 'https://translate.example.org',
        libreTranslateApiKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:libre',
      },
    ],
  ])(
    'finds nothing unacknowledged with %s',
    (_, context) => {
      // synth() itself fails on an unacknowledged error; the direct check also catches warnings.
      const { app, outdir } = synthPolywire(context);

      expect(findings(app)).toEqual([]);
      const reportFile = join(outdir, 'validation-report.json');
      const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
      const nagReports = report.pluginReports.filter((plugin: { pluginName: string }) => ['AwsSolutions', 'Serverless'].includes(plugin.pluginName));
      expect(nagReports.flatMap((plugin: { violations: unknown[] }) => plugin.violations)).toEqual([]);
    },
    60_000,
  );

  it('fails the synth on an unacknowledged finding (so the checks above can fail)', () => {
    const { app, pipeline } = createPolywireApp({
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    });
    new sqs.Queue(pipeline, 'PlainQueue');

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4[\s\S]*PlainQueue|PlainQueue[\s\S]*AwsSolutions-SQS4/);
    expect(findings(app)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SQS3 at .*PlainQueue/)]));
  }, 60_000);
});
