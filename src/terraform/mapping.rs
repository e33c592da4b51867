//! The one place where azurerm attributes are mapped onto ARM resource types and property paths.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};

use crate::model::{Format, Kind, Node, RegistryRef, Resource, Value};
use crate::source::{FileId, Span};

use super::expr::Converter;
use super::span_of;

pub const REGISTRY_RESOURCE: &str = "azurerm_container_registry";

/// How a Terraform value becomes the ARM value.
#[derive(Clone, Copy)]
enum Conversion {
    Same,
    /// `true`/`false` to `Enabled`/`Disabled` (e.g. `publicNetworkAccess`).
    EnabledDisabled,
    /// `true`/`false` to `enabled`/`disabled` (policy `status` values).
    PolicyStatus,
}

use Conversion::*;

/// Terraform attribute, ARM path below the block's path, conversion.
type AttributeMap = &'static [(&'static str, &'static str, Conversion)];

/// A nested block: its name, the ARM path it maps to (an array when `repeated`), its attributes
/// and nested blocks.
struct BlockMap {
    name: &'static str,
    path: &'static str,
    repeated: bool,
    attributes: AttributeMap,
    blocks: &'static [BlockMap],
}

/// How one azurerm resource type maps onto ARM.
struct TypeMap {
    terraform: &'static str,
    kind: Kind,
    arm_type: &'static str,
    /// Where the reference to the registry (or token) is: attribute path, and what it names.
    link: Option<(&'static [&'static str], LinkTarget)>,
    attributes: AttributeMap,
    blocks: &'static [BlockMap],
}

#[derive(Clone, Copy)]
enum LinkTarget {
    Registry,
    Token,
}

const fn single(name: &'static str, path: &'static str, attributes: AttributeMap) -> BlockMap {
    BlockMap {
        name,
        path,
        repeated: false,
        attributes,
        blocks: &[],
    }
}

const fn repeated(name: &'static str, path: &'static str, attributes: AttributeMap) -> BlockMap {
    BlockMap {
        name,
        path,
        repeated: true,
        attributes,
        blocks: &[],
    }
}

const REGISTRY: TypeMap = TypeMap {
    terraform: REGISTRY_RESOURCE,
    kind: Kind::Registry,
    arm_type: "Microsoft.ContainerRegistry/registries",
    link: None,
    attributes: &[
        ("name", "name", Same),
        ("location", "location", Same),
        ("sku", "sku.name", Same),
        ("tags", "tags", Same),
        ("admin_enabled", "properties.adminUserEnabled", Same),
        (
            "anonymous_pull_enabled",
            "properties.anonymousPullEnabled",
            Same,
        ),
        (
            "public_network_access_enabled",
            "properties.publicNetworkAccess",
            EnabledDisabled,
        ),
        (
            "network_rule_bypass_option",
            "properties.networkRuleBypassOptions",
            Same,
        ),
        (
            "network_rule_bypass_for_tasks_enabled",
            "properties.networkRuleBypassAllowedForTasks",
            Same,
        ),
        (
            "data_endpoint_enabled",
            "properties.dataEndpointEnabled",
            Same,
        ),
        (
            "zone_redundancy_enabled",
            "properties.zoneRedundancy",
            EnabledDisabled,
        ),
        (
            "quarantine_policy_enabled",
            "properties.policies.quarantinePolicy.status",
            PolicyStatus,
        ),
        (
            "trust_policy_enabled",
            "properties.policies.trustPolicy.status",
            PolicyStatus,
        ),
        (
            "export_policy_enabled",
            "properties.policies.exportPolicy.status",
            PolicyStatus,
        ),
        (
            "azuread_authentication_as_arm_policy_enabled",
            "properties.policies.azureADAuthenticationAsArmPolicy.status",
            PolicyStatus,
        ),
        (
            "retention_policy_in_days",
            "properties.policies.retentionPolicy.days",
            Same,
        ),
        (
            "role_assignment_mode",
            "properties.roleAssignmentMode",
            Same,
        ),
    ],
    blocks: &[
        BlockMap {
            name: "identity",
            path: "identity",
            repeated: false,
            attributes: &[
                ("type", "type", Same),
                ("identity_ids", "identityIds", Same),
            ],
            blocks: &[],
        },
        BlockMap {
            name: "network_rule_set",
            path: "properties.networkRuleSet",
            repeated: false,
            attributes: &[("default_action", "defaultAction", Same)],
            blocks: &[
                repeated(
                    "ip_rule",
                    "ipRules",
                    &[("action", "action", Same), ("ip_range", "value", Same)],
                ),
                repeated(
                    "virtual_network",
                    "virtualNetworkRules",
                    &[("action", "action", Same), ("subnet_id", "id", Same)],
                ),
            ],
        },
        single(
            "trust_policy",
            "properties.policies.trustPolicy",
            &[("enabled", "status", PolicyStatus)],
        ),
        single(
            "retention_policy",
            "properties.policies.retentionPolicy",
            &[("enabled", "status", PolicyStatus), ("days", "days", Same)],
        ),
        single(
            "encryption",
            "properties.encryption",
            &[
                ("enabled", "status", PolicyStatus),
                ("key_vault_key_id", "keyVaultProperties.keyIdentifier", Same),
                ("identity_client_id", "keyVaultProperties.identity", Same),
            ],
        ),
    ],
};

