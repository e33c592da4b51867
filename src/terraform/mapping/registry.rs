//! The attribute table of the registry itself, `azurerm_container_registry`.

use crate::model::Kind;

use super::REGISTRY_RESOURCE;
use super::tables::Conversion::{EnabledDisabled, PolicyStatus, Same};
use super::tables::{AttributeMap, BlockMap, TypeMap, repeated, single};

pub(super) const REGISTRY: TypeMap = TypeMap {
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
        IDENTITY,
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

/// The `identity` block of the registry and of an `azapi_resource`.
pub(super) const IDENTITY: BlockMap = BlockMap {
    name: "identity",
    path: "identity",
    repeated: false,
    attributes: &[
        ("type", "type", Same),
        ("identity_ids", "identityIds", Same),
    ],
    blocks: &[],
};

/// One item of the registry's `georeplications` blocks, mapped onto a replication child.
pub(super) const GEOREPLICATION: AttributeMap = &[
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
