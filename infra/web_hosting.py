"""The web application in production: its built files (web/dist) in a private S3 bucket read only by a
CloudFront distribution through origin access control, served with the headers the local stack sets
(devstack/web.py): a strict Content-Security-Policy, HSTS, no framing, no sniffing, no referrer.

The SPA's routes (/documents/...) are its one page: CloudFront answers 403/404 from the bucket with
index.html. The browser uploads straight to the files bucket with a presigned POST, so that bucket allows
CORS from the web application's origin, and nothing else.
"""

from __future__ import annotations

from typing import Any

WEB_PARAMETERS: dict[str, Any] = {
    "WebDomainName": {
        "Type": "String",
        "Default": "",
        "Description": "the web application's own name (e.g. saraban.example.go.th); empty: CloudFront's",
    },
    "WebCertificateArn": {
        "Type": "String",
        "Default": "",
        "AllowedPattern": "^$|^arn:aws[a-zA-Z-]*:acm:us-east-1:[0-9]{12}:certificate/.+$",
        "Description": "an ACM certificate in us-east-1 for WebDomainName (TLS 1.2 or newer only)",
    },
}
CONDITIONS: dict[str, Any] = {
    "HasWebDomain": {"Fn::Not": [{"Fn::Equals": [{"Ref": "WebDomainName"}, ""]}]},
}
# What the page may reach: its own origin, the API and its WebSocket (API Gateway in this region), the
# files bucket (uploads), and Cognito (sign-in). pdf.js draws in a worker from the page's own origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'; "
    "connect-src 'self' https://*.execute-api.${AWS::Region}.amazonaws.com "
    "wss://*.execute-api.${AWS::Region}.amazonaws.com https://${FilesBucketName}.s3.amazonaws.com "
    "https://${FilesBucketName}.s3.${AWS::Region}.amazonaws.com "
    "https://cognito-idp.${AWS::Region}.amazonaws.com https://${HostedDomainPrefix}.auth.${AWS::Region}.amazoncognito.com"
)


DISTRIBUTION_ARN = "arn:aws:cloudfront::${AWS::AccountId}:distribution/${WebDistribution}"


def web_origin() -> dict[str, Any]:
    """https://<the web application's name>, for the files bucket's CORS rule."""
    return {
        "Fn::If": [
            "HasWebDomain",
            {"Fn::Sub": "https://${WebDomainName}"},
            {"Fn::Sub": "https://${WebDistribution.DomainName}"},
        ]
    }


def files_cors() -> dict[str, Any]:
    """The browser's presigned POST of an upload, from the web application's origin only."""
    return {
        "CorsRules": [
            {
                "AllowedOrigins": [web_origin()],
                "AllowedMethods": ["POST"],
                "AllowedHeaders": ["*"],
                "MaxAge": 3600,
            }
        ]
    }