const RELATED: &[TypeMap] = &[
    TypeMap {
        terraform: "azurerm_container_registry_webhook",
        kind: Kind::Webhook,
        arm_type: "Microsoft.ContainerRegistry/registries/webhooks",
        link: Some((&["registry_name"], LinkTarget::Registry)),
        attributes: &[
            ("name", "name", Same),
            ("service_uri", "properties.serviceUri", Same),
            ("actions", "properties.actions", Same),
            ("status", "properties.status", Same),
            ("scope", "properties.scope", Same),
            ("custom_headers", "properties.customHeaders", Same),
        ],
        blocks: &[],
    },
    TypeMap {
        terraform: "azurerm_container_registry_token",
        kind: Kind::Token,
        arm_type: "Microsoft.ContainerRegistry/registries/tokens",
        link: Some((&["container_registry_name"], LinkTarget::Registry)),
        attributes: &[
            ("name", "name", Same),
            ("scope_map_id", "properties.scopeMapId", Same),
            ("enabled", "properties.status", EnabledDisabled),
        ],
        blocks: &[],
    },
    TypeMap {
        terraform: "azurerm_container_registry_token_password",
        kind: Kind::TokenPassword,
        arm_type: "Microsoft.ContainerRegistry/registries/tokens",
        link: Some((&["container_registry_token_id"], LinkTarget::Token)),
        attributes: &[],
        blocks: &[
            single(
                "password1",
                "properties.credentials.password1",
                &[("expiry", "expiry", Same)],
            ),
            single(
                "password2",
                "properties.credentials.password2",
                &[("expiry", "expiry", Same)],
            ),
        ],
    },
    TypeMap {
        terraform: "azurerm_container_registry_scope_map",
        kind: Kind::ScopeMap,
        arm_type: "Microsoft.ContainerRegistry/registries/scopeMaps",
        link: Some((&["container_registry_name"], LinkTarget::Registry)),
        attributes: &[
            ("name", "name", Same),
            ("actions", "properties.actions", Same),
        ],
        blocks: &[],
    },
    TypeMap {
        terraform: "azurerm_container_registry_task",
        kind: Kind::Task,
        arm_type: "Microsoft.ContainerRegistry/registries/tasks",
        link: Some((&["container_registry_id"], LinkTarget::Registry)),
        attributes: &[("name", "name", Same)],
        blocks: &[
            BlockMap {
                name: "registry_credential",
                path: "properties.credentials",
                repeated: false,
                attributes: &[],
                blocks: &[repeated(
                    "custom",
                    "customRegistries",
                    &[
                        ("login_server", "loginServer", Same),
                        ("username", "userName.value", Same),
                        ("password", "password.value", Same),
                        ("identity", "identity", Same),
                    ],
                )],
            },
            single(
                "docker_step",
                "properties.step",
                &[("context_access_token", "contextAccessToken", Same)],
            ),
            single(
                "file_step",
                "properties.step",
                &[("context_access_token", "contextAccessToken", Same)],
            ),
            single(
                "encoded_step",
                "properties.step",
                &[("context_access_token", "contextAccessToken", Same)],
            ),
        ],
    },
    TypeMap {
        terraform: "azurerm_container_registry_cache_rule",
        kind: Kind::CacheRule,
        arm_type: "Microsoft.ContainerRegistry/registries/cacheRules",
        link: Some((&["container_registry_id"], LinkTarget::Registry)),
        attributes: &[
            ("name", "name", Same),
            ("source_repo", "properties.sourceRepository", Same),
            ("target_repo", "properties.targetRepository", Same),
            (
                "credential_set_id",
                "properties.credentialSetResourceId",
                Same,
            ),
        ],
        blocks: &[],
    },
    TypeMap {
        terraform: "azurerm_container_registry_credential_set",
        kind: Kind::CredentialSet,
        arm_type: "Microsoft.ContainerRegistry/registries/credentialSets",
        link: Some((&["container_registry_id"], LinkTarget::Registry)),
        attributes: &[
            ("name", "name", Same),
            ("login_server", "properties.loginServer", Same),
        ],
        blocks: &[repeated(
            "authentication_credentials",
            "properties.authCredentials",
            &[
                ("username_secret_id", "usernameSecretIdentifier", Same),
                ("password_secret_id", "passwordSecretIdentifier", Same),
            ],
        )],
    },
    TypeMap {
        terraform: "azurerm_private_endpoint",
        kind: Kind::PrivateEndpoint,
        arm_type: "Microsoft.Network/privateEndpoints",
        link: Some((
            &[
                "private_service_connection",
                "private_connection_resource_id",
            ],
            LinkTarget::Registry,
        )),
        attributes: &[("name", "name", Same)],
        blocks: &[repeated(
            "private_service_connection",
            "properties.privateLinkServiceConnections",
            &[
                (
                    "private_connection_resource_id",
                    "properties.privateLinkServiceId",
                    Same,
                ),
                ("subresource_names", "properties.groupIds", Same),
            ],
        )],
    },
    TypeMap {
        terraform: "azurerm_monitor_diagnostic_setting",
        kind: Kind::DiagnosticSetting,
        arm_type: "Microsoft.Insights/diagnosticSettings",
        link: Some((&["target_resource_id"], LinkTarget::Registry)),
        attributes: &[("name", "name", Same)],
        blocks: &[
            repeated(
                "enabled_log",
                "properties.logs",
                &[
                    ("category", "category", Same),
                    ("category_group", "categoryGroup", Same),
                ],
            ),
            repeated(
                "log",
                "properties.logs",
                &[
                    ("category", "category", Same),
                    ("category_group", "categoryGroup", Same),
                    ("enabled", "enabled", Same),
                ],
            ),
        ],
    },
    TypeMap {
        terraform: "azurerm_role_assignment",
        kind: Kind::RoleAssignment,
        arm_type: "Microsoft.Authorization/roleAssignments",
        link: Some((&["scope"], LinkTarget::Registry)),
        attributes: &[
            (
                "role_definition_name",
                "properties.roleDefinitionName",
                Same,
            ),
            ("role_definition_id", "properties.roleDefinitionId", Same),
        ],
        blocks: &[],
    },
    TypeMap {
        terraform: "azurerm_management_lock",
        kind: Kind::Lock,
        arm_type: "Microsoft.Authorization/locks",
        link: Some((&["scope"], LinkTarget::Registry)),
        attributes: &[
            ("name", "name", Same),
            ("lock_level", "properties.level", Same),
        ],
        blocks: &[],
    },
    TypeMap {
        terraform: "azurerm_security_center_subscription_pricing",
        kind: Kind::DefenderPricing,
        arm_type: "Microsoft.Security/pricings",
        link: None,
        attributes: &[
            ("resource_type", "name", Same),
            ("tier", "properties.pricingTier", Same),
        ],
        blocks: &[],
    },
];

