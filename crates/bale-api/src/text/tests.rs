use super::*;

fn text(raw: &str, mode: Option<&str>) -> FormattedText {
    parse_message_text(raw, mode, None).unwrap()
}

fn error(raw: &str, mode: Option<&str>) -> String {
    parse_message_text(raw, mode, None)
        .unwrap_err()
        .description()
        .to_string()
}

/// Entities as `(type, offset, length)`.
fn short(t: &FormattedText) -> Vec<(&str, i64, i64)> {
    t.entities
        .iter()
        .map(|e| (e.kind.as_str(), e.offset, e.length))
        .collect()
}

#[test]
fn empty_and_long_texts() {
    assert_eq!(error("", None), descriptions::MESSAGE_TEXT_EMPTY);
    assert_eq!(
        error(&"a".repeat(MAX_TEXT_BYTES + 1), None),
        descriptions::TEXT_TOO_LONG
    );
    // The byte limit is on the raw text, before the markup is removed.
    let markup = format!("<b>{}</b>", "a".repeat(MAX_TEXT_BYTES));
    assert_eq!(error(&markup, Some("HTML")), descriptions::TEXT_TOO_LONG);
    assert_eq!(
        error(&"a".repeat(MAX_TEXT_BYTES), None),
        descriptions::MESSAGE_TOO_LONG
    );
    assert_eq!(
        error(&"a".repeat(4097), None),
        descriptions::MESSAGE_TOO_LONG
    );
    assert_eq!(text(&"a".repeat(4096), None).text.len(), 4096);
    // Characters, not bytes: 4096 Persian letters are 8192 bytes and fit.
    assert_eq!(text(&"س".repeat(4096), None).text.chars().count(), 4096);
    assert_eq!(
        error(&"س".repeat(4097), None),
        descriptions::MESSAGE_TOO_LONG
    );
    // Trailing spaces do not count: the limit is checked after trimming.
    assert!(parse_message_text(&format!("{}   ", "a".repeat(4096)), None, None).is_ok());
}

#[test]
fn blank_texts() {
    for blank in [" ", "   \n ", "\t\r\n", "\u{200b}", "\u{2800} \u{3000}"] {
        assert_eq!(
            error(blank, None),
            descriptions::TEXT_MUST_BE_NON_EMPTY,
            "{blank:?}"
        );
    }
    assert_eq!(
        error("<b> </b>", Some("HTML")),
        descriptions::TEXT_MUST_BE_NON_EMPTY
    );
    assert_eq!(
        error("<i></i>", Some("html")),
        descriptions::TEXT_MUST_BE_NON_EMPTY
    );
    assert_eq!(
        error("\\ ", Some("MarkdownV2")),
        descriptions::TEXT_MUST_BE_NON_EMPTY
    );
}

#[test]
fn captions() {
    assert_eq!(
        parse_caption("", None, None).unwrap(),
        FormattedText::default()
    );
    assert_eq!(
        parse_caption("  \n ", None, None).unwrap(),
        FormattedText::default()
    );
    assert_eq!(parse_caption(" hi ", None, None).unwrap().text, "hi");
    assert_eq!(
        parse_caption(&"b".repeat(1024), None, None)
            .unwrap()
            .text
            .len(),
        1024
    );
    assert_eq!(
        parse_caption(&"b".repeat(1025), None, None)
            .unwrap_err()
            .description(),
        descriptions::CAPTION_TOO_LONG
    );
    let caption = parse_caption("*عکس*", Some("Markdown"), None).unwrap();
    assert_eq!(short(&caption), [("bold", 0, 3)]);
}

#[test]
fn parse_modes() {
    assert_eq!(
        error("x", Some("markdown3")),
        descriptions::UNSUPPORTED_PARSE_MODE
    );
    // An empty text is never parsed, so its parse mode is not looked at.
    assert_eq!(parse("", Some("bogus")).unwrap(), FormattedText::default());
    for mode in ["HTML", "html", "Html"] {
        assert_eq!(short(&text("<b>x</b>", Some(mode))), [("bold", 0, 1)]);
    }
    for mode in [None, Some(""), Some("none"), Some("NONE")] {
        assert_eq!(text("<b>x</b>", mode).text, "<b>x</b>");
    }
    assert_eq!(short(&text("*x*", Some("markdown"))), [("bold", 0, 1)]);
    assert_eq!(
        short(&text("~x~", Some("MARKDOWNV2"))),
        [("strikethrough", 0, 1)]
    );
}

