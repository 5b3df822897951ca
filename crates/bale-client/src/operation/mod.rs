//! [`Operation`]: a method run the way the n8n BaleMessenger node runs it, giving the JSON
//! item that node outputs.
//!
//! The node's 32 operations are the rows of [`NODE_OPERATIONS`] (its `table` module): the
//! node's value and the Bot API method are both accepted as names, ignoring ASCII case, and
//! each row's [`Output`] says what item it gives — `{"logged_out": result}` for logOut, the
//! User for getMe, `{"memberCount": envelope}` for getChatMembersCount, and so on. Any other
//! method is passed through as given and outputs `result`.
//!
//! `getMe`, `logOut` and `close` keep variants of their own ([`Operation::GetMe`], …), as
//! before the table; every other row is [`Operation::Node`].

mod output;
mod table;
#[cfg(test)]
mod tests;

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use bale_api::{Method, User};
use serde_json::Value;

pub use output::Output;
pub use table::{find, NodeOperation, Resource, NODE_OPERATIONS};

use crate::response::typed;
use crate::{Client, Error, InputFile};

/// A Bot API method, with the n8n node's output shape for it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `getMe`: outputs the bot's User object.
    GetMe,
    /// `logOut`: outputs `{"logged_out": <result>}`.
    LogOut,
    /// `close`: outputs `{"closed": <result>}`.
    Close,
    /// Another of the node's operations: its row of [`NODE_OPERATIONS`].
    Node(&'static NodeOperation),
    /// Any other method, by name as given: outputs `result`.
    Other(String),
}

impl Operation {
    /// The operation for a name: a row of [`NODE_OPERATIONS`] by the node's value or the
    /// Bot API method name, ignoring ASCII case; anything else is [`Operation::Other`], kept
    /// as given.
    pub fn from_name(name: &str) -> Operation {
        match table::find(name) {
            Some(row) => match row.method {
                Method::GetMe => Operation::GetMe,
                Method::LogOut => Operation::LogOut,
                Method::Close => Operation::Close,
                _ => Operation::Node(row),
            },
            None => Operation::Other(name.to_owned()),
        }
    }

    /// The node's row for this operation, or `None` for [`Operation::Other`].
    pub fn node_operation(&self) -> Option<&'static NodeOperation> {
        let method = match self {
            Operation::GetMe => Method::GetMe,
            Operation::LogOut => Method::LogOut,
            Operation::Close => Method::Close,
            Operation::Node(row) => return Some(row),
            Operation::Other(_) => return None,
        };
        NODE_OPERATIONS.iter().find(|row| row.method == method)
    }

    /// The method name sent on the wire (canonical spelling for the known methods).
    pub fn method_name(&self) -> &str {
        match self {
            Operation::GetMe => Method::GetMe.name(),
            Operation::LogOut => Method::LogOut.name(),
            Operation::Close => Method::Close.name(),
            Operation::Node(row) => row.method.name(),
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
        self.run_with_files(client, params, &[]).await
    }

    /// [`Operation::run`] with files to upload (`sendPhoto`'s `photo`, `setChatPhoto`'s,
    /// `uploadSticker`'s `png_sticker`, `attach://` parts of `sendMediaGroup`): the call is
    /// then `multipart/form-data`, see [`Client::call_with_files`].
    pub async fn run_with_files(
        &self,
        client: &Client,
        params: &Value,
        files: &[InputFile],
    ) -> Result<Value, Error> {
        let answer = client
            .call_answer(self.method_name(), params, files)
            .await?;
        if *self == Operation::GetMe {
            typed::<User>(answer.status, answer.result.clone(), client.token())?;
        }
        Ok(match self.node_operation() {
            Some(row) => row.output.item(answer, params),
            None => answer.result,
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
