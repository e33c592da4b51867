//! The attribute tables of the resources around a registry: its children (webhooks, replications,
//! scope maps, tokens, tasks, ...) and the resources that name it (role assignments, private
//! endpoints, diagnostic settings, ...).

use crate::model::Kind;

use super::tables::Conversion::{EnabledDisabled, Same};
use super::tables::{BlockMap, LinkTarget, TypeMap, repeated, single};

pub(super) const RELATED: &[TypeMap] = &[
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
