//! The Bicep parser on `.bicep` and `.bicepparam` text: no panic, no hang, and every span of the
//! tree, its errors, comments and directives inside the input.
#![no_main]

use acr_lint::bicep::syntax::{self, ParsedFile, TextSpan};
use libfuzzer_sys::fuzz_target;

fn check(text: &str, parsed: &ParsedFile) {
    let inside = |span: TextSpan| span.start <= span.end && span.end <= text.len();
    assert!(inside(parsed.file.span));
    for declaration in parsed.declarations() {
        assert!(inside(declaration.span), "{declaration:?}");
    }
    for error in &parsed.errors {
        assert!(inside(error.span), "{error:?}");
    }
    for comment in &parsed.comments {
        assert!(inside(comment.span), "{comment:?}");
    }
    for directive in &parsed.directives {
        assert!(inside(directive.span), "{directive:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(text, &syntax::parse(text));
    check(text, &syntax::parse_params(text));
});
