//! The rule catalog: metadata beside each rule, one file per rule, each a pure function of
//! the model.

mod acr001_admin_user_enabled;
mod acr002_anonymous_pull_enabled;
mod acr003_no_managed_identity;
mod acr004_arm_audience_tokens_allowed;
mod acr005_token_password_never_expires;
mod acr006_scope_map_too_broad;
mod acr007_privileged_role_on_registry;
mod acr008_reader_role_can_pull;
mod acr101_unrestricted_network_access;
mod acr102_public_network_access_enabled;
mod acr103_firewall_allows_any_ip;
mod acr104_trusted_services_blocked;
mod acr105_no_private_endpoint;
mod acr106_data_endpoints_disabled;
mod acr107_tasks_bypass_network_rules;
mod acr108_webhook_not_https;
mod acr109_unsecure_domain_label_scope;
mod acr201_quarantine_disabled;
mod acr202_retention_policy_disabled;
mod acr203_soft_delete_disabled;
mod acr204_export_allowed;
mod acr205_no_customer_managed_key;
mod acr206_basic_sku;
mod acr207_cache_rule_present;
mod acr208_plaintext_task_credential;
mod acr301_audit_logs_not_collected;
mod acr302_no_geo_replication;
mod acr304_no_delete_lock;
mod acr305_defender_for_containers_off;
mod acr306_no_push_webhook;
mod acr307_replica_location_not_allowed;
mod acr401_premium_feature_on_lower_sku;
mod acr402_anonymous_pull_on_basic;
mod acr403_export_disabled_needs_private;
mod acr404_content_trust_unsupported;
mod acr405_invalid_name;
mod acr406_replica_in_home_region;
mod acr407_conflicting_policies;
mod acr408_property_unknown_to_api_version;
mod acr409_cmk_identity_not_assigned;
mod acr410_invalid_enum_value;
mod acr501_credentials_in_output;
mod acr502_hardcoded_secret;
mod acr503_secret_parameter_not_secure;
mod api_versions;
pub mod removed;
mod roles;
mod secrets;
pub mod tool;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

pub const REPOSITORY: &str = "https://github.com/acr-lint/acr-lint";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

use rayon::prelude::*;

use crate::model::{Format, Graph, Node, RegistryView, Resource, Setting, Sku, UnitView};
use crate::source::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Where a rule applies; elsewhere its result is *not applicable*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    AllSkus,
    Skus(&'static [Sku]),
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleScope {
    /// A registry's own settings: defined registries only (not `existing` or `data`).
    Registry,
    /// Resources related to a registry, defined or referenced.
    Related,
    /// A whole template or module (outputs, parameters, subscription-level resources).
    Unit,
}

/// A rule's identity and documentation, declared next to the rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub slug: &'static str,
    pub title: &'static str,
    pub level: Level,
    pub enabled_by_default: bool,
    pub applies: Applies,
    pub scope: RuleScope,
    /// Peer check IDs, so users can map suppressions and reports.
    pub aliases: &'static [&'static str],
    /// The SARIF `security-severity`, a number from 0.0 to 10.0.
    pub security_severity: &'static str,
    pub tags: &'static [&'static str],
    pub fix_terraform: &'static str,
    pub fix_arm: &'static str,
    /// The fix in Bicep syntax (`adminUserEnabled: false`, `@secure()`).
    pub fix_bicep: &'static str,
    /// The rule's page, `rules/ACRnnn.md`.
    pub page: &'static str,
}

impl RuleMeta {
    pub fn docs_url(&self) -> String {
        format!("{}/blob/main/rules/{}.md", REPOSITORY, self.id)
    }

    pub fn applies_to_text(&self) -> String {
        match self.applies {
            Applies::AllSkus => "all".into(),
            Applies::Skus(skus) => skus.iter().map(|s| s.name()).collect::<Vec<_>>().join(", "),
        }
    }

