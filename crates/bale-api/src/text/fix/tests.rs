use super::*;
use crate::text::model::Kind;

type Short = (String, Vec<(Kind, i32, i32)>);

fn fix(text: &str, entities: Vec<Entity>) -> Result<Short, String> {
    let (t, e) = fix_formatted_text(text, entities, FixOptions::BOT_TEXT)?;
    Ok((
        t,
        e.into_iter()
            .map(|e| (e.kind, e.offset, e.length))
            .collect(),
    ))
}

#[test]
fn control_characters_and_invisible_marks() {
    let (t, _) = fix("a\u{0}b\u{1f}c\td\re\u{2028}f\u{202e}g\u{333}", vec![]).unwrap();
    assert_eq!(t, "a b c de\u{0}f\u{0}g".replace('\u{0}', ""));
    // Runs of direction marks become zero-width non-joiners but the last.
    let (t, _) = fix("a\u{200f}\u{200f}\u{200e}b", vec![]).unwrap();
    assert_eq!(t, "a\u{200c}\u{200c}\u{200e}b");
}

#[test]
fn entities_move_over_removed_characters() {
    let (t, e) = fix("a\r\nb\rc", vec![Entity::new(Kind::Bold, 3, 3)]).unwrap();
    assert_eq!(t, "a\nbc");
    assert_eq!(e, [(Kind::Bold, 2, 2)]);
}

#[test]
fn trimming() {
    let (t, e) = fix("\n  سلام  \n", vec![Entity::new(Kind::Italic, 3, 7)]).unwrap();
    assert_eq!(t, "سلام");
    assert_eq!(e, [(Kind::Italic, 0, 4)]);
    assert_eq!(fix(" \n ", vec![]).unwrap_err(), "Text must be non-empty");
    assert_eq!(
        fix("\u{200b}", vec![]).unwrap_err(),
        "Text must be non-empty"
    );
    let caption = fix_formatted_text(" \n ", vec![], FixOptions::BOT_CAPTION).unwrap();
    assert_eq!(caption, (String::new(), vec![]));
    let caption = fix_formatted_text("\u{200b}", vec![], FixOptions::BOT_CAPTION).unwrap();
    assert_eq!(caption.0, "\u{200b}");
}

#[test]
fn bad_entities() {
    let e = |offset, length| vec![Entity::new(Kind::Bold, offset, length)];
    assert_eq!(
        fix("ab", e(-1, 1)).unwrap_err(),
        "Receive an entity with incorrect offset -1"
    );
    assert_eq!(
        fix("ab", e(0, 1_000_001)).unwrap_err(),
        "Receive an entity with incorrect length 1000001"
    );
    assert_eq!(
        fix("😀", e(0, 1)).unwrap_err(),
        "Entity beginning at UTF-16 offset 0 ends in a middle of a UTF-16 symbol at byte offset 4"
    );
    // An empty entity is dropped before it is checked.
    assert_eq!(fix("ab", e(5, 0)).unwrap().1, []);
}

#[test]
fn empty_string_detection() {
    assert!(is_empty_string(" \u{a0}\u{feff}\u{200d}\n"));
    assert!(is_empty_string("\u{2800}\u{3000}\u{e0041}"));
    assert!(!is_empty_string("\u{200b}.\u{200b}"));
}

mod fast_paths {
    use proptest::prelude::*;

    use super::super::{clean, clean_with_entities, is_empty_string, is_empty_string_scanning};

    /// Text made of what cleaning and the blank test treat specially: control characters,
    /// `\r`, the dropped U+2028..U+202E and combining lines, direction marks, blank and
    /// invisible spaces, beside letters, Persian and an emoji.
    const TRICKY: &str = "(?s)[\\x00-\\x7f\\x{2028}-\\x{202e}\\x{200b}-\\x{200f}\\x{333}\\x{33f}\\x{30a}\\x{a0}\\x{1680}\\x{2000}\\x{3000}\\x{feff}\\x{e0020}سلام😀]{0,40}";

    proptest! {
        #[test]
        fn cleaning_without_entities_is_cleaning_with_none(text in TRICKY) {
            prop_assert_eq!(clean(text.as_bytes()), clean_with_entities(text.as_bytes(), &mut []).unwrap());
        }

        #[test]
        fn cleaning_any_text_without_entities_is_cleaning_with_none(text in any::<String>()) {
            prop_assert_eq!(clean(text.as_bytes()), clean_with_entities(text.as_bytes(), &mut []).unwrap());
        }

        #[test]
        fn the_blank_test_agrees_with_its_full_scan(text in TRICKY) {
            prop_assert_eq!(is_empty_string(&text), is_empty_string_scanning(&text));
        }
    }
}
