/**
 * Where readers and aggregators fetch pages and feeds: a private bucket served only through
 * CloudFront (origin access control), with security headers on every response.
 */
import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { createSecureBucket } from './secure-bucket';

/**
 * Pages are static and self-contained: no scripts, same-origin styles and images, never framed.
 * Feeds and JSON are not rendered by browsers, so the same strict policy costs them nothing.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface FeedDistributionProps {
  readonly retainData: boolean;
  readonly accessLogsBucket: s3.IBucket;
  /** Custom host name (e.g. news.example.com); needs `certificateArn`. */
  readonly domainName?: string;
  /** ACM certificate in us-east-1 covering `domainName`. */
  readonly certificateArn?: string;
}

export class FeedDistribution extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<host>` without a trailing slash: the custom domain or the CloudFront domain. */
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: FeedDistributionProps) {
    super(scope, id);

    this.bucket = createSecureBucket(this, 'Bucket', {
      retainData: props.retainData,
      accessLogs: { bucket: props.accessLogsBucket, prefix: 's3/distribution/' },
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'polywire: CSP, HSTS and friends on every page and feed',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      },
    });

    // Nothing from the request reaches the cache key: pages and feeds do not vary by cookie,
    // query string or header. Conditional GETs (If-None-Match / If-Modified-Since) still work:
    // CloudFront answers them against the cached object's ETag and Last-Modified.
    const cache = new cloudfront.CachePolicy(this, 'FeedCache', {
      comment: 'polywire: static pages and feeds, compressed, short default TTL',
      defaultTtl: Duration.minutes(5),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const customDomain =
      props.domainName && props.certificateArn
        ? {
            domainNames: [props.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {};

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'polywire newsroom: pages, feeds, sitemaps',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        // Read-only static files: no CORS preflight is served (no CORS headers are sent either),
        // so OPTIONS would only widen what reaches the origin.
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: cache,
        responseHeadersPolicy: headers,
        compress: true,
      },
      enableLogging: true,
      logBucket: props.accessLogsBucket,
      logFilePrefix: 'cloudfront/',
      ...customDomain,
    });

    this.publicBaseUrl = `https://${props.domainName ?? this.distribution.distributionDomainName}`;

    if (!props.domainName) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'No custom domain configured: the default *.cloudfront.net certificate pins the TLSv1 security policy and cannot be changed. Set the domainName and certificateArn context keys to enforce TLSv1.2_2021.',
      );
    }
    acknowledge(this.distribution, 'AwsSolutions-CFR1', 'A newsroom is published for readers and aggregators worldwide; geographic restriction would defeat syndication.');
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Read-only static pages and feeds served from cache with GET/HEAD only; there is no dynamic origin for a WAF to protect. Attach a web ACL outside polywire if your organisation requires one.',
    );
  }
}
