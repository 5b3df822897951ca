use super::*;

fn ok(text: &str) -> (String, Vec<(Kind, i32, i32, String)>) {
    let (t, e) = parse_markdown_v2(text).unwrap();
    (
        t,
        e.into_iter()
            .map(|e| (e.kind, e.offset, e.length, e.argument))
            .collect(),
    )
}

fn err(text: &str) -> String {
    parse_markdown_v2(text).unwrap_err()
}

#[test]
fn every_reserved_character_must_be_escaped() {
    for c in "]()#+-=|{}.!".chars() {
        let s = c.to_string();
        assert_eq!(
            err(&s),
            format!("Character '{c}' is reserved and must be escaped with the preceding '\\'")
        );
        assert_eq!(ok(&format!("\\{c}")).0, s);
    }
    // Any ASCII character may be escaped, reserved or not.
    assert_eq!(ok(r"\a\\\`").0, r"a\`");
}

#[test]
fn entities() {
    let (t, e) = ok("*b* _i_ __u__ ~s~ ||p|| `c` ```\ncode```");
    assert_eq!(t, "b i u s p c code");
    let kinds: Vec<_> = e.iter().map(|e| (e.0, e.1, e.2)).collect();
    use Kind::*;
    assert_eq!(
        kinds,
        [
            (Bold, 0, 1),
            (Italic, 2, 1),
            (Underline, 4, 1),
            (Strikethrough, 6, 1),
            (Spoiler, 8, 1),
            (Code, 10, 1),
            (Pre, 12, 4)
        ]
    );
    let (_, e) = ok("```go\nx```");
    assert_eq!(e, [(PreCode, 0, 1, "go".to_string())]);
    // Inside code only ` and \ are special.
    assert_eq!(ok("`*a_b!`").0, "*a_b!");
}

#[test]
fn nesting_and_underline_italic() {
    let (t, e) = ok("___a_ b__");
    assert_eq!(t, "a b");
    assert_eq!(
        e.iter().map(|e| (e.0, e.1, e.2)).collect::<Vec<_>>(),
        [(Kind::Underline, 0, 3), (Kind::Italic, 0, 1)]
    );
}

#[test]
fn links_and_custom_emoji() {
    let (t, e) = ok(r"[لینک](https://bale.ai/a\)b)");
    assert_eq!(t, "لینک");
    assert_eq!(
        e,
        [(Kind::TextUrl, 0, 4, "https://bale.ai/a)b".to_string())]
    );
    let (_, e) = ok(r"[bale\.ai]");
    assert_eq!(e[0].3, "http://bale.ai/");
    assert_eq!(
        err("[x](bale.ai"),
        "Can't find end of a URL at byte offset 4"
    );
    let (_, e) = parse_markdown_v2("![👍](tg://emoji?id=5)").unwrap();
    assert_eq!((e[0].kind, e[0].custom_emoji_id), (Kind::CustomEmoji, 5));
    assert_eq!(
        err("![👍]"),
        "The entity must contain a tg://emoji or tg://time URL"
    );
    assert_eq!(
        err("![x](tg://x)"),
        "Invalid tg://emoji or tg://time URL specified"
    );
    let (_, e) = parse_markdown_v2("![x](tg://time?unix=5&format=r)").unwrap();
    assert_eq!(
        (e[0].kind, e[0].date, e[0].argument.as_str()),
        (Kind::FormattedDate, 5, "r")
    );
}

#[test]
fn block_quotes() {
    let (t, e) = ok(">a\n>b\nc");
    assert_eq!(t, "a\nb\nc");
    assert_eq!(e, [(Kind::BlockQuote, 0, 4, String::new())]);
    let (t, e) = ok("**>a\n>b||");
    assert_eq!(t, "a\nb");
    assert_eq!(e, [(Kind::ExpandableBlockQuote, 0, 3, String::new())]);
    assert_eq!(
        err("a>b"),
        "Character '>' is reserved and must be escaped with the preceding '\\'"
    );
}

#[test]
fn unclosed_entities() {
    assert_eq!(
        err("_a"),
        "Can't find end of Italic entity at byte offset 0"
    );
    assert_eq!(
        err("x ~a"),
        "Can't find end of Strikethrough entity at byte offset 2"
    );
    assert_eq!(
        err("||a"),
        "Can't find end of Spoiler entity at byte offset 0"
    );
    assert_eq!(err("```a"), "Can't find end of Pre entity at byte offset 0");
    assert_eq!(
        err("```c a"),
        "Can't find end of PreCode entity at byte offset 0"
    );
    assert_eq!(err("`a"), "Can't find end of Code entity at byte offset 0");
    assert_eq!(
        err("[a"),
        "Can't find end of TextUrl entity at byte offset 0"
    );
    assert_eq!(
        err("سلام *a"),
        "Can't find end of Bold entity at byte offset 9"
    );
    assert_eq!(
        err(">*a\nb*"),
        "Can't find end of Bold entity at byte offset 1"
    );
}
