//! Service and region from an AWS host name, where the host says them.

/// What a host name tells: the signing service and the region, each when known.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HostScope {
    /// The signing name (`s3`, `execute-api`, `es`, ...).
    pub service: Option<String>,
    /// The region (`us-east-1`, ...).
    pub region: Option<String>,
}

/// Endpoint prefixes whose signing name differs from the prefix.
const SIGNING_NAMES: &[(&str, &str)] = &[
    ("email", "ses"),
    ("aps-workspaces", "aps"),
    ("runtime.sagemaker", "sagemaker"),
    ("runtime.lex", "lex"),
    ("streams.dynamodb", "dynamodb"),
    ("data-ats.iot", "iotdata"),
    ("data.iot", "iotdata"),
    ("bedrock-runtime", "bedrock"),
    ("bedrock-agent-runtime", "bedrock"),
    ("monitoring", "monitoring"),
];

/// Global services signed in us-east-1 when the host names no region.
const GLOBAL: &[&str] = &["iam", "sts", "s3", "cloudfront", "route53", "organizations"];

fn scope(service: &str, region: Option<&str>) -> HostScope {
    let service = SIGNING_NAMES
        .iter()
        .find(|(prefix, _)| *prefix == service)
        .map_or(service, |(_, name)| name);
    let region = region
        .map(str::to_owned)
        .or_else(|| GLOBAL.contains(&service).then(|| "us-east-1".to_owned()));
    HostScope {
        service: Some(service.to_owned()),
        region,
    }
}

fn is_region(label: &str) -> bool {
    // aa-bbbb-N, aa-bbbb-bbbb-N, us-gov-west-1, cn-north-1.
    let parts: Vec<&str> = label.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Reads the service and region from `host` (without port). Unknown hosts give an empty scope.
pub fn from_host(host: &str) -> HostScope {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    // Lambda function URLs: <id>.lambda-url.<region>.on.aws
    if let Some(rest) = host.strip_suffix(".on.aws") {
        let labels: Vec<&str> = rest.split('.').collect();
        if let Some(i) = labels.iter().position(|l| *l == "lambda-url") {
            return scope("lambda", labels.get(i + 1).copied());
        }
        return HostScope::default();
    }
    let rest = match host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))
    {
        Some(rest) => rest,
        None => return HostScope::default(),
    };
    let labels: Vec<&str> = rest.split('.').collect();
    // S3 in all its styles: s3, s3.<region>, s3-<region>, <bucket>.s3[.-]<region>, s3.dualstack.<region>,
    // s3-accelerate, <bucket>.s3-accelerate.
    if let Some(i) = labels.iter().rposition(|l| {
        *l == "s3" || l.starts_with("s3-") || *l == "s3-accelerate" || *l == "s3-control"
    }) {
        let label = labels[i];
        let after: Vec<&str> = labels[i + 1..].to_vec();
        if label == "s3-accelerate" {
            return scope("s3", None);
        }
        if let Some(region) = label.strip_prefix("s3-").filter(|r| is_region(r)) {
            return scope("s3", Some(region));
        }
        let region = after.iter().copied().find(|l| is_region(l));
        return scope("s3", region);
    }
    // OpenSearch: search-<domain>-<id>.<region>.es ; serverless: <id>.<region>.aoss
    if let Some(last) = labels.last() {
        if (*last == "es" || *last == "aoss") && labels.len() >= 2 {
            return scope(last, Some(labels[labels.len() - 2]));
        }
    }
    // API Gateway: <api>.execute-api.<region>
    if let Some(i) = labels.iter().position(|l| *l == "execute-api") {
        return scope("execute-api", labels.get(i + 1).copied());
    }
    // service.region, prefix.service.region (runtime.sagemaker.us-east-1), service (global).
    match labels.as_slice() {
        [service] => scope(service, None),
        [.., region] if is_region(region) => {
            let service = labels[..labels.len() - 1].join(".");
            let known = SIGNING_NAMES.iter().any(|(p, _)| *p == service);
            if known {
                scope(&service, Some(region))
            } else {
                // The label before the region names the service (fips and dualstack variants aside).
                let name = labels[labels.len() - 2].trim_end_matches("-fips");
                scope(name, Some(region))
            }
        }
        [.., service] => scope(service, None),
        [] => HostScope::default(),
    }
}

