//! The language server's latency per keystroke: `cargo bench --bench lsp`.
//!
//! Starts `acr-lint lsp` as an editor does and speaks JSON-RPC to it over its standard input and
//! output. For each case it opens a 200-line file, then sends `textDocument/didChange` with the
//! whole text (the server asks for full-text sync), alternating one registry's admin user between
//! on and off, and times each change until the `textDocument/publishDiagnostics` of that version
//! arrives. The first changes warm the server up and are not counted.
//!
//! Cases: a 200-line Terraform file beside its `variables.tf`; the same file in a 100-file module
//! (every file of the module is read for context); a 200-line Bicep file, alone and among 99
//! other Bicep files (one calls it as a module, one is its `.bicepparam`). BENCHMARKS.md has the
//! figures. `ACR_LINT_BIN=PATH` runs another build of the server (to compare two builds).

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Child, ChildStdin, Command};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "support/lsp_wire.rs"]
mod lsp_wire;
#[path = "support/terraform_module.rs"]
mod terraform_module;

use lsp_wire::file_uri;
use terraform_module::{VARIABLES, module_file, module_file_with};

const WARM_UP: usize = 10;
const TIMED: usize = 100;
const TIMEOUT: Duration = Duration::from_secs(30);

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!("change to diagnostics, {TIMED} changes each after {WARM_UP} to warm up");
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>8}",
        "case", "fastest", "median", "p90", "slowest"
    );
    let terraform = tempfile::tempdir().expect("a temp dir");
    fs::write(terraform.path().join("variables.tf"), VARIABLES).expect("write variables.tf");
    run_case(
        "terraform_200_lines",
        terraform.path(),
        "main.tf",
        terraform_file,
    );

    let module = tempfile::tempdir().expect("a temp dir");
    fs::write(module.path().join("variables.tf"), VARIABLES).expect("write variables.tf");
    for i in 1..100 {
        let name = format!("file_{i:03}.tf");
        fs::write(module.path().join(name), module_file(i)).expect("write a module file");
    }
    run_case(
        "terraform_200_lines_in_100_files",
        module.path(),
        "main.tf",
        terraform_file,
    );

    let bicep = tempfile::tempdir().expect("a temp dir");
    run_case("bicep_200_lines", bicep.path(), "main.bicep", bicep_file);

    let bicep_directory = tempfile::tempdir().expect("a temp dir");
    write_bicep_siblings(bicep_directory.path(), 100);
    run_case(
        "bicep_200_lines_in_100_files",
        bicep_directory.path(),
        "main.bicep",
        bicep_file,
    );
}

/// `count - 1` Bicep files beside `main.bicep`: one calls it as a module, one passes it
/// parameters, the rest declare a registry each.
fn write_bicep_siblings(dir: &Path, count: usize) {
    let write = |name: &str, text: &str| fs::write(dir.join(name), text).expect("write a file");
    write(
        "caller.bicep",
        "module main 'main.bicep' = {\n  name: 'main'\n}\n",
    );
    write(
        "main.bicepparam",
        "using 'main.bicep'\n\nparam sku = 'Premium'\n",
    );
    for i in 3..=count {
        let text = format!(
            "param location string = 'westeurope'\nparam sku string = 'Premium'\n\n{}",
            registry_bicep(i, false)
        );
        write(&format!("registry_{i:03}.bicep"), &text);
    }
}

/// Five registries, each with its resource group, network and storage account: 200 lines.
fn terraform_file(admin: bool) -> String {
    let text: String = (0..5)
        .map(|i| module_file_with(1000 + i, admin && i == 0) + "\n")
        .collect();
    pad_to_200_lines(text, "#")
}

/// Six registries with parameters and outputs: 200 lines.
fn bicep_file(admin: bool) -> String {
    let mut text = String::from(
        "param location string = resourceGroup().location\n\
         @allowed(['Basic', 'Standard', 'Premium'])\n\
         param sku string = 'Premium'\n\n",
    );
    for i in 0..6 {
        text.push_str(&registry_bicep(i, admin && i == 0));
    }
    pad_to_200_lines(text, "//")
}

