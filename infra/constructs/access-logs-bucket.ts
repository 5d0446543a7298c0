/**
 * The bucket that receives S3 server access logs (uploads and distribution buckets) and
 * CloudFront standard logs.
 */
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { createSecureBucket } from './secure-bucket';

export interface AccessLogsBucketProps {
  readonly retainData: boolean;
  /** Days before a log object is deleted. */
  readonly retentionDays?: number;
}

export class AccessLogsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id);
    this.bucket = createSecureBucket(this, 'Bucket', {
      retainData: props.retainData,
      // CloudFront standard logging writes with ACLs (the awslogsdelivery account); S3 server
      // access logging uses the bucket policy CDK adds for logging.s3.amazonaws.com.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.retentionDays ?? 365) }],
    });
    acknowledge(this.bucket, 'AwsSolutions-S1', 'This is the access-log bucket: logging its own access into itself would loop; it is private, TLS-only and written only by the S3 and CloudFront log delivery services.');
  }
}
