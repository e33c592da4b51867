//! Built-in role names and their definition GUIDs.

pub const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
pub const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";
pub const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
pub const USER_ACCESS_ADMINISTRATOR: &str = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
pub const RBAC_ADMINISTRATOR: &str = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";

const ROLES: &[(&str, &str)] = &[
    ("Owner", OWNER),
    ("Contributor", CONTRIBUTOR),
    ("Reader", READER),
    ("User Access Administrator", USER_ACCESS_ADMINISTRATOR),
    (
        "Role Based Access Control Administrator",
        RBAC_ADMINISTRATOR,
    ),
];

/// The role GUID a role assignment uses, from a role name, a bare GUID or a full definition id.
pub fn role_guid(name_or_id: &str) -> Option<&'static str> {
    let text = name_or_id.trim();
    if let Some((_, guid)) = ROLES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(text))
    {
        return Some(guid);
    }
    let last = text
        .rsplit('/')
        .next()
        .unwrap_or(text)
        .trim_end_matches(['\'', ')', ']']);
    ROLES
        .iter()
        .map(|(_, guid)| *guid)
        .find(|guid| guid.eq_ignore_ascii_case(last))
}

/// The display name of a role GUID.
pub fn role_name(guid: &str) -> &'static str {
    ROLES
        .iter()
        .find(|(_, g)| *g == guid)
        .map_or("role", |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_name_guid_or_id() {
        assert_eq!(role_guid("owner"), Some(OWNER));
        assert_eq!(role_guid(CONTRIBUTOR), Some(CONTRIBUTOR));
        let id =
            format!("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{READER}");
        assert_eq!(role_guid(&id), Some(READER));
        assert_eq!(role_guid("AcrPull"), None);
    }
}
