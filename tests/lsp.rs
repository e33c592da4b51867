//! The language server as an editor runs it: `acr-lint lsp` spoken to in JSON-RPC with
//! Content-Length framing over the process's standard input and output.

mod common;
#[path = "../benches/support/lsp_wire.rs"]
mod lsp_wire;

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use lsp_wire::file_uri;

const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    responses: HashMap<i64, Value>,
    published: HashMap<String, VecDeque<Vec<Value>>>,
    /// Requests the server sent to the client.
    server_requests: Vec<Value>,
    /// Errors answering messages that could not be read (their id is null).
    unread: Vec<Value>,
}

impl Client {
    fn start(dir: &Path) -> Client {
        Client::start_with_home(dir, None)
    }

    /// Starts the server in `dir`, with `home` as its home directory when given.
    fn start_with_home(dir: &Path, home: Option<&Path>) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_acr-lint"));
        if let Some(home) = home {
            command.env("HOME", home);
        }
        command.arg("lsp").current_dir(dir);
        let (child, stdin, incoming) = lsp_wire::spawn(command);
        Client {
            child,
            stdin,
            incoming,
            next_id: 1,
            responses: HashMap::new(),
            published: HashMap::new(),
            server_requests: Vec::new(),
            unread: Vec::new(),
        }
    }

    /// Starts the server and completes the `initialize` handshake.
    fn initialized(dir: &Path) -> Client {
        Client::initialized_with_home(dir, None)
    }

    fn initialized_with_home(dir: &Path, home: Option<&Path>) -> Client {
        let mut client = Client::start_with_home(dir, home);
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        assert_eq!(result["serverInfo"]["name"], "acr-lint");
        assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 1);
        assert_eq!(
            result["capabilities"]["codeActionProvider"]["codeActionKinds"],
            json!(["quickfix"])
        );
        client.notify("initialized", json!({}));
        client
    }

    fn write_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write header");
        self.stdin.write_all(body).expect("write body");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, message: Value) {
        self.write_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its response (result or error).
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            if let Some(response) = self.responses.remove(&id) {
                return response;
            }
            self.receive();
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// Waits for the next message and files it: responses by id, diagnostics by document.
    fn receive(&mut self) {
        let message = self
            .incoming
            .recv_timeout(TIMEOUT)
            .expect("the server answers in time");
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap_or_default();
            let diagnostics = message["params"]["diagnostics"].as_array().cloned();
            self.published
                .entry(uri.to_string())
                .or_default()
                .push_back(diagnostics.unwrap_or_default());
        } else if message.get("method").is_some() && message.get("id").is_some() {
            self.server_requests.push(message);
        } else if let Some(id) = message["id"].as_i64() {
            self.responses.insert(id, message);
        } else if message["id"].is_null() && message.get("error").is_some() {
            self.unread.push(message);
        }
    }

    /// The next diagnostics published for `uri` that satisfy `wanted`; earlier ones are
    /// superseded and dropped.
    fn diagnostics(&mut self, uri: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        loop {
            while let Some(diagnostics) = self.published.get_mut(uri).and_then(VecDeque::pop_front)
            {
                if wanted(&diagnostics) {
                    return diagnostics;
                }
            }
            self.receive();
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// The code actions offered for one diagnostic (others may share its range).
    /// The edit of the one quick fix offered for `diagnostic`, checked to insert `text` at `at`.
    fn only_insertion(
        &mut self,
        uri: &str,
        diagnostic: &Value,
        at: (u32, u32),
        text: &str,
    ) -> Value {
        let actions = self.code_actions(uri, diagnostic);
        assert_eq!(actions.len(), 1, "{actions:?}");
        let edit = only_edit(&actions[0], uri).clone();
        assert_eq!(edit["range"], range(at, at));
        assert_eq!(edit["newText"], text);
        edit
    }

    fn code_actions(&mut self, uri: &str, diagnostic: &Value) -> Vec<Value> {
        let result = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": diagnostic["range"],
                "context": {"diagnostics": [diagnostic]}
            }),
        );
        let actions = result.as_array().cloned().unwrap_or_default();
        actions
            .into_iter()
            .filter(|a| a["diagnostics"][0]["code"] == diagnostic["code"])
            .collect()
    }

    /// `shutdown`, then `exit`; the server's exit status.
    fn stop(mut self) -> ExitStatus {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server exits in time");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Applies one LSP text edit (positions in UTF-16 code units) to `text`.
fn apply(text: &str, edit: &Value) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().expect("line") as usize;
        let character = position["character"].as_u64().expect("character") as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (index, c) in text[line_start..].char_indices() {
            if units == character {
                return line_start + index;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let start = offset(&edit["range"]["start"]);
    let end = offset(&edit["range"]["end"]);
    let new_text = edit["newText"].as_str().expect("newText");
    format!("{}{new_text}{}", &text[..start], &text[end..])
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": {"line": start.0, "character": start.1},
        "end": {"line": end.0, "character": end.1}
    })
}

