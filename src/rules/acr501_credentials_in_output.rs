use super::{Applies, Label, Level, Outcomes, Rule, RuleMeta, RuleScope};
use crate::model::{Format, Kind, UnitView};

pub struct CredentialsInOutput;

static META: RuleMeta = RuleMeta {
    id: "ACR501",
    slug: "credentials-in-output",
    title: "Registry credentials are exposed in an output",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Unit,
    aliases: &["arm-ttk Outputs-Must-Not-Contain-Secrets"],
    security_severity: "8.5",
    tags: &["security", "secrets"],
    fix_terraform: "remove the output, or mark it `sensitive = true`",
    fix_arm: "remove the output: deployment outputs are readable by anyone who can read the deployment",
    fix_bicep: "remove the output, or mark it `@secure()`: deployment outputs are readable by anyone who can read the deployment",
    page: include_str!("../../rules/ACR501.md"),
};

const TERRAFORM_SECRETS: &[&str] = &[".admin_password", ".password1", ".password2"];

impl Rule for CredentialsInOutput {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_unit(&self, unit: &UnitView<'_>, out: &mut Outcomes) {
        let has_registry = unit.resources.iter().any(|r| r.kind == Kind::Registry);
        for output in &unit.unit.outputs {
            let text = output.expression.to_ascii_lowercase();
            let exposed = match unit.unit.format {
                // A Bicep output's expression is held as the ARM expression it compiles to.
                Format::Arm | Format::Bicep => {
                    !output.sensitive
                        && text.contains("listcredentials(")
                        && (text.contains("microsoft.containerregistry/registries") || has_registry)
                }
                Format::Terraform => {
                    !output.sensitive
                        && (text.contains("azurerm_container_registry.")
                            || text.contains("azurerm_container_registry_token_password."))
                        && TERRAFORM_SECRETS.iter().any(|s| text.contains(s))
                }
            };
            if exposed {
                let message = format!("output `{}` exposes registry credentials", output.name);
                let label = Label {
                    span: output.span,
                    message: "credentials in output".into(),
                };
                out.report_unit(unit.unit, format!("output.{}", output.name), label, message);
            }
        }
    }
}
