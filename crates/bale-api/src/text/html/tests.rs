use super::*;

fn ok(html: &str) -> (String, Vec<(Kind, i32, i32, String)>) {
    let (text, entities) = parse_html(html).unwrap();
    let entities = entities
        .into_iter()
        .map(|e| (e.kind, e.offset, e.length, e.argument))
        .collect();
    (text, entities)
}

fn err(html: &str) -> String {
    parse_html(html).unwrap_err()
}

#[test]
fn tags_and_synonyms() {
    let (text, e) = ok("<b>a</b><strong>b</strong><i>c</i><em>d</em><u>e</u><ins>f</ins>");
    assert_eq!(text, "abcdef");
    let kinds: Vec<_> = e.iter().map(|e| e.0).collect();
    use Kind::*;
    assert_eq!(kinds, [Bold, Bold, Italic, Italic, Underline, Underline]);
    let (_, e) = ok("<s>a</s><strike>b</strike><del>c</del><tg-spoiler>d</tg-spoiler>");
    let kinds: Vec<_> = e.iter().map(|e| e.0).collect();
    assert_eq!(
        kinds,
        [Strikethrough, Strikethrough, Strikethrough, Spoiler]
    );
    let (_, e) = ok("<span class=\"tg-spoiler\">x</span><blockquote>q</blockquote>");
    assert_eq!(e[0].0, Spoiler);
    assert_eq!(e[1].0, BlockQuote);
    let (_, e) = ok("<blockquote expandable>q</blockquote>");
    assert_eq!(e[0].0, ExpandableBlockQuote);
    // Tag names are case-insensitive, attribute names are not.
    let (_, e) = ok("<B>x</b><A HREF=\"bale.ai\">y</A>");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, Bold);
}

#[test]
fn pre_and_code() {
    let (_, e) = ok("<pre><code class=\"language-python\">x</code></pre>");
    assert_eq!(e, [(Kind::PreCode, 0, 1, "python".to_string())]);
    let (_, e) = ok("<pre>x</pre><code class=\"language-c\">y</code>");
    // A lone <code> keeps no language.
    assert_eq!(
        e,
        [
            (Kind::Pre, 0, 1, String::new()),
            (Kind::Code, 1, 1, String::new())
        ]
    );
}

#[test]
fn links() {
    let (_, e) = ok("<a href='https://Bale.AI/Path?x=1'>x</a>");
    assert_eq!(e[0].3, "https://bale.ai/Path?x=1");
    // Without href, the text is the URL.
    let (_, e) = ok("<a>bale.ai</a>");
    assert_eq!(e[0], (Kind::TextUrl, 0, 7, "http://bale.ai/".to_string()));
    let (_, e) = ok("<a href=\"tg://user?id=7\">x</a>");
    assert_eq!(e[0].0, Kind::MentionName);
    let (_, e) = ok("<a href=\"javascript:alert(1)\">x</a>");
    assert!(e.is_empty());
}

#[test]
fn custom_emoji_and_time() {
    let (_, e) = parse_html("<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>").unwrap();
    assert_eq!(e[0].kind, Kind::CustomEmoji);
    assert_eq!(e[0].custom_emoji_id, 5368324170671202286);
    assert_eq!(e[0].length, 2);
    assert_eq!(
        err("<tg-emoji emoji-id=\"x\">👍</tg-emoji>"),
        "Invalid custom emoji identifier specified"
    );
    let (_, e) = parse_html("<tg-time unix=\"1700000000\" format=\"Dt\">now</tg-time>").unwrap();
    assert_eq!(
        (e[0].kind, e[0].date, e[0].argument.as_str()),
        (Kind::FormattedDate, 1700000000, "Dt")
    );
    assert_eq!(
        err("<tg-time unix=1 format=q>x</tg-time>"),
        "Invalid date format used"
    );
}

#[test]
fn html_entities() {
    assert_eq!(ok("&lt;&gt;&amp;&quot;").0, "<>&\"");
    assert_eq!(ok("&#1587;&#x633;&#X633;").0, "سس&#X633;");
    // Unknown named entities and references to nothing stay as they are.
    assert_eq!(ok("&nbsp;&copy;&#0;&").0, "&nbsp;&copy;&#0;&");
    assert_eq!(ok("&ltx").0, "&ltx");
    assert_eq!(ok("&lt x").0, "< x");
    assert_eq!(
        err("&#xD83D;"),
        "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"
    );
}

#[test]
fn errors() {
    assert_eq!(err("<b"), "Unclosed start tag at byte offset 0");
    assert_eq!(
        err("<p>x</p>"),
        "Unsupported start tag \"p\" at byte offset 0"
    );
    assert_eq!(
        err("<b =x>"),
        "Empty attribute name in the tag \"b\" at byte offset 0"
    );
    assert_eq!(err("<a href="), "Unclosed start tag \"a\" at byte offset 0");
    assert_eq!(
        err("<a href=x,y>"),
        "Unexpected end of name token at byte offset 8"
    );
    assert_eq!(err("<a href=\"x"), "Unclosed start tag at byte offset 0");
    assert_eq!(err("</b>"), "Unexpected end tag at byte offset 0");
    assert_eq!(err("<b>x</b"), "Unclosed end tag at byte offset 4");
    assert_eq!(
        err("<b><i>x</b>"),
        "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\""
    );
    assert_eq!(
        err("<i>x"),
        "Can't find end tag corresponding to start tag \"i\""
    );
    // `</>` closes whatever is open.
    assert_eq!(ok("<b>x</>").1.len(), 1);
}

#[test]
fn utf16_offsets() {
    let (text, e) = ok("🎉 <i>متن</i> 😀<b>x</b>");
    assert_eq!(text, "🎉 متن 😀x");
    assert_eq!(e[0], (Kind::Italic, 3, 3, String::new()));
    assert_eq!(e[1], (Kind::Bold, 9, 1, String::new()));
}