fn with_rule<'a>(diagnostics: &'a [Value], rule: &str) -> Option<&'a Value> {
    diagnostics.iter().find(|d| d["code"] == rule)
}

fn has_rule(diagnostics: &[Value], rule: &str) -> bool {
    with_rule(diagnostics, rule).is_some()
}

/// The one text edit of a quick fix, in the document `uri`.
fn only_edit<'a>(action: &'a Value, uri: &str) -> &'a Value {
    let changes = action["edit"]["changes"].as_object().expect("changes");
    assert_eq!(changes.len(), 1, "{action}");
    let edits = changes[uri].as_array().expect("edits for the document");
    assert_eq!(edits.len(), 1, "{action}");
    &edits[0]
}

// The admin user is enabled on line 5 (0-based); `true` comes after a comment holding an
// emoji, two UTF-16 code units (four bytes, one character), so only a UTF-16 column is 33.
const REGISTRY_TF: &str = r#"resource "azurerm_container_registry" "acr" {
  name                = "acrexample001"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = /* 😀 */ true
}
"#;

#[test]
fn terraform_diagnostic_range_quick_fix_and_no_duplicate() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let module = dir.path().join("my infra");
    std::fs::create_dir(&module).expect("module directory");
    let path = module.join("main.tf");
    // On disk the admin user is off: the diagnostic can only come from the unsaved text.
    std::fs::write(&path, REGISTRY_TF.replace("true", "false")).expect("main.tf");
    let uri = file_uri(&path);
    assert!(uri.contains("my%20infra"));

    let mut client = Client::initialized(dir.path());
    client.open(&uri, "terraform", REGISTRY_TF);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001").clone();
    assert_eq!(admin["range"], range((5, 33), (5, 37)), "{admin}");
    assert_eq!(admin["severity"], 1);
    assert_eq!(admin["source"], "acr-lint");
    assert_eq!(
        admin["codeDescription"]["href"],
        "https://github.com/acr-lint/acr-lint/blob/main/rules/ACR001.md"
    );
    let message = admin["message"].as_str().expect("message");
    assert!(
        message.starts_with("registry `azurerm_container_registry.acr` enables the admin user")
    );
    assert!(
        message.contains("\nhelp: set `admin_enabled = false`"),
        "{message}"
    );
    let identity = with_rule(&diagnostics, "ACR003").expect("ACR003");
    assert_eq!(identity["severity"], 2);
    assert_eq!(identity["range"], range((0, 9), (0, 37)));

    let actions = client.code_actions(&uri, &admin);
    assert_eq!(actions.len(), 1, "{actions:?}");
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "ACR001");
    assert!(fix["title"].as_str().expect("title").contains("ACR001"));
    let edit = only_edit(fix, &uri);
    assert_eq!(edit["range"], range((0, 0), (0, 0)));
    assert_eq!(
        edit["newText"],
        "# acr-lint:ignore ACR001 reason=\"TODO: why\"\n"
    );

    let fixed = apply(REGISTRY_TF, edit);
    assert!(fixed.starts_with("# acr-lint:ignore ACR001 reason=\"TODO: why\"\nresource "));
    client.change(&uri, 2, &fixed);
    // The suppression holds; the next rule's fix joins the existing comment.
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR003"));
    assert!(!has_rule(&diagnostics, "ACR001"), "{diagnostics:?}");
    let identity = with_rule(&diagnostics, "ACR003").expect("ACR003").clone();
    let edit = client.only_insertion(&uri, &identity, (0, 24), ",ACR003");
    assert!(
        apply(&fixed, &edit).starts_with("# acr-lint:ignore ACR001,ACR003 reason=\"TODO: why\"\n")
    );

    // An expired suppression no longer holds, and its fix is not offered a second time.
    let expired = fixed.replace("\"TODO: why\"", "\"until the migration\" until=2000-01-31");
    client.change(&uri, 3, &expired);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001").clone();
    assert_eq!(admin["range"], range((6, 33), (6, 37)));
    let actions = client.code_actions(&uri, &admin);
    assert!(actions.is_empty(), "{actions:?}");

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    client.diagnostics(&uri, <[Value]>::is_empty);
    assert!(client.stop().success());
}

