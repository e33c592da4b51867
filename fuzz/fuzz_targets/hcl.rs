//! The Terraform front end: the HCL parser, then the module evaluation and the azurerm mapping.
#![no_main]

use std::collections::HashMap;

use acr_lint::terraform::{Instance, ModuleFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(body) = acr_lint::terraform::parse(text) else {
        return;
    };
    let files = [ModuleFile {
        file: 0,
        body: &body,
        text,
    }];
    let instance = Instance {
        unit: "fuzz".into(),
        prefix: String::new(),
    };
    let result = acr_lint::terraform::read_module(&files, &HashMap::new(), &instance);
    for resource in &result.resources {
        assert!(resource.decl.start <= resource.decl.end && resource.decl.end <= text.len());
    }
});
