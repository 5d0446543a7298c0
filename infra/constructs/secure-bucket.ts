/**
 * The defaults every polywire bucket shares: private, encrypted, TLS only, access-logged.
 * Each bucket construct (uploads, distribution, access logs) adds only what is particular to it.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SecureBucketProps {
  /** Keep the bucket and its objects when the stack is deleted. */
  readonly retainData: boolean;
  /** Where S3 server access logs go; omitted only for the access-log bucket itself. */
  readonly accessLogs?: { readonly bucket: s3.IBucket; readonly prefix: string };
  readonly versioned?: boolean;
  readonly lifecycleRules?: s3.LifecycleRule[];
  /** ACLs stay disabled unless a writer needs them (CloudFront's standard logging does). */
  readonly objectOwnership?: s3.ObjectOwnership;
}

/** Creates an S3 bucket with polywire's secure defaults. */
export function createSecureBucket(scope: Construct, id: string, props: SecureBucketProps): s3.Bucket {
  return new s3.Bucket(scope, id, {
    // SSE-S3 rather than KMS: CloudFront origin access control and S3 → SQS notifications work
    // with it without key policies, and it adds no per-request KMS cost.
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: props.versioned ?? false,
    objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: props.accessLogs?.bucket,
    serverAccessLogsPrefix: props.accessLogs?.prefix,
    lifecycleRules: [{ id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }, ...(props.lifecycleRules ?? [])],
    removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    // Without retention a stack deletion must be able to empty the bucket first.
    autoDeleteObjects: !props.retainData,
  });
}
