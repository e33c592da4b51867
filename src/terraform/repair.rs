//! Terraform that HCL reads and the HCL parser refuses: object constructors that repeat a key
//! ([`duplicate_keys`]) and object `for` expressions over several lines ([`multiline_for`]).
//! Each is mended in a copy of the text without moving any offset, and the copy parsed again.

use hcl_edit::structure::Body;

use super::{SyntaxError, duplicate_keys, multiline_for};

/// How many mends one file may take: each costs a parse of the whole text, so a large file gets
/// fewer, down to one.
const MAX_MENDS: usize = 64;

/// How many bytes the parses of mended texts may read in all, for one file.
const REPARSED_BYTES: usize = 16 << 20;

/// Parses `text`, which the parser refused with `error`, as Terraform reads it; the error the
/// parser gives once nothing more can be mended.
pub fn parse_mended(text: &str, error: hcl_edit::parser::Error) -> Result<Body, SyntaxError> {
    let mut mended = text.to_string();
    let mut renamed = Vec::new();
    let mut error = error;
    let attempts = (REPARSED_BYTES / text.len().max(1)).clamp(1, MAX_MENDS);
    for attempt in 0..attempts {
        let offset = error.location().offset();
        let changed = if duplicate_keys::is_repeated_object_key(&error) {
            duplicate_keys::rename_key(&mut mended, offset, attempt, &mut renamed)
        } else {
            multiline_for::join_for_object_lines(&mut mended, offset)
        };
        if !changed {
            break;
        }
        match hcl_edit::parser::parse_body(&mended) {
            Ok(mut body) => {
                duplicate_keys::restore(&mut body, text, &renamed);
                return Ok(body);
            }
            Err(next) => error = next,
        }
    }
    Err(SyntaxError {
        offset: error.location().offset(),
        message: error.message().to_string(),
    })
}