const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "acrexample001",
      "location": "westeurope",
      "sku": { "name": "Premium" },
      "properties": { /* é😀 */ "adminUserEnabled": true }
    }
  ]
}
"#;

/// A JSON document open as `name` in a new directory, never saved (it exists only in the
/// editor), and the diagnostics published for it once its ACR001 is among them.
fn opened_unsaved(name: &str, text: &str) -> (tempfile::TempDir, String, Client, Vec<Value>) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let uri = file_uri(&dir.path().join(name));
    let mut client = Client::initialized(dir.path());
    client.open(&uri, "json", text);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR001"));
    (dir, uri, client, diagnostics)
}

#[test]
fn arm_diagnostic_ranges_and_metadata_quick_fix() {
    let (_dir, uri, mut client, diagnostics) = opened_unsaved("azuredeploy.json", TEMPLATE);
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001").clone();
    // `      "properties": { /* ` is 25 units, é one, 😀 two, ` */ "adminUserEnabled": ` 24.
    assert_eq!(admin["range"], range((10, 52), (10, 56)), "{admin}");
    assert_eq!(admin["severity"], 1);
    let identity = with_rule(&diagnostics, "ACR003").expect("ACR003");
    assert_eq!(identity["range"], range((5, 14), (5, 54)));

    let metadata = ",\n      \"metadata\": {\"acr-lint\": {\"ignore\": [{\"id\": \"ACR001\", \"reason\": \"TODO: why\"}]}}";
    let edit = client.only_insertion(&uri, &admin, (10, 58), metadata);
    let fixed = apply(TEMPLATE, &edit);
    let parsed: Value = serde_json::from_str(&fixed.replace("/* é😀 */", "")).expect("valid JSON");
    assert_eq!(
        parsed["resources"][0]["metadata"]["acr-lint"]["ignore"],
        json!([{"id": "ACR001", "reason": "TODO: why"}])
    );

    client.change(&uri, 2, &fixed);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR003"));
    assert!(!has_rule(&diagnostics, "ACR001"), "{diagnostics:?}");
    let identity = with_rule(&diagnostics, "ACR003").expect("ACR003").clone();
    let actions = client.code_actions(&uri, &identity);
    let edit = only_edit(&actions[0], &uri);
    assert_eq!(edit["range"], range((11, 82), (11, 82)));
    assert_eq!(
        edit["newText"],
        ", {\"id\": \"ACR003\", \"reason\": \"TODO: why\"}"
    );
    assert!(client.stop().success());
}

const TERRAFORM_JSON: &str = r#"{
  "resource": {
    "azurerm_container_registry": {
      "acr": {
        "name": "contosoregistry",
        "resource_group_name": "rg",
        "location": "westeurope",
        "sku": "Premium",
        "admin_enabled": true
      }
    }
  }
}
"#;

