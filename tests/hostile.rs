//! Hostile inputs, through the binary: each one is either a clear input error (exit 3) or works,
//! always within bounded time, and never keeps the rest of the scan from being reported: every
//! case puts a normal failing registry (`ok/main.tf`) beside the hostile files and expects its
//! finding on standard output.

mod common;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// Generous: every case takes well under a second in a debug build.
const TIMEOUT: Duration = Duration::from_secs(20);

const FAILING_REGISTRY: &str = r#"resource "azurerm_container_registry" "acr" {
  name                = "acrhostile001"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}
"#;

/// The finding `ok/main.tf` produces, in concise form.
const FAILING_FINDING: &str = "ok/main.tf:6:25: error[ACR001]";

const TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// A scratch directory holding `ok/main.tf`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    write(dir.path(), "ok/main.tf", FAILING_REGISTRY.as_bytes());
    dir
}

fn write(root: &Path, name: &str, content: &[u8]) {
    let path = root.join(name);
    fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
    fs::write(path, content).expect("file written");
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `acr-lint . EXTRA...` in `dir` (`-f concise` unless EXTRA names a format), failing the
/// test when it takes too long.
fn run(dir: &Path, extra: &[&str]) -> Run {
    let started = Instant::now();
    let mut command = Command::cargo_bin("acr-lint").expect("binary built");
    command.current_dir(dir).args([".", "--color", "never"]);
    if !extra.contains(&"-f") {
        command.args(["-f", "concise"]);
    }
    let output: Output = command
        .args(extra)
        .timeout(TIMEOUT)
        .output()
        .expect("acr-lint runs");
    let elapsed = started.elapsed();
    assert!(
        elapsed < TIMEOUT,
        "acr-lint took {elapsed:?} (killed after {TIMEOUT:?})"
    );
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Run {
    /// The exit code, and the normal registry's finding still reported.
    fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stdout.contains(FAILING_FINDING),
            "the rest of the scan is reported\nstdout:\n{}",
            self.stdout
        );
        self
    }

    fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "standard error should contain {text:?}:\n{}",
            self.stderr
        );
        self
    }

    fn stdout_has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "standard output should contain {text:?}:\n{}",
            self.stdout
        );
        self
    }

    fn no_errors(&self) -> &Self {
        assert!(self.stderr.is_empty(), "no input error:\n{}", self.stderr);
        self
    }
}

fn json_of_100_mb_is_refused_with_its_size() {
    let dir = scratch();
    let file = File::create(dir.path().join("big.json")).expect("create big.json");
    let mut out = BufWriter::with_capacity(1 << 20, file);
    write!(
        out,
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0", "resources": [], "variables": {{"x": ""#
    )
    .expect("write");
    let chunk = vec![b'a'; 1 << 16];
    for _ in 0..1600 {
        out.write_all(&chunk).expect("write");
    }
    out.write_all(b"\"}}\n").expect("write");
    out.flush().expect("flush");
    drop(out);

    run(dir.path(), &[])
        .expect(3)
        .stderr_has("big.json: file is 100 MiB; files over 16 MiB are not read");
}

fn json_nested_a_million_levels_is_an_error_not_a_stack_overflow() {
    // A million levels are refused by the value count before parsing; 100,000 reach the parser,
    // which stops at its nesting limit.
    for (depth, message) in [
        (1_000_000, "file holds more than 1000000 values"),
        (100_000, "Maximum nesting depth exceeded"),
    ] {
        nested_json(depth, message);
    }
}