fn type_map(terraform_type: &str) -> Option<&'static TypeMap> {
    std::iter::once(&REGISTRY)
        .chain(RELATED)
        .find(|m| m.terraform == terraform_type)
}

/// Whether a Terraform resource type is one the rules know.
pub fn is_known_type(terraform_type: &str) -> bool {
    type_map(terraform_type).is_some()
}

struct Mapper<'a> {
    converter: &'a Converter<'a>,
}

impl Mapper<'_> {
    fn value(&self, body: &Body, attribute: &str, fallback: Span) -> Option<Node> {
        let attribute = body.get_attribute(attribute)?;
        let fallback = span_of(
            attribute.span(),
            self.converter.file,
            Some(fallback.start..fallback.end),
        );
        Some(self.converter.node(&attribute.value, fallback))
    }

    /// An object node holding `body`'s mapped attributes and blocks.
    fn object(&self, body: &Body, attributes: AttributeMap, blocks: &[BlockMap], at: Span) -> Node {
        let mut node = Node::object(at);
        for &(attribute, path, conversion) in attributes {
            if let Some(value) = self.value(body, attribute, at) {
                node.set_path(path, convert(value, conversion));
            }
        }
        for map in blocks {
            self.block(body, map, &mut node, at);
        }
        mark_dynamic_blocks_unknown(body, blocks, &mut node, self.converter.file);
        node
    }

    fn block(&self, body: &Body, map: &BlockMap, into: &mut Node, at: Span) {
        let mut items = Vec::new();
        for nested in body.get_blocks(map.name) {
            let span = span_of(nested.span(), self.converter.file, Some(at.start..at.end));
            items.push(self.object(&nested.body, map.attributes, map.blocks, span));
        }
        if map.repeated {
            let Some(first) = items.first() else {
                return;
            };
            let span = first.span;
            let mut list = match into.lookup(map.path) {
                crate::model::Lookup::Found(existing) => existing.clone(),
                _ => Node::new(Value::Array(Vec::new()), span),
            };
            if let Value::Array(existing) = &mut list.value {
                existing.extend(items);
            }
            into.set_path(map.path, list);
        } else if let Some(last) = items.pop() {
            into.set_path(map.path, last);
        }
    }
}

