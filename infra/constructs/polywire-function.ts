/**
 * The one Lambda function construct of polywire: a bundled TypeScript handler with the project's
 * defaults (latest Node.js runtime on arm64, ESM bundle split into lazily loaded chunks with the
 * AWS SDK inside — see `function-bundle.ts` —, X-Ray, JSON logs into a log group with retention) and a role that starts empty: every permission is granted
 * explicitly through the `grant*` helpers below, scoped to key prefixes and named resources.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, type Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { bundleFunctionSync, ENABLE_SOURCE_MAPS_BY_DEFAULT, LAMBDA_ARM64, nodeOptions, TRACING_BY_DEFAULT } from './function-bundle';
import { acknowledge, acknowledgeWildcardResource } from './nag';

/** The repository root: bundling resolves the lock file and tsconfig from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export { ESM_REQUIRE_BANNER } from './function-bundle';

/**
 * Context key that turns Node's source-map support on for every function (`cdk deploy -c
 * enableSourceMaps=true`). Off by default: the maps are in the asset either way, and applying
 * them costs every cold start (docs/deploy.md, "Source maps").
 */
export const ENABLE_SOURCE_MAPS_CONTEXT = 'enableSourceMaps';

/**
 * Context key that loads the Powertools tracer in every function (`cdk deploy -c
 * enableTracing=true`: X-Ray subsegments for each AWS SDK call and the handler). Off by default:
 * the tracer brings aws-xray-sdk-core and an async hook into every cold start, and Lambda's own
 * active tracing (always on) already records each invocation (docs/deploy.md, "Tracing").
 */
export const ENABLE_TRACING_CONTEXT = 'enableTracing';

/** The newest Node.js runtime this aws-cdk-lib knows; cdk-nag (AwsSolutions-L1) asks for it. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface PolywireFunctionProps {
  /** Path of the TypeScript file exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  /** Keep the log group when the stack is deleted. */
  readonly retainData: boolean;
  readonly logRetention?: logs.RetentionDays;
  readonly reservedConcurrentExecutions?: number;
}

/** DynamoDB item actions, as IAM names them without the `dynamodb:` prefix. */
export type TableItemAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';

/** What one function may do on the table: item actions on the table, Query on named indexes. */
export interface TableAccess {
  readonly items: readonly TableItemAction[];
  readonly queryIndexes?: readonly string[];
}

export class PolywireFunction extends Construct implements iam.IGrantable {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;
  /** Object-key patterns already acknowledged, so each finding gets exactly one reason. */
  private readonly acknowledgedKeyPatterns = new Set<string>();