/// The host part of a URL's authority (`host[:port]`, `[v6]:port`).
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next();
    }
    Some(authority.split(':').next().unwrap_or(authority))
}

#[cfg(test)]
mod tests {
    use super::from_host;

    fn check(host: &str, service: Option<&str>, region: Option<&str>) {
        let got = from_host(host);
        assert_eq!(got.service.as_deref(), service, "service of {host}");
        assert_eq!(got.region.as_deref(), region, "region of {host}");
    }

    // Host forms from the AWS endpoint documentation (service endpoints and quotas; S3 virtual
    // hosting; API Gateway, Lambda function URLs, OpenSearch, Amazon Managed Prometheus).
    #[test]
    fn hosts() {
        check(
            "abc123.execute-api.eu-west-1.amazonaws.com",
            Some("execute-api"),
            Some("eu-west-1"),
        );
        check(
            "xyz.lambda-url.us-west-2.on.aws",
            Some("lambda"),
            Some("us-west-2"),
        );
        check("s3.amazonaws.com", Some("s3"), Some("us-east-1"));
        check(
            "s3.eu-central-1.amazonaws.com",
            Some("s3"),
            Some("eu-central-1"),
        );
        check(
            "bucket.s3.eu-central-1.amazonaws.com",
            Some("s3"),
            Some("eu-central-1"),
        );
        check(
            "my.dotted.bucket.s3.ap-south-1.amazonaws.com",
            Some("s3"),
            Some("ap-south-1"),
        );
        check(
            "bucket.s3-us-west-2.amazonaws.com",
            Some("s3"),
            Some("us-west-2"),
        );
        check("bucket.s3.amazonaws.com", Some("s3"), Some("us-east-1"));
        check(
            "s3.dualstack.us-east-2.amazonaws.com",
            Some("s3"),
            Some("us-east-2"),
        );
        check(
            "search-logs-abc.us-east-1.es.amazonaws.com",
            Some("es"),
            Some("us-east-1"),
        );
        check(
            "abc.us-east-1.aoss.amazonaws.com",
            Some("aoss"),
            Some("us-east-1"),
        );
        check(
            "aps-workspaces.us-east-1.amazonaws.com",
            Some("aps"),
            Some("us-east-1"),
        );
        check(
            "dynamodb.us-east-1.amazonaws.com",
            Some("dynamodb"),
            Some("us-east-1"),
        );
        check(
            "sqs.us-east-2.amazonaws.com",
            Some("sqs"),
            Some("us-east-2"),
        );
        check("sts.amazonaws.com", Some("sts"), Some("us-east-1"));
        check(
            "sts.eu-west-3.amazonaws.com",
            Some("sts"),
            Some("eu-west-3"),
        );
        check("iam.amazonaws.com", Some("iam"), Some("us-east-1"));
        check(
            "email.us-east-1.amazonaws.com",
            Some("ses"),
            Some("us-east-1"),
        );
        check(
            "runtime.sagemaker.us-east-1.amazonaws.com",
            Some("sagemaker"),
            Some("us-east-1"),
        );
        check(
            "bedrock-runtime.us-west-2.amazonaws.com",
            Some("bedrock"),
            Some("us-west-2"),
        );
        check(
            "kms-fips.us-east-1.amazonaws.com",
            Some("kms"),
            Some("us-east-1"),
        );
        check("127.0.0.1", None, None);
        check("localhost", None, None);
        check("example.com", None, None);
    }

    #[test]
    fn hosts_of_urls() {
        assert_eq!(super::host_of("https://a.b:8443/x?y"), Some("a.b"));
        assert_eq!(super::host_of("http://[::1]:80/"), Some("::1"));
        assert_eq!(super::host_of("/relative"), None);
    }
}
