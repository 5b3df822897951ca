use super::*;

fn strs(text: &str, f: fn(&[u8]) -> Ranges) -> Vec<&str> {
    f(text.as_bytes())
        .into_iter()
        .map(|(b, e)| &text[b..e])
        .collect()
}

#[test]
fn mentions() {
    assert_eq!(
        strs("@bale_bot, hi @ab @gif @ali", find_mentions),
        ["@bale_bot", "@gif"]
    );
    assert_eq!(
        strs("mail@bale.ai x@abcd", find_mentions),
        Vec::<&str>::new()
    );
    assert_eq!(strs("سلام @abcde", find_mentions), ["@abcde"]);
    assert_eq!(strs("سلام@abcde", find_mentions), Vec::<&str>::new());
    assert_eq!(
        strs(&format!("@{}", "a".repeat(33)), find_mentions),
        Vec::<&str>::new()
    );
}

#[test]
fn bot_commands() {
    assert_eq!(
        strs("/start /help@bale_bot", find_bot_commands),
        ["/start", "/help@bale_bot"]
    );
    // Not after a word, a slash or a tag; a bot name has 3 to 32 characters.
    assert_eq!(
        strs("a/b /x/ /a@bc <b>/c</b>", find_bot_commands),
        Vec::<&str>::new()
    );
    assert_eq!(strs("/start۱ /۱", find_bot_commands), Vec::<&str>::new());
    assert_eq!(
        strs(&format!("/{}", "a".repeat(65)), find_bot_commands),
        Vec::<&str>::new()
    );
    assert_eq!(strs("(/cmd)", find_bot_commands), ["/cmd"]);
}

#[test]
fn hashtags_and_cashtags() {
    assert_eq!(
        strs("#سلام #کتاب‌خانه #123 #a#b", find_hashtags),
        ["#سلام", "#کتاب‌خانه"]
    );
    assert_eq!(strs("#tag@bale_chat", find_hashtags), ["#tag@bale_chat"]);
    assert_eq!(
        strs("$USD $usd $ABCDEFGHI x$EUR $1INCH", find_cashtags),
        ["$USD", "$1INCH"]
    );
    assert_eq!(strs("$BTC@exchange", find_cashtags), ["$BTC@exchange"]);
}

#[test]
fn bank_cards_and_tg_urls() {
    assert_eq!(
        strs("card 4111 1111 1111 1111.", find_bank_card_numbers),
        ["4111 1111 1111 1111"]
    );
    assert_eq!(
        strs("4111 1111 1111 1112", find_bank_card_numbers),
        Vec::<&str>::new()
    );
    assert_eq!(
        strs("open tg://resolve?domain=bale.", find_tg_urls),
        ["tg://resolve?domain=bale"]
    );
}

#[test]
fn found_entities_are_in_utf16_and_do_not_overlap() {
    let e = find_entities("😀 @bale_bot /x bale.ai", false);
    let short: Vec<_> = e.iter().map(|e| (e.kind, e.offset, e.length)).collect();
    assert_eq!(
        short,
        [
            (Kind::Mention, 3, 9),
            (Kind::BotCommand, 13, 2),
            (Kind::Url, 16, 7)
        ]
    );
    assert!(find_entities("/x", true).is_empty());
    // An e-mail address holds no mention.
    let e = find_entities("ali@bale.ai", false);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].kind, Kind::EmailAddress);
}

mod trigger_scan {
    use proptest::prelude::*;

    use super::super::{find_entities, find_entities_scanning};

    /// One entity of each kind the finders find, and words near them: full-width and
    /// Persian look-alikes, letters, spaces.
    const TOKENS: &[&str] = &[
        "@bale_bot",
        "/start",
        "#tag",
        "$USD",
        "4111 1111 1111 1111",
        "tg://resolve?domain=bale",
        "bale.ai",
        "a@b.co",
        "hello",
        " ",
        "\n",
        "＠bale",
        "ｘ．ｃｏｍ",
        "۱۲۳۴",
        "_-",
        "سلام",
    ];

    proptest! {
        #[test]
        fn the_trigger_scan_finds_what_the_finders_find(
            tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..5),
            skip_bot_commands in any::<bool>(),
        ) {
            let text = tokens.concat();
            prop_assert_eq!(
                find_entities(&text, skip_bot_commands),
                find_entities_scanning(&text, skip_bot_commands)
            );
        }
    }
}
