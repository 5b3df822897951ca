//! [`JournalParams`]: a journaled request's parameters, read like a JSON object.

use std::ops::Index;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// A journaled request's parameters: each name once, in the order the request sent them.
///
/// A request has a few names (at most [`MAX_PARAMS`](super::MAX_PARAMS) are kept), so a
/// list looked through by name costs less than a hashed map on every request; it reads
/// like `serde_json::Map` (`params["chat_id"]`, [`get`](Self::get), [`iter`](Self::iter))
/// and serialises as a JSON object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JournalParams(Vec<(String, Value)>);

impl JournalParams {
    /// The value of `name`, if the request sent it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    }

    /// Whether the request sent `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// `name` with `value`, replacing the value if `name` is already there.
    pub fn insert(&mut self, name: String, value: Value) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, old)) => *old = value,
            None => self.0.push((name, value)),
        }
    }

    /// The names and values, in the order sent.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&String, &Value)> {
        self.0.iter().map(|(name, value)| (name, value))
    }

    /// The names, in the order sent.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &String> {
        self.0.iter().map(|(name, _)| name)
    }

    /// How many names there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the request sent no parameter.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The list, built by the journal, which has already kept each name once.
    pub(super) fn from_unique(pairs: Vec<(String, Value)>) -> JournalParams {
        JournalParams(pairs)
    }
}

impl Index<&str> for JournalParams {
    type Output = Value;

    /// The value of `name`; panics if the request did not send it, as a test's
    /// `params["name"]` should fail loudly.
    fn index(&self, name: &str) -> &Value {
        match self.get(name) {
            Some(value) => value,
            None => panic!("the request sent no parameter {name:?}"),
        }
    }
}

impl Serialize for JournalParams {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<N: Into<String>> FromIterator<(N, Value)> for JournalParams {
    /// Each name once: a later value of a name replaces the earlier, as in a JSON object.
    fn from_iter<I: IntoIterator<Item = (N, Value)>>(pairs: I) -> JournalParams {
        let mut params = JournalParams::default();
        for (name, value) in pairs {
            params.insert(name.into(), value);
        }
        params
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_and_serialises_like_a_json_object_in_the_order_sent() {
        let params: JournalParams = [("b", json!("2")), ("a", json!("1")), ("b", json!("3"))]
            .into_iter()
            .collect();
        assert_eq!(params.len(), 2);
        assert_eq!(params["b"], "3");
        assert_eq!(params.get("a"), Some(&json!("1")));
        assert_eq!(params.get("c"), None);
        assert!(params.contains_key("a") && !params.contains_key("c"));
        assert_eq!(params.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            r#"{"b":"3","a":"1"}"#
        );
        assert!(JournalParams::default().is_empty());
        assert_eq!(
            serde_json::to_string(&JournalParams::default()).unwrap(),
            "{}"
        );
    }

    #[test]
    #[should_panic(expected = "the request sent no parameter \"c\"")]
    fn indexing_a_name_not_sent_panics_with_the_name() {
        let _ = &JournalParams::default()["c"];
    }
}
