/**
 * The stateful half of polywire: buckets, the table and the CloudFront distribution. Nothing here
 * knows about the pipeline; the pipeline stack imports what it needs through named exports.
 */
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PolywireConfig } from '../config';
import { AccessLogsBucket } from '../constructs/access-logs-bucket';
import { FeedDistribution } from '../constructs/distribution';
import { ReleaseTable } from '../constructs/release-table';
import { UploadsBucket } from '../constructs/uploads-bucket';

/**
 * What the pipeline stack needs from storage, as `Fn::ImportValue` expressions of named exports.
 * Named exports (rather than CDK's automatic cross-stack references) keep the values' rendered form
 * known at construction time, which the cdk-nag acknowledgements of key-prefix grants rely on.
 */
export interface StorageReferences {
  readonly uploadsBucketName: string;
  readonly uploadsBucketArn: string;
  readonly distributionBucketName: string;
  readonly distributionBucketArn: string;
  readonly tableName: string;
  readonly tableArn: string;
  /** `https://<custom domain or CloudFront domain>` */
  readonly publicBaseUrl: string;
  /** The CloudFront distribution whose cached paths publish invalidates. */
  readonly distributionId: string;
}

export interface StorageStackProps extends StackProps {
  readonly config: PolywireConfig;
}

export class StorageStack extends Stack {
  readonly accessLogs: AccessLogsBucket;
  readonly uploads: UploadsBucket;
  readonly site: FeedDistribution;
  readonly releases: ReleaseTable;
  readonly references: StorageReferences;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, {
      description: 'polywire storage: uploads and distribution buckets, release table, CloudFront',
      ...props,
    });
    const { retainData, domainName, certificateArn } = props.config;

    this.accessLogs = new AccessLogsBucket(this, 'AccessLogs', { retainData });
    this.uploads = new UploadsBucket(this, 'Uploads', { retainData, accessLogsBucket: this.accessLogs.bucket });
    this.site = new FeedDistribution(this, 'Site', {
      retainData,
      accessLogsBucket: this.accessLogs.bucket,
      domainName,
      certificateArn,
    });
    this.releases = new ReleaseTable(this, 'Releases', { retainData });

    this.references = {
      uploadsBucketName: this.share('UploadsBucketName', this.uploads.bucket.bucketName, 'Upload releases to s3://<this>/incoming/'),
      uploadsBucketArn: this.share('UploadsBucketArn', this.uploads.bucket.bucketArn),
      distributionBucketName: this.share('DistributionBucketName', this.site.bucket.bucketName, 'Pages and feeds (served through CloudFront only)'),
      distributionBucketArn: this.share('DistributionBucketArn', this.site.bucket.bucketArn),
      tableName: this.share('TableName', this.releases.table.tableName, 'DynamoDB table of releases, jobs and subscribers'),
      tableArn: this.share('TableArn', this.releases.table.tableArn),
      publicBaseUrl: this.share('PublicBaseUrl', this.site.publicBaseUrl, 'Base URL of the newsroom and its feeds'),
      distributionId: this.share('DistributionId', this.site.distribution.distributionId, 'CloudFront distribution (publish invalidates changed paths in it)'),
    };
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.site.distribution.distributionDomainName,
      description: 'CloudFront domain (point your custom domain here with a CNAME/alias)',
    });
  }

  /** Outputs a value under a stack-scoped export name and returns its import expression. */
  private share(id: string, value: string, description?: string): string {
    const exportName = `${this.stackName}-${id}`;
    new CfnOutput(this, id, { value, exportName, description });
    return Fn.importValue(exportName);
  }
}
