//! Diagnostics about the tool's own inputs: suppressions that are malformed, name unknown
//! rules, suppress nothing, or have expired. They are reported like findings.

use super::{Applies, Level, RuleMeta, RuleScope};

const fn diagnostic(
    id: &'static str,
    slug: &'static str,
    title: &'static str,
    fix: &'static str,
    page: &'static str,
) -> RuleMeta {
    RuleMeta {
        id,
        slug,
        title,
        level: Level::Warning,
        enabled_by_default: true,
        applies: Applies::AllSkus,
        scope: RuleScope::Unit,
        aliases: &[],
        security_severity: "1.0",
        tags: &["suppression"],
        fix_terraform: fix,
        fix_arm: fix,
        fix_bicep: fix,
        page,
    }
}

pub static MALFORMED: RuleMeta = RuleMeta {
    fix_bicep: "write `// acr-lint:ignore ACR001 reason=\"…\" [until=YYYY-MM-DD]` on the line above the declaration",
    ..diagnostic(
        "ACR901",
        "malformed-suppression",
        "A suppression cannot be understood",
        "write `# acr-lint:ignore ACR001 reason=\"…\" [until=YYYY-MM-DD]` on the line above, or `{\"id\": \"ACR001\", \"reason\": \"…\"}` in `metadata.acr-lint.ignore`",
        include_str!("../../rules/ACR901.md"),
    )
};

pub static UNKNOWN_RULE: RuleMeta = diagnostic(
    "ACR902",
    "unknown-rule-in-suppression",
    "A suppression names a rule that does not exist",
    "use an id or slug from `acr-lint rules`",
    include_str!("../../rules/ACR902.md"),
);

pub static UNUSED: RuleMeta = diagnostic(
    "ACR903",
    "unused-suppression",
    "A suppression suppresses nothing",
    "remove the suppression, or move it above the resource that has the finding",
    include_str!("../../rules/ACR903.md"),
);

pub static EXPIRED: RuleMeta = diagnostic(
    "ACR904",
    "expired-suppression",
    "A suppression has expired",
    "fix the finding, or renew the suppression with a new `until` date and reason",
    include_str!("../../rules/ACR904.md"),
);

/// Every tool diagnostic.
pub static ALL: &[&RuleMeta] = &[&MALFORMED, &UNKNOWN_RULE, &UNUSED, &EXPIRED];