fn terraform_json_nested_deeply_is_an_error_not_a_stack_overflow() {
    let dir = scratch();
    for (name, depth) in [("arrays", 500), ("blocks", 500), ("deeper", 100_000)] {
        let value = if name == "arrays" {
            format!("{}{}", "[".repeat(depth), "]".repeat(depth))
        } else {
            format!("{}1{}", r#"{"a": "#.repeat(depth), "}".repeat(depth))
        };
        let text = format!(
            r#"{{"resource": {{"azurerm_container_registry": {{"x": {{"a": {value}}}}}}}}}"#
        );
        write(dir.path(), &format!("{name}/main.tf.json"), text.as_bytes());
    }
    run(dir.path(), &[])
        .expect(3)
        .stderr_has("arrays/main.tf.json")
        .stderr_has("blocks/main.tf.json")
        .stderr_has("deeper/main.tf.json");
}

fn nested_json(depth: usize, message: &str) {
    let dir = scratch();
    let arrays = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0", "resources": {}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    write(dir.path(), "arrays.json", arrays.as_bytes());
    let objects = format!(
        r#"{{"contentVersion": "1.0.0.0", "resources": [], "x": {}1{}}}"#,
        r#"{"a": "#.repeat(depth),
        "}".repeat(depth)
    );
    write(dir.path(), "objects.json", objects.as_bytes());

    let run = run(dir.path(), &[]);
    run.expect(3)
        .stderr_has("arrays.json")
        .stderr_has("objects.json")
        .stderr_has(message);
    assert!(
        run.stderr.len() < 10_000,
        "the error does not print the megabyte-long line: {} bytes",
        run.stderr.len()
    );
}

fn hcl_with_100000_nested_blocks_is_an_error() {
    let dir = scratch();
    let depth = 100_000;
    let blocks = format!("{}{}", "a {\n".repeat(depth), "}\n".repeat(depth));
    write(dir.path(), "blocks/main.tf", blocks.as_bytes());
    let expression = format!("x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    write(dir.path(), "expression/main.tf", expression.as_bytes());

    run(dir.path(), &[])
        .expect(3)
        .stderr_has("blocks/main.tf")
        .stderr_has("expression/main.tf")
        .stderr_has("nesting depth");
}

/// Bytes that look random (a fixed linear congruential sequence), NULs included.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

fn binary_files_named_json_and_tf_are_errors() {
    let dir = scratch();
    write(dir.path(), "bin/main.tf", &noise(4096, 1));
    write(dir.path(), "bin/azuredeploy.json", &noise(4096, 2));
    // The position counts the characters before the NUL, invalid bytes included.
    write(dir.path(), "short/main.tf", b"\xef\xbb\xbf\xff\xfe\x00rest");

    run(dir.path(), &[])
        .expect(3)
        .stderr_has("bin/main.tf:")
        .stderr_has("bin/azuredeploy.json:")
        .stderr_has("binary file (contains NUL bytes), not a text file")
        .stderr_has("short/main.tf:1:3: binary file");
}

fn invalid_utf8_is_an_error_at_its_position() {
    let dir = scratch();
    write(
        dir.path(),
        "latin1/main.tf",
        b"resource \"azurerm_resource_group\" \"rg\" {\n  name = \"caf\xe9\"\n}\n",
    );
    write(
        dir.path(),
        "latin1/azuredeploy.json",
        b"{\"contentVersion\": \"1.0.0.0\",\n \"resources\": [], \"x\": \"\xc3\x28\"}",
    );

    run(dir.path(), &[])
        .expect(3)
        .stderr_has("latin1/main.tf:2:14: not valid UTF-8 text")
        .stderr_has("latin1/azuredeploy.json:2:25: not valid UTF-8 text");
}

fn byte_order_mark_and_crlf_work_with_exact_columns() {
    let dir = scratch();
    let terraform = "\u{feff}resource \"azurerm_container_registry\" \"acr\" {\r\n\
                     \x20 name          = \"acrcrlf001\"\r\n\
                     \x20 sku           = \"Premium\"\r\n\
                     \x20 admin_enabled = true\r\n\
                     }\r\n";
    write(dir.path(), "crlf/main.tf", terraform.as_bytes());
    let template = format!(
        "\u{feff}{{\r\n\
         \x20 \"$schema\": \"{TEMPLATE_SCHEMA}\",\r\n\
         \x20 \"contentVersion\": \"1.0.0.0\",\r\n\
         \x20 \"resources\": [\r\n\
         \x20   {{\r\n\
         \x20     \"type\": \"Microsoft.ContainerRegistry/registries\",\r\n\
         \x20     \"apiVersion\": \"2023-07-01\",\r\n\
         \x20     \"name\": \"acrcrlf002\",\r\n\
         \x20     \"location\": \"westeurope\",\r\n\
         \x20     \"sku\": {{\"name\": \"Premium\"}},\r\n\
         \x20     \"properties\": {{\"adminUserEnabled\": true}}\r\n\
         \x20   }}\r\n\
         \x20 ]\r\n\
         }}\r\n"
    );
    write(dir.path(), "crlf/azuredeploy.json", template.as_bytes());

    run(dir.path(), &[])
        .expect(1)
        .no_errors()
        .stdout_has("crlf/main.tf:1:10: warning[ACR003]")
        .stdout_has("crlf/main.tf:4:19: error[ACR001]")
        .stdout_has("crlf/azuredeploy.json:6:15: warning[ACR003]")
        .stdout_has("crlf/azuredeploy.json:11:42: error[ACR001]");

    // The end of the value too, in the JSON output.
    let json = run(dir.path(), &["-f", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
    let admin = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "ACR001")
        .map(|f| {
            let l = &f["location"];
            format!(
                "{}:{}:{}-{}:{}",
                l["file"], l["line"], l["column"], l["end_line"], l["end_column"]
            )
        })
        .collect::<Vec<_>>();
    assert!(
        admin.contains(&"\"crlf/main.tf\":4:19-4:23".to_string()),
        "{admin:?}"
    );
    assert!(
        admin.contains(&"\"crlf/azuredeploy.json\":11:42-11:46".to_string()),
        "{admin:?}"
    );
}

fn empty_files_are_no_error_and_report_nothing() {
    let dir = scratch();
    for name in [
        "empty/main.tf",
        "empty/azuredeploy.json",
        "empty/x.tfvars",
        "empty/terraform.tfvars.json",
        "empty/blank.tf",
    ] {
        let content: &[u8] = if name.ends_with("blank.tf") {
            b"\xef\xbb\xbf \r\n\n\t\n"
        } else {
            b""
        };
        write(dir.path(), name, content);
    }
    run(dir.path(), &[]).expect(1).no_errors();
    let alone = run(&dir.path().join("empty"), &["-f", "pretty"]);
    assert_eq!(alone.code, Some(0), "{}{}", alone.stdout, alone.stderr);
    assert!(alone.stderr.is_empty(), "{}", alone.stderr);
    assert!(
        alone.stdout.contains("No problems found"),
        "{}",
        alone.stdout
    );
}

#[cfg(unix)]
fn symlink_loops_are_errors_not_hangs() {
    use std::os::unix::fs::symlink;
    let dir = scratch();
    let root = dir.path().join("loop");
    fs::create_dir_all(root.join("a")).expect("directories");
    symlink(".", root.join("self")).expect("symlink");
    symlink("..", root.join("a/up")).expect("symlink");
    symlink("main.tf", root.join("main.tf")).expect("symlink");
    symlink("b.json", root.join("a.json")).expect("symlink");
    symlink("a.json", root.join("b.json")).expect("symlink");

    run(dir.path(), &[])
        .expect(3)
        .stderr_has("loop/self")
        .stderr_has("loop/a/up")
        .stderr_has("loop/main.tf")
        .stderr_has("loop/a.json");
}

#[cfg(unix)]
fn unreadable_files_are_errors(locked: (tempfile::TempDir, std::path::PathBuf)) {
    use std::os::unix::fs::PermissionsExt;
    let (dir, file) = locked;
    let run = run(dir.path(), &[]);
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).expect("chmod back");
    run.expect(3)
        .stderr_has("locked/main.tf")
        .stderr_has("Permission denied");
}

fn module_cycles_do_not_hang() {
    let dir = scratch();
    let caller = format!(
        "module \"self\" {{\n  source = \"./\"\n}}\n\
         module \"child\" {{\n  source = \"./child\"\n  admin = true\n}}\n{FAILING_REGISTRY}"
    )
    .replace("\"acr\"", "\"cyclic\"");
    write(dir.path(), "cycle/main.tf", caller.as_bytes());
    write(
        dir.path(),
        "cycle/child/main.tf",
        b"variable \"admin\" {}\nmodule \"parent\" {\n  source = \"../\"\n}\n\
          module \"again\" {\n  source = \"./\"\n}\n",
    );

    let result = run(dir.path(), &[]);
    result
        .expect(3)
        .stdout_has("cycle/main.tf:13:25: error[ACR001]");
    assert!(
        result
            .stderr
            .contains("calls itself through its own modules"),
        "{}",
        result.stderr
    );
}
/// Ten levels of modules, each calling the next eight times (`count`) and reading its outputs:
/// 8^9 instances if every one were read.
fn module_calls_multiplying_down_the_tree_are_bounded() {
    let dir = scratch();
    for level in 0..10 {
        let text = if level < 9 {
            format!(
                "variable \"v\" {{\n  default = true\n}}\n\
                 module \"next\" {{\n  source = \"../l{}\"\n  count  = 8\n  v      = var.v\n}}\n\
                 output \"v\" {{\n  value = [for m in module.next : m.v]\n}}\n",
                level + 1
            )
        } else {
            "variable \"v\" {\n  default = true\n}\noutput \"v\" {\n  value = var.v\n}\n".into()
        };
        write(dir.path(), &format!("l{level}/main.tf"), text.as_bytes());
    }
    let caller = format!(
        "module \"top\" {{\n  source = \"./l0\"\n}}\n{}",
        FAILING_REGISTRY.replace("\"acr\"", "\"deep\"").replace(
            "admin_enabled       = true",
            "admin_enabled       = module.top.v[0][0]"
        )
    );
    write(dir.path(), "main.tf", caller.as_bytes());

    let result = run(dir.path(), &["--show-unknown"]);
    result
        .expect(3)
        .stderr_has("is not checked: the calls make more than 4096 module instances")
        .stdout_has("main.tf:9:25: note[ACR001] could not verify admin-user-enabled");
}

fn globs_of_many_stars_in_the_configuration_do_not_hang() {
    let dir = scratch();
    let long = vec!["a".repeat(100); 3].join("/");
    write(
        dir.path(),
        &format!("{long}/main.tf"),
        FAILING_REGISTRY.as_bytes(),
    );
    let stars = "**a".repeat(40);
    let config = format!(
        "exclude: [\"{}*z\"]\nsuppress:\n  - rule: ACR001\n    path: \"{stars}**z\"\n    \
         reason: \"never matches\"\n",
        "*a".repeat(40)
    );
    write(dir.path(), ".acr-lint.yaml", config.as_bytes());
    run(dir.path(), &[])
        .expect(1)
        .stdout_has(&format!("{long}/main.tf:"));
}

/// `v0` is one item; `vN` is `concat(vN-1, vN-1)`: 2^40 items (or bytes) at `v40`.
fn exponential_template(seed: &str) -> String {
    let mut variables = vec![format!("\"v0\": {seed}")];
    for i in 1..=40 {
        let previous = i - 1;
        variables.push(format!(
            "\"v{i}\": \"[concat(variables('v{previous}'), variables('v{previous}'))]\""
        ));
    }
    format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0",
  "variables": {{ {} }},
  "resources": [{{
    "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
    "name": "acrexpo001", "location": "westeurope", "sku": {{"name": "Premium"}},
    "properties": {{"adminUserEnabled": "[not(empty(variables('v40')))]",
                    "anonymousPullEnabled": "[variables('v40')]"}}
  }}]
}}"#,
        variables.join(",\n    ")
    )
}

fn exponential_arm_expressions_stop_at_a_limit() {
    let dir = scratch();
    write(
        dir.path(),
        "expo/array.json",
        exponential_template("[\"x\"]").as_bytes(),
    );
    write(
        dir.path(),
        "expo/string.json",
        exponential_template("\"x\"").as_bytes(),
    );

    // The values are undecided (never a finding); the registries are still checked.
    run(dir.path(), &["--show-unknown"])
        .expect(1)
        .no_errors()
        .stdout_has("expo/array.json:")
        .stdout_has("expo/string.json:")
        .stdout_has("arrays are limited to 100000 items")
        .stdout_has("strings are limited to 1048576 bytes");
}

fn parameters_file_without_its_template_is_an_error() {
    let dir = scratch();
    let parameters = br#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "adminUserEnabled": { "value": true } }
}"#;
    write(dir.path(), "orphan/azuredeploy.parameters.json", parameters);
    write(dir.path(), "orphan/main.parameters.prod.json", parameters);
    // A Bicep template is the template of its parameters file too.
    write(dir.path(), "bicep/main.parameters.json", parameters);
    write(
        dir.path(),
        "bicep/main.bicep",
        b"param adminUserEnabled bool\n",
    );

    let run = run(dir.path(), &[]);
    run.expect(3)
        .stderr_has("orphan/azuredeploy.parameters.json: parameters file for template `azuredeploy.json`, which does not exist")
        .stderr_has("orphan/main.parameters.prod.json: parameters file for template `main.json`");
    assert!(!run.stderr.contains("bicep/"), "{}", run.stderr);
}

