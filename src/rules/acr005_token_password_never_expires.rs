use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, Node, RegistryView, Resource, Value};

pub struct TokenPasswordNeverExpires;

static META: RuleMeta = RuleMeta {
    id: "ACR005",
    slug: "token-password-never-expires",
    title: "A registry token password has no expiry",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &["Azure Policy ff05e24e (related)"],
    security_severity: "5.0",
    tags: &["security", "identity", "secrets"],
    fix_terraform: "set `expiry` in each `password1` / `password2` block (an RFC 3339 timestamp)",
    fix_arm: "set `expiry` on each entry of the token's `properties.credentials.passwords`",
    fix_bicep: "set `expiry` (a date-time string) on each entry of the token's `properties.credentials.passwords`",
    page: include_str!("../../rules/ACR005.md"),
};

impl Rule for TokenPasswordNeverExpires {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        for token in view.related(Kind::Token) {
            if let Some(Value::Array(passwords)) = token
                .body
                .get("properties")
                .and_then(|p| p.get("credentials"))
                .and_then(|c| c.get("passwords"))
                .map(|p| &p.value)
            {
                for password in passwords {
                    check_password(view, token, password, out);
                }
            }
        }
        for holder in view.related(Kind::TokenPassword) {
            let credentials = holder
                .body
                .get("properties")
                .and_then(|p| p.get("credentials"));
            for slot in ["password1", "password2"] {
                if let Some(password) = credentials.and_then(|c| c.get(slot)) {
                    check_password(view, holder, password, out);
                }
            }
        }
    }
}

fn check_password(view: &RegistryView<'_>, token: &Resource, password: &Node, out: &mut Outcomes) {
    if password.is_unknown() {
        return out.unknown(token, password);
    }
    match password.get("expiry") {
        Some(expiry) if expiry.is_unknown() => out.unknown(token, expiry),
        Some(expiry) if !matches!(expiry.value, Value::Null) => {}
        _ => {
            let message = format!("token password of `{}` never expires", token.address);
            let target = Target::Value(password, "password without `expiry`");
            out.report_related(
                view,
                token,
                "properties.credentials.passwords.expiry",
                target,
                message,
            );
        }
    }
}
