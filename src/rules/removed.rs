//! Rules that were removed. Their ids stay reserved: selecting or suppressing one is accepted
//! with a warning that says why it went, and `acr-lint rules` lists it as removed.

use super::{Applies, Level, RuleMeta, RuleScope};
use crate::model::Sku;

/// A removed rule: its former metadata and page, and why it was removed.
#[derive(Debug)]
pub struct Removed {
    pub meta: RuleMeta,
    pub why: &'static str,
}

pub static ZONE_REDUNDANCY_DISABLED: Removed = Removed {
    meta: RuleMeta {
        id: "ACR303",
        slug: "zone-redundancy-disabled",
        title: "Removed: Azure makes every registry zone-redundant where the region has zones",
        level: Level::Note,
        enabled_by_default: false,
        applies: Applies::Skus(&[Sku::Premium]),
        scope: RuleScope::Registry,
        aliases: &["CKV_AZURE_233"],
        security_severity: "1.0",
        tags: &["reliability"],
        fix_terraform: "",
        fix_arm: "",
        fix_bicep: "",
        page: include_str!("../../rules/ACR303.md"),
    },
    why: "Azure now makes every registry and replica zone-redundant by default in regions with availability zones, whatever `zoneRedundancy` says",
};

/// Every removed rule.
pub static ALL: &[&Removed] = &[&ZONE_REDUNDANCY_DISABLED];

/// The removed rule with this id or slug (case-insensitive).
pub fn find(key: &str) -> Option<&'static Removed> {
    let key = key.trim();
    ALL.iter()
        .copied()
        .find(|r| r.meta.id.eq_ignore_ascii_case(key) || r.meta.slug.eq_ignore_ascii_case(key))
}

/// The warning for a selector or suppression that names a removed rule.
pub fn warning(removed: &Removed, what: &str) -> String {
    format!(
        "{} ({}) was removed: {}; {what} it has no effect",
        removed.meta.id, removed.meta.slug, removed.why
    )
}
