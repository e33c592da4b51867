use super::api_versions::properties_undefined_in;
use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Lookup, RegistryView, Value};

pub struct PropertyUnknownToApiVersion;

static META: RuleMeta = RuleMeta {
    id: "ACR408",
    slug: "property-unknown-to-api-version",
    title: "A property is set that the resource's apiVersion does not define",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "3.0",
    tags: &["deployment"],
    fix_terraform: "use an azapi type version that defines the property (azurerm maps its attributes itself)",
    fix_arm: "raise the registry's `apiVersion` to one that defines the property, or remove it: ARM ignores it silently",
    fix_bicep: "raise the API version after `@` in the resource's type string to one that defines the property, or remove it: ARM ignores it silently",
    page: include_str!("../../rules/ACR408.md"),
};

impl Rule for PropertyUnknownToApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let Some(api_version) = registry.api_version.as_deref() else {
            return;
        };
        let Some(undefined) = properties_undefined_in(api_version) else {
            return;
        };
        for path in undefined {
            let Lookup::Found(node) = registry.lookup(path) else {
                continue;
            };
            let empty = match &node.value {
                Value::Null => true,
                Value::Array(items) => items.is_empty(),
                _ => false,
            };
            if empty {
                continue;
            }
            let property = path.rsplit('.').next().unwrap_or(path);
            let message = format!(
                "apiVersion `{api_version}` does not define `{property}`: ARM ignores it and the registry is deployed without it"
            );
            out.report(
                registry,
                path,
                Target::Value(node, "not in this apiVersion"),
                message,
            );
        }
    }
}
