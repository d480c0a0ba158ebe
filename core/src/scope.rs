//! The credential scope a signer signs for: region (or SigV4a region set) and service checked
//! once, here, for the signer, the one-call signing, the exact (aws4) signer and the verifier.

use crate::error::{Error, ErrorKind, Result};
use crate::settings::SigningAlgorithm;

/// Checks a region's characters: non-empty, and none of `/`, whitespace or control characters (it
/// is part of the scope). A signer checks more (see [`validate_scope`]).
pub fn validate_region(region: &str) -> Result<()> {
    validate_scope_part(region, ErrorKind::InvalidRegion, "region")
}

/// Checks a service name the same way.
pub fn validate_service(service: &str) -> Result<()> {
    validate_scope_part(service, ErrorKind::InvalidService, "service")
}

fn validate_scope_part(value: &str, kind: ErrorKind, what: &'static str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::arg(kind, what, format!("{what} is empty")));
    }
    if value.bytes().any(|b| b == b'/' || b <= b' ' || b == 0x7f) {
        return Err(Error::arg(
            kind,
            what,
            format!("{what} {value:?} must not contain '/', whitespace or control characters"),
        ));
    }
    Ok(())
}

/// True for a value shaped like an AWS region: `us-east-1`, `eu-central-2`, `us-gov-west-1`,
/// `cn-north-1` (two letters, words, a number).
fn is_region_shaped(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Service names a caller may put in the region slot by following botocore's argument order
/// (`SigV4Auth(credentials, service, region)`); none of them is a region.
const SERVICE_NAMES: &[&str] = &[
    "execute-api",
    "s3",
    "s3-object-lambda",
    "s3-outposts",
    "s3express",
    "lambda",
    "sts",
    "iam",
    "dynamodb",
    "sqs",
    "sns",
    "ec2",
    "es",
    "aoss",
    "kinesis",
    "firehose",
    "logs",
    "monitoring",
    "events",
    "states",
    "secretsmanager",
    "ssm",
    "kms",
    "apigateway",
    "appsync",
    "bedrock",
    "bedrock-runtime",
    "sagemaker",
    "glue",
    "athena",
    "rds",
    "rds-db",
    "ecr",
    "ecs",
    "eks",
    "cloudformation",
    "cloudfront",
    "route53",
    "ses",
    "email",
    "cognito-idp",
    "codecommit",
    "vpc-lattice-svcs",
    "osis",
    "xray",
    "kafka",
    "elasticloadbalancing",
    "autoscaling",
];

/// Checks the scope a signer signs with: region (a region set for SigV4a) and service, each well
/// formed, not `*` for SigV4 (only SigV4a signs for every region), and not swapped — a service name
/// in the region slot or a region in the service slot is botocore's argument order
/// (`service, region`) given to ours (`region, service`), which would sign a scope AWS refuses.
pub fn validate_scope(region: &str, service: &str, algorithm: SigningAlgorithm) -> Result<()> {
    match algorithm {
        SigningAlgorithm::Sigv4 => {
            validate_region(region)?;
            if region.contains('*') || region.contains(',') {
                return Err(Error::arg(
                    ErrorKind::InvalidRegion,
                    "region",
                    format!(
                        "region {region:?} is a region set: SigV4 signs for one region \
                         (use algorithm sigv4a for a region set or \"*\")"
                    ),
                ));
            }
        }
        SigningAlgorithm::Sigv4a => validate_region_set(region)?,
    }
    validate_service(service)?;
    let region_is_service = region
        .split(',')
        .any(|r| SERVICE_NAMES.contains(&r) && !is_region_shaped(r));
    if region_is_service || (is_region_shaped(service) && !is_region_shaped(region)) {
        return Err(Error::arg(
            ErrorKind::InvalidRegion,
            "region",
            format!(
                "region {region:?} and service {service:?} look swapped: the order is \
                 (credentials, region, service), e.g. (credentials, \"us-east-1\", \"execute-api\"); \
                 botocore's SigV4Auth takes (credentials, service, region)"
            ),
        ));
    }
    Ok(())
}

/// Checks a region set: comma-separated regions (wildcards such as `*` or `us-*` allowed).
pub(crate) fn validate_region_set(region_set: &str) -> Result<()> {
    validate_region(region_set)?;
    if region_set.split(',').any(|r| r.is_empty()) {
        return Err(Error::arg(
            ErrorKind::InvalidRegion,
            "region",
            format!("region set {region_set:?} has an empty entry"),
        ));
    }
    Ok(())
}
