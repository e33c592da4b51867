//! Links related resources to their registry within each template or Terraform module.

use std::collections::HashMap;

use super::{Kind, Node, RegistryRef, Resource, Unit, Value};

/// A registry and the resources that belong to it.
#[derive(Debug)]
pub struct RegistryView<'a> {
    pub registry: &'a Resource,
    pub related: Vec<&'a Resource>,
}

impl<'a> RegistryView<'a> {
    pub fn related(&self, kind: Kind) -> impl Iterator<Item = &'a Resource> + '_ {
        self.related.iter().copied().filter(move |r| r.kind == kind)
    }
}

/// A template or module with its resources, for rules that look beyond one registry.
#[derive(Debug)]
pub struct UnitView<'a> {
    pub unit: &'a Unit,
    pub resources: Vec<&'a Resource>,
}

/// Registries with their related resources, and the units.
#[derive(Debug)]
pub struct Graph<'a> {
    pub registries: Vec<RegistryView<'a>>,
    pub units: Vec<UnitView<'a>>,
}

/// Indexes of registries and tokens in one unit.
#[derive(Default)]
struct UnitIndex {
    by_address: HashMap<String, usize>,
    by_name: HashMap<String, Option<usize>>,
    tokens: HashMap<String, usize>,
}

/// Registries that related resources name but the scan does not define: each becomes an
/// `existing` registry, so its related resources are still checked (an ARM child such as
/// `contosoregistry/hook1` names its registry unambiguously).
pub fn implied_registries(resources: &[Resource]) -> Vec<Resource> {
    let mut defined: std::collections::HashSet<(&str, String)> = resources
        .iter()
        .filter(|r| r.is_registry())
        .filter_map(|r| Some((r.unit.as_str(), r.name()?.to_ascii_lowercase())))
        .collect();
    let mut implied = Vec::new();
    for resource in resources {
        let Some(RegistryRef::Name(name)) = &resource.link else {
            continue;
        };
        let key = (resource.unit.as_str(), name.to_ascii_lowercase());
        if !defined.insert(key) {
            continue;
        }
        let mut body = Node::object(resource.decl);
        body.insert(
            "name",
            Node::new(Value::String(name.clone()), resource.decl),
        );
        implied.push(Resource {
            kind: Kind::Registry,
            arm_type: super::REGISTRY_TYPE.to_string(),
            format: resource.format,
            address: name.clone(),
            decl: resource.decl,
            body,
            existing: true,
            api_version: None,
            link: None,
            unit: resource.unit.clone(),
            variant: resource.variant.clone(),
        });
    }
    implied
}

pub fn link<'a>(resources: &'a [Resource], units: &'a [Unit]) -> Graph<'a> {
    let mut indexes: HashMap<&str, UnitIndex> = HashMap::new();
    let mut registries: Vec<RegistryView<'a>> = Vec::new();
    for (index, resource) in resources.iter().enumerate() {
        let unit = indexes.entry(resource.unit.as_str()).or_default();
        match resource.kind {
            Kind::Registry => {
                let slot = registries.len();
                registries.push(RegistryView {
                    registry: resource,
                    related: Vec::new(),
                });
                unit.by_address.insert(resource.address.clone(), slot);
                if let Some(name) = resource.name() {
                    let entry = unit
                        .by_name
                        .entry(name.to_ascii_lowercase())
                        .or_insert(Some(slot));
                    if *entry != Some(slot) {
                        *entry = None;
                    }
                }
            }
            Kind::Token => {
                unit.tokens.insert(resource.address.clone(), index);
            }
            _ => {}
        }
    }
    for resource in resources.iter().filter(|r| r.kind != Kind::Registry) {
        let Some(unit) = indexes.get(resource.unit.as_str()) else {
            continue;
        };
        if let Some(slot) = resolve(resource.link.as_ref(), unit, resources, 0)
            && let Some(view) = registries.get_mut(slot)
        {
            view.related.push(resource);
        }
    }
    let mut by_unit: HashMap<&str, Vec<&'a Resource>> = HashMap::new();
    for resource in resources {
        by_unit
            .entry(resource.unit.as_str())
            .or_default()
            .push(resource);
    }
    let units = units
        .iter()
        .map(|unit| UnitView {
            unit,
            resources: by_unit.remove(unit.id.as_str()).unwrap_or_default(),
        })
        .collect();
    Graph { registries, units }
}

fn resolve(
    link: Option<&RegistryRef>,
    unit: &UnitIndex,
    resources: &[Resource],
    depth: usize,
) -> Option<usize> {
    match link? {
        RegistryRef::Address(address) => unit.by_address.get(address).copied(),
        RegistryRef::Name(name) => unit
            .by_name
            .get(&name.to_ascii_lowercase())
            .copied()
            .flatten(),
        RegistryRef::Token(address) if depth == 0 => {
            let token = resources.get(*unit.tokens.get(address)?)?;
            resolve(token.link.as_ref(), unit, resources, depth + 1)
        }
        RegistryRef::Token(_) => None,
    }
}