/// Nested deployments nearly as deep as the JSON nesting limit allows (about 45 levels): no
/// stack overflow in the template walker, which runs on the parser threads.
fn deeply_nested_deployments_do_not_overflow() {
    let dir = scratch();
    let registry = r#"{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
        "name": "acrdeep001", "location": "westeurope", "sku": {"name": "Premium"},
        "properties": {"adminUserEnabled": "[parameters('admin')]"}}"#;
    let mut template = format!(
        r#"{{"parameters": {{"admin": {{"type": "bool", "defaultValue": true}}}}, "resources": [{registry}]}}"#
    );
    for _ in 0..40 {
        template = format!(
            r#"{{"parameters": {{"admin": {{"type": "bool", "defaultValue": true}}}}, "resources": [{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d",
                "properties": {{"expressionEvaluationOptions": {{"scope": "inner"}}, "mode": "Incremental",
                "parameters": {{"admin": {{"value": "[parameters('admin')]"}}}}, "template": {template}}}}}]}}"#
        );
    }
    let root = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0", {}"#,
        template.strip_prefix('{').expect("an object")
    );
    write(dir.path(), "deep/azuredeploy.json", root.as_bytes());
    run(dir.path(), &[])
        .expect(1)
        .no_errors()
        .stdout_has("deep/azuredeploy.json:")
        .stdout_has("/acrdeep001` enables the admin user");
}

/// Eight million tiny values in 16 MiB would take gigabytes of syntax tree: files holding over
/// a million values are refused before they are parsed.
fn files_dense_with_values_are_refused() {
    let dir = scratch();
    let items = "0,".repeat(1_500_000);
    write(
        dir.path(),
        "dense/azuredeploy.json",
        format!(r#"{{"contentVersion": "1.0.0.0", "resources": [], "x": [{items}0]}}"#).as_bytes(),
    );
    write(
        dir.path(),
        "dense/main.tf",
        format!("locals {{\n  x = [{items}0]\n}}\n").as_bytes(),
    );

    run(dir.path(), &[])
        .expect(3)
        .stderr_has("dense/azuredeploy.json: file holds more than 1000000 values")
        .stderr_has("dense/main.tf: file holds more than 1000000 values");
}

/// A JSON template another file loads (a Bicep module's, a `.bicepparam` file's `using`) is held
/// to the same value limit as the files the scan reads itself, and refused before it is parsed.
fn json_templates_loaded_dense_with_values_are_refused() {
    let dir = scratch();
    let items = "0,".repeat(1_500_000);
    let template = format!(
        r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [], "variables": {{"x": [{items}0]}}}}"#
    );
    write(dir.path(), "dense/big.json", template.as_bytes());
    write(
        dir.path(),
        "dense/main.bicep",
        b"module m 'big.json' = {\n  name: 'm'\n}\n",
    );
    write(dir.path(), "dense/p.bicepparam", b"using 'big.json'\n");

    run(dir.path(), &[])
        .expect(3)
        .stderr_has("dense/big.json: file holds more than 1000000 values")
        .stderr_has("module `big.json`: file holds more than 1000000 values")
        .stderr_has("`using` names `dense/big.json`: file holds more than 1000000 values");
}

/// Unquoted block labels have no separator to count: Terraform files are also bounded by words.
fn hcl_dense_with_block_labels_is_refused() {
    let dir = scratch();
    let labels = "a ".repeat(2_500_000);
    write(
        dir.path(),
        "labels/main.tf",
        format!("{labels}{{}}\n").as_bytes(),
    );
    write(dir.path(), "ok/main.tf", FAILING_REGISTRY.as_bytes());

    run(dir.path(), &[])
        .expect(3)
        .stderr_has("labels/main.tf: file holds more than 2000000 words")
        .stdout_has(FAILING_FINDING);
}

fn hostile_bicep_is_bounded() {
    let dir = scratch();
    // Each resource's name repeats the previous one's twice: names double at every step.
    let mut chain = String::from(
        "resource r0 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'a'\n}\n",
    );
    for i in 1..60 {
        chain.push_str(&format!(
            "resource r{i} 'Microsoft.Storage/storageAccounts@2023-01-01' = {{\n  name: '${{r{p}.name}}${{r{p}.name}}'\n}}\n",
            p = i - 1
        ));
    }
    chain.push_str(
        "resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  name: r59.name\n}\n",
    );
    write(dir.path(), "chain/main.bicep", chain.as_bytes());
    let deep = format!("var x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
    write(dir.path(), "deep/main.bicep", deep.as_bytes());
    write(
        dir.path(),
        "strings/main.bicep",
        b"var a = 'unterminated ${interpolation\nvar b = '''never closed\n",
    );
    let huge = "var x = 'padding'\n".repeat(1_200_000);
    write(dir.path(), "huge/main.bicep", huge.as_bytes());
    run(dir.path(), &[])
        .expect(3)
        .stderr_has("deep/main.bicep")
        .stderr_has("strings/main.bicep")
        .stderr_has("huge/main.bicep");
}

/// Deep nesting, long chains, unterminated literals, binary and non-UTF-8 files, a module
/// cycle and a parameters file naming itself: each an input error at its file, line and column.
fn hostile_bicep_files_are_errors_at_their_position() {
    let dir = scratch();
    let deep = 100_000;
    let files: [(&str, String); 15] = [
        (
            "objects/main.bicep",
            format!(
                "var x = {}1{}\n",
                "{\n a: ".repeat(deep),
                "\n}".repeat(deep)
            ),
        ),
        (
            "members/main.bicep",
            format!("var o = {{}}\nvar x = o{}\n", ".a".repeat(deep)),
        ),
        (
            "indexes/main.bicep",
            format!("var o = {{}}\nvar x = o{}\n", "['a']".repeat(deep)),
        ),
        (
            "operators/main.bicep",
            format!("var x = 1{}\n", "+1".repeat(deep)),
        ),
        (
            "types/main.bicep",
            format!("type t = string{}\n", "[]".repeat(deep)),
        ),
        (
            "calls/main.bicep",
            format!("var x = {}1{}\n", "string(".repeat(deep), ")".repeat(deep)),
        ),
        (
            "string/main.bicep",
            "var a = 'never closed\nvar b = 1\n".into(),
        ),
        (
            "interpolation/main.bicep",
            "var a = 'open ${hole\nvar b = 1\n".into(),
        ),
        (
            "multiline/main.bicep",
            "var b = 1\nvar a = '''never\nclosed\n".into(),
        ),
        ("comment/main.bicep", "var b = 1\n/* never closed\n".into()),
        (
            "cycle/a.bicep",
            "module b 'b.bicep' = {\n  name: 'b'\n}\n".into(),
        ),
        (
            "cycle/b.bicep",
            "module a 'a.bicep' = {\n  name: 'a'\n}\n".into(),
        ),
        (
            "params/main.bicepparam",
            "using 'main.bicepparam'\nparam x = 1\n".into(),
        ),
        (
            "params/elsewhere/main.bicepparam",
            "using '../../../../../../../../etc/passwd'\nparam x = 1\n".into(),
        ),
        ("params/main.bicep", "param x int\n".into()),
    ];
    for (name, text) in &files {
        write(dir.path(), name, text.as_bytes());
    }
    write(
        dir.path(),
        "binary/main.bicep",
        &[b'v', b'a', b'r', 0, 0xFF, 1],
    );
    write(dir.path(), "latin1/main.bicep", b"var x = 'caf\xe9'\n");
    let nested = "nested more than 100 levels deep";
    run(dir.path(), &[])
        .expect(3)
        .stderr_has("objects/main.bicep:101:5")
        .stderr_has("members/main.bicep:2:")
        .stderr_has("indexes/main.bicep:2:")
        .stderr_has("operators/main.bicep:1:")
        .stderr_has("types/main.bicep:1:")
        .stderr_has("calls/main.bicep:1:")
        .stderr_has(nested)
        .stderr_has("string/main.bicep:1:9")
        .stderr_has("interpolation/main.bicep:1:")
        .stderr_has("multiline/main.bicep:2:9")
        .stderr_has("comment/main.bicep:2:1")
        .stderr_has("module cycle: cycle/a.bicep -> cycle/b.bicep -> cycle/a.bicep")
        .stderr_has("params/main.bicepparam:1:7")
        .stderr_has("`using` names a parameters file")
        .stderr_has("params/elsewhere/main.bicepparam:1:7")
        .stderr_has("which is neither a Bicep nor a JSON template")
        .stderr_has("binary/main.bicep:1:4: binary file")
        .stderr_has("latin1/main.bicep:1:13: not valid UTF-8 text");
}

/// `loadTextContent()` and its siblings read only regular files below the scanned directories,
/// up to their size limit; a missing file leaves the value undecided. A `using` that names a
/// pipe is not read.
#[cfg(unix)]
/// A large JSON file loaded by every variable: its values are held as the template's own only up
/// to a budget, past which each load is the expression the compiler would write (as cheap as
/// its text). Without the budget this takes half a minute and gigabytes.
fn bicep_loading_a_large_json_file_many_times_is_bounded() {
    let dir = scratch();
    let items = vec!["1"; 300_000].join(",");
    write(dir.path(), "load/big.json", format!("[{items}]").as_bytes());
    let mut main = String::new();
    for i in 0..400 {
        main.push_str(&format!("var a{i} = loadJsonContent('big.json')\n"));
    }
    main.push_str("output all array = [\n");
    for i in 0..400 {
        main.push_str(&format!("  a{i}\n"));
    }
    main.push_str("]\n");
    write(dir.path(), "load/main.bicep", main.as_bytes());
    run(dir.path(), &[]).expect(1).no_errors();
}
#[cfg(unix)]
/// `file()` reads below the scanned directories only, regular files of at most 1 MiB; YAML that
/// expands without end stops at the parser's budget. What is not read is undecided, never a
/// value: the text outside never shows.
fn terraform_file_reads_outside_the_tree_of_pipes_or_huge_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temporary directory");
    let secret = outside.path().join("secret.yaml");
    fs::write(&secret, "admin: outside-secret-text\n").expect("file written");
    let dir = scratch();
    let module = dir.path().join("files");
    let huge = "x".repeat(1024 * 1024 + 1);
    write(&module, "huge.txt", huge.as_bytes());
    symlink(&secret, module.join("link.yaml")).expect("symlink");
    let made = std::process::Command::new("mkfifo")
        .arg(module.join("pipe.yaml"))
        .status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        let items = vec![format!("*a{}", level - 1); 10].join(", ");
        bomb.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    write(&module, "bomb.yaml", bomb.as_bytes());
    symlink(&module, module.join("loop")).expect("symlink loop");
    let main = format!(
        "locals {{\n  huge = file(\"huge.txt\")\n  link = yamldecode(file(\"link.yaml\"))\n  \
         pipe = file(\"pipe.yaml\")\n  bomb = yamldecode(file(\"bomb.yaml\"))\n  \
         away = file(\"{}\")\n  listing = fileset(\"{}\", \"*\")\n  \
         looped = fileset(path.module, \"**/*.yaml\")\n}}\n\
         resource \"azurerm_container_registry\" \"files\" {{\n  \
         name = local.huge\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n  \
         sku = \"Premium\"\n  admin_enabled = local.link.admin == \"x\"\n  \
         anonymous_pull_enabled = local.pipe == \"x\"\n  \
         export_policy_enabled = length(local.bomb) == 0\n  \
         zone_redundancy_enabled = local.away == \"x\"\n  \
         public_network_access_enabled = length(local.listing) == 0\n  \
         data_endpoint_enabled = length(local.looped) == 0\n}}\n",
        secret.display(),
        outside.path().display()
    );
    write(&module, "main.tf", main.as_bytes());
    let result = run(dir.path(), &["--show-unknown", "--select", "ALL"]);
    result
        .stdout_has("lies outside the scanned directories and their repository and is not read")
        .stdout_has("`pipe.yaml` is not a regular file")
        .stdout_has("`huge.txt` is larger than 1024 KiB and is not read")
        .stdout_has("budget breached")
        .stdout_has(&format!(
            "`{}` lies outside the scanned directories and their repository and is not read",
            outside.path().display()
        ));
    let json = run(
        dir.path(),
        &["-f", "json", "--show-unknown", "--select", "ALL"],
    );
    for text in [&result.stdout, &result.stderr, &json.stdout, &json.stderr] {
        assert!(!text.contains("outside-secret-text"), "{text}");
    }
}

