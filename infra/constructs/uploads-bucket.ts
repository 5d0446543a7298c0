/**
 * The uploads bucket: where releases arrive (`incoming/`) and where the pipeline keeps its
 * intermediate documents. Only `incoming/` triggers the pipeline; every other prefix is written by
 * the functions themselves, so writing there can never start a loop.
 */
import { Duration } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createSecureBucket } from './secure-bucket';

/** The key prefixes of the uploads bucket (all end with `/`). */
export const UPLOAD_PREFIXES = {
  /** Uploaded releases; the only prefix that triggers ingest. */
  incoming: 'incoming/',
  /** Rejected uploads and their `<key>.error.json`. */
  quarantine: 'quarantine/',
  /** Parsed release JSON, one object per version. */
  releases: 'releases/',
  /** Variant JSON: one release version in one language. */
  variants: 'variants/',
  /** Operator configuration such as `config/glossary.yaml`. */
  config: 'config/',
} as const;

export interface UploadsBucketProps {
  readonly retainData: boolean;
  readonly accessLogsBucket: s3.IBucket;
  /** Days a rejected upload stays in `quarantine/`. */
  readonly quarantineDays?: number;
  /** Days an overwritten or deleted object version is kept. */
  readonly noncurrentVersionDays?: number;
}

export class UploadsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: UploadsBucketProps) {
    super(scope, id);
    this.bucket = createSecureBucket(this, 'Bucket', {
      retainData: props.retainData,
      // Versioning keeps an overwritten or deleted release recoverable.
      versioned: true,
      accessLogs: { bucket: props.accessLogsBucket, prefix: 's3/uploads/' },
      lifecycleRules: [
        {
          id: 'expire-quarantine',
          prefix: UPLOAD_PREFIXES.quarantine,
          expiration: Duration.days(props.quarantineDays ?? 90),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 30),
        },
      ],
    });
  }
}
