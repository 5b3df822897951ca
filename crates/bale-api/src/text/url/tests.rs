use super::*;

fn urls(text: &str) -> Vec<(&str, bool)> {
    find_urls(text.as_bytes())
        .into_iter()
        .map(|(b, e, email)| (&text[b..e], email))
        .collect()
}

#[test]
fn plain_urls() {
    assert_eq!(urls("see bale.ai."), [("bale.ai", false)]);
    assert_eq!(
        urls("(https://web.bale.ai/chat?x=1)"),
        [("https://web.bale.ai/chat?x=1", false)]
    );
    assert_eq!(
        urls("http://localhost.xy/ ftp://a.bc/d"),
        [("http://localhost.xy/", false), ("ftp://a.bc/d", false)]
    );
    // A one-letter TLD never makes a URL.
    assert_eq!(urls("http://localhost.x/"), []);
    assert_eq!(urls("1.2.3.4:80/x"), [("1.2.3.4:80/x", false)]);
    assert_eq!(urls("https://سلام.ایران"), [("https://سلام.ایران", false)]);
    // A bare domain needs a known TLD; a protocol makes any TLD do.
    assert_eq!(urls("file.txt data.csv"), []);
    assert_eq!(urls("http://file.txt"), [("http://file.txt", false)]);
    assert_eq!(urls("example.Com example.COM"), [("example.COM", false)]);
    // "_" may be in a subdomain but not in the label before the TLD.
    assert_eq!(urls("a_b.com x_y.bale.ai"), [("x_y.bale.ai", false)]);
    assert_eq!(urls("teiegram.org 1.2.3 v1.2"), []);
}

#[test]
fn emails() {
    assert_eq!(urls("ali@bale.ai"), [("ali@bale.ai", true)]);
    assert_eq!(
        urls("mailto:ali_r@mail.co.ir"),
        [("ali_r@mail.co.ir", true)]
    );
    // td takes "ali.r" as a (bad) URL first, so the address starts after it.
    assert_eq!(urls("ali.r+x@mail.co.ir"), [("+x@mail.co.ir", true)]);
    assert!(is_email_address(b"a@b.cc"));
    assert!(!is_email_address(b"a@b.c"));
    assert!(!is_email_address(b"a@b.c0m"));
    assert!(!is_email_address(b"a@-b.com"));
    assert!(!is_email_address(b"@b.com"));
}

#[test]
fn path_end_drops_trailing_punctuation() {
    assert_eq!(urls("bale.ai/a/b?c=d."), [("bale.ai/a/b?c=d", false)]);
    assert_eq!(urls("(bale.ai/a))"), [("bale.ai/a", false)]);
    assert_eq!(urls("«bale.ai/x»"), [("bale.ai/x", false)]);
}
