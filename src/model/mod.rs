//! The format-agnostic model: resources in ARM shape, whatever format declared them.

pub mod azd;
pub mod directives;
pub mod graph;
pub mod input;
pub mod json;
pub mod suppression;
pub mod value;
pub mod yaml;

pub use graph::{Graph, RegistryView, UnitView};

pub use input::{FrontEndOutput, InputError, JsonDocument};
pub use value::{Lookup, Node, Value, Via};

use crate::source::Span;

pub const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";

const REGISTRY_SEGMENT: &str = "microsoft.containerregistry/registries/";

/// The registry a resource id or relative id (`Microsoft.ContainerRegistry/registries/x`) names.
pub fn registry_in_id(id: &str) -> Option<RegistryRef> {
    let lower = id.to_ascii_lowercase();
    let at = lower.find(REGISTRY_SEGMENT)? + REGISTRY_SEGMENT.len();
    let rest = id.get(at..)?;
    let mut segments = rest.split('/');
    let name = segments.next().filter(|n| !n.is_empty())?;
    segments
        .next()
        .is_none()
        .then(|| RegistryRef::Name(name.to_string()))
}

/// The language a resource was declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    #[default]
    Terraform,
    Arm,
    Bicep,
}

/// The resource types the rules know about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Registry,
    Replication,
    Webhook,
    Token,
    /// A Terraform `azurerm_container_registry_token_password` (ARM keeps passwords in the token).
    TokenPassword,
    ScopeMap,
    Task,
    CacheRule,
    CredentialSet,
    PrivateEndpoint,
    DiagnosticSetting,
    RoleAssignment,
    Lock,
    DefenderPricing,
}

/// The ARM resource types the rules know, in lower case.
const ARM_TYPES: [(&str, Kind); 13] = [
    ("microsoft.containerregistry/registries", Kind::Registry),
    (
        "microsoft.containerregistry/registries/replications",
        Kind::Replication,
    ),
    (
        "microsoft.containerregistry/registries/webhooks",
        Kind::Webhook,
    ),
    ("microsoft.containerregistry/registries/tokens", Kind::Token),
    (
        "microsoft.containerregistry/registries/scopemaps",
        Kind::ScopeMap,
    ),
    ("microsoft.containerregistry/registries/tasks", Kind::Task),
    (
        "microsoft.containerregistry/registries/cacherules",
        Kind::CacheRule,
    ),
    (
        "microsoft.containerregistry/registries/credentialsets",
        Kind::CredentialSet,
    ),
    ("microsoft.network/privateendpoints", Kind::PrivateEndpoint),
    (
        "microsoft.insights/diagnosticsettings",
        Kind::DiagnosticSetting,
    ),
    (
        "microsoft.authorization/roleassignments",
        Kind::RoleAssignment,
    ),
    ("microsoft.authorization/locks", Kind::Lock),
    ("microsoft.security/pricings", Kind::DefenderPricing),
];

/// Extension resources written as the type of what they extend and their own
/// (`Microsoft.ContainerRegistry/registries/providers/locks`), by the end, in lower case.
const EXTENSION_TYPES: [(&str, Kind); 4] = [
    (
        "/providers/microsoft.insights/diagnosticsettings",
        Kind::DiagnosticSetting,
    ),
    ("/providers/diagnosticsettings", Kind::DiagnosticSetting),
    ("/providers/locks", Kind::Lock),
    ("/providers/roleassignments", Kind::RoleAssignment),
];