  constructor(scope: Construct, id: string, props: PolywireFunctionProps) {
    super(scope, id);
    if (!existsSync(props.entry)) {
      throw new Error(`${this.node.path}: handler entry ${props.entry} does not exist. Each function needs a TypeScript file exporting \`handler\` (functions/<name>/handler.ts).`);
    }

    // No AWSLambdaBasicExecutionRole: its logs:* on every log group is more than a function
    // writing to one known log group needs.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `polywire ${id}: ${props.description}`,
    });
    this.grantPrincipal = this.role;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.logGroup.grantWrite(this.role);

    const enableSourceMaps = contextFlag(this, ENABLE_SOURCE_MAPS_CONTEXT) ?? ENABLE_SOURCE_MAPS_BY_DEFAULT;
    const options = nodeOptions(enableSourceMaps);
    const enableTracing = contextFlag(this, ENABLE_TRACING_CONTEXT) ?? TRACING_BY_DEFAULT;
    const entry = resolve(props.entry);
    this.function = new lambda.Function(this, 'Function', {
      // Bundled here, not by NodejsFunction: its esbuild call writes one file (--outfile), which
      // inlines every lazy import(); code splitting needs an output directory.
      code: lambda.Code.fromAsset(PROJECT_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: local bundling always succeeds or throws.
          image: DockerImage.fromRegistry('polywire-local-bundling-only'),
          // Not run either, but part of the asset's cache key: without the entry in it, every
          // function of a synth would get the first function's asset (`local` is not hashed).
          command: ['bundle', relative(PROJECT_ROOT, entry), `${LAMBDA_ARM64.os}-${LAMBDA_ARM64.cpu}-${LAMBDA_ARM64.libc}`],
          local: {
            tryBundle(outputDir: string): boolean {
              bundleFunctionSync(entry, outputDir, { sourceMap: true, platform: LAMBDA_ARM64 });
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      // The native packages in the asset (sharp's libvips) are built for this architecture.
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Lambda's own segments cost the function nothing; the SDK tracer only with enableTracing.
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { ...props.environment, POWERTOOLS_TRACE_ENABLED: String(enableTracing), ...(options.length > 0 ? { NODE_OPTIONS: options.join(' ') } : {}) },
    });

    acknowledge(this.role, 'AwsSolutions-IAM5[Resource::*]', 'X-Ray active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions.');
    acknowledge(
      this,
      'Serverless-LambdaDLQ',
      "Invoked only by an SQS event source mapping; a function dead-letter queue applies to asynchronous invocations. Failed messages go to the source queue's own dead-letter queue through its redrive policy.",
    );
    acknowledge(
      this,
      'Serverless-LambdaEventSourceMappingDestination',
      "On-failure destinations are not available for SQS event sources; the source queue's redrive policy (maxReceiveCount 5) moves failed messages to its dead-letter queue, which is alarmed.",
    );
  }

  /**
   * Reads objects under the given key prefixes. ListBucket makes a missing key a 404, not a 403.
   *
   * ListBucket carries no `s3:prefix` condition on purpose: AWS documents the 404-versus-403 rule
   * only as "has s3:ListBucket on the bucket" and not whether `s3:prefix` is set (to what) when
   * S3 makes that decision for a GetObject/HeadObject. A condition S3 would not satisfy there turns
   * every optional read (`config/glossary.yaml`, a human translation) into AccessDenied, which the
   * object store does not read as "absent". Key names, not contents, are what it exposes.
   */
  grantObjectRead(bucket: s3.IBucket, ...prefixes: string[]): void {
    this.allowObjects(bucket, ['s3:GetObject'], prefixes, 'read');
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  }

  /** Writes (and overwrites) objects under the given key prefixes. */
  grantObjectWrite(bucket: s3.IBucket, ...prefixes: string[]): void {
    this.allowObjects(bucket, ['s3:PutObject'], prefixes, 'write');
  }

  /** Deletes objects under the given key prefixes. */
  grantObjectDelete(bucket: s3.IBucket, ...prefixes: string[]): void {
    this.allowObjects(bucket, ['s3:DeleteObject'], prefixes, 'delete');
  }

  /**
   * Exactly the DynamoDB item actions a function's code sends: `access.items` on the table,
   * `dynamodb:Query` on each index in `access.queryIndexes`. Named explicitly rather than through
   * `grantReadWriteData`, which adds DeleteItem, BatchWriteItem and an `index/*` wildcard.
   */
  grantTableAccess(table: dynamodb.ITable, access: TableAccess): void {
    if (access.items.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: access.items.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    }
    const indexes = access.queryIndexes ?? [];
    if (indexes.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((name) => `${table.tableArn}/index/${name}`),
        }),
      );
    }
  }

  /** Reads one Secrets Manager secret (complete ARN, or partial ARN without the random suffix). */
  grantSecretRead(secretArn: string): void {
    const complete = /-[A-Za-z0-9]{6}$/.test(secretArn);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [complete ? secretArn : `${secretArn}-??????`],
      }),
    );
  }

  /**
   * Grants actions that AWS only authorizes on `Resource: *`, in a policy of their own so that the
   * acknowledgement (and its reason) covers exactly these actions.
   */
  grantOnAnyResource(id: string, actions: string[], reason: string): void {
    const policy = new iam.Policy(this, id, {
      statements: [new iam.PolicyStatement({ actions, resources: ['*'] })],
    });
    this.role.attachInlinePolicy(policy);
    acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]', reason);
  }

  private allowObjects(bucket: s3.IBucket, actions: string[], prefixes: string[], verb: string): void {
    if (prefixes.length === 0) throw new Error(`${this.node.path}: name the key prefixes to ${verb}`);
    const resources = prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    for (const [index, resource] of resources.entries()) {
      if (this.acknowledgedKeyPatterns.has(resource)) continue;
      this.acknowledgedKeyPatterns.add(resource);
      const scope = prefixes[index] ? `the ${prefixes[index]} key prefix` : 'this bucket, which holds only published output';
      acknowledgeWildcardResource(this.role, resource, `Object access limited to ${scope}; S3 object permissions can only be granted on key patterns.`);
    }
  }
}

/** A boolean context value (`-c key=true` arrives as a string), or undefined when unset. */
function contextFlag(scope: Construct, key: string): boolean | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, not ${JSON.stringify(value)}`);
}
