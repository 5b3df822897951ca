//! The table: every operation resolves by both names, and each gives the node's item.

use bale_api::Method;
use serde_json::{json, Value};

use super::*;
use crate::response::Answer;

/// The item `name` outputs for a successful `result` to a call with `params`.
fn item(name: &str, result: Value, params: Value) -> Value {
    let row = Operation::from_name(name)
        .node_operation()
        .unwrap_or_else(|| panic!("{name} is in the table"));
    let answer = Answer {
        status: 200,
        envelope: json!({"ok": true, "result": result.clone()}),
        result,
    };
    row.output.item(answer, &params)
}

#[test]
fn names_parse_ignoring_case() {
    assert_eq!(Operation::from_name("LOGOUT"), Operation::LogOut);
    assert_eq!(Operation::from_name("getme"), Operation::GetMe);
    assert_eq!("Close".parse::<Operation>(), Ok(Operation::Close));
    let other = Operation::from_name("sendTelepathy");
    assert_eq!(other, Operation::Other("sendTelepathy".into()));
    assert_eq!(other.method_name(), "sendTelepathy");
    assert_eq!(other.node_operation(), None);
    assert_eq!(Operation::from_name("logout").to_string(), "logOut");
    assert_eq!(
        Operation::from_name("SENDMESSAGE").to_string(),
        "sendMessage"
    );
}

#[test]
fn the_node_has_32_operations_in_7_resources() {
    let count = |resource| {
        NODE_OPERATIONS
            .iter()
            .filter(|row| row.resource == resource)
            .count()
    };
    let counts = [
        (Resource::Bot, 3),
        (Resource::Callback, 2),
        (Resource::Chat, 6),
        (Resource::File, 1),
        (Resource::Message, 16),
        (Resource::Payment, 1),
        (Resource::Sticker, 3),
    ];
    for (resource, want) in counts {
        assert_eq!(count(resource), want, "{}", resource.name());
    }
    assert_eq!(NODE_OPERATIONS.len(), 32);
}

#[test]
fn every_operation_resolves_by_each_of_its_names() {
    for row in &NODE_OPERATIONS {
        let names: Vec<&str> = row.names().collect();
        assert!(names.contains(&row.node_name) && names.contains(&row.method.name()));
        for name in names {
            for spelled in [name.to_owned(), name.to_ascii_uppercase()] {
                let operation = Operation::from_name(&spelled);
                assert_eq!(operation.node_operation(), Some(row), "{spelled}");
                assert_eq!(operation.method_name(), row.method.name(), "{spelled}");
            }
        }
    }
}

#[test]
fn no_name_belongs_to_two_operations() {
    let mut seen: Vec<String> = Vec::new();
    for row in &NODE_OPERATIONS {
        for name in row.names() {
            let name = name.to_ascii_lowercase();
            assert!(!seen.contains(&name), "{name} names two operations");
            seen.push(name);
        }
    }
}

#[test]
fn the_node_values_that_are_not_method_names() {
    let posts = |name: &str| Operation::from_name(name).method_name().to_owned();
    assert_eq!(posts("answerQuery"), "answerCallbackQuery");
    assert_eq!(posts("answerCallbackQuery"), "answerCallbackQuery");
    assert_eq!(posts("uploadSticker"), "uploadStickerFile");
    assert_eq!(posts("uploadStickerFile"), "uploadStickerFile");
    assert_eq!(posts("getChatMemberCount"), "getChatMembersCount");
    // The node posts addStickerToSet to createNewStickerSet; this client does not.
    assert_eq!(posts("addStickerToSet"), "addStickerToSet");
    let getters = [Method::GetMe, Method::LogOut, Method::Close];
    for (operation, method) in [Operation::GetMe, Operation::LogOut, Operation::Close]
        .iter()
        .zip(getters)
    {
        assert_eq!(
            operation.node_operation().map(|row| row.method),
            Some(method)
        );
    }
}

#[test]
fn wrapped_results_and_envelopes() {
    let none = Value::Null;
    let cases = [
        ("logOut", json!(true), json!({"logged_out": true})),
        ("close", json!(true), json!({"closed": true})),
        ("banChatMember", json!(true), json!({"banned": true})),
        ("leaveChat", json!(true), json!({"leaved": true})),
        ("unbanChatMember", json!(true), json!({"unbanned": true})),
        ("sendChatAction", json!(true), json!({"successful": true})),
        (
            "answerInlineQuery",
            json!(true),
            json!({"successful": true}),
        ),
        (
            "deleteMessage",
            json!(true),
            json!({"messageDeleted": true}),
        ),
        (
            "copyMessage",
            json!({"message_id": 9}),
            json!({"messageId": {"message_id": 9}}),
        ),
        (
            "forwardMessage",
            json!({"message_id": 9}),
            json!({"res": {"message_id": 9}}),
        ),
        (
            "answerQuery",
            json!(true),
            json!({"successful": {"ok": true, "result": true}}),
        ),
        (
            "getChatMembersCount",
            json!(3),
            json!({"memberCount": {"ok": true, "result": 3}}),
        ),
        (
            "setChatPhoto",
            json!(true),
            json!({"set": {"ok": true, "result": true}}),
        ),
    ];
    for (name, result, want) in cases {
        assert_eq!(item(name, result, none.clone()), want, "{name}");
    }
}