fn ends_with_ignoring_ascii_case(text: &str, suffix: &str) -> bool {
    let (text, suffix) = (text.as_bytes(), suffix.as_bytes());
    text.len()
        .checked_sub(suffix.len())
        .and_then(|start| text.get(start..))
        .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

impl Kind {
    /// The kind of a full ARM resource type (case-insensitive).
    pub fn of_arm_type(arm_type: &str) -> Option<Kind> {
        let exact = ARM_TYPES
            .iter()
            .find(|(name, _)| arm_type.eq_ignore_ascii_case(name));
        let extension = || {
            EXTENSION_TYPES
                .iter()
                .find(|(suffix, _)| ends_with_ignoring_ascii_case(arm_type, suffix))
        };
        exact.or_else(extension).map(|&(_, kind)| kind)
    }
}

/// How a related resource names the registry it belongs to; resolved within its
/// Terraform module or ARM template, never by guessing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryRef {
    /// A Terraform address (`azurerm_container_registry.acr`) or an ARM resource's address.
    Address(String),
    /// An ARM registry name, as evaluated from a child's name, a `scope` or a resource id.
    Name(String),
    /// A Terraform token address: a token password belongs to the token's registry.
    Token(String),
    /// An output of a called Terraform module (`module.acr.registry_id`, `module` the full
    /// module path): the registry that output refers to.
    ModuleOutput { module: String, output: String },
    /// A Terraform module's input variable (`var.registry_id` inside the module): the registry
    /// the caller passes in.
    ModuleInput(String),
}

/// One declared resource. `body` follows the ARM resource shape (`name`, `location`, `sku`,
/// `identity`, `properties`, `tags`); Terraform attributes are mapped onto it when parsed.
#[derive(Debug, Clone)]
pub struct Resource {
    pub kind: Kind,
    pub arm_type: String,
    pub format: Format,
    /// A stable, human-readable address: `azurerm_container_registry.acr` in Terraform, the
    /// symbolic name or the `name` expression in ARM (prefixed by enclosing deployments).
    pub address: String,
    /// The resource's declaration: the Terraform type label or the ARM `type` value.
    pub decl: Span,
    pub body: Node,
    /// A reference to a resource deployed elsewhere (ARM `existing: true`, Terraform `data`).
    pub existing: bool,
    /// The ARM `apiVersion`, when declared.
    pub api_version: Option<String>,
    /// For a related resource: the registry it belongs to.
    pub link: Option<RegistryRef>,
    /// The template or Terraform module the resource belongs to; links resolve inside it.
    pub unit: String,
    /// The parameters file the template was evaluated with, when it has several.
    pub variant: Option<String>,
}

/// A template output or Terraform `output`.
#[derive(Debug, Clone)]
pub struct Output {
    pub name: String,
    /// The value as written (an ARM expression string or the Terraform expression text).
    pub expression: String,
    pub span: Span,
    /// Terraform `sensitive = true`.
    pub sensitive: bool,
    /// The registry the value refers to (a Terraform output of a registry's id or name), so
    /// that a caller's reference to the output links to it.
    pub reference: Option<RegistryRef>,
}

/// An ARM parameter or Terraform variable declaration.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    /// The declaration: the ARM `type` value or the Terraform `variable` label.
    pub span: Span,
    /// `securestring`/`secureObject`, or `sensitive = true`.
    pub secure: bool,
    /// Whether it could have been declared secure as it is: an ARM `string` (arrays and objects
    /// pass secrets on to modules that declare their own), any Terraform variable.
    pub plain_string: bool,
}

/// The names a unit id may stand for: the id itself, and what comes before each ` with ` in it
/// (a template read with a parameters file is the unit `x.json with y.json`).
pub fn unit_names(unit: &str) -> impl Iterator<Item = &str> {
    let read_with = crate::source::positions_of(unit, " with ").filter_map(|end| unit.get(..end));
    std::iter::once(unit).chain(read_with)
}

/// A template or Terraform module: what rules need beyond its resources.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub id: String,
    pub format: Format,
    pub outputs: Vec<Output>,
    pub inputs: Vec<Input>,
    /// Inline suppression directives written in the unit's files, including those that could
    /// not be read.
    pub directives: Vec<directives::Directive>,
    /// How the unit is linked to module calls; `None` for most units, which are not.
    pub calls: Option<Box<CallLinks>>,
}

/// How a unit is linked to module calls: apart from the unit, which most units do not need.
#[derive(Debug, Clone, Default)]
pub struct CallLinks {
    /// A called Terraform module: the unit of its caller.
    pub caller: Option<String>,
    /// A called Terraform module: the registries its inputs refer to in the caller (by input).
    pub input_links: Vec<(String, RegistryRef)>,
    /// Registries handed to module calls that could not be read, with a description of each
    /// call: what such a module creates for them is not known.
    pub handoffs: Vec<(RegistryRef, String)>,
}

