//! Links related resources to their registry within each template or Terraform module.

use std::cell::OnceCell;

use foldhash::{HashMap, HashMapExt, HashSet};

use super::{Kind, Node, RegistryRef, Resource, Unit, Value};

/// A registry and the resources that belong to it.
#[derive(Debug)]
pub struct RegistryView<'a> {
    pub registry: &'a Resource,
    pub related: Vec<&'a Resource>,
    /// Module calls the registry is handed to that could not be read: they may create related
    /// resources the scan cannot see.
    pub handed_to: Vec<&'a str>,
}

impl<'a> RegistryView<'a> {
    pub fn related(&self, kind: Kind) -> impl Iterator<Item = &'a Resource> + '_ {
        self.related.iter().copied().filter(move |r| r.kind == kind)
    }

    /// Whether the registry or a resource related to it [`touches`](Resource::touches) a file
    /// `in_file` accepts: every span a rule can point at on the registry lies in these.
    pub fn touches(&self, in_file: &impl Fn(crate::source::FileId) -> bool) -> bool {
        self.registry.touches(in_file) || self.related.iter().any(|r| r.touches(in_file))
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

/// One unit's resources, its registries (with their slots) and tokens,
/// and indexes of them made the first time a link from the unit needs one: most units have no
/// links to resolve.
#[derive(Default)]
struct UnitIndex<'a> {
    resources: Vec<&'a Resource>,
    registries: Vec<(usize, &'a Resource)>,
    tokens: Vec<&'a Resource>,
    by_address: OnceCell<HashMap<&'a str, usize>>,
    by_name: OnceCell<HashMap<String, Option<usize>>>,
    tokens_by_address: OnceCell<HashMap<&'a str, usize>>,
}

impl<'a> UnitIndex<'a> {
    /// Registries by address (a later one of the same address wins).
    fn by_address(&self) -> &HashMap<&'a str, usize> {
        self.by_address
            .get_or_init(|| by_their_address(self.registries.iter().copied()))
    }

    /// Registries by name in lower case; `None` for a name two registries share.
    fn by_name(&self) -> &HashMap<String, Option<usize>> {
        self.by_name.get_or_init(|| {
            let mut by_name: HashMap<String, Option<usize>> = HashMap::new();
            for (slot, registry) in &self.registries {
                if let Some(name) = registry.name() {
                    let entry = by_name
                        .entry(name.to_ascii_lowercase())
                        .or_insert(Some(*slot));
                    if *entry != Some(*slot) {
                        *entry = None;
                    }
                }
            }
            by_name
        })
    }

    /// Tokens by address, as indexes into the unit's tokens.
    fn tokens(&self) -> &HashMap<&'a str, usize> {
        self.tokens_by_address
            .get_or_init(|| by_their_address(self.tokens.iter().copied().enumerate()))
    }
}

/// Numbered resources by address; of two with one address, the later.
fn by_their_address<'a>(
    numbered: impl Iterator<Item = (usize, &'a Resource)>,
) -> HashMap<&'a str, usize> {
    numbered
        .map(|(number, resource)| (resource.address.as_str(), number))
        .collect()
}

/// Where each unit's entries are in lists kept in order of first appearance. Resources come
/// grouped by unit, so a run of one unit's resources looks its unit up once.
struct UnitPositions<'a> {
    positions: HashMap<&'a str, usize>,
    last: Option<(&'a str, usize)>,
}

impl<'a> UnitPositions<'a> {
    fn with_capacity(units: usize) -> Self {
        Self {
            positions: HashMap::with_capacity(units),
            last: None,
        }
    }

    fn get(&self, unit: &str) -> Option<usize> {
        self.positions.get(unit).copied()
    }

    /// The position of `unit`; `next` when it is new, for the caller to fill.
    fn position(&mut self, unit: &'a str, next: usize) -> usize {
        if let Some((last, position)) = self.last
            && last == unit
        {
            return position;
        }
        let position = *self.positions.entry(unit).or_insert(next);
        self.last = Some((unit, position));
        position
    }
}

