//! The ARM JSON parser, then classification and the template walker on what it accepts.
#![no_main]

use acr_lint::model::{Node, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(Some(root)) = acr_lint::arm::json::parse(text, 0) else {
        return;
    };
    check_spans(&root, text.len());
    if acr_lint::arm::classify(&root) == acr_lint::arm::JsonKind::Template {
        let template = acr_lint::arm::read(&root, "fuzz.json", None);
        for resource in &template.resources {
            assert!(resource.decl.end <= text.len());
        }
    }
});

fn check_spans(node: &Node, len: usize) {
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        assert!(node.span.start <= node.span.end && node.span.end <= len);
        match &node.value {
            Value::Array(items) => pending.extend(items),
            Value::Object(members) => pending.extend(members.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}
