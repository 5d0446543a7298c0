/**
 * The cold-start benchmark's judgement of the import goal and the reference it measures against
 * (bench/cold-start.ts): a goal inside the run's spread is not decided, never met.
 */
import { describe, expect, it } from 'vitest';
import { judgeRatio, referenceSource } from '../../../bench/cold-start';

describe('judgeRatio', () => {
  it('meets the goal when every round is at or under it', () => {
    expect(judgeRatio([1.31, 1.29, 1.3], 1.5)).toEqual({ ratio: 1.3, low: 1.29, high: 1.31, met: true });
  });

  it('misses it when every round is over it', () => {
    expect(judgeRatio([1.62, 1.6, 1.61], 1.5).met).toBe(false);
  });

  it('leaves it undecided when the goal lies within the spread of the rounds', () => {
    expect(judgeRatio([1.49, 1.51, 1.5], 1.5).met).toBeNull();
    expect(judgeRatio([1.45, 1.53], 1.5).met).toBeNull();
  });

  it('judges a single round by its value', () => {
    expect(judgeRatio([1.5], 1.5).met).toBe(true);
    expect(judgeRatio([1.501], 1.5).met).toBe(false);
  });

  it('misses the goal when nothing was measured', () => {
    expect(judgeRatio([Number.NaN], 1.5)).toMatchObject({ met: false });
    expect(judgeRatio([], 1.5).met).toBe(false);
  });
});

describe('referenceSource', () => {
  it('creates each client once, the DynamoDB one inside the document client when the handler has one', () => {
    const source = referenceSource(['@aws-sdk/client-s3', '@aws-sdk/client-dynamodb'], true);
    expect(source).toContain("import { S3Client as C0 } from '@aws-sdk/client-s3';");
    expect(source).toContain("import { DynamoDBDocumentClient as D } from '@aws-sdk/lib-dynamodb';");
    expect(source).toContain('export const clients = [new C0({}), D.from(new C1({}))];');
  });

  it('creates the plain clients otherwise', () => {
    expect(referenceSource(['@aws-sdk/client-sqs'])).toBe("import { SQSClient as C0 } from '@aws-sdk/client-sqs';\nexport const clients = [new C0({})];\n");
  });
});
