//! The format-agnostic model: resources in ARM shape, whatever format declared them.

pub mod value;

pub use value::{Lookup, Node, Value, Via};

use crate::source::Span;

pub const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";

/// The language a resource was declared in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Terraform,
    Arm,
}

/// One declared resource. `body` follows the ARM resource shape (`name`, `location`, `sku`,
/// `identity`, `properties`, `tags`); Terraform attributes are mapped onto it when parsed.
#[derive(Debug, Clone)]
pub struct Resource {
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
        self.arm_type.eq_ignore_ascii_case(REGISTRY_TYPE)
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