    pub fn fix(&self, format: Format) -> &'static str {
        match format {
            Format::Terraform => self.fix_terraform,
            Format::Arm => self.fix_arm,
            Format::Bicep => self.fix_bicep,
        }
    }
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one registry (and, for related-resource rules, what belongs to it).
    fn check(&self, _view: &RegistryView<'_>, _out: &mut Outcomes) {}

    /// Checks one template or module, for rules with [`RuleScope::Unit`].
    fn check_unit(&self, _unit: &UnitView<'_>, _out: &mut Outcomes) {}
}

/// Every rule, in ID order.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &acr001_admin_user_enabled::AdminUserEnabled,
        &acr002_anonymous_pull_enabled::AnonymousPullEnabled,
        &acr003_no_managed_identity::NoManagedIdentity,
        &acr004_arm_audience_tokens_allowed::ArmAudienceTokensAllowed,
        &acr005_token_password_never_expires::TokenPasswordNeverExpires,
        &acr006_scope_map_too_broad::ScopeMapTooBroad,
        &acr007_privileged_role_on_registry::PrivilegedRoleOnRegistry,
        &acr008_reader_role_can_pull::ReaderRoleCanPull,
        &acr101_unrestricted_network_access::UnrestrictedNetworkAccess,
        &acr102_public_network_access_enabled::PublicNetworkAccessEnabled,
        &acr103_firewall_allows_any_ip::FirewallAllowsAnyIp,
        &acr104_trusted_services_blocked::TrustedServicesBlocked,
        &acr105_no_private_endpoint::NoPrivateEndpoint,
        &acr106_data_endpoints_disabled::DataEndpointsDisabled,
        &acr107_tasks_bypass_network_rules::TasksBypassNetworkRules,
        &acr108_webhook_not_https::WebhookNotHttps,
        &acr109_unsecure_domain_label_scope::UnsecureDomainLabelScope,
        &acr201_quarantine_disabled::QuarantineDisabled,
        &acr202_retention_policy_disabled::RetentionPolicyDisabled,
        &acr203_soft_delete_disabled::SoftDeleteDisabled,
        &acr204_export_allowed::ExportAllowed,
        &acr205_no_customer_managed_key::NoCustomerManagedKey,
        &acr206_basic_sku::BasicSku,
        &acr207_cache_rule_present::CacheRulePresent,
        &acr208_plaintext_task_credential::PlaintextTaskCredential,
        &acr301_audit_logs_not_collected::AuditLogsNotCollected,
        &acr302_no_geo_replication::NoGeoReplication,
        &acr304_no_delete_lock::NoDeleteLock,
        &acr305_defender_for_containers_off::DefenderForContainersOff,
        &acr306_no_push_webhook::NoPushWebhook,
        &acr307_replica_location_not_allowed::ReplicaLocationNotAllowed,
        &acr401_premium_feature_on_lower_sku::PremiumFeatureOnLowerSku,
        &acr402_anonymous_pull_on_basic::AnonymousPullOnBasic,
        &acr403_export_disabled_needs_private::ExportDisabledNeedsPrivate,
        &acr404_content_trust_unsupported::ContentTrustUnsupported,
        &acr405_invalid_name::InvalidName,
        &acr406_replica_in_home_region::ReplicaInHomeRegion,
        &acr407_conflicting_policies::ConflictingPolicies,
        &acr408_property_unknown_to_api_version::PropertyUnknownToApiVersion,
        &acr409_cmk_identity_not_assigned::CmkIdentityNotAssigned,
        &acr410_invalid_enum_value::InvalidEnumValue,
        &acr501_credentials_in_output::CredentialsInOutput,
        &acr502_hardcoded_secret::HardcodedSecret,
        &acr503_secret_parameter_not_secure::SecretParameterNotSecure,
    ]
}

/// The page of a rule, tool diagnostic or removed rule with this ID or slug (case-insensitive).
pub fn find_meta(key: &str) -> Option<&'static RuleMeta> {
    find(key)
        .map(|r| r.meta())
        .or_else(|| {
            tool::ALL
                .iter()
                .copied()
                .find(|m| m.id.eq_ignore_ascii_case(key) || m.slug.eq_ignore_ascii_case(key))
        })
        .or_else(|| removed::find(key).map(|r| &r.meta))
}

/// The rule with this ID or slug (case-insensitive).
pub fn find(key: &str) -> Option<&'static dyn Rule> {
    all().iter().copied().find(|rule| {
        let meta = rule.meta();
        meta.id.eq_ignore_ascii_case(key) || meta.slug.eq_ignore_ascii_case(key)
    })
}

/// Whether a selector names this rule: `ALL`, its id or slug, or a prefix of its id (`ACR2`).
fn selects(selector: &str, meta: &RuleMeta) -> bool {
    let upper = selector.to_ascii_uppercase();
    upper == "ALL"
        || meta.slug.eq_ignore_ascii_case(selector)
        || (upper.starts_with("ACR") && meta.id.starts_with(upper.as_str()))
}

/// The rules that match a selector: an id (`ACR001`), a slug, an id prefix (`ACR2`) or `ALL`.
/// A removed rule's id or slug matches nothing and is no error.
pub fn matching(selector: &str) -> Result<Vec<&'static dyn Rule>, String> {
    let key = selector.trim();
    let found: Vec<&'static dyn Rule> = all()
        .iter()
        .copied()
        .filter(|rule| selects(key, rule.meta()))
        .collect();
    if found.is_empty() && tool_matching(key).is_empty() && removed::find(key).is_none() {
        Err(format!(
            "no rule matches `{key}`; `acr-lint rules` lists them"
        ))
    } else {
        Ok(found)
    }
}

/// The tool diagnostics (ACR9xx) a selector names.
pub fn tool_matching(selector: &str) -> Vec<&'static str> {
    let key = selector.trim();
    tool::ALL
        .iter()
        .filter(|m| selects(key, m))
        .map(|m| m.id)
        .collect()
}

/// One source of rule selection, as ruff takes it: `select` replaces the set enabled so far,
/// `extend_select` adds to it, `ignore` removes from it and wins over both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// `None` when not given (the set so far stays).
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The rules a selection enables, and warnings about selectors naming removed rules.
pub struct Selected {
    pub rules: Vec<&'static dyn Rule>,
    pub warnings: Vec<String>,
}

