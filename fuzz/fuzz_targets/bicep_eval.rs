//! Bicep evaluation: any text parsed, lowered to an ARM template and read by the ARM template
//! reader (modules and loaded files are not read: nothing lies in a scanned directory).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = acr_lint::bicep::read_text(text);
    }
});