#[test]
fn markup_errors_have_td_wording() {
    let cant = descriptions::CANT_PARSE_ENTITIES_PREFIX;
    let cases = [
        (
            "Hello, *world",
            "Markdown",
            "Can't find end of the entity starting at byte offset 7",
        ),
        (
            "Hi!",
            "MarkdownV2",
            "Character '!' is reserved and must be escaped with the preceding '\\'",
        ),
        (
            "*bold",
            "MarkdownV2",
            "Can't find end of Bold entity at byte offset 0",
        ),
        (
            "a __b",
            "MarkdownV2",
            "Can't find end of Underline entity at byte offset 2",
        ),
        (
            "<foo>",
            "HTML",
            "Unsupported start tag \"foo\" at byte offset 0",
        ),
        (
            "<b>bold",
            "HTML",
            "Can't find end tag corresponding to start tag \"b\"",
        ),
        (
            "<b>bolder</i>",
            "HTML",
            "Unmatched end tag at byte offset 9, expected \"</b>\", found \"</i>\"",
        ),
        ("a <b", "HTML", "Unclosed start tag at byte offset 2"),
        ("a </b>", "HTML", "Unexpected end tag at byte offset 2"),
        (
            "<span>x</span>",
            "HTML",
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0",
        ),
    ];
    for (raw, mode, message) in cases {
        assert_eq!(error(raw, Some(mode)), format!("{cant}{message}"), "{raw}");
    }
}

#[test]
fn utf16_offsets_with_emoji_and_persian() {
    let t = text("😀 <b>سلام</b> دنیا", Some("HTML"));
    assert_eq!(t.text, "😀 سلام دنیا");
    assert_eq!(short(&t), [("bold", 3, 4)]);
    let t = text("👨‍👩‍👧 *خوش آمدید* 🎉 _x_", Some("MarkdownV2"));
    // The family emoji is 8 UTF-16 units (three surrogate pairs and two joiners).
    assert_eq!(short(&t), [("bold", 9, 9), ("italic", 22, 1)]);
    assert_eq!(utf16_len("👨‍👩‍👧 "), 9);
}

#[test]
fn nested_entities_are_split_like_td() {
    let t = text("<b>bold <i>both</i></b>", Some("HTML"));
    assert_eq!(t.text, "bold both");
    assert_eq!(
        short(&t),
        [("bold", 0, 5), ("bold", 5, 4), ("italic", 5, 4)]
    );
    // td cuts the outer entity where an inner one starts, not where it ends.
    let t = text("*a _b_ c*", Some("MarkdownV2"));
    assert_eq!(
        short(&t),
        [("bold", 0, 2), ("bold", 2, 3), ("italic", 2, 1)]
    );
    // Nothing is kept inside code.
    let t = text("<code><b>x</b></code>", Some("HTML"));
    assert_eq!(short(&t), [("code", 0, 1)]);
}

#[test]
fn pre_links_and_mentions() {
    let t = text(
        "<pre><code class=\"language-rust\">fn main() {}</code></pre>",
        Some("HTML"),
    );
    assert_eq!(t.entities[0].kind, "pre");
    assert_eq!(t.entities[0].language.as_deref(), Some("rust"));
    let t = text(
        "[بله](bale.ai) and [me](tg://user?id=42)",
        Some("MarkdownV2"),
    );
    assert_eq!(t.entities[0].kind, "text_link");
    assert_eq!(t.entities[0].url.as_deref(), Some("http://bale.ai/"));
    assert_eq!(t.entities[1].kind, "text_mention");
    assert_eq!(t.entities[1].mentioned_user_id(), Some(42));
    let json = serde_json::to_string(&t.entities[1]).unwrap();
    assert_eq!(
        json,
        r#"{"offset":8,"length":2,"type":"text_mention","user":{"id":42,"is_bot":false,"first_name":""}}"#
    );
    // A link that is not a URL is dropped, its text kept.
    assert_eq!(
        text("<a href=\"nowhere\">x</a>", Some("HTML")).entities,
        vec![]
    );
}

#[test]
fn escaping() {
    let t = text(
        r"1\. \*not bold\* \_ \\ \[x\] 2\+2\=4\!",
        Some("MarkdownV2"),
    );
    assert_eq!(t.text, r"1. *not bold* _ \ [x] 2+2=4!");
    assert_eq!(t.entities, vec![]);
    let t = text(r"\*a\* \_b\_", Some("Markdown"));
    assert_eq!(t.text, "*a* _b_");
    let t = text(
        "&lt;b&gt; &amp; &quot; &#1587; &#x1F600; &nbsp;",
        Some("HTML"),
    );
    assert_eq!(t.text, "<b> & \" س 😀 &nbsp;");
}

