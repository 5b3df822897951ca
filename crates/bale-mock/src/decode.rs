//! Typed method parameters: `serde` from a request's merged [`Params`], with the real
//! server's lenient scalars.
//!
//! Every value arrives as text — a form or query value, a multipart part, or a JSON body's
//! value (a JSON non-string is kept as its JSON text) — so one reading serves every client:
//! `reply_markup` sent as a JSON string by a form client and as an object by a JSON client
//! is the same text here. Scalars are read the way tdlib reads them:
//!
//! - integers take an optional `-` and the leading digits (`"12x"` is 12, `"abc"` is 0),
//!   saturating instead of overflowing (td `to_integer`);
//! - booleans are true only for `true`, `yes` and `1`, ignoring case and surrounding blanks;
//! - sequences and maps are parsed from their JSON text.
//!
//! The first occurrence of a name wins; uploaded files are not text and are left to the
//! methods that take files.

use foldhash::HashSet;

use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use crate::request::{Param, Params};

/// Why parameters could not be read as a method's type (only a JSON-typed field can fail).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(String);

impl de::Error for DecodeError {
    fn custom<T: std::fmt::Display>(message: T) -> DecodeError {
        DecodeError(message.to_string())
    }
}

impl Params {
    /// The parameters as `T` (a method's parameter struct).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        let pairs = self.as_slice();
        // A request has a few names, and looking back over them costs less than hashing
        // each; past `LOOKED_BACK` a set keeps a megabyte of distinct names linear.
        let mut seen: HashSet<&str> = HashSet::default();
        let many = pairs.len() > LOOKED_BACK;
        let texts = pairs.iter().enumerate().filter_map(|(i, (name, value))| {
            let Param::Text(text) = value else {
                return None;
            };
            let first = if many {
                seen.insert(name)
            } else {
                let earlier = &pairs[..i];
                !earlier
                    .iter()
                    .any(|(n, v)| n == name && matches!(v, Param::Text(_)))
            };
            first.then_some((name.as_str(), Text(text)))
        });
        T::deserialize(MapDeserializer::<_, DecodeError>::new(
            texts.map(|(name, text)| (BorrowedStrDeserializer::new(name), text)),
        ))
    }
}

/// How many parameters are deduplicated by looking back instead of with a set.
const LOOKED_BACK: usize = 16;

/// One parameter's text, read the way its target type asks.
#[derive(Clone, Copy)]
struct Text<'a>(&'a str);

impl<'de> IntoDeserializer<'de, DecodeError> for Text<'de> {
    type Deserializer = Text<'de>;
    fn into_deserializer(self) -> Text<'de> {
        self
    }
}

/// td `to_integer`: an optional `-`, then the leading digits; saturating.
pub fn lenient_integer(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut value: i64 = 0;
    for digit in digits.bytes().take_while(u8::is_ascii_digit) {
        let digit = i64::from(digit - b'0');
        value = value
            .saturating_mul(10)
            .saturating_add(if negative { -digit } else { digit });
    }
    value
}

/// tdlib's boolean: `true`, `yes` or `1`, ignoring case and surrounding blanks.
pub fn lenient_bool(text: &str) -> bool {
    let text = text.trim();
    ["true", "yes", "1"]
        .iter()
        .any(|word| word.eq_ignore_ascii_case(text))
}

