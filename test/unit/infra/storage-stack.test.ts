import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../infra/constructs/distribution';
import { EVERYTHING_ON, type SynthesizedPolywire, resourcesOfType, synthPolywire } from './synth';

let defaults: SynthesizedPolywire;
let custom: SynthesizedPolywire;

beforeAll(() => {
  defaults = synthPolywire();
  custom = synthPolywire(EVERYTHING_ON);
}, 120_000);

const buckets = () => resourcesOfType(defaults.storageTemplate, 'AWS::S3::Bucket');
const logicalIdOf = (prefix: string) => {
  const id = Object.keys(buckets()).find((key) => key.startsWith(prefix));
  if (!id) throw new Error(`no bucket ${prefix}* in ${Object.keys(buckets()).join(', ')}`);
  return id;
};

describe('buckets', () => {
  it('creates exactly the uploads, distribution and access-log buckets', () => {
    expect(
      Object.keys(buckets())
        .sort()
        .map((id) => id.replace(/[0-9A-F]{8}$/, '')),
    ).toEqual(['AccessLogsBucket', 'SiteBucket', 'UploadsBucket']);
  });

  it('encrypts every bucket and blocks all public access', () => {
    for (const [id, bucket] of Object.entries(buckets())) {
      expect(bucket.Properties?.BucketEncryption, id).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket.Properties?.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('denies every request without TLS on every bucket', () => {
    const policies = Object.values(resourcesOfType(defaults.storageTemplate, 'AWS::S3::BucketPolicy'));
    for (const id of Object.keys(buckets())) {
      const policy = policies.find((candidate) => candidate.Properties?.Bucket?.Ref === id);
      expect(policy, `bucket policy of ${id}`).toBeDefined();
      expect(policy!.Properties!.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('sends server access logs of the uploads and distribution buckets to the log bucket', () => {
    const logs = logicalIdOf('AccessLogsBucket');
    for (const [prefix, logPrefix] of [
      ['UploadsBucket', 's3/uploads/'],
      ['SiteBucket', 's3/distribution/'],
    ]) {
      expect(buckets()[logicalIdOf(prefix!)]!.Properties?.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logs },
        LogFilePrefix: logPrefix,
      });
    }
  });

  it('versions uploads, expires quarantine/ and old versions', () => {
    const uploads = buckets()[logicalIdOf('UploadsBucket')]!.Properties!;
    expect(uploads.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(uploads.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'quarantine/', ExpirationInDays: 90, Status: 'Enabled' }),
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
      ]),
    );
  });

  it('retains the buckets and the table by default, and deletes them when retainData is false', () => {
    defaults.storageTemplate.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    defaults.storageTemplate.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    custom.storageTemplate.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    custom.storageTemplate.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });
});

describe('CloudFront distribution', () => {
  it('reaches the private bucket only through origin access control', () => {
    defaults.storageTemplate.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    defaults.storageTemplate.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    defaults.storageTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: Match.anyValue() })],
      }),
    });
  });

  it('serves index.html over HTTPS only, compressed, with the security headers policy', () => {
    defaults.storageTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          Compress: true,
          ResponseHeadersPolicyId: Match.anyValue(),
          CachePolicyId: Match.anyValue(),
        }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('sets CSP, HSTS, nosniff, referrer policy and frame denial on every response', () => {
    defaults.storageTemplate.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000, Override: true }),
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        },
      }),
    });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('keys the cache on nothing but the path, with gzip and brotli', () => {
    defaults.storageTemplate.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        ParametersInCacheKeyAndForwardedToOrigin: {
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          EnableAcceptEncodingGzip: true,
          EnableAcceptEncodingBrotli: true,
        },
      }),
    });
  });

  it('uses the custom domain with TLSv1.2_2021 when one is configured', () => {
    custom.storageTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['news.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: EVERYTHING_ON.certificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    custom.storageTemplate.hasOutput('PublicBaseUrl', { Value: 'https://news.example.com' });
  });
});

describe('release table', () => {
  it('has the shared key schema, TTL, gsi1, on-demand billing, PITR and encryption', () => {
    defaults.storageTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });
});

describe('outputs', () => {
  it('exports what the pipeline imports and prints what an operator needs', () => {
    for (const name of ['UploadsBucketName', 'TableName', 'PublicBaseUrl', 'DistributionBucketName']) {
      defaults.storageTemplate.hasOutput(name, { Export: { Name: `polywire-storage-${name}` } });
    }
    defaults.storageTemplate.hasOutput('DistributionDomainName', {});
  });
});