/// In Terraform's JSON syntax the quick fix writes the suppression in the resource's comment
/// property (`"//"`): added when there is none, the next rule added to its directive, which
/// then suppresses both.
#[test]
fn terraform_json_quick_fix_writes_the_comment_property() {
    let (_dir, uri, mut client, diagnostics) = opened_unsaved("main.tf.json", TERRAFORM_JSON);
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001").clone();
    assert_eq!(admin["range"], range((8, 25), (8, 29)), "{admin}");
    let comment = ",\n        \"//\": \"acr-lint:ignore ACR001 reason=\\\"TODO: why\\\"\"";
    let edit = client.only_insertion(&uri, &admin, (8, 29), comment);
    let fixed = apply(TERRAFORM_JSON, &edit);
    let parsed: Value = serde_json::from_str(&fixed).expect("valid JSON");
    assert_eq!(
        parsed["resource"]["azurerm_container_registry"]["acr"]["//"],
        "acr-lint:ignore ACR001 reason=\"TODO: why\""
    );

    client.change(&uri, 2, &fixed);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR003"));
    assert!(!has_rule(&diagnostics, "ACR001"), "{diagnostics:?}");
    let identity = with_rule(&diagnostics, "ACR003").expect("ACR003").clone();
    let edit = client.only_insertion(&uri, &identity, (9, 37), ",ACR003");
    let fixed = apply(&fixed, &edit);
    client.change(&uri, 3, &fixed);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR101"));
    assert!(!has_rule(&diagnostics, "ACR003"), "{diagnostics:?}");
    assert!(client.stop().success());
}

const BICEP: &str = "resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: true
  }
}
";

#[test]
fn bicep_diagnostic_ranges_and_comment_quick_fix() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("main.bicep");
    let uri = file_uri(&path);

    let mut client = Client::initialized(dir.path());
    client.open(&uri, "bicep", BICEP);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001").clone();
    assert_eq!(admin["range"], range((7, 22), (7, 26)), "{admin}");
    let message = admin["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("\nhelp: set `adminUserEnabled: false`"),
        "the fix is in Bicep syntax: {message}"
    );

    let comment = "// acr-lint:ignore ACR001 reason=\"TODO: why\"\n";
    let edit = client.only_insertion(&uri, &admin, (0, 0), comment);
    let fixed = apply(BICEP, &edit);
    client.change(&uri, 2, &fixed);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR003"));
    assert!(!has_rule(&diagnostics, "ACR001"), "{diagnostics:?}");
    assert!(client.stop().success());
}