/// Maps a known azurerm `resource` (or `data`) block onto the ARM shape; `None` for other types.
/// `key` is the instance key (`[0]`, `["dev"]`) of a resource with `count` or `for_each`.
pub fn map_resource(
    block: &Block,
    data: bool,
    converter: &Converter<'_>,
    unit: &str,
    key: &str,
) -> Vec<Resource> {
    let mut resources = map_instance(block, data, converter, unit, key);
    if !key.is_empty() {
        // The instance is the variant: findings every instance shares are reported once.
        let [type_label, name_label] = block.labels.as_slice() else {
            return resources;
        };
        let prefix = if data { "data." } else { "" };
        let instance = format!(
            "{prefix}{}.{}{key}",
            type_label.as_str(),
            name_label.as_str()
        );
        for resource in &mut resources {
            resource.variant = Some(instance.clone());
        }
    }
    resources
}

fn map_instance(
    block: &Block,
    data: bool,
    converter: &Converter<'_>,
    unit: &str,
    key: &str,
) -> Vec<Resource> {
    let file = converter.file;
    let [type_label, name_label] = block.labels.as_slice() else {
        return Vec::new();
    };
    if type_label.as_str() == AZAPI_RESOURCE {
        let address = format!(
            "{}{AZAPI_RESOURCE}.{}{key}",
            if data { "data." } else { "" },
            name_label.as_str()
        );
        return map_azapi(block, address, data, converter, unit)
            .into_iter()
            .collect();
    }
    let Some(map) = type_map(type_label.as_str()) else {
        return Vec::new();
    };
    let block_span = span_of(block.span(), file, None);
    let decl = span_of(type_label.span(), file, block.span());
    let prefix = if data { "data." } else { "" };
    let address = format!("{prefix}{}.{}{key}", map.terraform, name_label.as_str());
    let mapper = Mapper { converter };
    let mut body = mapper.object(&block.body, map.attributes, map.blocks, block_span);
    if map.kind == Kind::Registry {
        mark_retention_enabled(&mut body);
        mark_encryption_enabled(&mut body);
    }
    let link = map
        .link
        .and_then(|(path, target)| link_of(&block.body, path, target, converter));
    let mut resources = Vec::new();
    if map.kind == Kind::Registry {
        resources.extend(replications(&block.body, &mapper, &address, decl, unit));
    }
    resources.push(Resource {
        kind: map.kind,
        arm_type: map.arm_type.to_string(),
        format: Format::Terraform,
        address,
        decl,
        body,
        existing: data,
        api_version: None,
        link,
        unit: unit.to_string(),
        variant: None,
    });
    resources
}