/// Registries that related resources name but the scan does not define: each becomes an
/// `existing` registry, so its related resources are still checked (an ARM child such as
/// `contosoregistry/hook1` names its registry unambiguously).
pub fn implied_registries<'r>(
    resources: impl Iterator<Item = &'r Resource> + Clone,
) -> Vec<Resource> {
    let by_name = |r: &&Resource| matches!(r.link, Some(RegistryRef::Name(_)));
    let naming_units: HashSet<&str> = resources
        .clone()
        .filter(by_name)
        .map(|r| r.unit.as_str())
        .collect();
    if naming_units.is_empty() {
        return Vec::new();
    }
    let mut defined: HashSet<(&str, String)> = resources
        .clone()
        .filter(|r| r.is_registry() && naming_units.contains(r.unit.as_str()))
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

/// Links the resources (in the order the scan read them) to their registries.
pub fn link<'a>(
    resources: impl Iterator<Item = &'a Resource> + Clone,
    units: &[&'a Unit],
) -> Graph<'a> {
    let mut positions = UnitPositions::with_capacity(units.len());
    let mut indexes: Vec<UnitIndex> = Vec::with_capacity(units.len());
    let mut registries: Vec<RegistryView<'a>> = Vec::new();
    for resource in resources.clone() {
        let position = positions.position(resource.unit.as_str(), indexes.len());
        if position == indexes.len() {
            indexes.push(UnitIndex::default());
        }
        let Some(unit) = indexes.get_mut(position) else {
            continue;
        };
        unit.resources.push(resource);
        match resource.kind {
            Kind::Registry => {
                unit.registries.push((registries.len(), resource));
                registries.push(RegistryView {
                    registry: resource,
                    related: Vec::new(),
                    handed_to: Vec::new(),
                });
            }
            Kind::Token => unit.tokens.push(resource),
            _ => {}
        }
    }
    let outputs: HashMap<(&str, &str), &RegistryRef> = units
        .iter()
        .copied()
        .flat_map(|unit| {
            unit.outputs.iter().filter_map(move |output| {
                Some((
                    (unit.id.as_str(), output.name.as_str()),
                    output.reference.as_ref()?,
                ))
            })
        })
        .collect();
    let callers: Callers<'_> = units
        .iter()
        .copied()
        .filter_map(|unit| {
            let caller = unit.caller()?;
            Some((unit.id.as_str(), (caller, unit.input_links())))
        })
        .collect();
    let linker = Linker {
        positions: &positions,
        indexes: &indexes,
        outputs: &outputs,
        callers: &callers,
    };
    for &unit in units {
        for (link, call) in unit.handoffs() {
            for slot in linker.resolve(Some(link), &unit.id, 0) {
                if let Some(view) = registries.get_mut(slot) {
                    view.handed_to.push(call);
                }
            }
        }
    }
    for resource in resources.filter(|r| r.kind != Kind::Registry) {
        for slot in linker.resolve(resource.link.as_ref(), &resource.unit, 0) {
            if let Some(view) = registries.get_mut(slot) {
                view.related.push(resource);
            }
        }
    }
    let mut resources_of = |unit: &Unit| {
        let index = positions.get(&unit.id).and_then(|p| indexes.get_mut(p));
        index
            .map(|index| std::mem::take(&mut index.resources))
            .unwrap_or_default()
    };
    let units = units
        .iter()
        .map(|&unit| UnitView {
            unit,
            resources: resources_of(unit),
        })
        .collect();
    Graph { registries, units }
}

/// A called module's unit id, with its caller's unit id and the links of its inputs.
type Callers<'a> = HashMap<&'a str, (&'a str, &'a [(String, RegistryRef)])>;

/// What links are resolved against: each unit's registries and tokens, and the registries
/// Terraform module outputs refer to.
struct Linker<'l, 'a> {
    /// Where each unit's index is in `indexes`.
    positions: &'l UnitPositions<'a>,
    indexes: &'l [UnitIndex<'a>],
    /// By (unit id, output name).
    outputs: &'l HashMap<(&'a str, &'a str), &'a RegistryRef>,
    /// A called module's unit: its caller's unit and the registries its inputs refer to.
    callers: &'l Callers<'a>,
}

/// How many module outputs and tokens a link may pass through.
const MAX_LINK_DEPTH: usize = 16;

