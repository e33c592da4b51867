use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, SettingCheck, Target};
use crate::model::{Kind, RegistryView, Setting, Sku};

pub struct ZoneRedundancyDisabled;

static META: RuleMeta = RuleMeta {
    id: "ACR303",
    slug: "zone-redundancy-disabled",
    title: "The registry or a replica is not zone-redundant",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["CKV_AZURE_233"],
    security_severity: "1.0",
    tags: &["reliability"],
    fix_terraform: "set `zone_redundancy_enabled = true` on the registry and in each `georeplications` block",
    fix_arm: "set `\"zoneRedundancy\": \"Enabled\"` on the registry and on each replication",
    page: include_str!("../../rules/ACR303.md"),
};

const PATH: &str = "properties.zoneRedundancy";

impl Rule for ZoneRedundancyDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        SettingCheck {
            path: PATH,
            default: "Disabled",
            message: format!("registry `{}` is not zone-redundant", registry.address),
            label: "zone redundancy not enabled",
            default_note: "`zoneRedundancy` is not set; Azure default is `Disabled`",
        }
        .run(registry, out, |v| !v.eq_ignore_ascii_case("Enabled"));
        for replica in view.related(Kind::Replication) {
            if replica.body.is_unknown() {
                continue;
            }
            let message = format!("replica `{}` is not zone-redundant", replica.address);
            match replica.text(PATH, "Disabled") {
                Setting::Set(v, node) if !v.trim().eq_ignore_ascii_case("Enabled") => {
                    out.report_related(
                        view,
                        replica,
                        PATH,
                        Target::Value(node, "zone redundancy not enabled"),
                        message,
                    );
                }
                Setting::Default(_) => {
                    let target =
                        Target::Default("`zoneRedundancy` is not set; Azure default is `Disabled`");
                    out.report_related(view, replica, PATH, target, message);
                }
                Setting::Unknown(node) => out.unknown(replica, node),
                Setting::Set(..) => {}
            }
        }
    }
}