fn registry_bicep(i: usize, admin: bool) -> String {
    format!(
        r#"resource acr{i} 'Microsoft.ContainerRegistry/registries@2023-07-01' = {{
  name: 'acrbench${{uniqueString(resourceGroup().id)}}{i}'
  location: location
  sku: {{
    name: sku
  }}
  identity: {{
    type: 'SystemAssigned'
  }}
  properties: {{
    adminUserEnabled: {admin}
    publicNetworkAccess: 'Disabled'
    anonymousPullEnabled: false
    zoneRedundancy: 'Enabled'
    dataEndpointEnabled: true
    networkRuleSet: {{
      defaultAction: 'Deny'
    }}
    policies: {{
      retentionPolicy: {{
        days: 7
        status: 'enabled'
      }}
    }}
  }}
}}

output loginServer{i} string = acr{i}.properties.loginServer

"#
    )
}

fn pad_to_200_lines(mut text: String, comment: &str) -> String {
    let lines = text.lines().count();
    for n in lines..200 {
        text.push_str(&format!("{comment} line {n}\n"));
    }
    text
}

fn run_case(name: &str, dir: &Path, file: &str, text: fn(bool) -> String) {
    let path = dir.join(file);
    fs::write(&path, text(false)).expect("write the edited file");
    let uri = file_uri(&fs::canonicalize(&path).expect("the file exists"));
    let mut server = Server::start(dir);
    let language = if file.ends_with(".bicep") {
        "bicep"
    } else {
        "terraform"
    };
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 0, "text": text(false)}}),
    );
    server.diagnostics_of(&uri, 0);
    let mut timings = Vec::with_capacity(TIMED);
    for version in 1..=(WARM_UP + TIMED) {
        let edited = text(version % 2 == 1);
        let started = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited}]}),
        );
        let diagnostics = server.diagnostics_of(&uri, version);
        let elapsed = started.elapsed();
        let admin_reported = diagnostics.iter().any(|d| d["code"] == "ACR001");
        assert_eq!(
            admin_reported,
            version % 2 == 1,
            "{name}: version {version}"
        );
        if version > WARM_UP {
            timings.push(elapsed);
        }
    }
    server.stop();
    timings.sort();
    let at = |fraction: f64| timings[((timings.len() - 1) as f64 * fraction) as usize];
    println!(
        "{name:<34} {:>8} {:>8} {:>8} {:>8}",
        millis(at(0.0)),
        millis(at(0.5)),
        millis(at(0.9)),
        millis(at(1.0))
    );
}

fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let binary = std::env::var_os("ACR_LINT_BIN");
        let mut command = Command::new(
            binary
                .as_deref()
                .unwrap_or(env!("CARGO_BIN_EXE_acr-lint").as_ref()),
        );
        command.arg("lsp").current_dir(dir);
        let (child, stdin, incoming) = lsp_wire::spawn(command);
        let mut server = Server {
            child,
            stdin,
            incoming,
        };
        let root = file_uri(&fs::canonicalize(dir).expect("the directory exists"));
        server.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": null, "rootUri": root, "capabilities": {}}}));
        while server.next()["id"] != 1 {}
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        self.incoming
            .recv_timeout(TIMEOUT)
            .expect("the server answers in time")
    }

    /// The diagnostics published for `uri` at `version`; others are skipped.
    fn diagnostics_of(&mut self, uri: &str, version: usize) -> Vec<Value> {
        loop {
            let message = self.next();
            let params = &message["params"];
            if message["method"] == "textDocument/publishDiagnostics"
                && params["uri"] == uri
                && params["version"] == version
            {
                return params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }

    fn stop(mut self) {
        self.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
        while self.next()["id"] != 2 {}
        self.notify("exit", json!(null));
        let _ = self.child.wait();
    }
}