/// Applies the selections in order (the configuration file, then the command line) to the
/// default rules. A later `select` replaces the set; the `ignore`s of earlier selections still
/// apply to it, except to rules it names by id or slug. A result with no rule is an error.
pub fn select(selections: &[RuleSelection]) -> Result<Selected, String> {
    let mut warnings = Vec::new();
    let mut ids = |selectors: &[String], what: &str| -> Result<Vec<&'static str>, String> {
        let mut ids = Vec::new();
        for selector in selectors {
            if let Some(gone) = removed::find(selector) {
                warnings.push(removed::warning(gone, what));
            }
            ids.extend(matching(selector)?.iter().map(|r| r.meta().id));
        }
        Ok(ids)
    };
    let mut enabled: Vec<&'static str> = all()
        .iter()
        .filter(|r| r.meta().enabled_by_default)
        .map(|r| r.meta().id)
        .collect();
    let mut earlier_ignores: Vec<&'static str> = Vec::new();
    for selection in selections {
        if let Some(select) = &selection.select {
            let named = |id: &&str| {
                select
                    .iter()
                    .chain(&selection.extend_select)
                    .any(|s| find(s).is_some_and(|r| r.meta().id == *id))
            };
            let carried: Vec<&str> = earlier_ignores
                .iter()
                .copied()
                .filter(|id| !named(id))
                .collect();
            enabled = ids(select, "selecting")?;
            enabled.retain(|id| !carried.contains(id));
        }
        enabled.extend(ids(&selection.extend_select, "selecting")?);
        let ignored = ids(&selection.ignore, "ignoring")?;
        enabled.retain(|id| !ignored.contains(id));
        earlier_ignores.extend(ignored);
    }
    let rules: Vec<&'static dyn Rule> = all()
        .iter()
        .copied()
        .filter(|r| enabled.contains(&r.meta().id))
        .collect();
    if rules.is_empty() {
        return Err(
            "the rule selection enables no rule; `acr-lint config` shows the selection in force and `acr-lint rules` lists the rules".into(),
        );
    }
    Ok(Selected { rules, warnings })
}

/// The rules of one selection given as `select` and `ignore` lists (an empty `select` keeps
/// the defaults).
pub fn selection(chosen: &[String], ignore: &[String]) -> Result<Vec<&'static dyn Rule>, String> {
    let selection = RuleSelection {
        select: (!chosen.is_empty()).then(|| chosen.to_vec()),
        extend_select: Vec::new(),
        ignore: ignore.to_vec(),
    };
    select(&[selection]).map(|s| s.rules)
}

/// A `note` finding for an undecided result, naming what is missing.
pub fn could_not_verify(undecided: &Undecided) -> Finding {
    Finding {
        rule: undecided.rule,
        level: Level::Note,
        message: format!(
            "could not verify {}: {}",
            undecided.rule.slug, undecided.reason
        ),
        primary: Label {
            span: undecided.span,
            message: "value not known before deployment".into(),
        },
        used_at: None,
        secondary: Vec::new(),
        notes: Vec::new(),
        help: "give the input a value (a parameter default, parameters file or tfvars) to have it checked",
        resource: Arc::clone(&undecided.resource),
        resource_decl: None,
        property: Cow::Borrowed(""),
        variants: Vec::new(),
        unit: "".into(),
        secret: false,
    }
}

/// A labelled span in a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: Cow<'static, str>,
}

/// Findings as a scan carries them: each boxed, since the list is joined from the parts the
/// rules ran on, filtered, split and sorted, and a finding is some 300 bytes to move each time.
pub type Findings = Vec<Box<Finding>>;

/// One reported problem.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub level: Level,
    pub message: String,
    pub primary: Label,
    /// Where the value the finding is about is used, when it was set elsewhere (a parameter,
    /// variable, parameters file or loaded file): a suppression there covers it too.
    pub used_at: Option<Span>,
    pub secondary: Vec<Label>,
    pub notes: Vec<Cow<'static, str>>,
    pub help: &'static str,
    /// Shared among the findings on one resource.
    pub resource: Arc<str>,
    /// The declaration of `resource` (its Terraform type label or ARM `type` value), when the
    /// finding is on a resource.
    pub resource_decl: Option<Span>,
    /// The setting, as an ARM property path (the model's vocabulary).
    pub property: Cow<'static, str>,
    /// The parameters files of the template evaluations that produced this finding.
    pub variants: Vec<String>,
    /// The template or Terraform module of the resource, shared among its findings.
    pub unit: Arc<str>,
    /// Whether the primary span is a literal secret value, which human output masks.
    pub secret: bool,
}

impl Finding {
    /// The places it points at: its labels, where its value is used, and its resource's
    /// declaration.
    pub fn places(&self) -> impl Iterator<Item = Span> + '_ {
        [Some(self.primary.span), self.used_at, self.resource_decl]
            .into_iter()
            .flatten()
            .chain(self.secondary.iter().map(|label| label.span))
    }
}

/// A result that is neither pass nor fail.
#[derive(Debug, Clone)]
pub struct Undecided {
    pub rule: &'static RuleMeta,
    /// Shared among the results on one registry.
    pub resource: Arc<str>,
    pub span: Span,
    /// Shared among results that give the same reason (a rule not applicable to a SKU).
    pub reason: Arc<str>,
    /// The template or Terraform module of the resource, shared as the findings' is.
    pub unit: Arc<str>,
}

/// Settings some rules take (from the command line or the configuration).
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    /// Locations registries and replicas may use (ACR307); empty means no restriction.
    pub allowed_locations: Vec<String>,
    /// No report shows or counts the results of rules that do not apply to a registry's SKU:
    /// they are not recorded.
    pub not_applicable_unused: bool,
}