/// A float: the longest leading part that is a decimal number (`-2.5e3` of `-2.5e3kg`),
/// else 0; not finite is 0 too. The number is scanned in one pass and parsed once: trying
/// every prefix cost a parse each, minutes for a megabyte parameter.
fn lenient_float(text: &str) -> f64 {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits_from = |from: usize| {
        from + bytes
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut end = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let whole_end = digits_from(end);
    let mut has_digits = whole_end > end;
    end = whole_end;
    if bytes.get(end) == Some(&b'.') {
        let fraction_end = digits_from(end + 1);
        has_digits |= fraction_end > end + 1;
        if has_digits {
            end = fraction_end;
        }
    }
    if !has_digits {
        return 0.0;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        let exponent_end = digits_from(end + 1 + sign);
        if exponent_end > end + 1 + sign {
            end = exponent_end;
        }
    }
    text[..end]
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .unwrap_or(0.0)
}

macro_rules! integers {
    ($($method:ident => $visit:ident as $ty:ty,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
            let wide = lenient_integer(self.0);
            let value = <$ty>::try_from(wide)
                .unwrap_or(if wide < 0 { <$ty>::MIN } else { <$ty>::MAX });
            visitor.$visit(value)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Text<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_bool(lenient_bool(self.0))
    }

    integers! {
        deserialize_i8 => visit_i8 as i8,
        deserialize_i16 => visit_i16 as i16,
        deserialize_i32 => visit_i32 as i32,
        deserialize_i64 => visit_i64 as i64,
        deserialize_u8 => visit_u8 as u8,
        deserialize_u16 => visit_u16 as u16,
        deserialize_u32 => visit_u32 as u32,
        deserialize_u64 => visit_u64 as u64,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_f64(lenient_float(self.0))
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_f64(lenient_float(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.json(|de| de::Deserializer::deserialize_seq(de, visitor))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.json(|de| de::Deserializer::deserialize_map(de, visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.json(|de| de::Deserializer::deserialize_struct(de, name, fields, visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct tuple tuple_struct enum identifier
        ignored_any i128 u128
    }
}

impl<'de> Text<'de> {
    fn json<T>(
        self,
        read: impl FnOnce(
            &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
        ) -> serde_json::Result<T>,
    ) -> Result<T, DecodeError> {
        let mut de = serde_json::Deserializer::from_str(self.0);
        read(&mut de).map_err(|e| DecodeError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Upload;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Example {
        chat_id: Option<String>,
        message_id: Option<i32>,
        limit: Option<i64>,
        disable: Option<bool>,
        latitude: Option<f64>,
        allowed: Option<Vec<String>>,
    }

    fn decode(pairs: &[(&str, &str)]) -> Example {
        pairs.iter().copied().collect::<Params>().decode().unwrap()
    }

    #[test]
    fn scalars_are_read_leniently() {
        let got = decode(&[
            ("chat_id", "-1001"),
            ("message_id", "12x"),
            ("limit", "-99999999999999999999999"),
            ("disable", " YES "),
            ("latitude", "51.5abc"),
            ("allowed", r#"["message"]"#),
            ("chat_id", "ignored: the first occurrence wins"),
        ]);
        assert_eq!(
            got,
            Example {
                chat_id: Some("-1001".into()),
                message_id: Some(12),
                limit: Some(i64::MIN),
                disable: Some(true),
                latitude: Some(51.5),
                allowed: Some(vec!["message".into()]),
            }
        );
        let junk = decode(&[("message_id", "abc"), ("disable", "on"), ("latitude", "x")]);
        assert_eq!(
            (junk.message_id, junk.disable, junk.latitude),
            (Some(0), Some(false), Some(0.0))
        );
        assert_eq!(
            decode(&[("message_id", "99999999999")]).message_id,
            Some(i32::MAX)
        );
    }

    /// The reading `lenient_float` must keep: the longest leading part that parses.
    fn longest_parsing_prefix(text: &str) -> f64 {
        let text = text.trim();
        (0..=text.len())
            .rev()
            .filter(|&end| text.is_char_boundary(end))
            .find_map(|end| text[..end].parse::<f64>().ok())
            .filter(|x| x.is_finite())
            .unwrap_or(0.0)
    }

    proptest::proptest! {
        #[test]
        fn floats_read_the_longest_leading_number(text in "[ +.eE0-9a-z-]{0,24}") {
            let (got, want) = (lenient_float(&text), longest_parsing_prefix(&text));
            proptest::prop_assert!(got == want || (got.is_nan() && want.is_nan()), "{text:?}: {got} != {want}");
        }
    }

    proptest::proptest! {
        /// Each name's first text value is the one read, however many parameters come
        /// (below `LOOKED_BACK` and above it) and wherever files of the same name stand.
        #[test]
        fn the_first_text_of_each_name_wins(
            pairs in proptest::collection::vec(("[a-e]", "[0-9]{0,2}", proptest::bool::weighted(0.2)), 0..40),
        ) {
            let mut params = Params::default();
            for (name, text, file) in &pairs {
                let file_name = text.clone();
                let upload = Upload { file_name, content_type: None, bytes: Default::default() };
                let value = if *file { Param::File(upload) } else { Param::Text(text.clone()) };
                params.push(name.as_str(), value);
            }
            let mut want = std::collections::BTreeMap::new();
            for (name, text, _) in pairs.iter().filter(|pair| !pair.2) {
                want.entry(name.clone()).or_insert_with(|| text.clone());
            }
            let got: std::collections::BTreeMap<String, String> = params.decode().unwrap();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn a_long_float_parameter_is_read_in_one_pass() {
        // Half a megabyte of digits, an `e`, and half a megabyte that is no exponent: a
        // parse per prefix took minutes, holding the bot's lock.
        let text = format!("{}e{}", "1".repeat(300_000), "z".repeat(300_000));
        let started = std::time::Instant::now();
        assert_eq!(lenient_float(&text), 0.0, "1e300000 and more is not finite");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            lenient_float(&format!("-2.5e3{}", "z".repeat(300_000))),
            -2500.0
        );
    }

    #[test]
    fn many_distinct_parameters_are_decoded_in_one_pass() {
        // A megabyte of short distinct names: comparing each with every name before it
        // took a quadratic time, under the bot's lock.
        let params: Params = (0..200_000)
            .map(|i| (format!("p{i}"), "1".to_owned()))
            .chain([("message_id".to_owned(), "7".to_owned())])
            .collect();
        let started = std::time::Instant::now();
        let example: Example = params.decode().unwrap();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(example.message_id, Some(7));
    }

    #[test]
    fn json_fields_that_do_not_parse_are_an_error() {
        let params: Params = [("allowed", "[1,")].into_iter().collect();
        assert!(params.decode::<Example>().is_err());
    }
}