/// A finding on a registry that a restored registry module declares is suppressed where the
/// Bicep text sets its value, never in the restore cache.
#[test]
fn bicep_quick_fix_for_a_cached_registry_module_edits_the_bicep_file() {
    let home = tempfile::tempdir().expect("temporary directory");
    let cached = home.path().join(common::CACHED_MODULE_PATH);
    std::fs::create_dir_all(cached.parent().expect("a parent")).expect("directories");
    std::fs::write(&cached, common::CACHED_MODULE).expect("cached module");
    let dir = tempfile::tempdir().expect("temporary directory");
    let uri = file_uri(&dir.path().join("main.bicep"));

    let mut client = Client::initialized_with_home(dir.path(), Some(home.path()));
    client.open(&uri, "bicep", common::REGISTRY_MODULE_CALL);
    let diagnostics = client.diagnostics(&uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001").clone();
    assert_eq!(admin["range"], range((4, 25), (4, 29)), "{admin}");
    let comment = "    // acr-lint:ignore ACR001 reason=\"TODO: why\"\n";
    let edit = client.only_insertion(&uri, &admin, (4, 0), comment);
    let fixed = apply(common::REGISTRY_MODULE_CALL, &edit);
    client.change(&uri, 2, &fixed);
    let diagnostics = client.diagnostics(&uri, |d| !has_rule(d, "ACR001"));
    assert!(!has_rule(&diagnostics, "ACR001"), "{diagnostics:?}");
    assert!(client.stop().success());
}

#[test]
fn unsaved_text_of_other_documents_in_the_module_is_used() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let main = dir.path().join("main.tf");
    let variables = dir.path().join("variables.tf");
    let registry = REGISTRY_TF.replace("/* 😀 */ true", "var.admin");
    std::fs::write(&main, &registry).expect("main.tf");
    let off = "variable \"admin\" {\n  default = false\n}\n";
    std::fs::write(&variables, off).expect("variables.tf");
    let (main_uri, variables_uri) = (file_uri(&main), file_uri(&variables));

    let mut client = Client::initialized(dir.path());
    client.open(&main_uri, "terraform", &registry);
    client.diagnostics(&main_uri, |d| {
        has_rule(d, "ACR003") && !has_rule(d, "ACR001")
    });

    // The default turned on in the editor, unsaved: main.tf is checked again with it.
    client.open(&variables_uri, "terraform", &off.replace("false", "true"));
    let diagnostics = client.diagnostics(&main_uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001");
    // Shown where main.tf uses the variable, with the default as related information.
    assert_eq!(admin["range"], range((5, 24), (5, 33)), "{admin}");
    let related = &admin["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], variables_uri.as_str());
    assert_eq!(related["location"]["range"], range((1, 12), (1, 16)));
    // Its quick fix still goes above the resource, in main.tf.
    let actions = client.code_actions(&main_uri, admin);
    let edit = only_edit(&actions[0], &main_uri);
    assert_eq!(edit["range"], range((0, 0), (0, 0)));
    let diagnostics = client.diagnostics(&variables_uri, |d| has_rule(d, "ACR001"));
    let at_default = with_rule(&diagnostics, "ACR001").expect("ACR001 at the default");
    assert_eq!(at_default["range"], range((1, 12), (1, 16)));

    // Closed without saving: the disk says false again.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": variables_uri}}),
    );
    client.diagnostics(&main_uri, |d| {
        has_rule(d, "ACR003") && !has_rule(d, "ACR001")
    });
    assert!(client.stop().success());
}

#[test]
fn a_value_set_in_a_tfvars_member_is_shown_there_and_where_the_module_uses_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let main = dir.path().join("main.tf");
    let tfvars = dir.path().join("terraform.tfvars");
    let registry = REGISTRY_TF.replace("/* 😀 */ true", "var.settings.admin");
    let registry = format!("variable \"settings\" {{}}\n{registry}");
    std::fs::write(&main, &registry).expect("main.tf");
    let settings = "settings = {\n  admin = true\n}\n";
    std::fs::write(&tfvars, settings).expect("terraform.tfvars");
    let (main_uri, tfvars_uri) = (file_uri(&main), file_uri(&tfvars));

    let mut client = Client::initialized(dir.path());
    client.open(&main_uri, "terraform", &registry);
    let diagnostics = client.diagnostics(&main_uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001");
    assert_eq!(admin["range"], range((6, 24), (6, 42)), "{admin}");
    let related = &admin["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], tfvars_uri.as_str());
    assert_eq!(related["location"]["range"], range((1, 10), (1, 14)));

    client.open(&tfvars_uri, "terraform", settings);
    let diagnostics = client.diagnostics(&tfvars_uri, |d| has_rule(d, "ACR001"));
    let at_member = with_rule(&diagnostics, "ACR001").expect("ACR001 in the tfvars");
    assert_eq!(at_member["range"], range((1, 10), (1, 14)));
    assert!(client.stop().success());
}

/// A YAML file a module reads with `yamldecode(file(...))`: its diagnostics are its own and
/// follow its unsaved text, and the module's documents read that text too.
#[test]
fn a_yaml_file_a_module_reads_is_checked_as_it_is_edited() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let main = dir.path().join("main.tf");
    let config = dir.path().join("config.yaml");
    let registry = REGISTRY_TF.replace("/* 😀 */ true", "local.config.admin");
    let registry = format!(
        "locals {{\n  config = yamldecode(file(\"${{path.module}}/config.yaml\"))\n}}\n{registry}"
    );
    std::fs::write(&main, &registry).expect("main.tf");
    std::fs::write(&config, "admin: true\n").expect("config.yaml");
    let (main_uri, config_uri) = (file_uri(&main), file_uri(&config));

    let mut client = Client::initialized(dir.path());
    client.open(&config_uri, "yaml", "admin: true\n");
    let diagnostics = client.diagnostics(&config_uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001 in the YAML file");
    assert_eq!(admin["range"], range((0, 7), (0, 11)), "{admin}");

    // Turned off in the editor, unsaved: the YAML file and the module read the buffer.
    client.change(&config_uri, 2, "admin: false\n");
    client.diagnostics(&config_uri, |d| !has_rule(d, "ACR001"));
    client.open(&main_uri, "terraform", &registry);
    client.diagnostics(&main_uri, |d| {
        has_rule(d, "ACR003") && !has_rule(d, "ACR001")
    });

    // On again: the module's document, which read the YAML file, is checked again too.
    client.change(&config_uri, 3, "\nadmin: true\n");
    let diagnostics = client.diagnostics(&config_uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001 in the YAML file");
    assert_eq!(admin["range"], range((1, 7), (1, 11)), "{admin}");
    client.diagnostics(&main_uri, |d| has_rule(d, "ACR001"));
    assert!(client.stop().success());
}

/// A JSON file a Bicep file loads with `loadJsonContent()`: its unsaved text is what the Bicep
/// file reads, and a finding in it is shown there.
#[test]
fn a_json_file_a_bicep_file_loads_is_checked_as_it_is_edited() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let template = dir.path().join("main.bicep");
    let settings = dir.path().join("settings.json");
    let bicep = "var admin = loadJsonContent('settings.json').admin\n\nresource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  name: 'acrexample001'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: { adminUserEnabled: admin }\n}\n";
    std::fs::write(&template, bicep).expect("main.bicep");
    std::fs::write(&settings, "{\"admin\": false}\n").expect("settings.json");
    let settings_uri = file_uri(&settings);

    let mut client = Client::initialized(dir.path());
    client.open(&settings_uri, "json", "{\n  \"admin\": true\n}\n");
    let diagnostics = client.diagnostics(&settings_uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001 in the loaded file");
    assert_eq!(admin["range"], range((1, 11), (1, 15)), "{admin}");
    client.change(&settings_uri, 2, "{\n  \"admin\": false\n}\n");
    client.diagnostics(&settings_uri, |d| !has_rule(d, "ACR001"));
    assert!(client.stop().success());
}

/// A template's parameters files kept in the `parameters` directory beside it: the unsaved text
/// of one is read when the template is checked, and its diagnostics are its own.
#[test]
fn unsaved_text_of_a_parameters_file_in_the_parameters_directory_is_used() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir(dir.path().join("parameters")).expect("parameters directory");
    let template = dir.path().join("hub.bicep");
    let parameters = dir.path().join("parameters/hub.parameters.all.json");
    let bicep = "param admin bool = false\n\nresource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  name: 'acrexample001'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: { adminUserEnabled: admin }\n}\n";
    std::fs::write(&template, bicep).expect("hub.bicep");
    let off = "{\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": { \"admin\": { \"value\": false } }\n}\n";
    std::fs::write(&parameters, off).expect("parameters file");
    let (template_uri, parameters_uri) = (file_uri(&template), file_uri(&parameters));

    let mut client = Client::initialized(dir.path());
    client.open(&template_uri, "bicep", bicep);
    client.diagnostics(&template_uri, |d| {
        has_rule(d, "ACR003") && !has_rule(d, "ACR001")
    });
    client.open(&parameters_uri, "json", &off.replace("false", "true"));
    let diagnostics = client.diagnostics(&parameters_uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001 in the parameters file");
    assert_eq!(admin["range"], range((2, 38), (2, 42)), "{admin}");
    // The template is checked again with the unsaved value: shown at its use there.
    let diagnostics = client.diagnostics(&template_uri, |d| has_rule(d, "ACR001"));
    let related = &with_rule(&diagnostics, "ACR001").expect("ACR001")["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        parameters_uri.as_str(),
        "{diagnostics:?}"
    );
    assert!(client.stop().success());
}

/// A parameters file in a directory of its own that names its template in `metadata.template`:
/// its unsaved text is checked with that template, and its diagnostics are its own.
#[test]
fn a_parameters_file_is_checked_with_the_template_its_metadata_names() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for directory in [".git", "infra", "deploy"] {
        std::fs::create_dir(dir.path().join(directory)).expect("directory");
    }
    let bicep = "param admin bool = false\n\nresource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  name: 'acrexample001'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: { adminUserEnabled: admin }\n}\n";
    std::fs::write(dir.path().join("infra/registry.bicep"), bicep).expect("registry.bicep");
    let parameters = dir.path().join("deploy/prod.parameters.json");
    let off = "{\n  \"contentVersion\": \"1.0.0.0\",\n  \"metadata\": { \"template\": \"infra/registry.bicep\" },\n  \"parameters\": { \"admin\": { \"value\": false } }\n}\n";
    std::fs::write(&parameters, off).expect("parameters file");
    let parameters_uri = file_uri(&parameters);

    let mut client = Client::initialized(dir.path());
    client.open(&parameters_uri, "json", &off.replace("false", "true"));
    let diagnostics = client.diagnostics(&parameters_uri, |d| has_rule(d, "ACR001"));
    let admin = with_rule(&diagnostics, "ACR001").expect("ACR001 in the parameters file");
    assert_eq!(admin["range"], range((3, 38), (3, 42)), "{admin}");
    client.change(&parameters_uri, 2, off);
    client.diagnostics(&parameters_uri, |d| !has_rule(d, "ACR001"));

    // The template, checked with the parameters files that name it; one added on disk later is
    // found once the server is told files changed.
    let template_uri = file_uri(&dir.path().join("infra/registry.bicep"));
    client.open(&template_uri, "bicep", bicep);
    client.diagnostics(&template_uri, |d| {
        has_rule(d, "ACR003") && !has_rule(d, "ACR001")
    });
    let added = dir.path().join("deploy/test.parameters.json");
    std::fs::write(&added, off.replace("false", "true")).expect("another parameters file");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&added), "type": 1}]}),
    );
    client.change(&template_uri, 2, bicep);
    client.diagnostics(&template_uri, |d| has_rule(d, "ACR001"));
    assert!(client.stop().success());
}