#[test]
fn spread_results_and_envelopes() {
    let message = json!({"message_id": 5, "date": 1, "chat": {"id": 7001, "type": "private"}});
    let file = json!({"file_id": "f", "file_unique_id": "u", "file_size": 3, "file_path": "p/f"});
    let chat = json!({"id": -1, "type": "group", "title": "T"});
    let cases = [
        ("getMe", json!({"id": 1, "is_bot": true, "first_name": "B"})),
        ("getChat", chat),
        ("getFile", file.clone()),
        ("uploadSticker", file),
        ("sendMessage", message.clone()),
        ("sendLocation", message.clone()),
        ("sendSticker", message.clone()),
        ("sendPhoto", message.clone()),
        ("sendDocument", message.clone()),
        ("sendAudio", message.clone()),
        ("sendVideo", message.clone()),
        ("sendVoice", message.clone()),
        ("sendAnimation", message.clone()),
        ("sendMediaGroup", json!([message.clone(), message.clone()])),
    ];
    for (name, result) in cases {
        assert_eq!(item(name, result.clone(), Value::Null), result, "{name}");
    }
    for name in [
        "sendContact",
        "sendInvoice",
        "createNewStickerSet",
        "addStickerToSet",
    ] {
        let result = if name.starts_with("send") {
            message.clone()
        } else {
            json!(true)
        };
        let want = json!({"ok": true, "result": result.clone()});
        assert_eq!(item(name, result, Value::Null), want, "{name}");
    }
}

#[test]
fn edit_message_text_echoes_its_parameters() {
    let edited = json!({"message_id": 5, "text": "new"});
    let params = json!({"chat_id": "7001", "message_id": "5", "text": "new", "x": 1});
    assert_eq!(
        item("editMessageText", edited.clone(), params),
        json!({"Text": "new", "chat_id": "7001", "message_id": 5})
    );
    let inline = json!({"inline_message_id": "abc", "text": "new"});
    assert_eq!(
        item("editMessageText", json!(true), inline),
        json!({"Text": "new"})
    );
    let odd = json!({"chat_id": 7001, "message_id": "five", "text": "t"});
    assert_eq!(
        item("editMessageText", edited, odd),
        json!({"Text": "t", "chat_id": 7001, "message_id": "five"})
    );
}

#[test]
fn every_row_that_differs_from_the_node_says_so() {
    let differing: Vec<&str> = NODE_OPERATIONS
        .iter()
        .filter(|row| row.differs_from_node)
        .map(|row| row.node_name)
        .collect();
    assert_eq!(
        differing,
        [
            "answerQuery",
            "unbanChatMember",
            "copyMessage",
            "editMessageText",
            "forwardMessage",
            "sendAnimation",
            "sendAudio",
            "sendContact",
            "sendDocument",
            "sendMediaGroup",
            "sendMessage",
            "sendPhoto",
            "sendVideo",
            "sendVoice",
            "createNewStickerSet",
            "addStickerToSet",
        ]
    );
}

#[test]
fn docs_list_every_operation_and_every_difference() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/n8n.md");
    let docs = std::fs::read_to_string(path).unwrap();
    for row in &NODE_OPERATIONS {
        let line = format!(
            "| {} | `{}` | {} ",
            row.resource.name(),
            row.node_name,
            row.method.name()
        );
        assert!(docs.contains(&line), "docs/n8n.md lacks {line:?}");
    }
    let (_, differences) = docs
        .split_once("## Where `call` differs from the node")
        .expect("a differences section");
    // The backquoted names in the first column of the differences table.
    let mut listed: Vec<&str> = differences
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .flat_map(|line| line.split(" |").next().unwrap_or_default().split(", "))
        .map(|name| name.trim_matches('`'))
        .collect();
    listed.sort_unstable();
    let mut differing: Vec<&str> = NODE_OPERATIONS
        .iter()
        .filter(|row| row.differs_from_node)
        .map(|row| row.node_name)
        .collect();
    differing.sort_unstable();
    assert_eq!(listed, differing);
}