const AZAPI_RESOURCE: &str = "azapi_resource";

/// An `azapi_resource` whose `type` is one the rules know: its `body` is already ARM-shaped.
fn map_azapi(
    block: &Block,
    address: String,
    data: bool,
    converter: &Converter<'_>,
    unit: &str,
) -> Option<Resource> {
    let file = converter.file;
    let block_span = span_of(block.span(), file, None);
    let type_attribute = block.body.get_attribute("type")?;
    let decl = span_of(type_attribute.value.span(), file, block.span());
    let type_node = converter.node(&type_attribute.value, decl);
    let (arm_type, api_version) = type_node.as_str()?.split_once('@')?;
    let kind = Kind::of_arm_type(arm_type)?;
    let mapper = Mapper { converter };
    let mut body = match block.body.get_attribute("body") {
        Some(attribute) => {
            let expr = unwrap_jsonencode(&attribute.value);
            let at = span_of(expr.span(), file, attribute.span());
            converter.node(expr, at)
        }
        None => Node::object(block_span),
    };
    if !matches!(body.value, Value::Object(_) | Value::Unknown(_)) {
        body = Node::unknown("`body` is not an object", body.span);
    }
    if let Value::Object(_) = body.value {
        for (attribute, path) in [("name", "name"), ("location", "location")] {
            if let Some(node) = mapper.value(&block.body, attribute, block_span) {
                body.set_path(path, node);
            }
        }
        if let Some(identity) = block.body.get_blocks("identity").next() {
            let at = span_of(identity.span(), file, block.span());
            let identity = mapper.object(
                &identity.body,
                &[
                    ("type", "type", Same),
                    ("identity_ids", "identityIds", Same),
                ],
                &[],
                at,
            );
            body.set_path("identity", identity);
        }
    }
    let link = (kind != Kind::Registry)
        .then(|| link_of(&block.body, &["parent_id"], LinkTarget::Registry, converter))
        .flatten();
    Some(Resource {
        kind,
        arm_type: arm_type.to_string(),
        format: Format::Terraform,
        address,
        decl,
        body,
        existing: data,
        api_version: Some(api_version.to_string()),
        link,
        unit: unit.to_string(),
        variant: None,
    })
}

/// `jsonencode(x)` is `x` for the model.
fn unwrap_jsonencode(expr: &Expression) -> &Expression {
    match expr {
        Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
            call.args.iter().next().unwrap_or(expr)
        }
        other => other,
    }
}