/// `templatefile()` of templates nested past the parser's limit, of expressions nested past it,
/// of loops that would render a billion bytes, and of itself: each undecided, in bounded time.
fn terraform_templates_nested_huge_or_recursive_are_bounded() {
    let dir = scratch();
    let module = dir.path().join("templates");
    let levels = 20_000;
    let deep = format!(
        "{}x{}",
        "%{ if true }".repeat(levels),
        "%{ endif }".repeat(levels)
    );
    write(&module, "deep.tftpl", deep.as_bytes());
    let parens = format!("${{{}1{}}}", "(".repeat(levels), ")".repeat(levels));
    write(&module, "parens.tftpl", parens.as_bytes());
    let loops = "%{ for a in range(1000) }%{ for b in range(1000) }%{ for c in range(1000) }x\
                 %{ endfor }%{ endfor }%{ endfor }";
    write(&module, "loops.tftpl", loops.as_bytes());
    write(
        &module,
        "itself.tftpl",
        b"${templatefile(\"itself.tftpl\", {})}",
    );
    let main = "locals {\n  deep = templatefile(\"deep.tftpl\", {})\n  \
                parens = templatefile(\"parens.tftpl\", {})\n  \
                loops = templatefile(\"loops.tftpl\", {})\n  \
                itself = templatefile(\"itself.tftpl\", {})\n}\n\
                resource \"azurerm_container_registry\" \"templates\" {\n  \
                name = \"acrtemplates01\"\n  resource_group_name = \"rg\"\n  \
                location = \"westeurope\"\n  sku = \"Premium\"\n  \
                admin_enabled = local.deep == \"x\"\n  \
                anonymous_pull_enabled = local.parens == \"1\"\n  \
                export_policy_enabled = length(local.loops) == 0\n  \
                quarantine_policy_enabled = local.itself == \"x\"\n}\n";
    write(&module, "main.tf", main.as_bytes());
    let result = run(dir.path(), &["--show-unknown", "--select", "ALL"]);
    result
        .stdout_has("`deep.tftpl` is not a valid template")
        .stdout_has("`parens.tftpl` is not a valid template")
        .stdout_has("could not verify export-allowed: value too large")
        .stdout_has("function `templatefile` reads files");
}

fn bicep_loads_outside_the_tree_of_pipes_or_huge_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temporary directory");
    let secret = outside.path().join("secret.txt");
    fs::write(&secret, "outside-secret-text").expect("file written");
    let dir = scratch();
    let load = dir.path().join("load");
    let huge = "x".repeat(acr_lint::bicep::MAX_LOADED_BYTES as usize + 1);
    write(&load, "huge.txt", huge.as_bytes());
    symlink(&secret, load.join("link.txt")).expect("symlink");
    for pipe in ["pipe.txt", "pipe.bicep"] {
        let made = std::process::Command::new("mkfifo")
            .arg(load.join(pipe))
            .status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo {pipe}");
    }
    write(
        dir.path(),
        "elsewhere/main.bicepparam",
        b"using '../load/pipe.bicep'\nparam x = 1\n",
    );
    let main = format!(
        "var a = loadTextContent('huge.txt')\n\
         var b = loadTextContent('missing.txt')\n\
         var c = loadTextContent('{}')\n\
         var d = loadTextContent('link.txt')\n\
         var e = loadFileAsBase64('pipe.txt')\n\
         var f = loadJsonContent('../../../../../../../../etc/passwd')\n\
         output all string = '${{a}}${{b}}${{c}}${{d}}${{e}}${{f}}'\n",
        secret.display()
    );
    write(&load, "main.bicep", main.as_bytes());
    let result = run(dir.path(), &[]);
    result
        .expect(3)
        .stderr_has("load/main.bicep:1:25")
        .stderr_has("larger than")
        .stderr_has("load/main.bicep:3:25")
        .stderr_has("load/main.bicep:4:25")
        .stderr_has("lies outside the scanned directories")
        .stderr_has("load/main.bicep:5:26")
        .stderr_has("is not a regular file")
        .stderr_has("load/main.bicep:6:25")
        .stderr_has("`missing.txt` cannot be read")
        .stderr_has(
            "elsewhere/main.bicepparam: `using` names `load/pipe.bicep`, which cannot be read",
        );
    let json = run(dir.path(), &["-f", "json"]);
    for text in [&result.stdout, &result.stderr, &json.stdout, &json.stderr] {
        assert!(
            !text.contains("outside-secret-text"),
            "a file outside the tree is never shown:\n{text}"
        );
    }
}

/// A resource's name is inlined where another refers to it: names that refer to themselves
/// or to each other, and chains of a thousand such references in parallel directories, end
/// in an undecided name, not a stack overflow.
fn bicep_names_referring_to_themselves_or_chained_deeply_are_undecided() {
    let dir = scratch();
    let registry = "'Microsoft.ContainerRegistry/registries@2023-07-01'";
    write(
        dir.path(),
        "self/main.bicep",
        format!(
            "resource a {registry} = {{\n  name: a.name\n}}\n\
             resource b {registry} = {{\n  name: c.name\n}}\n\
             resource c {registry} = {{\n  name: b.name\n}}\n\
             module m 'm.bicep' = {{\n  name: m.name\n}}\n"
        )
        .as_bytes(),
    );
    write(dir.path(), "self/m.bicep", b"param p string = ''\n");
    let mut chain = format!("resource r0 {registry} = {{\n  name: 'a'\n}}\n");
    for i in 1..1000 {
        chain.push_str(&format!(
            "resource r{i} {registry} = {{\n  name: r{}.name\n}}\n",
            i - 1
        ));
    }
    for copy in ["a", "b", "c", "d"] {
        write(
            dir.path(),
            &format!("chain/{copy}/main.bicep"),
            chain.as_bytes(),
        );
    }
    run(dir.path(), &[]).expect(1).no_errors();
}

