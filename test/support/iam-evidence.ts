/**
 * Checks recorded AWS SDK commands (test/support/sdk-commands.ts) against IAM policy statements
 * of a synthesized template: which IAM actions an operation needs, and whether an Allow statement
 * grants them on the resource the command named.
 */
import type { CommandEvidence } from './sdk-commands';

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/**
 * Operations whose IAM action differs from their name (the rest need `<service>:<operation>`):
 * batch calls are authorized per entry, HeadObject is a GetObject, a copy reads and writes.
 */
const ACTIONS: Readonly<Record<string, readonly string[]>> = {
  's3:HeadObject': ['s3:GetObject'],
  's3:CopyObject': ['s3:GetObject', 's3:PutObject'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:DeleteObjects': ['s3:DeleteObject'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
  'sqs:SendMessageBatch': ['sqs:SendMessage'],
  'sqs:DeleteMessageBatch': ['sqs:DeleteMessage'],
  'sqs:ChangeMessageVisibilityBatch': ['sqs:ChangeMessageVisibility'],
};

/** The IAM actions one operation (`s3:PutObject`, `sqs:SendMessageBatch` …) needs. */
export function iamActionsFor(operation: string): readonly string[] {
  if (/^dynamodb:Transact/.test(operation)) {
    // Authorized per item (PutItem, UpdateItem …); the evidence does not record the items.
    throw new Error(`${operation}: record its items' actions to check it`);
  }
  return ACTIONS[operation] ?? [operation];
}

/** Logical resource names of the evidence → the storage stack's export that holds their ARN. */
const EXPORTED_ARNS: Readonly<Record<string, string>> = {
  uploads: 'UploadsBucketArn',
  distribution: 'DistributionBucketArn',
  table: 'TableArn',
};

/**
 * A CloudFormation resource value as text: an import by its export name without the stack
 * prefix, a join flattened, `Fn::GetAtt` as `<logical id>.<attribute>`, a `Ref` as `${id}`.
 */
export function renderResource(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if (typeof intrinsic['Fn::ImportValue'] === 'string') return intrinsic['Fn::ImportValue'].replace(/^[^-]+-[^-]+-/, '');
  if (Array.isArray(intrinsic['Fn::Join'])) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(renderResource).join(separator);
  }
  if (Array.isArray(intrinsic['Fn::GetAtt'])) return (intrinsic['Fn::GetAtt'] as string[]).join('.');
  if (typeof intrinsic.Ref === 'string') return `\${${intrinsic.Ref}}`;
  return JSON.stringify(value);
}

/** Whether a rendered statement resource covers the evidence's `resource` of `service`. */
function covers(rendered: string, service: string, resource: string): boolean {
  if (rendered === '*' || resource === '*') return true;
  if (service === 's3') {
    const arn = EXPORTED_ARNS[resource];
    return arn !== undefined && (rendered === arn || rendered.startsWith(`${arn}/`));
  }
  if (service === 'dynamodb') {
    const [table, index] = resource.split('/index/');
    const arn = EXPORTED_ARNS[table!];
    if (arn === undefined) return false;
    return index === undefined ? rendered === arn : rendered === `${arn}/index/${index}` || rendered === `${arn}/index/*`;
  }
  if (service === 'sqs') {
    // A queue URL's name (`polywire-publish.fifo`) → the stage queue's logical id (`PublishQueue…`).
    // `polywire-translate-bulk` → `TranslateBulkQueue…` (a lane's construct id is its queue name in PascalCase).
    const stage = resource
      .replace(/^polywire-/, '')
      .replace(/\.fifo$/, '')
      .replace(/-(.)/g, (_, c: string) => c.toUpperCase());
    return new RegExp(`^${stage.charAt(0).toUpperCase()}${stage.slice(1)}Queue[0-9A-F]{8}\\.Arn$`).test(rendered);
  }
  return false;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const actionMatches = (pattern: string, action: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(action);

/** Whether an Allow statement of `statements` grants `action` on the evidence's `resource`. */
export function isGranted(statements: readonly PolicyStatement[], action: string, resource: string): boolean {
  const service = action.split(':')[0]!;
  return statements.some(
    (statement) =>
      statement.Effect === 'Allow' && asArray(statement.Action).some((pattern) => actionMatches(pattern, action)) && asArray(statement.Resource).some((value) => covers(renderResource(value), service, resource)),
  );
}

/** Every evidence entry whose actions `statementsOf(stage)` does not grant, as `stage: entry → action`. */
export function ungrantedEntries(evidence: CommandEvidence, statementsOf: (stage: string) => readonly PolicyStatement[]): string[] {
  const missing: string[] = [];
  for (const [stage, entries] of Object.entries(evidence)) {
    const statements = statementsOf(stage);
    for (const entry of entries) {
      const [operation, resource] = entry.split(' ') as [string, string];
      for (const action of iamActionsFor(operation)) {
        if (!isGranted(statements, action, resource)) missing.push(`${stage}: ${entry} → ${action}`);
      }
    }
  }
  return missing;
}