#[test]
fn protocol_errors_are_answered_and_survived() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut client = Client::start(dir.path());
    let early = client.call("textDocument/codeAction", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    client.request("initialize", json!({"capabilities": {}}));
    client.notify("initialized", json!({}));
    client.write_raw(b"{not json");
    client.notify("textDocument/didOpen", json!({"textDocument": 7}));
    let unknown = client.call("textDocument/hover", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.call("textDocument/codeAction", json!({"range": 1}));
    assert_eq!(bad["error"]["code"], -32602);
    let other = client.code_actions(
        "untitled:Untitled-1",
        &json!({"range": range((0, 0), (0, 0)), "message": "m"}),
    );
    assert!(other.is_empty());
    // `exit` without `shutdown` is an error exit.
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(1));
}

#[test]
fn files_changed_on_disk_check_the_open_documents_that_read_them_again() {
    let dir = tempfile::tempdir().expect("temporary directory");
    // infra/: a registry whose admin user comes from a variable in a closed file.
    let infra = dir.path().join("infra");
    std::fs::create_dir_all(&infra).expect("infra");
    let registry = REGISTRY_TF.replace("/* 😀 */ true", "var.admin");
    let registry_file = infra.join("main.tf");
    std::fs::write(&registry_file, &registry).expect("main.tf");
    let variables = infra.join("variables.tf");
    let admin_default = |on: bool| format!("variable \"admin\" {{\n  default = {on}\n}}\n");
    std::fs::write(&variables, admin_default(true)).expect("variables");
    // root/: a module call whose module, in another directory, enables the admin user.
    let root = dir.path().join("root");
    let module_dir = dir.path().join("modules/acr");
    std::fs::create_dir_all(&root).expect("root");
    std::fs::create_dir_all(&module_dir).expect("module directory");
    let call = "module \"acr\" {\n  source = \"../modules/acr\"\n  admin  = true\n}\n";
    let call_file = root.join("main.tf");
    std::fs::write(&call_file, call).expect("call");
    let module = module_dir.join("main.tf");
    let module_text = format!("variable \"admin\" {{\n  type = bool\n}}\n{registry}");
    std::fs::write(&module, &module_text).expect("module");
    let (registry_uri, call_uri) = (file_uri(&registry_file), file_uri(&call_file));

    let mut client = Client::start(dir.path());
    let capabilities =
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
    );
    client.notify("initialized", json!({}));
    client.open(&registry_uri, "terraform", &registry);
    client.diagnostics(&registry_uri, |d| has_rule(d, "ACR001"));
    client.open(&call_uri, "terraform", call);
    client.diagnostics(&call_uri, |d| has_rule(d, "ACR001"));
    let registration = client
        .server_requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability")
        .expect("file watchers registered");
    let watcher = &registration["params"]["registrations"][0];
    assert_eq!(watcher["method"], "workspace/didChangeWatchedFiles");
    let glob = watcher["registerOptions"]["watchers"][0]["globPattern"].as_str();
    assert!(
        glob.is_some_and(|glob| glob.contains("tf,tfvars")),
        "{watcher}"
    );

    let changed = |client: &mut Client, path: &Path| {
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(path), "type": 2}]}),
        );
    };
    std::fs::write(&variables, admin_default(false)).expect("variables");
    changed(&mut client, &variables);
    client.diagnostics(&registry_uri, |d| {
        has_rule(d, "ACR003") && !has_rule(d, "ACR001")
    });
    std::fs::write(&module, module_text.replace("var.admin", "false")).expect("module");
    changed(&mut client, &module);
    client.diagnostics(&call_uri, |d| !has_rule(d, "ACR001"));
    assert!(client.stop().success());
}