impl Unit {
    /// Adds another part of the same unit (the files of one Terraform module share a unit).
    pub fn merge(&mut self, other: Unit) {
        self.outputs.extend(other.outputs);
        self.inputs.extend(other.inputs);
        self.directives.extend(other.directives);
        if let Some(other) = other.calls {
            let calls = self.calls_mut();
            calls.input_links.extend(other.input_links);
            calls.handoffs.extend(other.handoffs);
            calls.caller = calls.caller.take().or(other.caller);
        }
    }

    /// A called Terraform module: the unit of its caller.
    pub fn caller(&self) -> Option<&str> {
        self.calls.as_ref()?.caller.as_deref()
    }

    /// A called Terraform module: the registries its inputs refer to in the caller (by input).
    pub fn input_links(&self) -> &[(String, RegistryRef)] {
        self.calls.as_ref().map_or(&[], |calls| &calls.input_links)
    }

    /// Registries handed to module calls that could not be read, with a description of each.
    pub fn handoffs(&self) -> &[(RegistryRef, String)] {
        self.calls.as_ref().map_or(&[], |calls| &calls.handoffs)
    }

    /// The unit's links to module calls, made empty when it has none yet.
    pub fn calls_mut(&mut self) -> &mut CallLinks {
        self.calls.get_or_insert_with(Box::default)
    }

    /// Sets the registries handed to calls that could not be read, when there are any.
    pub fn set_handoffs(&mut self, handoffs: Vec<(RegistryRef, String)>) {
        if !handoffs.is_empty() || self.calls.is_some() {
            self.calls_mut().handoffs = handoffs;
        }
    }
}