const GEOREPLICATION: AttributeMap = &[
    ("location", "location", Same),
    (
        "zone_redundancy_enabled",
        "properties.zoneRedundancy",
        EnabledDisabled,
    ),
    (
        "regional_endpoint_enabled",
        "properties.regionEndpointEnabled",
        Same,
    ),
    (
        "global_endpoint_routing_enabled",
        "properties.regionEndpointEnabled",
        Same,
    ),
    ("tags", "tags", Same),
];

/// `georeplications` blocks become replication resources of the registry.
fn replications(
    body: &Body,
    mapper: &Mapper<'_>,
    registry: &str,
    decl: Span,
    unit: &str,
) -> Vec<Resource> {
    let mut found = Vec::new();
    for (index, block) in body.get_blocks("georeplications").enumerate() {
        let span = span_of(
            block.span(),
            mapper.converter.file,
            Some(decl.start..decl.end),
        );
        let location_span = block
            .body
            .get_attribute("location")
            .and_then(|a| a.value.span())
            .map_or(span, |r| Span::new(mapper.converter.file, r.start, r.end));
        found.push(Resource {
            kind: Kind::Replication,
            arm_type: "Microsoft.ContainerRegistry/registries/replications".into(),
            format: Format::Terraform,
            address: format!("{registry}.georeplications[{index}]"),
            decl: location_span,
            body: mapper.object(&block.body, GEOREPLICATION, &[], span),
            existing: false,
            api_version: None,
            link: Some(RegistryRef::Address(registry.to_string())),
            unit: unit.to_string(),
            variant: None,
        });
    }
    for dynamic in body.get_blocks("dynamic") {
        if dynamic
            .labels
            .first()
            .is_none_or(|l| l.as_str() != "georeplications")
        {
            continue;
        }
        let span = span_of(dynamic.span(), mapper.converter.file, None);
        if let Some(for_each) = mapper.value(&dynamic.body, "for_each", span)
            && matches!(&for_each.value, Value::Array(items) if items.is_empty())
                | matches!(&for_each.value, Value::Object(members) if members.is_empty())
        {
            continue;
        }
        found.push(Resource {
            kind: Kind::Replication,
            arm_type: "Microsoft.ContainerRegistry/registries/replications".into(),
            format: Format::Terraform,
            address: format!("{registry}.georeplications[*]"),
            decl: span,
            body: Node::unknown("`dynamic \"georeplications\"` block is not evaluated", span),
            existing: false,
            api_version: None,
            link: Some(RegistryRef::Address(registry.to_string())),
            unit: unit.to_string(),
            variant: None,
        });
    }
    found
}

/// The registry (or token) an attribute's reference expression names.
fn link_of(
    body: &Body,
    path: &[&str],
    target: LinkTarget,
    converter: &Converter<'_>,
) -> Option<RegistryRef> {
    let (attribute, blocks) = path.split_last()?;
    let mut body = body;
    for name in blocks {
        body = &body.get_blocks(name).next()?.body;
    }
    let attribute = body.get_attribute(attribute)?;
    let expr = &attribute.value;
    let Some(address) = referenced_address(expr, converter) else {
        return literal_link(converter, expr, target);
    };
    match target {
        LinkTarget::Registry if address.ends_with_type(REGISTRY_RESOURCE) => {
            Some(RegistryRef::Address(address.0))
        }
        LinkTarget::Token if address.ends_with_type("azurerm_container_registry_token") => {
            Some(RegistryRef::Token(address.0))
        }
        _ => None,
    }
}

/// A registry named by value: a name, or a resource id that names a registry.
fn literal_link(
    converter: &Converter<'_>,
    expr: &Expression,
    target: LinkTarget,
) -> Option<RegistryRef> {
    if !matches!(target, LinkTarget::Registry) {
        return None;
    }
    let span = span_of(expr.span(), converter.file, None);
    let node = converter.node(expr, span);
    let text = node.as_str()?.trim();
    if text.contains('/') {
        crate::arm::registry_in_id(text)
    } else {
        (!text.is_empty()).then(|| RegistryRef::Name(text.to_string()))
    }
}