#[test]
fn file_watchers_are_registered_only_when_the_client_allows() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut client = Client::initialized(dir.path());
    let main = dir.path().join("main.tf");
    std::fs::write(&main, REGISTRY_TF).expect("main.tf");
    client.open(&file_uri(&main), "terraform", REGISTRY_TF);
    client.diagnostics(&file_uri(&main), |d| has_rule(d, "ACR001"));
    assert!(
        client.server_requests.is_empty(),
        "{:?}",
        client.server_requests
    );
    assert!(client.stop().success());
}

/// Broken frames (bad, missing or short Content-Length, overlong headers, invalid JSON) are
/// each logged and answered with a parse error, and the server reads on from the next header.
#[test]
fn framing_errors_are_answered_and_the_server_resynchronises() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut client = Client::initialized(dir.path());
    let body = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}).to_string();
    let frames: Vec<Vec<u8>> = vec![
        format!("Content-Length: abc\r\n\r\n{body}").into_bytes(),
        format!("Content-Length: -5\r\n\r\n{body}").into_bytes(),
        format!("Content-Length: 99999999999999999999999\r\n\r\n{body}").into_bytes(),
        format!("Content-Type: x\r\n\r\n{body}").into_bytes(),
        format!("Content-Length: 5\r\n\r\n{body}").into_bytes(),
        format!("X-Long: {}\r\n\r\n", "h".repeat(100_000)).into_bytes(),
        b"Content-Length: 9\r\n\r\n{not json".to_vec(),
    ];
    for (i, frame) in frames.iter().enumerate() {
        client.stdin.write_all(frame).expect("write frame");
        client.stdin.flush().expect("flush");
        let answered = client.call("shutdown", Value::Null);
        assert_eq!(answered["result"], Value::Null, "frame {i}: {answered}");
        assert!(
            !client.unread.is_empty(),
            "frame {i} is answered with an error"
        );
        assert!(client.unread.iter().all(|e| e["error"]["code"] == -32700));
        client.unread.clear();
    }
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(0));
}

