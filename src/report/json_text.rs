//! JSON text written straight into a buffer, byte for byte as `serde_json` writes it (compact
//! form), for the report lists whose items are too many to build as values first.

/// Appends `text` as a JSON string literal: `"` and `\` escaped, the control characters below
/// U+0020 as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`, everything else as it is.
pub fn push_str(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    push_escaped(out, text);
    out.push(b'"');
}

/// Appends `text` escaped as inside a JSON string literal, without the quotes: a string made of
/// several parts is written as `"`, each part escaped, `"`.
pub fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    while let Some(at) = bytes
        .get(plain_from..)
        .and_then(first_needing_escape)
        .map(|offset| plain_from + offset)
    {
        out.extend_from_slice(bytes.get(plain_from..at).unwrap_or_default());
        push_escape(out, bytes.get(at).copied().unwrap_or_default());
        plain_from = at + 1;
    }
    out.extend_from_slice(bytes.get(plain_from..).unwrap_or_default());
}

/// The escape sequence of a byte that [`needs_escape`].
fn push_escape(out: &mut Vec<u8>, byte: u8) {
    let escape: &[u8] = match byte {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        0x08 => b"\\b",
        b'\t' => b"\\t",
        b'\n' => b"\\n",
        0x0C => b"\\f",
        b'\r' => b"\\r",
        _ => return push_unicode_escape(out, byte),
    };
    out.extend_from_slice(escape);
}

fn needs_escape(byte: &u8) -> bool {
    matches!(byte, b'"' | b'\\' | 0x00..=0x1F)
}

/// Where the first byte that needs escaping is, looked for eight bytes at a time.
fn first_needing_escape(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in &mut words {
        let value = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        if word_may_need_escape(value)
            && let Some(position) = word.iter().position(needs_escape)
        {
            return Some(offset + position);
        }
        offset += 8;
    }
    let position = words.remainder().iter().position(needs_escape)?;
    Some(offset + position)
}

/// Whether any byte of `word` is `"`, `\\` or below U+0020 (exact: no byte is missed, and
/// none is reported where there is none).
fn word_may_need_escape(word: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH_BITS: u64 = ONES << 7;
    let below =
        |word: u64, bound: u8| word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGH_BITS != 0;
    let has = |byte: u8| below(word ^ (ONES * u64::from(byte)), 1);
    below(word, 0x20) || has(b'"') || has(b'\\')
}

fn push_unicode_escape(out: &mut Vec<u8>, byte: u8) {
    out.extend_from_slice(b"\\u00");
    out.push(hex_digit(u64::from(byte >> 4)));
    out.push(hex_digit(u64::from(byte & 0xF)));
}

/// The lowercase hex digit of the low four bits of `value`.
fn hex_digit(value: u64) -> u8 {
    let nibble = (value & 0xF) as u8;
    if nibble < 10 {
        b'0' + nibble
    } else {
        b'a' + nibble - 10
    }
}

/// Appends an unsigned integer in decimal.
pub fn push_uint(out: &mut Vec<u8>, value: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// Appends `"key":`; `key` must need no escaping.
pub fn push_key(out: &mut Vec<u8>, key: &str) {
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Appends an object member with a string value and the comma after it: `"key":"value",`.
pub fn push_string_field(out: &mut Vec<u8>, key: &str, value: &str) {
    push_key(out, key);
    push_str(out, value);
    out.push(b',');
}

/// Appends a JSON array of `items`, each written by `push_item`: `[a,b]`.
pub fn push_list<T>(out: &mut Vec<u8>, items: &[T], push_item: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_item(out, item);
    }
    out.push(b']');
}

/// Appends `value` as `serde_json` writes a `u64` in 16 lowercase hex digits inside a string:
/// `"00ff..."`.
pub fn push_hex16(out: &mut Vec<u8>, value: u64) {
    out.push(b'"');
    for shift in (0..16).rev() {
        out.push(hex_digit(value >> (shift * 4)));
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        push_str(&mut out, text);
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0u8..=0x7F).map(char::from).collect();
        for text in [
            "",
            "plain",
            "quote \" backslash \\ slash /",
            "lines\nand\r\ntabs\t, bell \u{7}, escape \u{1b}, form feed \u{c}, backspace \u{8}",
            "é ü 中文 🚀 \u{202e} \u{7f} \u{2028}",
            every_ascii.as_str(),
        ] {
            let expected = serde_json::to_string(text).expect("a string serializes");
            assert_eq!(written(text), expected, "{text:?}");
        }
    }

    #[test]
    fn the_word_check_agrees_with_the_byte_check() {
        for filler in 0..=u8::MAX {
            for odd in 0..=u8::MAX {
                for position in 0..8 {
                    let mut word = [filler; 8];
                    word[position] = odd;
                    let expected = word.iter().any(needs_escape);
                    let found = word_may_need_escape(u64::from_le_bytes(word));
                    assert_eq!(found, expected, "{word:?}");
                }
            }
        }
    }

    #[test]
    fn an_escape_at_every_offset_of_a_long_string_is_found() {
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}"] {
            for at in 0..40 {
                let text = format!("{}é{special}{}", "x".repeat(at), "y".repeat(at % 9));
                let expected = serde_json::to_string(&text).expect("a string serializes");
                assert_eq!(written(&text), expected, "{text:?}");
            }
        }
    }

    #[test]
    fn hex_is_sixteen_lowercase_digits() {
        for value in [0, 1, 0xdead_beef, u64::MAX, 0x0123_4567_89ab_cdef] {
            let mut out = Vec::new();
            push_hex16(&mut out, value);
            assert_eq!(String::from_utf8(out).unwrap(), format!("\"{value:016x}\""));
        }
    }

    #[test]
    fn integers_are_decimal() {
        let mut out = Vec::new();
        push_uint(&mut out, 0);
        out.push(b' ');
        push_uint(&mut out, 1_234_567);
        assert_eq!(out, b"0 1234567");
    }
}
