/**
 * `ReleaseRepository` on DynamoDB (the document client). Every write that could race is a
 * conditional single-item write: no transactions, so it runs on dynalite too.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { normalizeSequencer } from '../../core/pipeline/s3-events';
import {
  ConcurrentUpdateError,
  type AdvanceResult,
  type PublicationRecord,
  type ReleaseMeta,
  type ReleaseRepository,
  type SourceClaim,
  type SourceRecord,
  type SourceStatus,
  type VariantRecord,
  type VersionRecord,
} from '../../ports';
import { isConditionFailure, queryAllPages } from './conditions';
import { itemKeys, RELEASES_GSI_PARTITION, SOURCES_GSI_PARTITION } from './keys';

export interface DynamoDbReleaseRepositoryOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

type Item = Record<string, unknown>;

/** Source statuses listed by `polywire status`: someone has to act on them. */
const NEEDS_ATTENTION: ReadonlySet<SourceStatus> = new Set(['rejected', 'awaiting-base']);

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'expiresAt', 'type'] as const;

function strip<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const copy: Item = { ...item };
  for (const name of KEY_ATTRIBUTES) delete copy[name];
  return copy as T;
}

export class DynamoDbReleaseRepository implements ReleaseRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbReleaseRepositoryOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async claimSource(key: string, sequencer: string, now: Date, leaseMs: number): Promise<SourceClaim> {
    const seq = normalizeSequencer(sequencer);
    const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.source(key),
          // An update, not a put: the release id an earlier upload of this key was given stays on
          // the record, so a re-upload finds the release it continues (see ingest's identity rule).
          // While processing, the record is on the SOURCES index so that `polywire status` can
          // show a claim that outlived its lease (a crashed or stuck ingest).
          UpdateExpression: 'SET #type = :type, #key = :key, sequencer = :seq, #status = :processing, claimedAt = :now, updatedAt = :now, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk REMOVE #error',
          // A newer sequencer advances; the same event again only once its lease has run out
          // (the earlier attempt crashed), so concurrent duplicates do not both run.
          ConditionExpression: 'attribute_not_exists(pk) OR sequencer < :seq OR (sequencer = :seq AND #status = :processing AND claimedAt < :staleBefore)',
          ExpressionAttributeNames: { '#status': 'status', '#type': 'type', '#key': 'key', '#error': 'error' },
          ExpressionAttributeValues: {
            ':seq': seq,
            ':processing': 'processing',
            ':staleBefore': staleBefore,
            ':type': 'source',
            ':key': key,
            ':now': now.toISOString(),
            ':gsi1pk': SOURCES_GSI_PARTITION,
            ':gsi1sk': `${now.toISOString()}#${key}`,
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await this.getSource(key);
    if (!current || current.sequencer !== seq) return 'older';
    return current.status === 'processing' ? 'in-progress' : 'duplicate';
  }

