use super::secrets::secret_values;
use super::{Applies, Label, Level, Outcomes, Rule, RuleMeta, RuleScope};
use crate::model::{Format, UnitView};

pub struct SecretParameterNotSecure;

static META: RuleMeta = RuleMeta {
    id: "ACR503",
    slug: "secret-parameter-not-secure",
    title: "A parameter or variable that carries a registry secret is not marked secure",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Unit,
    aliases: &[],
    security_severity: "6.0",
    tags: &["security", "secrets"],
    fix_terraform: "add `sensitive = true` to the variable",
    fix_arm: "declare the parameter as `securestring`",
    fix_bicep: "add `@secure()` to the parameter",
    page: include_str!("../../rules/ACR503.md"),
};

impl Rule for SecretParameterNotSecure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_unit(&self, unit: &UnitView<'_>, out: &mut Outcomes) {
        let mut reported = Vec::new();
        for resource in &unit.resources {
            for secret in secret_values(resource) {
                let Some(via) = &secret.node.via else {
                    continue;
                };
                let Some(name) = &via.input else { continue };
                let Some(input) = unit
                    .unit
                    .inputs
                    .iter()
                    .find(|i| i.name.eq_ignore_ascii_case(name))
                else {
                    continue;
                };
                if input.secure || !input.plain_string || reported.contains(&input.name) {
                    continue;
                }
                reported.push(input.name.clone());
                let (kind, fix) = match unit.unit.format {
                    Format::Arm => ("parameter", "is `string`, not `securestring`"),
                    Format::Terraform => ("variable", "lacks `sensitive = true`"),
                    Format::Bicep => ("parameter", "lacks `@secure()`"),
                };
                let message = format!(
                    "{kind} `{}` carries the {} but {fix}",
                    input.name, secret.what
                );
                let label = Label {
                    span: input.span,
                    message: "not marked secure".into(),
                };
                if let Some(finding) =
                    out.report_unit(unit.unit, format!("{kind}.{}", input.name), label, message)
                {
                    finding.secondary.push(Label {
                        span: via.span,
                        message: format!("used as the {} here", secret.what).into(),
                    });
                }
            }
        }
    }
}