fn main() -> std::process::ExitCode {
    let trials = vec![
        common::always("hostile_bicep_is_bounded", hostile_bicep_is_bounded),
        common::always(
            "bicep_loading_a_large_json_file_many_times_is_bounded",
            bicep_loading_a_large_json_file_many_times_is_bounded,
        ),
        common::always(
            "hostile_bicep_files_are_errors_at_their_position",
            hostile_bicep_files_are_errors_at_their_position,
        ),
        common::always(
            "bicep_names_referring_to_themselves_or_chained_deeply_are_undecided",
            bicep_names_referring_to_themselves_or_chained_deeply_are_undecided,
        ),
        common::always(
            "json_of_100_mb_is_refused_with_its_size",
            json_of_100_mb_is_refused_with_its_size,
        ),
        common::always(
            "json_nested_a_million_levels_is_an_error_not_a_stack_overflow",
            json_nested_a_million_levels_is_an_error_not_a_stack_overflow,
        ),
        common::always(
            "terraform_json_nested_deeply_is_an_error_not_a_stack_overflow",
            terraform_json_nested_deeply_is_an_error_not_a_stack_overflow,
        ),
        common::always(
            "hcl_with_100000_nested_blocks_is_an_error",
            hcl_with_100000_nested_blocks_is_an_error,
        ),
        common::always(
            "binary_files_named_json_and_tf_are_errors",
            binary_files_named_json_and_tf_are_errors,
        ),
        common::always(
            "invalid_utf8_is_an_error_at_its_position",
            invalid_utf8_is_an_error_at_its_position,
        ),
        common::always(
            "byte_order_mark_and_crlf_work_with_exact_columns",
            byte_order_mark_and_crlf_work_with_exact_columns,
        ),
        common::always(
            "empty_files_are_no_error_and_report_nothing",
            empty_files_are_no_error_and_report_nothing,
        ),
        common::always("module_cycles_do_not_hang", module_cycles_do_not_hang),
        common::always(
            "module_calls_multiplying_down_the_tree_are_bounded",
            module_calls_multiplying_down_the_tree_are_bounded,
        ),
        common::always(
            "globs_of_many_stars_in_the_configuration_do_not_hang",
            globs_of_many_stars_in_the_configuration_do_not_hang,
        ),
        common::always(
            "exponential_arm_expressions_stop_at_a_limit",
            exponential_arm_expressions_stop_at_a_limit,
        ),
        common::always(
            "parameters_file_without_its_template_is_an_error",
            parameters_file_without_its_template_is_an_error,
        ),
        common::always(
            "deeply_nested_deployments_do_not_overflow",
            deeply_nested_deployments_do_not_overflow,
        ),
        common::always(
            "files_dense_with_values_are_refused",
            files_dense_with_values_are_refused,
        ),
        common::always(
            "json_templates_loaded_dense_with_values_are_refused",
            json_templates_loaded_dense_with_values_are_refused,
        ),
        common::always(
            "hcl_dense_with_block_labels_is_refused",
            hcl_dense_with_block_labels_is_refused,
        ),
        common::always(
            "doubling_chains_of_arm_variables_stop_at_the_size_budget",
            doubling_chains_of_arm_variables_stop_at_the_size_budget,
        ),
        common::always(
            "shared_values_too_large_are_refused_before_they_are_built",
            shared_values_too_large_are_refused_before_they_are_built,
        ),
        common::always(
            "doubling_chains_of_terraform_locals_stop_at_the_size_budget",
            doubling_chains_of_terraform_locals_stop_at_the_size_budget,
        ),
        common::always(
            "long_lines_print_a_window_and_cost_no_more_than_short_ones",
            long_lines_print_a_window_and_cost_no_more_than_short_ones,
        ),
        common::always(
            "control_characters_in_inputs_are_escaped_in_every_format",
            control_characters_in_inputs_are_escaped_in_every_format,
        ),
        common::always(
            "configuration_paths_out_of_the_repository_are_errors",
            configuration_paths_out_of_the_repository_are_errors,
        ),
        common::always(
            "an_output_that_is_an_input_or_another_output_is_a_usage_error",
            an_output_that_is_an_input_or_another_output_is_a_usage_error,
        ),
        common::always(
            "malformed_parameters_files_and_var_values_are_reported",
            malformed_parameters_files_and_var_values_are_reported,
        ),
        common::always(
            "quotes_in_the_comments_of_a_secret_value_are_not_masked",
            quotes_in_the_comments_of_a_secret_value_are_not_masked,
        ),
        common::always(
            "secrets_are_masked_in_every_format",
            secrets_are_masked_in_every_format,
        ),
        common::always(
            "negative_count_is_an_error_at_its_value",
            negative_count_is_an_error_at_its_value,
        ),
    ];
    #[cfg(unix)]
    let trials = {
        let mut trials = trials;
        trials.extend([
            common::always(
                "symlink_loops_are_errors_not_hangs",
                symlink_loops_are_errors_not_hangs,
            ),
            common::always(
                "bicep_loads_outside_the_tree_of_pipes_or_huge_are_refused",
                bicep_loads_outside_the_tree_of_pipes_or_huge_are_refused,
            ),
            common::always(
                "terraform_file_reads_outside_the_tree_of_pipes_or_huge_are_refused",
                terraform_file_reads_outside_the_tree_of_pipes_or_huge_are_refused,
            ),
            common::always(
                "terraform_templates_nested_huge_or_recursive_are_bounded",
                terraform_templates_nested_huge_or_recursive_are_bounded,
            ),
            common::trial(
                "unreadable_files_are_errors",
                file_this_user_cannot_read(),
                unreadable_files_are_errors,
            ),
            common::always(
                "interrupted_writes_leave_the_previous_output_whole",
                interrupted_writes_leave_the_previous_output_whole,
            ),
            common::always(
                "module_directories_out_of_the_tree_are_read_as_terraform_reads_them",
                module_directories_out_of_the_tree_are_read_as_terraform_reads_them,
            ),
            common::always(
                "runs_stopped_by_a_signal_leave_no_temporary_file",
                runs_stopped_by_a_signal_leave_no_temporary_file,
            ),
            common::always(
                "symlinks_out_of_the_scanned_tree_are_skipped_with_a_notice",
                symlinks_out_of_the_scanned_tree_are_skipped_with_a_notice,
            ),
        ]);
        trials
    };
    common::run_trials(trials)
}

/// A Terraform file with mode 000, unless this user (root) can read it anyway.
#[cfg(unix)]
fn file_this_user_cannot_read() -> Result<(tempfile::TempDir, std::path::PathBuf), String> {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch();
    write(dir.path(), "locked/main.tf", FAILING_REGISTRY.as_bytes());
    let file = dir.path().join("locked/main.tf");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    if fs::read(&file).is_ok() {
        return Err("this user (root?) can read a file with mode 000".into());
    }
    Ok((dir, file))
}

/// `o0` holds two references to `o1`, which holds two to `o2`...: 2^30 values at `o0` from a
/// 2 KB template, unless the template's budget of produced values stops it.
fn doubling_chains_of_arm_variables_stop_at_the_size_budget() {
    let dir = scratch();
    let depth = 30;
    let objects = doubling_variables(depth);
    let arrays = (1..=depth)
        .map(|i| {
            let previous = i - 1;
            format!(
                r#""v{i}": "[createArray(variables('v{previous}'), variables('v{previous}'))]""#
            )
        })
        .chain([r#""v0": "[createArray('x')]""#.to_string()])
        .collect::<Vec<_>>()
        .join(", ");
    let template = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0",
  "variables": {{ {objects}, {arrays} }},
  "resources": [{{
    "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
    "name": "acrdouble001", "location": "westeurope", "sku": {{"name": "Premium"}},
    "properties": {{"adminUserEnabled": "[empty(variables('o0'))]",
                    "anonymousPullEnabled": "[empty(variables('v{depth}'))]",
                    "policies": "[variables('o0')]"}}
  }}]
}}"#
    );
    write(dir.path(), "double/azuredeploy.json", template.as_bytes());

    run(dir.path(), &["--show-unknown"])
        .expect(1)
        .no_errors()
        .stdout_has("double/azuredeploy.json:")
        .stdout_has("value too large: a template's expressions may produce at most 200000 values");
}