  async completeSource(record: SourceRecord): Promise<void> {
    const seq = normalizeSequencer(record.sequencer);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...itemKeys.source(record.key),
            type: 'source',
            ...record,
            sequencer: seq,
            ...(NEEDS_ATTENTION.has(record.status) ? { gsi1pk: SOURCES_GSI_PARTITION, gsi1sk: `${record.updatedAt}#${record.key}` } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR sequencer <= :seq',
          ExpressionAttributeValues: { ':seq': seq },
        }),
      );
    } catch (error) {
      // A newer event claimed the key meanwhile: its outcome is the one to keep.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async releaseClaim(key: string, sequencer: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.source(key),
          // The epoch is older than any lease: the next delivery of this event claims at once.
          UpdateExpression: 'SET claimedAt = :epoch',
          ConditionExpression: 'sequencer = :seq AND #status = :processing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':seq': normalizeSequencer(sequencer), ':processing': 'processing', ':epoch': new Date(0).toISOString() },
        }),
      );
    } catch (error) {
      // A newer event claimed the key, or the outcome was recorded: nothing to release.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async getSource(key: string): Promise<SourceRecord | undefined> {
    return strip<SourceRecord>(await this.get(itemKeys.source(key)));
  }

  async listSourcesNeedingAttention(limit: number): Promise<SourceRecord[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': SOURCES_GSI_PARTITION },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => strip<SourceRecord>(item)!);
  }

  async getRelease(releaseId: string): Promise<ReleaseMeta | undefined> {
    return strip<ReleaseMeta>(await this.get(itemKeys.release(releaseId)));
  }

  async advanceRelease(meta: ReleaseMeta, expectedLatest: number | undefined): Promise<AdvanceResult> {
    const seq = meta.sourceSequencer === undefined ? undefined : normalizeSequencer(meta.sourceSequencer);
    // The source-key claim is checked once, at the start of ingest: an older event that read the
    // old bytes before a newer one finished must not become the next version afterwards.
    const olderSource = meta.sourceKey !== undefined && seq !== undefined;
    const versionCondition = expectedLatest === undefined ? 'attribute_not_exists(pk)' : 'latestVersion = :expected';
    const values: Record<string, unknown> = {
      ...(expectedLatest === undefined ? {} : { ':expected': expectedLatest }),
      ...(olderSource ? { ':sourceKey': meta.sourceKey, ':sourceSequencer': seq } : {}),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...itemKeys.release(meta.releaseId),
            type: 'release',
            ...meta,
            ...(seq === undefined ? {} : { sourceSequencer: seq }),
            gsi1pk: RELEASES_GSI_PARTITION,
            gsi1sk: `${meta.updatedAt}#${meta.releaseId}`,
          },
          ConditionExpression: olderSource ? `${versionCondition} AND NOT (sourceKey = :sourceKey AND sourceSequencer > :sourceSequencer)` : versionCondition,
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return 'advanced';
    } catch (error) {
      if (isConditionFailure(error)) {
        const current = olderSource ? await this.getRelease(meta.releaseId) : undefined;
        if (current?.sourceKey === meta.sourceKey && current?.sourceSequencer !== undefined && seq !== undefined && current.sourceSequencer > seq) {
          return 'newer-source';
        }
        throw new ConcurrentUpdateError(`release ${meta.releaseId}: another upload assigned version ${meta.latestVersion} first; retrying`, { cause: error });
      }
      throw error;
    }
  }

  async listReleases(limit: number): Promise<ReleaseMeta[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': RELEASES_GSI_PARTITION },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => strip<ReleaseMeta>(item)!);
  }

  async putVersion(record: VersionRecord): Promise<void> {
    await this.putIfAbsent({ ...itemKeys.version(record.releaseId, record.version), type: 'version', ...record });
  }

  async getVersion(releaseId: string, version: number): Promise<VersionRecord | undefined> {
    return strip<VersionRecord>(await this.get(itemKeys.version(releaseId, version)));
  }

  async listVersions(releaseId: string): Promise<VersionRecord[]> {
    const items = await this.queryAll(itemKeys.release(releaseId).pk, 'V#');
    return items.filter((item) => item.type === 'version').map((item) => strip<VersionRecord>(item)!);
  }

  async ensureVariant(record: VariantRecord): Promise<void> {
    await this.putIfAbsent({
      ...itemKeys.variant(record.releaseId, record.version, record.language),
      type: 'variant',
      ...record,
    });
  }

  async getVariant(releaseId: string, version: number, language: string): Promise<VariantRecord | undefined> {
    return strip<VariantRecord>(await this.get(itemKeys.variant(releaseId, version, language)));
  }

  async listVariants(releaseId: string, version: number): Promise<VariantRecord[]> {
    const items = await this.queryAll(itemKeys.release(releaseId).pk, itemKeys.variantPrefix(version));
    return items.map((item) => strip<VariantRecord>(item)!);
  }

  async updateVariant(releaseId: string, version: number, language: string, patch: Partial<Omit<VariantRecord, 'releaseId' | 'version' | 'language'>>): Promise<void> {
    const sets: string[] = [];
    const removes: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(patch)) {
      names[`#${name}`] = name;
      if (value === undefined) removes.push(`#${name}`);
      else {
        sets.push(`#${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    if (sets.length === 0 && removes.length === 0) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: itemKeys.variant(releaseId, version, language),
        UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' '),
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      }),
    );
  }

  async getPublication(releaseId: string, language: string): Promise<PublicationRecord | undefined> {
    return strip<PublicationRecord>(await this.get(itemKeys.publication(releaseId, language)));
  }

  async recordPublication(record: PublicationRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKeys.publication(record.releaseId, record.language), type: 'publication', ...record },
          // The same version may be published again (a human translation replacing a machine one).
          ConditionExpression: 'attribute_not_exists(pk) OR version <= :version',
          ExpressionAttributeValues: { ':version': record.version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return result.Item;
  }

  private async putIfAbsent(item: Item): Promise<void> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private queryAll(pk: string, skPrefix: string): Promise<Item[]> {
    return queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ConsistentRead: true,
    });
  }
}