/// What the rules concluded on the scanned resources.
#[derive(Debug, Default)]
pub struct Outcomes {
    pub options: RuleOptions,
    pub findings: Findings,
    pub not_applicable: Vec<Undecided>,
    pub unknown: Vec<Undecided>,
    current: Option<&'static RuleMeta>,
    /// The address of the resource the last result was on, shared with the next one on it.
    last_address: Option<Arc<str>>,
    /// The unit of the last finding, shared likewise.
    last_unit: Option<Arc<str>>,
}

/// The results of rules on part of the model, without what making them took.
#[derive(Debug, Default)]
pub struct Results {
    findings: Findings,
    not_applicable: Vec<Undecided>,
    unknown: Vec<Undecided>,
}

impl Results {
    /// The results of `outcomes`, without the room left for more: they are kept to the end.
    fn kept(outcomes: Outcomes) -> Self {
        let mut results = Results::from(outcomes);
        results.findings.shrink_to_fit();
        results.not_applicable.shrink_to_fit();
        results.unknown.shrink_to_fit();
        results
    }

    /// Every place the results point at: their findings' labels, uses and declarations, and
    /// where the unknown results are, and the not-applicable ones when `not_applicable`.
    pub fn spans(&self, not_applicable: bool) -> impl Iterator<Item = Span> + '_ {
        let findings = self.findings.iter().flat_map(|finding| finding.places());
        let not_applicable = self.not_applicable.iter().filter(move |_| not_applicable);
        let undecided = self.unknown.iter().chain(not_applicable);
        findings.chain(undecided.map(|result| result.span))
    }
}

impl From<Outcomes> for Results {
    fn from(outcomes: Outcomes) -> Self {
        Results {
            findings: outcomes.findings,
            not_applicable: outcomes.not_applicable,
            unknown: outcomes.unknown,
        }
    }
}

impl Outcomes {
    /// Adds the results of another part after this one's.
    fn append(&mut self, other: Results) {
        self.findings.extend(other.findings);
        self.not_applicable.extend(other.not_applicable);
        self.unknown.extend(other.unknown);
    }

    /// Joins the outcomes of parts of the model in their order, moving each item once.
    fn concatenate(options: &RuleOptions, parts: Vec<Results>) -> Outcomes {
        let mut out = Outcomes {
            options: options.clone(),
            findings: Vec::with_capacity(parts.iter().map(|p| p.findings.len()).sum()),
            not_applicable: Vec::with_capacity(parts.iter().map(|p| p.not_applicable.len()).sum()),
            unknown: Vec::with_capacity(parts.iter().map(|p| p.unknown.len()).sum()),
            current: None,
            last_address: None,
            last_unit: None,
        };
        let (findings, undecided): (Vec<_>, Vec<_>) = parts
            .into_iter()
            .map(|part| (part.findings, (part.not_applicable, part.unknown)))
            .unzip();
        // The findings are the larger half: they are joined while the undecided results are.
        rayon::join(
            || {
                findings
                    .into_iter()
                    .for_each(|part| out.findings.extend(part))
            },
            || {
                for (not_applicable, unknown) in undecided {
                    out.not_applicable.extend(not_applicable);
                    out.unknown.extend(unknown);
                }
            },
        );
        out
    }

    /// Records a finding of the current rule on `resource`, pointing at `at`.
    pub fn report(
        &mut self,
        resource: &Resource,
        property: impl Into<Cow<'static, str>>,
        at: Target<'_>,
        message: String,
    ) -> Option<&mut Finding> {
        let rule = self.current?;
        let (primary, notes) = at.label(resource);
        let address = self.address_of(resource);
        let unit = self.unit_of(resource);
        let mut secondary = Vec::new();
        let mut used_at = None;
        if let Target::Value(node, _) = at
            && let Some(via) = &node.via
        {
            used_at = Some(via.span);
            secondary.push(Label {
                span: via.span,
                message: format!("value comes from {}", via.description).into(),
            });
        }
        self.findings.push(Box::new(Finding {
            rule,
            level: rule.level,
            message,
            primary,
            used_at,
            secondary,
            notes,
            help: rule.fix(resource.format),
            resource: address,
            resource_decl: Some(resource.decl),
            property: property.into(),
            variants: resource.variant.iter().cloned().collect(),
            unit,
            secret: false,
        }));
        self.findings.last_mut().map(|finding| &mut **finding)
    }

    /// Records a finding on a resource related to a registry, labelling the registry too.
    pub fn report_related(
        &mut self,
        view: &RegistryView<'_>,
        resource: &Resource,
        property: impl Into<Cow<'static, str>>,
        at: Target<'_>,
        message: String,
    ) -> Option<&mut Finding> {
        let registry = view.registry;
        let finding = self.report(resource, property, at, message)?;
        finding.secondary.push(Label {
            span: registry.decl,
            message: format!("registry `{}`", registry.address).into(),
        });
        Some(finding)
    }

    /// Records a finding on a template or module element that is not a resource.
    pub fn report_unit(
        &mut self,
        unit: &crate::model::Unit,
        address: String,
        primary: Label,
        message: String,
    ) -> Option<&mut Finding> {
        let rule = self.current?;
        self.findings.push(Box::new(Finding {
            rule,
            level: rule.level,
            message,
            primary,
            used_at: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: rule.fix(unit.format),
            resource: address.into(),
            resource_decl: None,
            property: Cow::Borrowed(""),
            variants: Vec::new(),
            unit: unit.id.as_str().into(),
            secret: false,
        }));
        self.findings.last_mut().map(|finding| &mut **finding)
    }

