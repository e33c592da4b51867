use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Lookup, RegistryView, Sku, Value};

pub struct FirewallAllowsAnyIp;

static META: RuleMeta = RuleMeta {
    id: "ACR103",
    slug: "firewall-allows-any-ip",
    title: "A firewall rule allows the whole internet",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "7.5",
    tags: &["security", "network"],
    fix_terraform: "list only the address ranges that need access in `ip_rule { ip_range = ... }` (prefixes of /8 or longer)",
    fix_arm: "list only the address ranges that need access in `networkRuleSet.ipRules` (prefixes of /8 or longer)",
    fix_bicep: "list only the address ranges that need access in `networkRuleSet.ipRules` (prefixes of /8 or longer)",
    page: include_str!("../../rules/ACR103.md"),
};

impl Rule for FirewallAllowsAnyIp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let rules = match registry.lookup("properties.networkRuleSet.ipRules") {
            Lookup::Found(node) => node,
            Lookup::Unknown(node) => return out.unknown(registry, node),
            Lookup::Missing => return,
        };
        let Value::Array(items) = &rules.value else {
            return;
        };
        for rule in items {
            let value = match rule.lookup("value") {
                Lookup::Found(node) => node,
                Lookup::Unknown(node) => {
                    out.unknown(registry, node);
                    continue;
                }
                Lookup::Missing => continue,
            };
            let Some(range) = value.as_str() else {
                continue;
            };
            if allows_any(range) {
                let message = format!(
                    "registry `{}` allows `{range}`: the whole internet, or most of it",
                    registry.address
                );
                out.report(
                    registry,
                    "properties.networkRuleSet.ipRules.value",
                    Target::Value(value, "too broad"),
                    message,
                );
            }
        }
    }
}

/// `0.0.0.0/0`, `*`, `Internet`, `Any`, `::/0` or an IPv4 prefix shorter than /8.
fn allows_any(range: &str) -> bool {
    let range = range.trim();
    if ["*", "internet", "any", "0.0.0.0", "::/0", "::"]
        .iter()
        .any(|r| r.eq_ignore_ascii_case(range))
    {
        return true;
    }
    match range.split_once('/') {
        Some((address, prefix)) if address.contains('.') => {
            prefix.trim().parse::<u8>().is_ok_and(|p| p < 8)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::allows_any;

    #[test]
    fn broad_ranges() {
        for range in ["0.0.0.0/0", "*", "Internet", "1.0.0.0/7", "::/0"] {
            assert!(allows_any(range), "{range}");
        }
        for range in ["10.0.0.0/8", "203.0.113.7", "203.0.113.0/24"] {
            assert!(!allows_any(range), "{range}");
        }
    }
}
