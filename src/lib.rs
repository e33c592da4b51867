//! acr-lint: static analysis of Azure Container Registry configuration in ARM templates, Bicep
//! and Terraform. The binary is a thin layer over [`scan`] and the renderers in [`report`].
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod allocator;
pub mod arm;
pub mod baseline;
pub mod bicep;
pub mod config;
pub mod discover;
pub mod findings;
pub mod lsp;
pub mod model;
pub mod read;
pub mod report;
pub mod rules;
mod scan;
pub mod source;
pub mod suppress;
pub mod terraform;
pub mod variants;

pub use findings::{InputError, Scan};
pub use read::{MAX_FILE_VALUES, MAX_HCL_WORDS};
pub use rules::{REPOSITORY, VERSION};
pub use scan::{ScanOptions, scan};
pub use source::MAX_FILE_BYTES;
pub use terraform::VarValue;