    /// Records that the current rule could not decide, naming the missing input.
    pub fn unknown(&mut self, registry: &Resource, node: &Node) {
        let Some(rule) = self.current else {
            return;
        };
        let reason = match &node.value {
            crate::model::Value::Unknown(reason) => reason.clone(),
            _ => "the value that decides it is not known before deployment".to_string(),
        };
        let resource = self.address_of(registry);
        let unit = self.unit_of(registry);
        self.unknown.push(Undecided {
            rule,
            resource,
            span: node.span,
            reason: reason.into(),
            unit,
        });
    }

    /// The resource's address, shared with the results on it before.
    fn address_of(&mut self, resource: &Resource) -> Arc<str> {
        shared(&mut self.last_address, &resource.address)
    }

    /// The resource's unit, shared with the results before it in the same unit.
    fn unit_of(&mut self, resource: &Resource) -> Arc<str> {
        shared(&mut self.last_unit, &resource.unit)
    }
}

thread_local! {
    /// Why a rule does not apply to a SKU, written once per rule and SKU on each thread.
    static NOT_APPLICABLE_REASONS: std::cell::RefCell<Vec<(&'static RuleMeta, Sku, Arc<str>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Why `rule` does not apply to a registry of `sku`.
fn not_applicable_reason(rule: &'static RuleMeta, sku: Sku) -> Arc<str> {
    NOT_APPLICABLE_REASONS.with_borrow_mut(|known| {
        let same =
            |(r, s, _): &&(&'static RuleMeta, Sku, Arc<str>)| std::ptr::eq(*r, rule) && *s == sku;
        if let Some((_, _, reason)) = known.iter().find(same) {
            return Arc::clone(reason);
        }
        let reason: Arc<str> = format!(
            "applies to {} registries; this one is {}",
            rule.applies_to_text(),
            sku.name()
        )
        .into();
        known.push((rule, sku, Arc::clone(&reason)));
        reason
    })
}

/// `text`, shared with the last result that held the same text, and then with the next.
fn shared(last: &mut Option<Arc<str>>, text: &str) -> Arc<str> {
    match last {
        Some(shared) if **shared == *text => Arc::clone(shared),
        _ => {
            let shared: Arc<str> = text.into();
            *last = Some(Arc::clone(&shared));
            shared
        }
    }
}

/// What makes a registry network-restricted, or why that is not known.
pub enum NetworkRestriction<'a> {
    /// Public access is disabled or the firewall denies by default: each setting that does so,
    /// with a label saying what it sets.
    By(Vec<(&'a Node, &'static str)>),
    /// Public access is enabled and the firewall allows by default.
    Open,
    /// Neither setting restricts, and one of them is not known before deployment.
    Undecided(&'a Node),
}

/// Whether public access is disabled or the firewall denies by default, and which settings say so.
pub fn network_restriction(registry: &Resource) -> NetworkRestriction<'_> {
    let settings = [
        (
            registry.text("properties.publicNetworkAccess", "Enabled"),
            "Disabled",
            "public network access disabled here",
        ),
        (
            registry.text("properties.networkRuleSet.defaultAction", "Allow"),
            "Deny",
            "firewall denies by default here",
        ),
    ];
    let restricting: Vec<(&Node, &'static str)> = settings
        .iter()
        .filter_map(|(setting, closed, label)| match setting {
            Setting::Set(value, node) if value.trim().eq_ignore_ascii_case(closed) => {
                Some((*node, *label))
            }
            _ => None,
        })
        .collect();
    if !restricting.is_empty() {
        return NetworkRestriction::By(restricting);
    }
    match settings.iter().find_map(|(setting, _, _)| match setting {
        Setting::Unknown(node) => Some(*node),
        _ => None,
    }) {
        Some(node) => NetworkRestriction::Undecided(node),
        None => NetworkRestriction::Open,
    }
}

impl Finding {
    /// Labels each setting that restricts the registry's network, which the message names.
    pub fn label_restrictions(&mut self, restricting: &[(&Node, &'static str)]) {
        for (node, label) in restricting {
            self.secondary.push(Label {
                span: node.span,
                message: (*label).into(),
            });
        }
    }
}

/// Whether a policy `status` (or enum) setting equals `expected`, case-insensitively.
pub fn is_status(setting: &Setting<'_, &str>, expected: &str) -> Option<bool> {
    setting
        .value()
        .map(|v| v.trim().eq_ignore_ascii_case(expected))
}

/// A string written as a literal in the code: known, not from a parameter or variable.
pub fn literal_text(node: &Node) -> Option<&str> {
    match (&node.value, &node.via) {
        (crate::model::Value::String(s), None) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// A check of one string setting: reports when `fires` holds for its value (explicit or
/// defaulted), records an unknown when the value is not known.
pub struct SettingCheck {
    pub path: &'static str,
    pub default: &'static str,
    pub message: String,
    pub label: &'static str,
    pub default_note: &'static str,
}

impl SettingCheck {
    pub fn run(
        &self,
        registry: &Resource,
        out: &mut Outcomes,
        fires: impl Fn(&str) -> bool,
    ) -> bool {
        match registry.text(self.path, self.default) {
            Setting::Set(value, node) if fires(value.trim()) => {
                out.report(
                    registry,
                    self.path,
                    Target::Value(node, self.label),
                    self.message.clone(),
                );
                true
            }
            Setting::Default(value) if fires(value) => {
                out.report(
                    registry,
                    self.path,
                    Target::Default(self.default_note),
                    self.message.clone(),
                );
                true
            }
            Setting::Unknown(node) => {
                out.unknown(registry, node);
                false
            }
            _ => false,
        }
    }
}

/// Reports when a boolean setting is explicitly `true` (all such settings default to `false`);
/// records an unknown when its value is not known.
pub fn report_if_enabled(
    registry: &Resource,
    out: &mut Outcomes,
    path: &'static str,
    label: &'static str,
    message: impl FnOnce() -> String,
) {
    match registry.flag(path, false) {
        Setting::Set(true, node) => {
            out.report(registry, path, Target::Value(node, label), message());
        }
        Setting::Unknown(node) => out.unknown(registry, node),
        _ => {}
    }
}

/// Reports each role assignment on the registry whose role is one of `roles`.
pub fn role_assignments(
    view: &RegistryView<'_>,
    out: &mut Outcomes,
    roles: &[&str],
    message: impl Fn(&str) -> String,
) {
    for assignment in view.related(crate::model::Kind::RoleAssignment) {
        let role = [
            "properties.roleDefinitionName",
            "properties.roleDefinitionId",
        ]
        .iter()
        .find_map(|path| match assignment.lookup(path) {
            crate::model::Lookup::Missing => None,
            found => Some((*path, found)),
        });
        let Some((path, lookup)) = role else {
            continue;
        };
        match lookup {
            crate::model::Lookup::Found(node) => {
                let Some(guid) = node.as_str().and_then(roles::role_guid) else {
                    continue;
                };
                if roles.contains(&guid) {
                    let target = Target::Value(node, "role assigned here");
                    out.report_related(view, assignment, path, target, message(guid));
                }
            }
            crate::model::Lookup::Unknown(node) => out.unknown(assignment, node),
            crate::model::Lookup::Missing => {}
        }
    }
}

/// Normalises an Azure location for comparison: `West Europe` = `westeurope`.
pub fn normalize_location(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where a finding points: at the value that was written, or at the resource whose
/// omitted setting takes the service default.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Value(&'a Node, &'static str),
    Default(&'static str),
}

impl<'a> Target<'a> {
    /// The target of a setting: its value when written, the resource when defaulted.
    pub fn of<T: fmt::Display + Copy>(setting: &Setting<'a, T>, label: &'static str) -> Target<'a> {
        match setting.node() {
            Some(node) => Target::Value(node, label),
            None => Target::Default(label),
        }
    }

    fn label(self, registry: &Resource) -> (Label, Vec<Cow<'static, str>>) {
        match self {
            Target::Value(node, message) => (
                Label {
                    span: node.span,
                    message: message.into(),
                },
                Vec::new(),
            ),
            Target::Default(default_note) => (
                Label {
                    span: registry.decl,
                    message: "declared here".into(),
                },
                vec![default_note.into()],
            ),
        }
    }
}

/// About how many findings a registry has under the default rules (fewer with fewer rules):
/// each chunk of registries makes room for that many at once rather than growing its list step
/// by step.
const FINDINGS_PER_REGISTRY: usize = 8;

/// The outcomes of a part of the model the rules ran on where it was read (a template nothing
/// else in the scan reaches, a Terraform module that calls none): its registries' and its
/// units', kept apart so that they take the places the whole scan's run would give them.
#[derive(Debug, Default)]
pub struct PartOutcomes {
    pub registries: Results,
    pub units: Results,
}

impl PartOutcomes {
    /// Every place the outcomes point at (see [`Results::spans`]).
    pub fn spans(&self, not_applicable: bool) -> impl Iterator<Item = Span> + '_ {
        let registries = self.registries.spans(not_applicable);
        registries.chain(self.units.spans(not_applicable))
    }
}

/// [`PartOutcomes`] with where they go: before the registry and the unit of the whole scan's
/// graph at these positions.
#[derive(Debug)]
pub struct PlacedPart {
    pub registry_position: usize,
    pub unit_position: usize,
    pub outcomes: Box<PartOutcomes>,
}

/// Runs the selected rules on a self-contained part of the model, on this thread.
pub fn run_part(
    graph: &Graph<'_>,
    rules: &[&'static dyn Rule],
    options: &RuleOptions,
) -> PartOutcomes {
    let mut registries = fresh_outcomes(graph.registries.len(), rules, options);
    for view in &graph.registries {
        run_on_registry(view, rules, &mut registries);
    }
    let mut units = fresh_outcomes(0, rules, options);
    for unit in &graph.units {
        run_on_unit(unit, rules, &mut units);
    }
    PartOutcomes {
        registries: Results::kept(registries),
        units: Results::kept(units),
    }
}

/// Runs the selected rules on the linked model, registries in parallel, with the outcomes of
/// parts that ran already ([`run_part`]) placed where the graph's order puts them; `parts` are
/// in that order.
pub fn run(
    graph: &Graph<'_>,
    rules: &[&'static dyn Rule],
    options: &RuleOptions,
    parts: Vec<PlacedPart>,
) -> Outcomes {
    let run_registries = |views: &[RegistryView<'_>]| -> Vec<Results> {
        views
            .par_chunks(32)
            .map(|chunk| {
                let mut out = fresh_outcomes(chunk.len(), rules, options);
                for view in chunk {
                    run_on_registry(view, rules, &mut out);
                }
                Results::from(out)
            })
            .collect()
    };
    let mut pieces = Vec::new();
    let mut units_of_parts = Vec::with_capacity(parts.len());
    let mut start = 0;
    for part in parts {
        let end = part.registry_position.clamp(start, graph.registries.len());
        pieces.extend(run_registries(
            graph.registries.get(start..end).unwrap_or_default(),
        ));
        let PartOutcomes { registries, units } = *part.outcomes;
        pieces.push(registries);
        units_of_parts.push((part.unit_position, units));
        start = end;
    }
    pieces.extend(run_registries(
        graph.registries.get(start..).unwrap_or_default(),
    ));
    let mut out = Outcomes::concatenate(options, pieces);
    units_of_parts.sort_by_key(|(position, _)| *position);
    let mut units_of_parts = units_of_parts.into_iter().peekable();
    for (position, unit) in graph.units.iter().enumerate() {
        while let Some((_, part)) = units_of_parts.next_if(|(at, _)| *at <= position) {
            out.append(part);
        }
        run_on_unit(unit, rules, &mut out);
    }
    for (_, part) in units_of_parts {
        out.append(part);
    }
    out.current = None;
    out
}

fn fresh_outcomes(
    registries: usize,
    rules: &[&'static dyn Rule],
    options: &RuleOptions,
) -> Outcomes {
    Outcomes {
        options: options.clone(),
        findings: Vec::with_capacity(registries * FINDINGS_PER_REGISTRY.min(rules.len())),
        ..Outcomes::default()
    }
}

fn run_on_unit(unit: &UnitView<'_>, rules: &[&'static dyn Rule], out: &mut Outcomes) {
    for rule in rules.iter().filter(|r| r.meta().scope == RuleScope::Unit) {
        out.current = Some(rule.meta());
        rule.check_unit(unit, out);
    }
}

/// Rules that fire when the registry lacks a related resource, which a module the scan could not
/// read may create.
const ABSENCE_RULES: &[&str] = &["ACR105", "ACR301", "ACR304", "ACR306"];

fn run_on_registry(view: &RegistryView<'_>, rules: &[&'static dyn Rule], out: &mut Outcomes) {
    let registry = view.registry;
    for rule in rules {
        let meta = rule.meta();
        let runs = match meta.scope {
            RuleScope::Registry => !registry.existing,
            RuleScope::Related => !view.related.is_empty() || !registry.existing,
            RuleScope::Unit => false,
        };
        if !runs {
            continue;
        }
        out.current = Some(meta);
        if !registry.existing && !applicable(meta, registry, out) {
            continue;
        }
        match view.handed_to.first() {
            Some(call) if ABSENCE_RULES.contains(&meta.id) => {
                let resource = out.address_of(registry);
                let unit = out.unit_of(registry);
                out.unknown.push(Undecided {
                    rule: meta,
                    resource,
                    unit,
                    span: registry.decl,
                    reason: format!(
                        "the registry is passed to {call}, which could not be read: what it creates is not known"
                    )
                    .into(),
                });
            }
            _ => rule.check(view, out),
        }
    }
}

fn applicable(meta: &'static RuleMeta, registry: &Resource, out: &mut Outcomes) -> bool {
    let Applies::Skus(skus) = meta.applies else {
        return true;
    };
    let undecided = |reason: Arc<str>, span: Span, out: &mut Outcomes| Undecided {
        rule: meta,
        resource: out.address_of(registry),
        unit: out.unit_of(registry),
        span,
        reason,
    };
    match registry.sku() {
        Ok(sku) if skus.contains(&sku) => true,
        Ok(_) if out.options.not_applicable_unused => false,
        Ok(sku) => {
            let reason = not_applicable_reason(meta, sku);
            let result = undecided(reason, registry.decl, out);
            out.not_applicable.push(result);
            false
        }
        Err(node) => {
            let (reason, span) = match node {
                Some(node) => match &node.value {
                    crate::model::Value::Unknown(reason) => {
                        (format!("the SKU is unknown: {reason}"), node.span)
                    }
                    _ => (
                        format!(
                            "the SKU {} is not one of Basic, Standard, Premium",
                            node.display()
                        ),
                        node.span,
                    ),
                },
                None => ("the registry declares no SKU".to_string(), registry.decl),
            };
            let result = undecided(reason.into(), span, out);
            out.unknown.push(result);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_slugs_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            let meta = rule.meta();
            assert!(seen.insert(meta.id), "duplicate id {}", meta.id);
            assert!(seen.insert(meta.slug), "duplicate slug {}", meta.slug);
            assert!(meta.id.len() == 6 && meta.id.starts_with("ACR"));
            assert!(
                meta.page
                    .starts_with(&format!("# {}: {}", meta.id, meta.slug)),
                "page of {}",
                meta.id
            );
            let severity: f32 = meta.security_severity.parse().unwrap();
            assert!((0.0..=10.0).contains(&severity));
        }
    }

    /// Whether `text` holds a JSON object key (`"adminUserEnabled":`).
    fn has_json_key(text: &str) -> bool {
        text.split('"')
            .skip(1)
            .step_by(2)
            .zip(text.split('"').skip(2).step_by(2))
            .any(|(key, after)| {
                !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
                    && after.trim_start().starts_with(':')
            })
    }

    #[test]
    fn every_rule_has_a_fix_per_format_and_the_bicep_one_is_bicep() {
        assert!(has_json_key("set `\"adminUserEnabled\": false`"));
        assert!(has_json_key("`{\"status\" : \"enabled\"}`"));
        assert!(!has_json_key("set `adminUserEnabled: false`"));
        let tools = tool::ALL.iter().copied();
        for meta in all().iter().map(|r| r.meta()).chain(tools) {
            for (format, text) in [
                ("Terraform", meta.fix_terraform),
                ("ARM", meta.fix_arm),
                ("Bicep", meta.fix_bicep),
            ] {
                assert!(!text.trim().is_empty(), "{} has no {format} fix", meta.id);
            }
            assert!(
                !has_json_key(meta.fix_bicep),
                "{}'s Bicep fix writes a JSON key: {}",
                meta.id,
                meta.fix_bicep
            );
            assert_eq!(meta.fix(Format::Bicep), meta.fix_bicep);
        }
        for rule in all() {
            let meta = rule.meta();
            // Bicep strings are single-quoted.
            assert!(
                !meta.fix_bicep.contains('"'),
                "{}'s Bicep fix has a double-quoted string: {}",
                meta.id,
                meta.fix_bicep
            );
        }
    }

    #[test]
    fn results_kept_to_the_end_hold_no_spare_room() {
        let rule = all()[0].meta();
        let undecided = || Undecided {
            rule,
            resource: "acr".into(),
            span: Span::new(0, 0, 1),
            reason: "why".into(),
            unit: "main.json".into(),
        };
        let mut outcomes = fresh_outcomes(8, all(), &RuleOptions::default());
        outcomes.not_applicable.push(undecided());
        outcomes.unknown.push(undecided());
        assert!(outcomes.findings.capacity() > 0 && outcomes.not_applicable.capacity() > 1);
        let kept = Results::kept(outcomes);
        assert_eq!(kept.findings.capacity(), 0);
        assert_eq!(kept.not_applicable.capacity(), 1);
        assert_eq!(kept.unknown.capacity(), 1);
    }

    fn ids(rules: &[&'static dyn Rule]) -> Vec<&'static str> {
        rules.iter().map(|r| r.meta().id).collect()
    }

    fn layer(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> RuleSelection {
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        RuleSelection {
            select: select.map(owned),
            extend_select: owned(extend),
            ignore: owned(ignore),
        }
    }

    #[test]
    fn select_replaces_the_defaults_extend_select_adds_and_ignore_wins() {
        let defaults = ids(&selection(&[], &[]).unwrap());
        assert!(!defaults.contains(&"ACR203") && !defaults.contains(&"ACR302"));
        assert!(defaults.contains(&"ACR001"));
        assert_eq!(
            ids(&selection(&["ACR001".into()], &[]).unwrap()),
            ["ACR001"]
        );
        let prefix = ids(&selection(&["ACR2".into()], &["basic-sku".into()]).unwrap());
        assert!(prefix.contains(&"ACR203") && !prefix.contains(&"ACR001"));
        assert!(!prefix.contains(&"ACR206"));
        let extended = ids(&select(&[layer(None, &["ACR302"], &["ACR001"])])
            .unwrap()
            .rules);
        assert!(extended.contains(&"ACR302") && extended.contains(&"ACR002"));
        assert!(!extended.contains(&"ACR001"));
        assert!(selection(&["ACR999".into()], &[]).is_err());
        assert_eq!(selection(&["ALL".into()], &[]).unwrap().len(), all().len());
    }

    #[test]
    fn a_selection_that_enables_nothing_is_an_error() {
        assert!(selection(&[], &["ALL".into()]).is_err());
        assert!(selection(&["ACR001".into()], &["ACR0".into()]).is_err());
        assert!(selection(&["ACR303".into()], &[]).is_err());
    }

    #[test]
    fn a_later_select_replaces_the_set_and_keeps_earlier_ignores_of_rules_it_does_not_name() {
        let file = layer(Some(&["ACR0"]), &[], &["ACR004", "ACR101"]);
        let command_line = layer(Some(&["ACR0", "ACR101"]), &[], &[]);
        let rules = ids(&select(&[file, command_line]).unwrap().rules);
        assert!(rules.contains(&"ACR101") && rules.contains(&"ACR001"));
        assert!(!rules.contains(&"ACR004"));
    }

    #[test]
    fn removed_rules_are_accepted_with_a_warning_that_says_why() {
        let selected = select(&[layer(None, &["ACR303"], &["zone-redundancy-disabled"])]).unwrap();
        assert_eq!(selected.warnings.len(), 2);
        assert!(selected.warnings[0].contains("ACR303 (zone-redundancy-disabled) was removed"));
        assert!(selected.warnings[0].contains("zone-redundant by default"));
        assert!(ids(&selected.rules).iter().all(|id| *id != "ACR303"));
        assert_eq!(
            find_meta("ACR303").map(|m| m.slug),
            Some("zone-redundancy-disabled")
        );
    }

    #[test]
    fn find_accepts_ids_and_slugs_in_any_case() {
        assert_eq!(find("acr001").map(|r| r.meta().id), Some("ACR001"));
        assert_eq!(
            find("Admin-User-Enabled").map(|r| r.meta().id),
            Some("ACR001")
        );
        assert!(find("ACR999").is_none());
    }
}