/// The issue's chain, 40 levels of ARM variables and of Terraform locals: each is evaluated
/// once and its references share the result, and the top (2^41 values) is known to be too
/// large without building any of it, so the budget of produced values is left for the rest:
/// the admin user setting after it is still evaluated, and the run takes no time.
fn shared_values_too_large_are_refused_before_they_are_built() {
    let dir = scratch();
    let depth = 40;
    let objects = doubling_variables(depth);
    let template = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0",
  "variables": {{ {objects}, "enabled": "[equals(1, 1)]" }},
  "resources": [{{
    "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
    "name": "acrshared001", "location": "westeurope", "sku": {{"name": "Premium"}},
    "properties": {{"policies": "[variables('o0')]", "adminUserEnabled": "[variables('enabled')]"}}
  }}]
}}"#
    );
    write(dir.path(), "shared/azuredeploy.json", template.as_bytes());
    let locals = doubling_locals(depth);
    let module = format!(
        "locals {{\n  l0 = \"x\"\n  enabled = 1 == 1\n{locals}}}\n{}",
        FAILING_REGISTRY.replace("\"acr\"", "\"shared\"").replace(
            "admin_enabled       = true",
            &format!("admin_enabled = local.enabled\n  tags = local.l{depth}")
        )
    );
    write(dir.path(), "shared/main.tf", module.as_bytes());

    let started = Instant::now();
    let run = run(dir.path(), &["--show-unknown"]);
    run.expect(1)
        .no_errors()
        .stdout_has("error[ACR001] registry `acrshared001` enables the admin user")
        .stdout_has("error[ACR001] registry `azurerm_container_registry.shared` enables")
        .stdout_has("value too large: a template's expressions may produce at most 200000 values");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// ARM variables `o0` to `o{depth}`, each but the last holding two references to the next.
fn doubling_variables(depth: usize) -> String {
    (0..depth)
        .map(|i| {
            let next = i + 1;
            format!(r#""o{i}": {{"a": "[variables('o{next}')]", "b": "[variables('o{next}')]"}}"#)
        })
        .chain([format!(r#""o{depth}": "x""#)])
        .collect::<Vec<_>>()
        .join(", ")
}

/// Terraform locals `l1` to `l{depth}`, each holding two references to the one before.
fn doubling_locals(depth: usize) -> String {
    (1..=depth)
        .map(|i| {
            let previous = i - 1;
            format!("  l{i} = {{ a = local.l{previous}, b = [local.l{previous}] }}\n")
        })
        .collect()
}

/// The same doubling chain through Terraform locals.
fn doubling_chains_of_terraform_locals_stop_at_the_size_budget() {
    let dir = scratch();
    let depth = 40;
    let locals = doubling_locals(depth);
    let module = format!(
        "locals {{\n  l0 = \"x\"\n{locals}}}\n{}",
        FAILING_REGISTRY.replace("\"acr\"", "\"double\"").replace(
            "admin_enabled       = true",
            &format!("admin_enabled = length(local.l{depth}) > 0\n  tags = local.l{depth}")
        )
    );
    write(dir.path(), "double/main.tf", module.as_bytes());

    run(dir.path(), &["--show-unknown"])
        .expect(1)
        .no_errors()
        .stdout_has("double/main.tf:")
        .stdout_has("value too large: a module's values may weigh at most 16 MiB");
}

/// A registry in the middle of a 10 MB line: the code frame shows a window around it, and a
/// scan of 5,000 registries on one line costs about what it costs with a line per registry.
fn long_lines_print_a_window_and_cost_no_more_than_short_ones() {
    let dir = scratch();
    let padding = "p".repeat(5_000_000);
    let template = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0", "variables": {{"a": "{padding}"}}, "resources": [{{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "acrlong001", "location": "westeurope", "sku": {{"name": "Premium"}}, "properties": {{"adminUserEnabled": true}}}}], "outputs": {{"b": {{"type": "string", "value": "{padding}"}}}}}}"#
    );
    write(dir.path(), "long/azuredeploy.json", template.as_bytes());
    let pretty = run(dir.path(), &["-f", "pretty"]);
    assert_eq!(pretty.code, Some(1), "{}", pretty.stderr);
    assert!(
        pretty.stdout.contains("\"adminUserEnabled\": true"),
        "{}",
        pretty.stdout
    );
    assert!(
        pretty.stdout.contains("long/azuredeploy.json:1:5000"),
        "the column is the file's own:\n{}",
        pretty.stdout
    );
    assert!(
        pretty.stdout.len() < 20_000,
        "pretty output is {} bytes",
        pretty.stdout.len()
    );

    let registries = (0..5000)
        .map(|i| {
            format!(
                r#"{{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "acrline{i:05}", "location": "westeurope", "sku": {{"name": "Premium"}}, "properties": {{"adminUserEnabled": true}}}}"#
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let many = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0", "resources": [{registries}]}}"#
    );
    write(dir.path(), "many/azuredeploy.json", many.as_bytes());
    run(dir.path(), &[])
        .expect(1)
        .stdout_has("many/azuredeploy.json:1:");
}

/// Escapes and line breaks in names and messages: no terminal escape reaches the output and no
/// workflow command starts a line the tool did not write.
fn control_characters_in_inputs_are_escaped_in_every_format() {
    let dir = scratch();
    let hostile = "acr\u{1b}[2J\u{1b}]0;title\u{7}\r\n::error file=x.tf,line=1::FAKE\u{9b}31m";
    let name = serde_json::to_string(hostile).expect("JSON string");
    let template = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0", "resources": [{{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": {name}, "location": "westeurope", "sku": {{"name": "Premium"}}, "properties": {{"adminUserEnabled": true}}}}]}}"#
    );
    write(dir.path(), "esc/azuredeploy.json", template.as_bytes());
    write(dir.path(), "esc\u{1b}[31m/main.tf", b"resource \"x\" {\n");
    for format in report_formats() {
        let run = run(dir.path(), &["-f", format, "--show-unknown"]);
        assert_eq!(run.code, Some(3), "{format}: {}", run.stderr);
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            // JSON and XML carry C1 characters as valid text; terminals and logs get escapes.
            let machine =
                ["json", "sarif", "gitlab", "junit"].contains(&format) && stream == "stdout";
            let raw = text.chars().find(|&c| {
                c.is_control() && c != '\n' && c != '\t' && !(machine && u32::from(c) >= 0x80)
            });
            assert!(raw.is_none(), "{format} {stream} holds {raw:?}:\n{text}");
            assert!(
                !text.lines().any(|l| l.starts_with("::error file=x.tf")),
                "{format} {stream} holds a forged command:\n{text}"
            );
        }
    }
}

fn report_formats() -> Vec<&'static str> {
    acr_lint::report::Format::ALL
        .iter()
        .map(|f| f.name())
        .collect()
}