/// The address with every instance key removed: `module.a[0].x.y["k"]` gives `module.a.x.y`.
pub fn without_instance_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in address.chars() {
        if quoted {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
            continue;
        }
        match c {
            '"' if depth > 0 => quoted = true,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The registry SKUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sku {
    Basic,
    Standard,
    Premium,
}

impl Sku {
    pub fn parse(text: &str) -> Option<Sku> {
        [Sku::Basic, Sku::Standard, Sku::Premium]
            .into_iter()
            .find(|sku| sku.name().eq_ignore_ascii_case(text))
    }

    pub fn name(self) -> &'static str {
        match self {
            Sku::Basic => "Basic",
            Sku::Standard => "Standard",
            Sku::Premium => "Premium",
        }
    }
}

/// A setting as the service will see it: written in code, defaulted, or not known yet.
#[derive(Debug, Clone, Copy)]
pub enum Setting<'a, T> {
    Set(T, &'a Node),
    Default(T),
    Unknown(&'a Node),
}

impl<'a, T: Copy> Setting<'a, T> {
    pub fn value(&self) -> Option<T> {
        match self {
            Setting::Set(v, _) | Setting::Default(v) => Some(*v),
            Setting::Unknown(_) => None,
        }
    }

    pub fn node(&self) -> Option<&'a Node> {
        match self {
            Setting::Set(_, node) | Setting::Unknown(node) => Some(node),
            Setting::Default(_) => None,
        }
    }
}

impl Resource {
    pub fn is_registry(&self) -> bool {
        self.kind == Kind::Registry
    }

    /// Whether the resource is declared in a file `in_file` accepts, or any of its settings was
    /// written in or came through one.
    pub fn touches(&self, in_file: &impl Fn(crate::source::FileId) -> bool) -> bool {
        in_file(self.decl.file) || self.body.any_span_in(in_file)
    }

    pub fn lookup(&self, path: &str) -> Lookup<'_> {
        self.body.lookup(path)
    }

    /// A boolean setting; strings `"true"`/`"false"` count as booleans. A value of another
    /// type is treated as unknown here (the invalid-value rules report it).
    pub fn flag(&self, path: &str, default: bool) -> Setting<'_, bool> {
        match self.lookup(path) {
            Lookup::Missing => Setting::Default(default),
            Lookup::Unknown(node) => Setting::Unknown(node),
            Lookup::Found(node) => match node.as_bool() {
                Some(b) => Setting::Set(b, node),
                None if matches!(node.value, Value::Null) => Setting::Default(default),
                None => Setting::Unknown(node),
            },
        }
    }

    /// A string setting such as an enum; compare it case-insensitively.
    pub fn text(&self, path: &str, default: &'static str) -> Setting<'_, &str> {
        match self.lookup(path) {
            Lookup::Missing => Setting::Default(default),
            Lookup::Unknown(node) => Setting::Unknown(node),
            Lookup::Found(node) => match &node.value {
                Value::String(s) => Setting::Set(s.as_str(), node),
                Value::Null => Setting::Default(default),
                _ => Setting::Unknown(node),
            },
        }
    }

    /// The SKU, or the node that makes it unknown (`None` when no SKU is declared at all).
    pub fn sku(&self) -> Result<Sku, Option<&Node>> {
        match self.lookup("sku.name") {
            Lookup::Found(node) => node.as_str().and_then(Sku::parse).ok_or(Some(node)),
            Lookup::Unknown(node) => Err(Some(node)),
            Lookup::Missing => Err(None),
        }
    }

    /// The registry's name when known.
    pub fn name(&self) -> Option<&str> {
        match self.lookup("name") {
            Lookup::Found(node) => node.as_str(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_holds_call_links_only_when_it_has_some() {
        // Every template and module has a unit, copied as the scan joins them: most have no
        // links to module calls, and hold a pointer for them.
        assert!(std::mem::size_of::<Unit>() <= 112);
        let mut unit = Unit::default();
        unit.set_handoffs(Vec::new());
        assert!(unit.calls.is_none());
        assert!(unit.caller().is_none() && unit.input_links().is_empty());
        let handoff = (RegistryRef::Name("acr".into()), "module `m`".to_string());
        let mut called = Unit::default();
        called.calls_mut().caller = Some("root".into());
        called.set_handoffs(vec![handoff.clone()]);
        unit.merge(called);
        assert_eq!(unit.caller(), Some("root"));
        assert_eq!(unit.handoffs().len(), 1);
        let mut caller_kept = Unit::default();
        caller_kept.calls_mut().caller = Some("first".into());
        caller_kept.merge(unit);
        assert_eq!(caller_kept.caller(), Some("first"));
        assert_eq!(caller_kept.handoffs().len(), 1);
        caller_kept.set_handoffs(Vec::new());
        assert!(caller_kept.handoffs().is_empty());
    }

    #[test]
    fn arm_types_are_known_whatever_their_case() {
        for (name, kind) in ARM_TYPES {
            assert_eq!(Kind::of_arm_type(name), Some(kind));
            assert_eq!(Kind::of_arm_type(&name.to_ascii_uppercase()), Some(kind));
        }
        assert_eq!(
            Kind::of_arm_type("Microsoft.ContainerRegistry/registries"),
            Some(Kind::Registry)
        );
    }

    #[test]
    fn extension_types_are_known_by_their_end() {
        let cases = [
            (
                "Microsoft.ContainerRegistry/registries/providers/Microsoft.Insights/diagnosticSettings",
                Some(Kind::DiagnosticSetting),
            ),
            (
                "Microsoft.ContainerRegistry/registries/providers/diagnosticSettings",
                Some(Kind::DiagnosticSetting),
            ),
            (
                "Microsoft.ContainerRegistry/registries/providers/LOCKS",
                Some(Kind::Lock),
            ),
            (
                "Microsoft.ContainerRegistry/registries/providers/roleAssignments",
                Some(Kind::RoleAssignment),
            ),
            ("providers/locks", None),
            ("/providers/locksx", None),
            ("", None),
            ("é/providers/locks", Some(Kind::Lock)),
            ("éééééééééééééééé", None),
            ("Microsoft.ContainerRegistry/registriesX", None),
            ("Microsoft.Storage/storageAccounts", None),
        ];
        for (arm_type, kind) in cases {
            assert_eq!(Kind::of_arm_type(arm_type), kind, "{arm_type}");
        }
    }
}