#[test]
fn commands_and_found_entities_are_added() {
    let t = text("/start", None);
    assert_eq!(short(&t), [("bot_command", 0, 6)]);
    let t = text(
        "/start@my_bot hi @bale_user #سلام https://bale.ai a@b.co",
        None,
    );
    assert_eq!(
        short(&t),
        [
            ("bot_command", 0, 13),
            ("mention", 17, 10),
            ("hashtag", 28, 5),
            ("url", 34, 15),
            ("email", 50, 6),
        ]
    );
    // A found entity never overlaps a continuous one the user sent; with the same range
    // as a bold one it sorts first (td's type priorities).
    let t = text("<b>@bale_user</b> <code>/x</code>", Some("HTML"));
    assert_eq!(
        short(&t),
        [("mention", 0, 10), ("bold", 0, 10), ("code", 11, 2)]
    );
}

#[test]
fn whitespace_is_cleaned_and_trimmed() {
    let t = text("  \n a\r\nb\tc \n ", None);
    assert_eq!(t.text, "a\nb c");
    // Trimming stops at the first entity, and entities are cut at the end of the text.
    let t = text(" <b> x </b> ", Some("HTML"));
    assert_eq!(t.text, " x");
    assert_eq!(short(&t), [("bold", 0, 2)]);
}

#[test]
fn entities_parameter() {
    let bold = r#"[{"type":"bold","offset":3,"length":4}]"#;
    let t = parse_message_text("😀 سلام", None, Some(bold)).unwrap();
    assert_eq!(short(&t), [("bold", 3, 4)]);
    // Ignored when a parse mode is given, and when it is not JSON.
    let t = parse_message_text("*x*", Some("Markdown"), Some(bold)).unwrap();
    assert_eq!(short(&t), [("bold", 0, 1)]);
    assert_eq!(
        parse_message_text("abc", None, Some("{oops"))
            .unwrap()
            .entities,
        vec![]
    );
    let err = |json: &str| {
        parse_message_text("hello", None, Some(json))
            .unwrap_err()
            .description()
            .to_string()
    };
    assert_eq!(
        err(r#"[{"type":"blink","offset":0,"length":1}]"#),
        "Bad Request: can't parse MessageEntity: Unsupported type specified"
    );
    assert_eq!(
        err(r#"[{"type":"bold","offset":0,"length":10}]"#),
        "Bad Request: entity beginning at UTF-16 offset 0 ends after the end of the text at UTF-16 offset 10"
    );
    assert_eq!(
        err(r#"[{"type":"bold","offset":9,"length":1}]"#),
        "Bad Request: entity begins after the end of the text at UTF-16 offset 9"
    );
    assert_eq!(
        err(r#"[{"type":"text_link","offset":0,"length":1,"url":"nowhere"}]"#),
        "Bad Request: entity URL 'nowhere' is invalid: Wrong HTTP URL"
    );
    assert_eq!(
        parse_message_text(
            "😀",
            None,
            Some(r#"[{"type":"bold","offset":1,"length":1}]"#)
        )
        .unwrap_err()
        .description(),
        "Bad Request: entity begins in a middle of a UTF-16 symbol at byte offset 4"
    );
    assert_eq!(parse_entities_param("nope"), None);
    assert_eq!(
        parse_entities_param(bold),
        Some(vec![MessageEntity::new("bold", 3, 4)])
    );
}

#[test]
fn find_entities_in_plain_text() {
    let found = find_entities("سلام @ali_reza /help #تست");
    let kinds: Vec<_> = found
        .iter()
        .map(|e| (e.kind.as_str(), e.offset, e.length))
        .collect();
    assert_eq!(
        kinds,
        [
            ("mention", 5, 9),
            ("bot_command", 15, 5),
            ("hashtag", 21, 4)
        ]
    );
}

#[test]
fn errors_convert_to_api_errors() {
    let e = parse_message_text("", None, None).unwrap_err();
    assert_eq!(e.to_string(), descriptions::MESSAGE_TEXT_EMPTY);
    let api: ApiError = e.into();
    assert_eq!(api.error_code, 400);
    assert_eq!(api.description, descriptions::MESSAGE_TEXT_EMPTY);
    // The Bot API keeps the first letter of a message whose second letter is upper case.
    assert_eq!(
        TextError::from_td("MESSAGE_EMPTY").description(),
        "Bad Request: MESSAGE_EMPTY"
    );
}