/// A run killed while it writes a large report leaves the previous report whole: reports are
/// written beside the file and renamed into place.
#[cfg(unix)]
fn interrupted_writes_leave_the_previous_output_whole() {
    let dir = scratch();
    let registries = (0..1000)
        .map(|i| format!("resource \"azurerm_container_registry\" \"r{i}\" {{\n  name = \"acrtorn{i:05}\"\n  sku = \"Basic\"\n  admin_enabled = true\n}}\n"))
        .collect::<String>();
    write(dir.path(), "many/main.tf", registries.as_bytes());
    let report = dir.path().join("out.sarif");
    let previous = "{\"previous\": true}\n";
    for delay in [400, 800, 1200, 1600, 2000, 2400, 2800, 3200] {
        fs::write(&report, previous).expect("previous report");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("acr-lint"))
            .current_dir(dir.path())
            .args([".", "-f", "sarif=out.sarif", "-f", "concise=out.txt"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("acr-lint starts");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().expect("acr-lint ends");
        let written = fs::read_to_string(&report).expect("report");
        assert!(
            written == previous || serde_json::from_str::<serde_json::Value>(&written).is_ok(),
            "after {delay} ms: a torn report of {} bytes",
            written.len()
        );
    }
}

/// `SIGINT` and `SIGTERM` while a large report is written leave neither a temporary file nor
/// a torn report: the signal is sent as soon as a temporary file shows in the directory, or
/// after a delay when none ever does.
#[cfg(unix)]
fn runs_stopped_by_a_signal_leave_no_temporary_file() {
    let dir = scratch();
    let registries = (0..2000)
        .map(|i| format!("resource \"azurerm_container_registry\" \"r{i}\" {{\n  name = \"acrsig{i:05}\"\n  sku = \"Basic\"\n  admin_enabled = true\n}}\n"))
        .collect::<String>();
    write(dir.path(), "many/main.tf", registries.as_bytes());
    let report = dir.path().join("out.sarif");
    let previous = "{\"previous\": true}\n";
    let temporary_files = || {
        fs::read_dir(dir.path())
            .expect("directory listed")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count()
    };
    for round in 0..12 {
        let signal = if round % 2 == 0 { "-INT" } else { "-TERM" };
        let latest = Duration::from_millis(300 + 250 * round);
        fs::write(&report, previous).expect("previous report");
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("acr-lint"))
            .current_dir(dir.path())
            .args([".", "-f", "sarif=out.sarif"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("acr-lint starts");
        let started = Instant::now();
        while temporary_files() == 0 && started.elapsed() < latest {
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        child.wait().expect("acr-lint ends");
        assert_eq!(
            temporary_files(),
            0,
            "round {round}: a temporary file is left"
        );
        let written = fs::read_to_string(&report).expect("report");
        assert!(
            written == previous || serde_json::from_str::<serde_json::Value>(&written).is_ok(),
            "round {round}: a torn report of {} bytes",
            written.len()
        );
    }
}

fn an_output_that_is_an_input_or_another_output_is_a_usage_error() {
    let dir = scratch();
    for extra in [
        &["-f", "json=out.json", "-f", "sarif=./out.json"][..],
        &["-f", "json=ok/main.tf", "ok/main.tf"],
        &["-f", "json=base.json", "--baseline", "base.json"],
    ] {
        let run = run(dir.path(), extra);
        assert_eq!(run.code, Some(2), "{extra:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("out.json") || run.stderr.contains("also an input"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("ok/main.tf")).expect("input kept"),
        FAILING_REGISTRY
    );
}

/// Symbolic links are followed only inside the scanned directory: links to files and
/// directories outside it, and into `/proc`, `/sys` or `/dev`, are skipped with a notice and
/// none of their content is read.
#[cfg(unix)]
fn symlinks_out_of_the_scanned_tree_are_skipped_with_a_notice() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("temporary directory");
    write(
        outside.path(),
        "secret.tf",
        b"first line of an outside file {\n",
    );
    write(outside.path(), "mod/main.tf", FAILING_REGISTRY.as_bytes());
    let dir = scratch();
    let root = dir.path().join("links");
    fs::create_dir_all(&root).expect("directories");
    symlink(outside.path().join("secret.tf"), root.join("x.tf")).expect("symlink");
    symlink(outside.path().join("mod"), root.join("outside")).expect("symlink");
    symlink("/proc/self", root.join("proc")).expect("symlink");
    symlink("/", root.join("slash")).expect("symlink");
    symlink("../ok", root.join("inside")).expect("symlink");

    let run = run(dir.path(), &[]);
    run.expect(1)
        .stderr_has("links/x.tf: skipped: symbolic link to")
        .stderr_has("links/outside: skipped: symbolic link to")
        .stderr_has("links/proc: skipped")
        .stderr_has("links/slash: skipped")
        .stdout_has("links/inside/main.tf:6:25: error[ACR001]");
    assert!(!run.stderr.contains("first line"), "{}", run.stderr);
    assert_eq!(
        run.stdout.matches("error[ACR001]").count(),
        2,
        "the outside module is not scanned:\n{}",
        run.stdout
    );
}

/// A module a `module` block names is read where Terraform reads it, out of the scanned tree or
/// through a link out of it, but only its own files: a module file linking out of the module
/// directory is skipped with a notice. Links out of the tree no module names stay skipped.
#[cfg(unix)]
fn module_directories_out_of_the_tree_are_read_as_terraform_reads_them() {
    use std::os::unix::fs::symlink;
    let base = tempfile::tempdir().expect("temporary directory");
    let outside = base.path().join("outside");
    write(&outside, "secret.tf", b"first line of an outside file {\n");
    for module in ["shared-mod", "linked-mod", "unused"] {
        write(
            &outside,
            &format!("{module}/main.tf"),
            FAILING_REGISTRY.as_bytes(),
        );
    }
    symlink(
        outside.join("secret.tf"),
        outside.join("shared-mod/leak.tf"),
    )
    .expect("symlink");
    let repo = base.path().join("repo");
    write(&repo, "ok/main.tf", FAILING_REGISTRY.as_bytes());
    let call = |source: &str| format!("module \"m\" {{\n  source = \"{source}\"\n}}\n");
    write(
        &repo,
        "app/main.tf",
        call("../../outside/shared-mod").as_bytes(),
    );
    write(&repo, "app2/main.tf", call("../linked").as_bytes());
    symlink(outside.join("linked-mod"), repo.join("linked")).expect("symlink");
    symlink(outside.join("unused"), repo.join("other")).expect("symlink");

    let run = run(&repo, &["-f", "pretty"]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    run.stdout_has("../outside/shared-mod/main.tf:6:25")
        .stdout_has("linked/main.tf:6:25")
        .stderr_has("leak.tf: skipped: symbolic link to")
        .stderr_has("other: skipped: symbolic link to");
    assert_eq!(
        run.stdout.matches("error[ACR001]").count(),
        3,
        "the modules are read once each, through their calls:\n{}",
        run.stdout
    );
    assert!(!run.stderr.contains("linked: skipped"), "{}", run.stderr);
    for output in [&run.stdout, &run.stderr] {
        assert!(!output.contains("first line"), "{output}");
    }
}

/// Files named in `.acr-lint.yaml` stay inside the repository: absolute paths and `..` out of
/// it are configuration errors that print nothing of the file.
fn configuration_paths_out_of_the_repository_are_errors() {
    let outside = tempfile::tempdir().expect("temporary directory");
    write(outside.path(), "x.tfvars", b"first_line_of_outside = 1\n");
    let outside_file = outside.path().join("x.tfvars");
    let dir = scratch();
    fs::create_dir_all(dir.path().join(".git")).expect("a repository");
    write(dir.path(), "ok/inner.tfvars", b"admin = true\n");
    for (entry, message) in [
        (
            format!("var-files: [{}]", outside_file.display()),
            "var file",
        ),
        (
            format!(
                "parameters:\n  - template: ok/azuredeploy.json\n    files: [{}]",
                outside_file.display()
            ),
            "template",
        ),
        (
            "var-files: [/etc/passwd]".to_string(),
            "var file `/etc/passwd` is outside the repository",
        ),
        (
            "var-files: [\"..\"]".to_string(),
            "var file `..` is a directory, not a file",
        ),
    ] {
        write(dir.path(), "ok/.acr-lint.yaml", entry.as_bytes());
        // Found, and given by its bare name: a file with no directory in its path.
        for args in [&[][..], &["--config", ".acr-lint.yaml"]] {
            let run = run(&dir.path().join("ok"), args);
            assert_eq!(run.code, Some(2), "{entry} {args:?}: {}", run.stderr);
            assert!(run.stderr.contains(message), "{entry}: {}", run.stderr);
            assert!(
                run.stderr.starts_with("error: .acr-lint.yaml:"),
                "{}",
                run.stderr
            );
            assert!(
                !run.stderr.contains("first_line") && !run.stderr.contains("root:"),
                "{}",
                run.stderr
            );
        }
    }
    write(
        dir.path(),
        "ok/.acr-lint.yaml",
        b"var-files: [../ok/inner.tfvars]\n",
    );
    let inside = run(&dir.path().join("ok"), &[]);
    assert_eq!(inside.code, Some(1), "{}", inside.stderr);
    let directory = run(dir.path(), &["--config", "ok"]);
    assert_eq!(directory.code, Some(2));
    assert!(
        directory
            .stderr
            .contains("configuration file ok is a directory"),
        "{}",
        directory.stderr
    );
}

/// What the tool cannot read is said: a malformed parameters file, whatever it holds, and a
/// `--var` that is not a valid HCL value.
fn malformed_parameters_files_and_var_values_are_reported() {
    let dir = scratch();
    write(
        dir.path(),
        "params/azuredeploy.json",
        format!(
            r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0", "resources": []}}"#
        )
        .as_bytes(),
    );
    write(
        dir.path(),
        "params/azuredeploy.parameters.json",
        b"{\"parameters\": {\"admin\": {\"value\": true}\n",
    );
    run(dir.path(), &[])
        .expect(3)
        .stderr_has("params/azuredeploy.parameters.json:");

    let var = run(dir.path(), &["--var", "ips=[\"0.0.0.0/0\""]);
    assert_eq!(var.code, Some(2), "{}", var.stderr);
    assert!(
        var.stderr
            .contains("`ips`: not a valid HCL value at character 13"),
        "{}",
        var.stderr
    );
}

/// The quotes in the comments of a secret value are not its strings: the words they hold stay
/// in every message (here, a syntax error of another file that names them), and the value's
/// own strings are still masked.
fn quotes_in_the_comments_of_a_secret_value_are_not_masked() {
    let dir = scratch();
    let template = "@secure()\nparam settings object = {\n  // \"array\", \"object\": isn't this a comment\n  /* 'literal' */\n  token: 'PLANTED-BICEP-SECRET'\n}\n\nresource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  name: 'contosoregistry'\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: { adminUserEnabled: settings.token == 'PLANTED-BICEP-SECRET' }\n}\n";
    write(dir.path(), "bicep/main.bicep", template.as_bytes());
    write(dir.path(), "bicep/broken.bicep", b"var bad = a+\n");
    let run = run(dir.path(), &["-f", "concise"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Expected a literal value, an array, an object, a parenthesized expression"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("*****"), "{}", run.stderr);
    for output in [&run.stdout, &run.stderr] {
        assert!(!output.contains("PLANTED-BICEP-SECRET"), "{output}");
    }
}

/// Values the inputs mark secret, planted on lines the reports point at, appear in no format.
fn secrets_are_masked_in_every_format() {
    let dir = scratch();
    let template = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0",
  "parameters": {{"admin": {{"type": "bool"}}, "pw": {{"type": "securestring", "defaultValue": "PLANTED-DEFAULT-0"}}}},
  "resources": [{{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
    "name": "acrsecret001", "location": "westeurope", "sku": {{"name": "Premium"}},
    "properties": {{"adminUserEnabled": "[parameters('admin')]"}}}},
   {{"type": "Microsoft.ContainerRegistry/registries/tokens", "apiVersion": "2023-07-01", "name": "acrsecret001/tok", "properties": {{"credentials": {{"passwords": [{{"name": "password1", "value": "PLANTED-LITERAL-3"}}]}}}}}}]
}}"#
    );
    write(dir.path(), "arm/azuredeploy.json", template.as_bytes());
    write(
        dir.path(),
        "arm/azuredeploy.parameters.json",
        br#"{"contentVersion": "1.0.0.0", "parameters": {"admin": {"value": true}, "pw": {"value": "PLANTED-PARAMETER-1"}}}"#,
    );
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [{"address": "azurerm_container_registry.acr", "mode": "managed", "type": "azurerm_container_registry", "name": "acr", "change": {"actions": ["create"], "after": {"name": "acrsecret002", "location": "westeurope", "sku": "Premium", "admin_enabled": true, "tags": {"k": "PLANTED-PLAN-2"}}, "after_unknown": {}, "after_sensitive": {"tags": true}}}]}"#;
    write(dir.path(), "plan/plan.json", plan.as_bytes());
    write_sensitive_terraform(dir.path());
    write_secure_bicep(dir.path());
    write_secure_values_rules_quote(dir.path());
    for format in report_formats() {
        let run = run(
            dir.path(),
            &[
                "-f",
                format,
                "--show-unknown",
                "--select",
                "ALL",
                "--var",
                "cli=PLANTED-VAR-7",
            ],
        );
        assert!(
            run.stdout.contains("acrsecret001") && run.stdout.contains("plan/plan.json"),
            "{format}: both registries reported:\n{}\n{}",
            run.stdout,
            run.stderr
        );
        for secret in [
            "PLANTED-DEFAULT-0",
            "PLANTED-PARAMETER-1",
            "PLANTED-PLAN-2",
            "PLANTED-LITERAL-3",
            "PLANTED-TF-DEFAULT-4",
            "PLANTED-TFVARS-5",
            "PLANTED-TFVARS-JSON-6",
            "PLANTED-VAR-7",
            "PLANTED-TF-OUTPUT-8",
            "PLANTED-BICEP-DEFAULT-9",
            "PLANTED-BICEPPARAM-10",
            "PLANTED_NAME_11",
            "PLANTED-ENUM-12",
            "planted.example/quoted13",
            "PLANTED-TF-JSON-14",
            "PLANTED-TF-JSON-OUTPUT-15",
        ] {
            assert!(
                !run.stdout.contains(secret) && !run.stderr.contains(secret),
                "{format} shows {secret}:\n{}\n{}",
                run.stdout,
                run.stderr
            );
        }
    }
}

/// Terraform variables declared `sensitive`, given by their default, `.tfvars`, `.tfvars.json`
/// and `--var cli=...`, a local built from one and a sensitive output.
fn write_sensitive_terraform(root: &Path) {
    let module = r#"variable "pw" {
  type      = string
  sensitive = true
  default   = "PLANTED-TF-DEFAULT-4"
}
variable "tfv" {
  sensitive = true
}
variable "tfj" {
  sensitive = true
}
variable "cli" {
  sensitive = true
}
locals {
  hook = "https://hooks.example.com/x?token=${var.pw}"
}
resource "azurerm_container_registry" "acr" {
  name                = "acrsecret003"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = var.tfv
  admin_enabled       = var.tfj
  public_network_access_enabled = var.cli
  tags                = { a = var.pw, b = local.hook }
}
resource "azurerm_container_registry_webhook" "hook" {
  name                = "hook"
  registry_name       = azurerm_container_registry.acr.name
  resource_group_name = "rg"
  location            = "westeurope"
  service_uri         = local.hook
  actions             = ["push"]
  custom_headers      = { Authorization = var.pw }
}
output "o" {
  value     = "PLANTED-TF-OUTPUT-8"
  sensitive = true
}
"#;
    write(root, "tf/main.tf", module.as_bytes());
    write(root, "tf/terraform.tfvars", b"tfv = \"PLANTED-TFVARS-5\"\n");
    write(
        root,
        "tf/x.auto.tfvars.json",
        br#"{"tfj": "PLANTED-TFVARS-JSON-6"}"#,
    );
    // On one line, every frame of the file shows the values.
    let one_line = r#"{"variable": {"pw": {"sensitive": true, "default": "PLANTED-TF-JSON-14"}}, "resource": {"azurerm_container_registry": {"acr": {"name": "acrsecret005", "resource_group_name": "rg", "location": "westeurope", "sku": "Premium", "admin_enabled": true, "tags": {"a": "${var.pw}"}}}}, "output": {"o": {"value": "PLANTED-TF-JSON-OUTPUT-15", "sensitive": true}}}"#;
    write(root, "tfjson/main.tf.json", one_line.as_bytes());
}

/// Bicep `@secure()` parameters with a default and with a `.bicepparam` value.
fn write_secure_bicep(root: &Path) {
    let module = r#"@secure()
param pw string = 'PLANTED-BICEP-DEFAULT-9'
@secure()
param given string

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrsecret004'
  location: 'westeurope'
  sku: { name: given }
  properties: {
    adminUserEnabled: true
    publicNetworkAccess: pw
  }
  tags: { a: pw, b: given }
}
"#;
    write(root, "bicep/main.bicep", module.as_bytes());
    write(
        root,
        "bicep/main.bicepparam",
        b"using 'main.bicep'\nparam given = 'PLANTED-BICEPPARAM-10'\n",
    );
}

