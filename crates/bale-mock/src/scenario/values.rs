//! Reading values out of scenario text: ranges, TOML → JSON, and "did you mean" for
//! misspelt method names.

use bale_api::Method;
use serde_json::Value;

/// `"a..b"` (b excluded), `"a..=b"` (b included, for whole numbers), `"a.."`, `"..b"`.
/// Returns `(from, until)` with `until` excluded.
pub(super) fn parse_range(text: &str) -> Option<(f64, Option<f64>)> {
    let (from, rest) = text.trim().split_once("..")?;
    let from = match from.trim() {
        "" => 0.0,
        from => from.parse().ok()?,
    };
    let until = match rest.trim() {
        "" => None,
        rest => match rest.strip_prefix('=') {
            Some(last) => Some(last.trim().parse::<f64>().ok()? + 1.0),
            None => Some(rest.parse().ok()?),
        },
    };
    Some((from, until))
}

pub(super) fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(n) => Value::from(n),
        toml::Value::Float(x) => Value::from(x),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// The known method nearest to a misspelt one, if near enough to suggest.
pub(super) fn closest_method(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    Method::ALL
        .iter()
        .map(|known| {
            let distance = strsim::levenshtein(&lower, &known.name().to_ascii_lowercase());
            (distance, known.name())
        })
        .filter(|(distance, _)| *distance <= 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("2..5"), Some((2.0, Some(5.0))));
        assert_eq!(parse_range("2..=4"), Some((2.0, Some(5.0))));
        assert_eq!(parse_range("3.."), Some((3.0, None)));
        assert_eq!(parse_range("..30"), Some((0.0, Some(30.0))));
        assert_eq!(parse_range("1.5..2.5"), Some((1.5, Some(2.5))));
        assert_eq!(parse_range("five"), None);
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest_method("sendMesage"), Some("sendMessage"));
        assert_eq!(closest_method("logout"), Some("logOut"));
        assert_eq!(closest_method("completelyDifferent"), None);
    }
}
