//! [`Operation`]: a method run the way the n8n BaleMessenger node runs it, giving the JSON
//! item that node outputs (wire-facts §3).
//!
//! | operation | output |
//! |---|---|
//! | `getMe` | the User object (`result`, as the server sent it) |
//! | `logOut` | `{"logged_out": <result>}` |
//! | `close` | `{"closed": <result>}` |
//! | anything else | `result` |

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use bale_api::{Method, User};
use serde_json::{json, Value};

use crate::response::typed;
use crate::{Client, Error};

/// A Bot API method, with the n8n node's output shape for it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `getMe`: outputs the bot's User object.
    GetMe,
    /// `logOut`: outputs `{"logged_out": <result>}`.
    LogOut,
    /// `close`: outputs `{"closed": <result>}`.
    Close,
    /// Any other method, by name as given: outputs `result`.
    Other(String),
}

impl Operation {
    /// The operation for a method name. `getMe`, `logOut` and `close` are recognised
    /// ignoring ASCII case; anything else is [`Operation::Other`], kept as given.
    pub fn from_name(name: &str) -> Operation {
        match Method::from_name(name) {
            Some(Method::GetMe) => Operation::GetMe,
            Some(Method::LogOut) => Operation::LogOut,
            Some(Method::Close) => Operation::Close,
            _ => Operation::Other(name.to_owned()),
        }
    }

    /// The method name sent on the wire (canonical spelling for the known methods).
    pub fn method_name(&self) -> &str {
        match self {
            Operation::GetMe => Method::GetMe.name(),
            Operation::LogOut => Method::LogOut.name(),
            Operation::Close => Method::Close.name(),
            Operation::Other(name) => name,
        }
    }

    /// Calls the method with `params` (the n8n node sends none for `getMe`, `logOut` and
    /// `close`: pass `Value::Null` or `{}`) and returns the node's output item.
    ///
    /// A `getMe` result that is not a User object is [`Error::InvalidResponse`] with
    /// [`crate::InvalidReason::UnexpectedResult`]; other results are passed through as they
    /// are, as the node does.
    pub async fn run(&self, client: &Client, params: &Value) -> Result<Value, Error> {
        let (status, result) = client.call_with_status(self.method_name(), params).await?;
        Ok(match self {
            Operation::GetMe => {
                typed::<User>(status, result.clone(), client.token())?;
                result
            }
            Operation::LogOut => json!({ "logged_out": result }),
            Operation::Close => json!({ "closed": result }),
            Operation::Other(_) => result,
        })
    }
}

impl FromStr for Operation {
    type Err = Infallible;

    fn from_str(name: &str) -> Result<Operation, Infallible> {
        Ok(Operation::from_name(name))
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.method_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_ignoring_case() {
        assert_eq!(Operation::from_name("LOGOUT"), Operation::LogOut);
        assert_eq!(Operation::from_name("getme"), Operation::GetMe);
        assert_eq!("Close".parse::<Operation>(), Ok(Operation::Close));
        let other = Operation::from_name("sendMessage");
        assert_eq!(other, Operation::Other("sendMessage".into()));
        assert_eq!(other.method_name(), "sendMessage");
        assert_eq!(Operation::from_name("logout").to_string(), "logOut");
    }
}