/// Secure parameters whose values rules quote in their messages: an invalid name, an invalid
/// enumeration value, a cache rule's source.
fn write_secure_values_rules_quote(root: &Path) {
    let template = format!(
        r#"{{"$schema": "{TEMPLATE_SCHEMA}", "contentVersion": "1.0.0.0",
  "parameters": {{"name": {{"type": "securestring", "defaultValue": "PLANTED_NAME_11"}},
    "access": {{"type": "securestring"}},
    "upstream": {{"type": "securestring", "defaultValue": "planted.example/quoted13"}}}},
  "resources": [{{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
    "name": "[parameters('name')]", "location": "westeurope", "sku": {{"name": "Premium"}},
    "properties": {{"adminUserEnabled": true, "publicNetworkAccess": "[parameters('access')]"}}}},
   {{"type": "Microsoft.ContainerRegistry/registries/cacheRules", "apiVersion": "2023-07-01",
    "name": "[format('{{0}}/rule', parameters('name'))]",
    "dependsOn": ["[resourceId('Microsoft.ContainerRegistry/registries', parameters('name'))]"],
    "properties": {{"sourceRepository": "[format('{{0}}/library/x', parameters('upstream'))]",
                    "targetRepository": "x"}}}}]
}}"#
    );
    write(root, "quoted/azuredeploy.json", template.as_bytes());
    write(
        root,
        "quoted/azuredeploy.parameters.json",
        br#"{"contentVersion": "1.0.0.0", "parameters": {"access": {"value": "PLANTED-ENUM-12"}}}"#,
    );
}

/// Terraform refuses a negative `count`: an input error at the value, not one instance.
fn negative_count_is_an_error_at_its_value() {
    let dir = scratch();
    let module = FAILING_REGISTRY
        .replace("\"acr\"", "\"negative\"")
        .replace("  name ", "  count = -1\n  name ");
    write(dir.path(), "negative/main.tf", module.as_bytes());
    let run = run(dir.path(), &[]);
    run.expect(3)
        .stderr_has("negative/main.tf:2:11: `count` is -1; it must be 0 or more");
    assert!(!run.stdout.contains("negative/main.tf"), "{}", run.stdout);
}