/// A resource address such as `azurerm_container_registry.acr` or `data.azurerm_container_registry.x`.
struct Address(String);

impl Address {
    fn ends_with_type(&self, resource_type: &str) -> bool {
        let without_data = self.0.strip_prefix("data.").unwrap_or(&self.0);
        without_data.split('.').next() == Some(resource_type)
    }
}

/// The resource a reference expression points into: `TYPE.NAME.attr` gives `TYPE.NAME`, and
/// `TYPE.NAME[KEY].attr` gives `TYPE.NAME[KEY]` when the key is known.
fn referenced_address(expr: &Expression, converter: &Converter<'_>) -> Option<Address> {
    let expr = match expr {
        Expression::Parenthesis(inner) => inner.inner(),
        other => other,
    };
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let root = root.as_str();
    let data = root == "data";
    if !data && !root.starts_with("azurerm_") && root != AZAPI_RESOURCE {
        return None;
    }
    let mut operators = traversal.operators.iter().map(|op| op.value());
    let mut address = String::from(root);
    for _ in 0..if data { 2 } else { 1 } {
        let Some(TraversalOperator::GetAttr(ident)) = operators.next() else {
            return None;
        };
        address.push('.');
        address.push_str(ident.as_str());
    }
    let key = match operators.next() {
        Some(TraversalOperator::LegacyIndex(index)) => {
            Some(super::eval::TfValue::Number(*index.value() as f64))
        }
        Some(TraversalOperator::Index(index)) => converter.values.map(|v| v.evaluate(index)),
        _ => None,
    };
    if let Some(key) = key.as_ref().and_then(super::module::instance_key) {
        address.push_str(&key);
    }
    Some(Address(address))
}

/// `retention_policy_in_days` both enables retention and sets its length (azurerm v4).
fn mark_retention_enabled(body: &mut Node) {
    let policy = ["properties", "policies", "retentionPolicy"]
        .iter()
        .try_fold(&*body, |node, key| node.get(key));
    let Some(days) = policy
        .filter(|p| p.get("status").is_none())
        .and_then(|p| p.get("days"))
    else {
        return;
    };
    let status = match &days.value {
        Value::Unknown(reason) => Value::Unknown(reason.clone()),
        Value::Number(n) if *n <= 0.0 => Value::String("disabled".into()),
        _ => Value::String("enabled".into()),
    };
    let status = Node::new(status, days.span);
    body.set_path("properties.policies.retentionPolicy.status", status);
}

/// An `encryption` block with a key enables customer-managed keys unless `enabled = false` (v3).
fn mark_encryption_enabled(body: &mut Node) {
    let crate::model::Lookup::Found(encryption) = body.lookup("properties.encryption") else {
        return;
    };
    if encryption.get("status").is_some() {
        return;
    }
    let status = Node::new(Value::String("enabled".into()), encryption.span);
    body.set_path("properties.encryption.status", status);
}

/// A `dynamic "x"` block makes whatever `x` maps to unknown.
fn mark_dynamic_blocks_unknown(body: &Body, blocks: &[BlockMap], node: &mut Node, file: FileId) {
    for dynamic in body.get_blocks("dynamic") {
        let Some(label) = dynamic.labels.first() else {
            continue;
        };
        let Some(map) = blocks.iter().find(|m| m.name == label.as_str()) else {
            continue;
        };
        let span = span_of(dynamic.span(), file, None);
        let reason = format!("`dynamic \"{}\"` block is not evaluated", label.as_str());
        node.set_path(map.path, Node::unknown(reason, span));
    }
}

fn convert(node: Node, conversion: Conversion) -> Node {
    let (on, off) = match conversion {
        Same => return node,
        EnabledDisabled => ("Enabled", "Disabled"),
        PolicyStatus => ("enabled", "disabled"),
    };
    match node.as_bool() {
        Some(b) => Node {
            value: Value::String(if b { on } else { off }.to_string()),
            ..node
        },
        None => node,
    }
}
