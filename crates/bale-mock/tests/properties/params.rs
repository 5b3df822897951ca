//! Parameters: the query string and every body type read back what a client wrote (the
//! first occurrence wins, the query before the body), and no body of any content type
//! panics the reading or fails with anything but 400 or 413.

use std::collections::BTreeMap;

use bale_mock::decode::lenient_integer;
use bale_mock::request::{parse_params, Param, Params};
use bytes::Bytes;
use proptest::prelude::*;

use crate::ready;

fn read(query: Option<&str>, content_type: &str, body: impl Into<Bytes>) -> Params {
    ready(parse_params(query, Some(content_type), body.into())).expect("readable")
}

/// Names and values as clients send them, and some that are not.
fn name() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z_]{1,12}", "[^\r\n\"]{1,12}"]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        Just(u64::MAX.to_string()),
        Just("-99999999999999999999999".to_owned()),
        "[ -~]{0,30}",
        any::<String>(),
    ]
}

/// The first value of each name, in order.
fn first_values(pairs: &[(String, String)]) -> BTreeMap<&str, &str> {
    let mut first = BTreeMap::new();
    for (name, value) in pairs {
        first.entry(name.as_str()).or_insert(value.as_str());
    }
    first
}

proptest! {
    #![proptest_config(crate::config(128))]

    #[test]
    fn urlencoded_query_and_body_read_back_first_wins(
        query in prop::collection::vec((name(), value()), 0..6),
        body in prop::collection::vec((name(), value()), 0..6),
    ) {
        let encode = |pairs: &[(String, String)]| {
            form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
        };
        let params = read(
            Some(&encode(&query)),
            "application/x-www-form-urlencoded",
            encode(&body),
        );
        let all: Vec<_> = query.iter().chain(&body).cloned().collect();
        for (name, value) in first_values(&all) {
            prop_assert_eq!(params.text(name), Some(value));
        }
    }

    #[test]
    fn json_objects_read_back_as_text(pairs in prop::collection::btree_map(name(), value(), 0..6), numbers in any::<bool>()) {
        let object: serde_json::Map<String, serde_json::Value> = pairs
            .iter()
            .map(|(name, value)| {
                let json = match value.parse::<i64>() {
                    Ok(n) if numbers && n.to_string() == *value => serde_json::Value::from(n),
                    _ => serde_json::Value::from(value.clone()),
                };
                (name.clone(), json)
            })
            .collect();
        let params = read(None, "application/json", serde_json::to_vec(&object).unwrap());
        for (name, value) in &pairs {
            prop_assert_eq!(params.text(name), Some(value.as_str()));
        }
    }

    #[test]
    fn multipart_reads_back_text_and_files_with_any_boundary(
        boundary in "[A-Za-z0-9'()+_,./:=?-]{1,70}",
        fields in prop::collection::vec(("[a-z_]{1,12}", "[ -~]{0,40}", any::<bool>()), 0..5),
    ) {
        let mut body = String::new();
        for (name, value, file) in &fields {
            let file_name = if *file { "; filename=\"f.bin\"" } else { "" };
            body += &format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file_name}\r\n\r\n{value}\r\n"
            );
        }
        body += &format!("--{boundary}--\r\n");
        let content_type = format!("multipart/form-data; boundary=\"{boundary}\"");
        let params = read(None, &content_type, body);
        for (name, value, file) in &fields {
            if fields.iter().filter(|(n, _, _)| n == name).count() > 1 {
                continue;
            }
            let got = params.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            match (file, got) {
                (true, Some(Param::File(upload))) => {
                    prop_assert_eq!(upload.file_name.as_str(), "f.bin");
                    prop_assert_eq!(upload.bytes.as_ref(), value.as_bytes());
                }
                (false, got) => prop_assert_eq!(got, Some(Param::Text(value.clone()))),
                (true, got) => prop_assert!(false, "{name}: not a file: {got:?}"),
            }
        }
    }

    #[test]
    fn any_body_of_any_content_type_reads_or_is_refused(
        content_type in prop_oneof![
            Just("application/json".to_owned()),
            Just("application/x-www-form-urlencoded".to_owned()),
            "multipart/form-data(; boundary=[ -~]{0,80})?",
            "[ -~]{0,40}",
        ],
        query in proptest::option::of(any::<String>()),
        body in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        match ready(parse_params(query.as_deref(), Some(&content_type), Bytes::from(body))) {
            Ok(params) => {
                // Decoding into typed parameters never panics either.
                let _ = params.decode::<BTreeMap<String, String>>();
            }
            Err(error) => prop_assert!(matches!(error.error_code, 400 | 413), "{error:?}"),
        }
    }

    #[test]
    fn integers_read_back_exactly_and_saturate_beyond(n in any::<i64>(), tail in "[0-9]{0,25}[a-z]{0,3}") {
        prop_assert_eq!(lenient_integer(&n.to_string()), n);
        let longer = format!("{n}{tail}");
        let read = lenient_integer(&longer);
        let saturated = if n < 0 { read <= n } else { read >= n };
        prop_assert!(saturated, "{longer:?} read as {read}");
    }
}