impl Linker<'_, '_> {
    /// The registries a link from a resource of `unit` names: one, or, for a Terraform
    /// reference whose instance key is not known, every instance of the resource.
    fn resolve(&self, link: Option<&RegistryRef>, unit: &str, depth: usize) -> Vec<usize> {
        if depth >= MAX_LINK_DEPTH {
            return Vec::new();
        }
        if let Some(RegistryRef::ModuleOutput { module, output }) = link {
            // A call's unit is its caller's unit and the module path (`terraform::read_module`).
            let child = format!("{unit}/{module}");
            let reference = self.outputs.get(&(child.as_str(), output.as_str()));
            return reference.map_or_else(Vec::new, |reference| {
                self.resolve(Some(reference), &child, depth + 1)
            });
        }
        if let Some(RegistryRef::ModuleInput(input)) = link {
            let Some((caller, links)) = self.callers.get(unit) else {
                return Vec::new();
            };
            let passed = links.iter().find(|(name, _)| name == input);
            return passed.map_or_else(Vec::new, |(_, link)| {
                self.resolve(Some(link), caller, depth + 1)
            });
        }
        let index = self.positions.get(unit);
        let Some(index) = index.and_then(|position| self.indexes.get(position)) else {
            return Vec::new();
        };
        match link {
            None => Vec::new(),
            Some(RegistryRef::Address(address)) => by_address(index.by_address(), address),
            Some(RegistryRef::Name(name)) => index
                .by_name()
                .get(&name.to_ascii_lowercase())
                .copied()
                .flatten()
                .into_iter()
                .collect(),
            Some(RegistryRef::Token(address)) => {
                let token = by_address(index.tokens(), address)
                    .first()
                    .and_then(|&i| index.tokens.get(i).copied())
                    .filter(|token| !matches!(token.link, Some(RegistryRef::Token(_))));
                token.map_or_else(Vec::new, |token| {
                    self.resolve(token.link.as_ref(), unit, depth + 1)
                })
            }
            Some(RegistryRef::ModuleOutput { .. } | RegistryRef::ModuleInput(_)) => Vec::new(),
        }
    }
}

/// What an address names in an index: itself; `acr` for `acr[0]` when `acr` has no
/// instances (its `count` is not known); every instance `acr[...]` for `acr`.
fn by_address(index: &HashMap<&str, usize>, address: &str) -> Vec<usize> {
    if let Some(&slot) = index.get(address) {
        return vec![slot];
    }
    if let Some((base, _)) = split_instance_key(address)
        && let Some(&slot) = index.get(base)
    {
        return vec![slot];
    }
    let mut slots: Vec<usize> = index
        .iter()
        .filter(|(candidate, _)| {
            split_instance_key(candidate).is_some_and(|(base, _)| base == address)
        })
        .map(|(_, &slot)| slot)
        .collect();
    slots.sort_unstable();
    slots
}

/// A Terraform address split before its last instance key: `acr[0]` gives `("acr", "[0]")`,
/// `acr["a.b"]` gives `("acr", "[\"a.b\"]")`; `None` without a trailing key.
pub fn split_instance_key(address: &str) -> Option<(&str, &str)> {
    if !address.ends_with(']') {
        return None;
    }
    let start = key_starts(address).last().copied()?;
    let (base, key) = address.split_at_checked(start)?;
    (!base.is_empty()).then_some((base, key))
}

/// Byte offsets of the `[` that open instance keys at the top level (not inside quotes).
fn key_starts(address: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut quoted = false;
    let mut escaped = false;
    for (at, c) in address.char_indices() {
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
            '"' => quoted = true,
            '[' => starts.push(at),
            _ => {}
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::without_instance_keys;

    #[test]
    fn instance_keys_split_and_strip() {
        assert_eq!(split_instance_key("a.b[0]"), Some(("a.b", "[0]")));
        assert_eq!(
            split_instance_key("a.b[\"x[1].y\"]"),
            Some(("a.b", "[\"x[1].y\"]"))
        );
        assert_eq!(split_instance_key("a.b"), None);
        assert_eq!(
            without_instance_keys("module.m[\"k.]\"].a.b[2]"),
            "module.m.a.b"
        );
    }
}
