//! Where registry resources carry secrets.

use crate::model::{Kind, Lookup, Node, Resource, Value};

/// Header names whose values are credentials.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "token",
    "key",
    "secret",
    "password",
    "cookie",
    "signature",
];

/// A value in a secret position: the node and what it is.
pub struct SecretValue<'a> {
    pub node: &'a Node,
    pub what: String,
    pub property: &'static str,
    /// Whether any literal here is a secret; a webhook URL is one only when it carries credentials.
    pub always_secret: bool,
}

impl SecretValue<'_> {
    /// Whether a literal written here is a secret.
    pub fn is_secret_literal(&self, text: &str) -> bool {
        self.always_secret || url_carries_credentials(text)
    }
}

/// `user:password@` or a query parameter such as `code`, `sig`, `token`, `key`.
pub fn url_carries_credentials(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let after_scheme = lower
        .split_once("://")
        .map_or(lower.as_str(), |(_, rest)| rest);
    let authority = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') && authority.split('@').next().is_some_and(|u| u.contains(':')) {
        return true;
    }
    let Some((_, query)) = lower.split_once('?') else {
        return false;
    };
    query.split('&').any(|pair| {
        let name = pair.split('=').next().unwrap_or("");
        [
            "code",
            "sig",
            "token",
            "key",
            "secret",
            "password",
            "apikey",
            "api-key",
            "access_token",
        ]
        .contains(&name)
    })
}

/// The secret-bearing values of a resource.
pub fn secret_values(resource: &Resource) -> Vec<SecretValue<'_>> {
    let mut found = Vec::new();
    match resource.kind {
        Kind::Webhook => webhook_headers(resource, &mut found),
        Kind::Task => {
            for password in
                super::acr208_plaintext_task_credential::custom_registry_passwords(resource)
            {
                let in_vault = password
                    .get("type")
                    .and_then(Node::as_str)
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("Vaultsecret"));
                if in_vault {
                    continue;
                }
                if let Some(value) = password.get("value") {
                    found.push(SecretValue {
                        node: value,
                        what: "task registry password".into(),
                        property: "properties.credentials.customRegistries.password.value",
                        always_secret: true,
                    });
                }
            }
            if let Some(token) = node_at(resource, "properties.step.contextAccessToken") {
                found.push(SecretValue {
                    node: token,
                    what: "task context access token".into(),
                    property: "properties.step.contextAccessToken",
                    always_secret: true,
                });
            }
        }
        Kind::Token => {
            if let Lookup::Found(Node {
                value: Value::Array(passwords),
                ..
            }) = resource.lookup("properties.credentials.passwords")
            {
                for value in passwords.iter().filter_map(|p| p.get("value")) {
                    found.push(SecretValue {
                        node: value,
                        what: "token password".into(),
                        property: "properties.credentials.passwords.value",
                        always_secret: true,
                    });
                }
            }
        }
        _ => {}
    }
    found
}

/// The node at `path`, known or not.
fn node_at<'a>(resource: &'a Resource, path: &str) -> Option<&'a Node> {
    match resource.lookup(path) {
        Lookup::Found(node) => Some(node),
        Lookup::Unknown(node) if node.via.is_some() => Some(node),
        _ => None,
    }
}

fn webhook_headers<'a>(webhook: &'a Resource, found: &mut Vec<SecretValue<'a>>) {
    if let Some(uri) = node_at(webhook, "properties.serviceUri") {
        found.push(SecretValue {
            node: uri,
            what: "webhook service URI".into(),
            property: "properties.serviceUri",
            always_secret: false,
        });
    }
    let Lookup::Found(Node {
        value: Value::Object(headers),
        ..
    }) = webhook.lookup("properties.customHeaders")
    else {
        return;
    };
    for (name, value) in headers {
        let lower = name.to_ascii_lowercase();
        if SECRET_HEADERS.iter().any(|s| lower.contains(s)) {
            found.push(SecretValue {
                node: value,
                what: format!("webhook header `{name}`"),
                property: "properties.customHeaders",
                always_secret: true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::url_carries_credentials;

    #[test]
    fn credentials_in_urls() {
        assert!(url_carries_credentials(
            "https://f.azurewebsites.net/api/x?code=abc"
        ));
        assert!(url_carries_credentials(
            "https://user:pw@hooks.example.com/x"
        ));
        assert!(!url_carries_credentials(
            "https://hooks.example.com/x?tenant=a"
        ));
        assert!(!url_carries_credentials("https://user@hooks.example.com/x"));
    }
}
