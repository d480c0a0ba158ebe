//! SigV4a: which of the verifier's regions the signed `X-Amz-Region-Set` covers.

use crate::error::Result;

use super::form::Form;
use super::parse_header::truncate;
use super::scope::or_list;

/// True when the region-set entry `entry` covers `region`: equal, `*`, or a prefix ending in `*`
/// (`us-*` covers `us-east-1`).
fn covers(entry: &str, region: &str) -> bool {
    match entry.strip_suffix('*') {
        Some(prefix) => region.starts_with(prefix),
        None => entry == region,
    }
}

/// The first of `regions` (in the verifier's order) that `region_set` covers.
///
/// The set is comma-separated entries (spaces around an entry ignored); an empty entry, or a
/// character a region never has (controls, spaces inside, `/`), is malformed. A set covering none
/// of the verifier's regions is refused like a SigV4 credential for another region.
pub(crate) fn covered_region<'r>(
    form: Form,
    region_set: &str,
    regions: &'r [String],
) -> Result<&'r str> {
    let mut matched: Option<usize> = None;
    for entry in super::split_byte(region_set, b',') {
        let entry = entry.trim_matches(' ');
        let valid = !entry.is_empty()
            && entry
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'/' && b != b',');
        if !valid {
            return Err(form.malformed(format!(
                "X-Amz-Region-Set must be regions separated by ',' (or *) (got {:?})",
                truncate(region_set)
            )));
        }
        if let Some(i) = regions.iter().position(|r| covers(entry, r)) {
            matched = Some(matched.map_or(i, |m| m.min(i)));
        }
    }
    match matched {
        Some(i) => Ok(&regions[i]),
        None => Err(form.malformed(format!(
            "X-Amz-Region-Set {:?} does not include this service's region; expecting a set with {} (or *)",
            truncate(region_set),
            or_list(regions)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Vec<String> {
        vec!["us-east-1".into(), "eu-west-1".into()]
    }

    #[test]
    fn sets_that_cover() {
        let r = regions();
        for (set, want) in [
            ("us-east-1", "us-east-1"),
            ("*", "us-east-1"),
            ("eu-west-1", "eu-west-1"),
            ("ap-south-1,eu-west-1", "eu-west-1"),
            ("eu-west-1, us-east-1", "us-east-1"),
            ("eu-*", "eu-west-1"),
        ] {
            assert_eq!(
                covered_region(Form::Header, set, &r).unwrap(),
                want,
                "{set}"
            );
        }
    }

    #[test]
    fn sets_that_do_not() {
        let r = regions();
        for set in [
            "us-west-2",
            "us-east-1x",
            "US-EAST-1",
            "ap-*",
            "",
            ",",
            "us-east-1,",
            "us-east-1,,eu-west-1",
            "us east-1",
            "us-east-1/x",
        ] {
            assert!(covered_region(Form::Header, set, &r).is_err(), "{set:?}");
        }
    }
}