def web_resources(skip: Any, files_bucket: str) -> dict[str, Any]:
    """`skip` writes checkov skips with their reasons (infra.resources._skip); the files bucket's name is
    written into the CSP as a name, not a reference (a reference would make the bucket, whose CORS
    names the distribution, and the distribution depend on each other)."""
    return {
        "WebBucket": {
            "Type": "AWS::S3::Bucket",
            "Metadata": skip(
                (
                    "CKV_AWS_145",
                    "the application's own public code: SSE-S3; a KMS key would need "
                    "CloudFront in its policy for no secret to keep",
                ),
                (
                    "CKV_AWS_18",
                    "its objects are read only through CloudFront, whose requests are what matter",
                ),
            ),
            "Properties": {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                },
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "VersioningConfiguration": {"Status": "Enabled"},
            },
        },
        "WebBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": "WebBucket"},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "CloudFrontReadsThroughOriginAccessControl",
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudfront.amazonaws.com"},
                            "Action": "s3:GetObject",
                            "Resource": {"Fn::Sub": "${WebBucket.Arn}/*"},
                            "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub": DISTRIBUTION_ARN}}},
                        },
                        {
                            "Sid": "TlsOnly",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [
                                {"Fn::GetAtt": ["WebBucket", "Arn"]},
                                {"Fn::Sub": "${WebBucket.Arn}/*"},
                            ],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        },
                    ],
                },
            },
        },
        "WebOriginAccessControl": {
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": {
                "OriginAccessControlConfig": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-web"},
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            },
        },
        "WebHeaders": {
            "Type": "AWS::CloudFront::ResponseHeadersPolicy",
            "Properties": {
                "ResponseHeadersPolicyConfig": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-web-headers"},
                    "SecurityHeadersConfig": {
                        "ContentSecurityPolicy": {
                            "ContentSecurityPolicy": {"Fn::Sub": [CSP, {"FilesBucketName": files_bucket}]},
                            "Override": True,
                        },
                        "StrictTransportSecurity": {
                            "AccessControlMaxAgeSec": 63072000,
                            "IncludeSubdomains": True,
                            "Preload": False,
                            "Override": True,
                        },
                        "ContentTypeOptions": {"Override": True},
                        "FrameOptions": {"FrameOption": "DENY", "Override": True},
                        "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": True},
                    },
                    "CustomHeadersConfig": {
                        "Items": [
                            {
                                "Header": "Permissions-Policy",
                                "Value": "camera=(), microphone=(), geolocation=()",
                                "Override": True,
                            }
                        ]
                    },
                }
            },
        },
        "WebDistribution": {
            "Type": "AWS::CloudFront::Distribution",
            # cfn-lint checks the certificate's ARN against the parameter's empty default, which is only
            # used when there is no own name and so no certificate (the Fn::If below).
            "Metadata": {"cfn-lint": {"config": {"ignore_checks": ["W1031"]}}}
            | skip(
                (
                    "CKV_AWS_68",
                    "the operator attaches the government cloud's WAF web ACL to the distribution",
                ),
                (
                    "CKV_AWS_86",
                    "the static application's requests carry no personal data; the API logs its own",
                ),
                (
                    "CKV_AWS_174",
                    "TLS 1.2 or newer is set with the agency's certificate (WebCertificateArn); "
                    "CloudFront's default certificate cannot set it",
                ),
                ("CKV_AWS_310", "one origin, a versioned bucket in the platform's region"),
                ("CKV_AWS_374", "used by government offices across Thailand and abroad (embassies)"),
            ),
            "Properties": {
                "DistributionConfig": {
                    "Enabled": True,
                    "Comment": "e-Office web application",
                    "DefaultRootObject": "index.html",
                    "HttpVersion": "http2and3",
                    "PriceClass": "PriceClass_200",  # includes Asia
                    "Aliases": {
                        "Fn::If": ["HasWebDomain", [{"Ref": "WebDomainName"}], {"Ref": "AWS::NoValue"}]
                    },
                    "ViewerCertificate": {
                        "Fn::If": [
                            "HasWebDomain",
                            {
                                # (a Sub, not a Ref: the linter resolves a Ref to its empty default)
                                "AcmCertificateArn": {"Fn::Sub": "${WebCertificateArn}"},
                                "SslSupportMethod": "sni-only",
                                "MinimumProtocolVersion": "TLSv1.2_2021",
                            },
                            {"CloudFrontDefaultCertificate": True},
                        ]
                    },
                    "Origins": [
                        {
                            "Id": "web",
                            "DomainName": {"Fn::GetAtt": ["WebBucket", "RegionalDomainName"]},
                            "OriginAccessControlId": {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]},
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                    "DefaultCacheBehavior": {
                        "TargetOriginId": "web",
                        "ViewerProtocolPolicy": "redirect-to-https",
                        "AllowedMethods": ["GET", "HEAD"],
                        "Compress": True,
                        # AWS's managed CachingOptimized policy: hashed assets are cached for long.
                        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                        "ResponseHeadersPolicyId": {"Ref": "WebHeaders"},
                    },
                    # The SPA's own routes are its one page.
                    "CustomErrorResponses": [
                        {"ErrorCode": 403, "ResponseCode": 200, "ResponsePagePath": "/index.html"},
                        {"ErrorCode": 404, "ResponseCode": 200, "ResponsePagePath": "/index.html"},
                    ],
                }
            },
        },
    }


def web_outputs(export: Any) -> dict[str, Any]:
    """What the deploy of the SPA needs (its bucket, the distribution to invalidate) and its address;
    `export(name)` is the stage's export name for each."""
    return {
        "WebUrl": {"Value": web_origin(), "Export": {"Name": export("web-url")}},
        "WebBucketName": {"Value": {"Ref": "WebBucket"}, "Export": {"Name": export("web-bucket")}},
        "WebDistributionId": {
            "Value": {"Ref": "WebDistribution"},
            "Export": {"Name": export("web-distribution")},
        },
    }