/// An edit of `.acr-lint.yaml` applies at once: the server reads the configuration again and
/// checks the open documents when the file changes; a configuration it cannot read leaves the
/// last one in force, and the server goes on.
#[test]
fn an_edited_configuration_applies_to_the_open_documents() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("main.tf");
    std::fs::write(&path, REGISTRY_TF).expect("main.tf");
    let (uri, configuration) = (file_uri(&path), dir.path().join(".acr-lint.yaml"));
    let mut client = Client::initialized(dir.path());
    client.open(&uri, "terraform", REGISTRY_TF);
    client.diagnostics(&uri, |d| has_rule(d, "ACR001") && has_rule(d, "ACR003"));
    let changed = |client: &mut Client, kind: u8| {
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&configuration), "type": kind}]}),
        );
    };
    std::fs::write(&configuration, "ignore: [ACR001]\n").expect("configuration");
    changed(&mut client, 1);
    client.diagnostics(&uri, |d| !has_rule(d, "ACR001") && has_rule(d, "ACR003"));
    std::fs::write(&configuration, "ignore: [ACR001\n").expect("a broken configuration");
    changed(&mut client, 2);
    client.change(
        &uri,
        2,
        &REGISTRY_TF.replace("acrexample001", "acrexample002"),
    );
    client.diagnostics(&uri, |d| !has_rule(d, "ACR001") && has_rule(d, "ACR003"));
    std::fs::remove_file(&configuration).expect("configuration removed");
    changed(&mut client, 3);
    client.diagnostics(&uri, |d| has_rule(d, "ACR001"));
    assert!(client.stop().success());
}
