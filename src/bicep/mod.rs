//! Bicep source: `.bicep` templates and `.bicepparam` parameters files.

pub mod syntax;
