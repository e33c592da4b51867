//! Bicep files as users scan them: syntax errors as input errors beside the other files'
//! findings, module cycles, files loaded by `loadTextContent()` and its siblings, registry
//! modules from the Bicep CLI's restore cache, and compiled JSON read through its source.

mod common;

use std::path::Path;

use acr_lint::{Scan, ScanOptions};
use assert_cmd::Command;
use predicates::prelude::*;

use common::{ADMIN_REGISTRY, CACHED_MODULE, CACHED_MODULE_PATH, REGISTRY_MODULE_CALL};

fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    common::scratch(&bytes)
}

fn scan(dir: &Path) -> Scan {
    acr_lint::scan(&ScanOptions::new(vec![dir.to_path_buf()]))
}

/// Findings of one rule as `file:line:col`.
fn lines_of(scan: &Scan, dir: &Path, rule: &str) -> Vec<String> {
    common::finding_lines(scan, dir)
        .into_iter()
        .filter_map(|l| l.strip_suffix(&format!(" {rule}")).map(str::to_string))
        .collect()
}

fn acr_lint() -> Command {
    let mut cmd = Command::cargo_bin("acr-lint").expect("binary built");
    cmd.env_remove("NO_COLOR");
    cmd
}

#[test]
fn a_syntax_error_is_an_input_error_and_the_other_files_are_reported() {
    let dir = scratch(&[
        ("broken.bicep", "param name string = 'unterminated\n"),
        (
            "main.bicep",
            &ADMIN_REGISTRY.replace("adminEnabled bool = false", "adminEnabled bool = true"),
        ),
    ]);
    acr_lint()
        .arg(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("main.bicep:1:27: error[ACR001]"))
        .stderr(predicate::str::contains("broken.bicep:1:21"));
}

/// A `.bicepparam` file whose `using` names a JSON file that cannot be read, or that is no ARM
/// template, is noted: its values are applied to nothing.
#[test]
fn a_bicepparam_file_naming_no_readable_json_template_is_noted() {
    let dir = scratch(&[
        (
            "missing.bicepparam",
            "using 'nothere.json'\nparam a = true\n",
        ),
        ("data.json", "{\"a\": 1}"),
        ("data.bicepparam", "using 'data.json'\nparam a = true\n"),
    ]);
    acr_lint()
        .current_dir(dir.path())
        .args([".", "--format", "concise"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "missing.bicepparam: `using` names `nothere.json`, which cannot be read",
        ))
        .stderr(predicate::str::contains(
            "data.bicepparam: `using` names `data.json`, which is not an ARM template",
        ));
}

#[test]
fn module_cycles_are_input_errors_not_hangs() {
    let dir = scratch(&[
        ("a.bicep", "module b 'b.bicep' = {\n  name: 'b'\n}\n"),
        ("b.bicep", "module a 'a.bicep' = {\n  name: 'a'\n}\n"),
    ]);
    let scan = scan(dir.path());
    assert!(
        scan.errors
            .iter()
            .any(|e| e.message.contains("module cycle")),
        "{:?}",
        scan.errors
    );
}

#[test]
fn loaded_files_outside_the_scan_or_too_large_are_refused_and_missing_ones_noted() {
    let outside = scratch(&[("secret.txt", "not for the template")]);
    let outside_path = outside.path().join("secret.txt");
    let huge = "x".repeat(acr_lint::bicep::MAX_LOADED_BYTES as usize + 1);
    let dir = scratch(&[
        (
            "main.bicep",
            &format!(
                "var a = loadTextContent('{}')\nvar b = loadTextContent('huge.txt')\nvar c = loadTextContent('missing.txt')\nvar d = loadDirectoryFileInfo('{}')\n",
                outside_path.display(),
                outside.path().display()
            ),
        ),
        ("huge.txt", &huge),
    ]);
    let scan = scan(dir.path());
    let messages: Vec<&str> = scan.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("outside the scanned directories"))
            .count(),
        2,
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("larger than")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("missing.txt")),
        "{messages:?}"
    );
    assert!(
        scan.notices.iter().any(|n| n.contains("missing.txt")),
        "{:?}",
        scan.notices
    );
}

#[test]
fn a_directory_listed_above_the_file_is_read_when_the_scan_starts_there() {
    let template = "var files = loadDirectoryFileInfo('..')\n\
        resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n\
          name: 'contosoregistry'\n\
          location: 'westeurope'\n\
          sku: { name: 'Premium' }\n\
          properties: { adminUserEnabled: length(files) > 0 }\n\
        }\n";
    let dir = scratch(&[("a.json", "{}"), ("sub/main.bicep", template)]);
    acr_lint()
        .current_dir(dir.path())
        .args([".", "--select", "ACR001", "-f", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("sub/main.bicep:6:"))
        .stderr(predicate::str::contains("cannot be read").not());
}

#[test]
fn registry_modules_are_read_from_the_restore_cache() {
    let home = scratch(&[(CACHED_MODULE_PATH, CACHED_MODULE)]);
    let dir = scratch(&[("main.bicep", REGISTRY_MODULE_CALL)]);
    assert_admin_finding(dir.path(), home.path(), "registry `registry/registry`");
}

/// The scan of `dir` with the restore cache below `home` finds the admin user enabled at the
/// module call's value, in a message naming `what`.
fn assert_admin_finding(dir: &Path, home: &Path, what: &str) {
    scan_admin_rule(dir, home, false)
        .code(1)
        .stdout(predicate::str::contains(format!(
            "main.bicep:5:26: error[ACR001] {what}"
        )));
}

const UNCACHED_NOTE: &str = "module `registry`: module `br/public:avm/res/container-registry/registry:0.1.0` is not in the Bicep restore cache";

/// `acr-lint DIR --format concise --select ACR001` with the Bicep restore cache below `home`.
fn scan_admin_rule(dir: &Path, home: &Path, show_unknown: bool) -> assert_cmd::assert::Assert {
    let mut command = acr_lint();
    command
        .arg(dir)
        .args(["--format", "concise", "--select", "ACR001"])
        .env("HOME", home);
    if show_unknown {
        command.arg("--show-unknown");
    }
    command.assert()
}

#[test]
fn registry_modules_missing_from_the_cache_are_named_with_show_unknown_never_findings() {
    let home = scratch(&[]);
    let dir = scratch(&[("main.bicep", REGISTRY_MODULE_CALL)]);
    for format in ["concise", "pretty", "json", "sarif"] {
        let run = acr_lint()
            .arg(dir.path())
            .args(["--format", format, "--select", "ACR001", "--show-unknown"])
            .env("HOME", home.path())
            .assert()
            .code(0)
            .stderr(predicate::str::contains(UNCACHED_NOTE));
        if format == "concise" {
            run.stdout(predicate::str::contains("ACR001").not());
        }
    }
}

#[test]
fn registry_modules_missing_from_the_cache_are_counted_and_named_only_with_show_unknown() {
    let home = scratch(&[]);
    let dir = scratch(&[
        ("main.bicep", REGISTRY_MODULE_CALL),
        // A local module file that does not exist is noted on every scan, as in Terraform.
        (
            "other/main.bicep",
            "module gone 'gone.bicep' = {\n  name: 'gone'\n}\n",
        ),
    ]);
    for format in ["concise", "pretty", "json", "sarif"] {
        acr_lint()
            .arg(dir.path())
            .args(["--format", format, "--select", "ACR001"])
            .env("HOME", home.path())
            .assert()
            .code(0)
            .stderr(predicate::str::contains("restore cache").not())
            .stderr(predicate::str::contains(
                "module `gone`: module file `gone.bicep` does not exist",
            ));
    }
    // A clean result is not taken for a checked one: the human summaries count them.
    let unread = "1 Bicep registry module could not be read, so what it deploys is not checked";
    for (format, counted) in [
        ("pretty", format!("{unread} (`--show-unknown` names them).")),
        ("markdown", format!("{unread}.")),
    ] {
        acr_lint()
            .arg(dir.path())
            .args(["--format", format, "--select", "ACR001"])
            .env("HOME", home.path())
            .assert()
            .stdout(predicate::str::contains(counted));
    }
    // Named one by one instead with `--show-unknown`.
    acr_lint()
        .arg(dir.path())
        .args(["--select", "ACR001", "--show-unknown"])
        .env("HOME", home.path())
        .assert()
        .stdout(predicate::str::contains("could not be read").not())
        .stderr(predicate::str::contains("not in the Bicep restore cache"));
}

#[test]
fn compiled_json_keeps_what_only_it_reveals() {
    // The compiled template inlines the registry module the Bicep side cannot read.
    let compiled = format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "metadata": {{"_generator": {{"name": "bicep", "version": "0.30.23.60470"}}}},
  "resources": {{
    "registry": {{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "registry",
      "properties": {{
        "expressionEvaluationOptions": {{"scope": "inner"}},
        "mode": "Incremental",
        "parameters": {{"name": {{"value": "contosoregistry"}}, "acrAdminUserEnabled": {{"value": true}}}},
        "template": {CACHED_MODULE}
      }}
    }}
  }}
}}"#
    );
    let home = scratch(&[]);
    let dir = scratch(&[
        ("main.bicep", REGISTRY_MODULE_CALL),
        ("main.json", &compiled),
    ]);
    let output = acr_lint()
        .arg(dir.path())
        .args(["--format", "concise", "--select", "ACR001"])
        .env("HOME", home.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let findings: Vec<&str> = stdout.lines().filter(|l| l.contains("ACR001")).collect();
    assert_eq!(findings.len(), 1, "{stdout}");
    assert!(findings[0].contains("main.json:14:"), "{stdout}");
}

#[test]
fn compiled_json_beside_its_source_is_reported_once_at_the_bicep_text() {
    let case = common::repo().join("testdata/bicep/acr001/compiled-json");
    let scan = scan(&case);
    assert_eq!(lines_of(&scan, &case, "ACR001"), ["main.bicep:8:23"]);
    assert_eq!(scan.registries, 1);
}

#[test]
fn a_bicep_file_used_as_a_module_is_reported_through_its_callers() {
    let case = common::repo().join("testdata/bicep/acr001/module");
    let scan = scan(&case);
    let mut registries: Vec<&str> = scan
        .findings
        .iter()
        .filter(|f| f.rule.id == "ACR003")
        .map(|f| &*f.resource)
        .collect();
    registries.sort();
    assert_eq!(registries, ["quiet/acr", "registry/acr"]);
}

#[test]
fn a_module_read_with_its_own_parameters_files_is_still_reported_through_its_callers() {
    let module = std::fs::read_to_string(
        common::repo().join("testdata/bicep/acr001/module/modules/registry.bicep"),
    )
    .expect("the module");
    let dir = scratch(&[
        (
            "main.bicep",
            "module registry 'modules/registry.bicep' = {\n  name: 'registry'\n}\n",
        ),
        ("modules/registry.bicep", &module),
        (
            "modules/registry.bicepparam",
            "using './registry.bicep'\n\nparam adminEnabled = true\n",
        ),
        (
            "modules/registry.parameters.json",
            r#"{"parameters": {"adminEnabled": {"value": true}}}"#,
        ),
    ]);
    let scan = scan(dir.path());
    let registries: Vec<&str> = scan
        .findings
        .iter()
        .filter(|f| f.rule.id == "ACR003")
        .map(|f| &*f.resource)
        .collect();
    assert_eq!(registries, ["registry/acr"]);
    assert!(!scan.findings.iter().any(|f| f.rule.id == "ACR001"));
}

#[test]
fn secure_parameter_values_from_bicepparam_files_are_not_shown() {
    let dir = scratch(&[
        (
            "main.bicep",
            "@secure()\nparam password string\n\noutput shown string = password\n",
        ),
        (
            "main.bicepparam",
            "using './main.bicep'\n\nparam password = 'hunter2-very-secret'\n",
        ),
    ]);
    acr_lint()
        .arg(dir.path())
        .args(["--format", "json", "--show-unknown"])
        .assert()
        .stdout(predicate::str::contains("hunter2").not());
}

#[test]
fn registry_module_aliases_come_from_bicepconfig() {
    let home = scratch(&[(
        ".bicep/br/contoso.azurecr.io/bicep$modules$acr/v1$/main.json",
        CACHED_MODULE,
    )]);
    let dir = scratch(&[
        (
            "bicepconfig.json",
            r#"{"moduleAliases": {"br": {"contoso": {"registry": "contoso.azurecr.io", "modulePath": "bicep/modules"}}}}"#,
        ),
        (
            "infra/main.bicep",
            &REGISTRY_MODULE_CALL.replace(
                "br/public:avm/res/container-registry/registry:0.1.0",
                "br/contoso:acr:v1",
            ),
        ),
    ]);
    assert_admin_finding(dir.path(), home.path(), "registry `registry/registry`");
}

#[test]
fn suppressions_that_cannot_be_read_in_a_module_of_a_module_are_reported_whatever_the_file_names() {
    let leaf = "// acr-lint:ignore ACR999 reason=\"x\"
resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'leafacr'
  location: 'westeurope'
  // acr-lint:ignore ACR206
  sku: { name: 'Basic' }
}
";
    let middle = "module leaf 'sub/leaf.bicep' = {\n  name: 'leaf'\n}\n";
    let top = "module middle 'middle.bicep' = {\n  name: 'middle'\n}\n";
    // The top file is read before the module it calls, then after it.
    for top_name in ["a.bicep", "z.bicep"] {
        let dir = scratch(&[
            (top_name, top),
            ("middle.bicep", middle),
            ("sub/leaf.bicep", leaf),
        ]);
        let scan = scan(dir.path());
        let unknown = lines_of(&scan, dir.path(), "ACR902");
        let malformed = lines_of(&scan, dir.path(), "ACR901");
        assert_eq!(unknown, ["sub/leaf.bicep:1:1"], "{top_name}");
        assert_eq!(malformed, ["sub/leaf.bicep:5:3"], "{top_name}");
    }
}

const JSON_MODULE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "jsonregistry",
      "location": "westeurope",
      "sku": {"name": "Premium"},
      "properties": {"adminUserEnabled": true}
    }
  ]
}
"#;

#[test]
fn help_is_written_in_the_syntax_of_the_text_a_finding_points_at() {
    let dir = scratch(&[
        (
            "main.bicep",
            &format!(
                "{}\nmodule fromJson 'registry.json' = {{\n  name: 'fromJson'\n}}\n",
                ADMIN_REGISTRY.replace("adminEnabled bool = false", "adminEnabled bool = true")
            ),
        ),
        ("registry.json", JSON_MODULE),
        (
            "broken.bicep",
            "// acr-lint:ignore ACR001 reason=\"unterminated\nresource r 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  name: 'brokenname'\n}\n",
        ),
    ]);
    let scan = scan(dir.path());
    let help = |resource: &str, rule: &str| {
        scan.findings
            .iter()
            .find(|f| *f.resource == *resource && f.rule.id == rule)
            .map(|f| f.help)
            .unwrap_or_else(|| {
                panic!(
                    "{rule} on `{resource}` in {:?}",
                    common::finding_lines(&scan, dir.path())
                )
            })
    };
    assert_eq!(
        help("acr", "ACR001"),
        "set `adminUserEnabled: false` (or remove it) and grant AcrPull/AcrPush to identities"
    );
    assert_eq!(
        help("acr", "ACR003"),
        "add `identity: { type: 'SystemAssigned' }` to the registry resource"
    );
    assert_eq!(
        help("fromJson/jsonregistry", "ACR001"),
        "set `\"adminUserEnabled\": false` (or remove it) and grant AcrPull/AcrPush to identities"
    );
    let malformed = scan
        .findings
        .iter()
        .find(|f| f.rule.id == "ACR901")
        .expect("the malformed suppression is reported");
    assert!(
        malformed
            .help
            .starts_with("write `// acr-lint:ignore ACR001"),
        "{}",
        malformed.help
    );
}

#[test]
fn import_cycles_are_input_errors_at_the_import_not_hangs() {
    let dir = scratch(&[
        (
            "a.bicep",
            "import { b } from 'b.bicep'\n@export()\nvar a = b\n",
        ),
        (
            "b.bicep",
            "import { a } from 'a.bicep'\n@export()\nvar b = a\n",
        ),
        (
            "self.bicep",
            "import * as me from 'self.bicep'\nvar x = me.x\n",
        ),
    ]);
    let scan = scan(dir.path());
    assert_eq!(
        error_positions(&scan, "import cycle"),
        ["a.bicep:1:19", "b.bicep:1:19", "self.bicep:1:21"],
        "{:?}",
        scan.errors
    );
}

/// The input errors whose message contains `what`, as `file:line:column` (the file's name
/// alone), sorted.
fn error_positions(scan: &Scan, what: &str) -> Vec<String> {
    let mut found: Vec<String> = scan
        .errors
        .iter()
        .filter(|e| e.message.contains(what))
        .map(|e| {
            let start = scan.sources.start(e.span.expect("a position"));
            let file = e.path.rsplit('/').next().unwrap_or(&e.path);
            format!("{file}:{}:{}", start.line, start.column)
        })
        .collect();
    found.sort();
    found
}

const IMPORTING_REGISTRY: &str =
    "import { adminEnabled } from 'br/public:avm/utl/types/acr-defaults:0.1.0'

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  properties: {
    adminUserEnabled: adminEnabled
  }
}
";

const CACHED_EXPORTS: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "metadata": {"__bicep_exported_variables!": [{"name": "adminEnabled"}]},
  "variables": {"adminEnabled": true},
  "resources": {}
}
"#;

#[test]
fn registry_imports_are_read_from_the_restore_cache_or_named_undecided() {
    let home = scratch(&[(
        ".bicep/br/mcr.microsoft.com/bicep$avm$utl$types$acr-defaults/0.1.0$/main.json",
        CACHED_EXPORTS,
    )]);
    let dir = scratch(&[("main.bicep", IMPORTING_REGISTRY)]);
    scan_admin_rule(dir.path(), home.path(), false)
        .code(1)
        .stdout(predicate::str::contains("main.json:6:33: error[ACR001]"));
    let empty = scratch(&[]);
    scan_admin_rule(dir.path(), empty.path(), true)
        .code(0)
        .stdout(predicate::str::contains("error[ACR001]").not())
        .stdout(predicate::str::contains(
            "`adminEnabled` is imported from `br/public:avm/utl/types/acr-defaults:0.1.0`: it is not in the Bicep restore cache",
        ));
}

#[test]
fn extends_cycles_and_missing_files_are_input_errors_at_the_path() {
    let dir = scratch(&[
        ("main.bicep", ADMIN_REGISTRY),
        (
            "dev.bicepparam",
            "using 'main.bicep'\nextends 'base.bicepparam'\nparam adminEnabled = false\n",
        ),
        (
            "base.bicepparam",
            "using none\nextends 'dev.bicepparam'\nparam adminEnabled = true\n",
        ),
        (
            "prod.bicepparam",
            "using 'main.bicep'\nextends 'missing.bicepparam'\n",
        ),
    ]);
    let scan = scan(dir.path());
    assert_eq!(
        error_positions(&scan, "`extends` cycle"),
        ["base.bicepparam:2:9"],
        "{:?}",
        scan.errors
    );
    assert_eq!(
        error_positions(&scan, "cannot be read"),
        ["prod.bicepparam:2:9"],
        "{:?}",
        scan.errors
    );
    assert_eq!(scan.errors.len(), 2, "{:?}", scan.errors);
    // The values of the files before the cycle still apply: dev's own value overrides.
    assert!(lines_of(&scan, dir.path(), "ACR001").is_empty());
}

#[test]
fn a_spread_in_a_resource_or_module_body_is_an_input_error_as_in_the_compiler() {
    let dir = scratch(&[(
        "main.bicep",
        "var common = {\n  properties: {\n    adminUserEnabled: true\n  }\n}\n\nresource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  ...common\n  name: 'contosoregistry'\n}\n\nmodule mod 'mod.bicep' = {\n  name: 'mod'\n  params: {\n    ...common\n  }\n}\n",
    )]);
    acr_lint()
        .arg(dir.path())
        .args(["--format", "concise"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("main.bicep:8:3"))
        .stderr(predicate::str::contains(
            "is not permitted in this location",
        ));
}

/// A directory of Bicep files that call each other as modules, pass parameters to each other
/// and stand alone.
fn calling_files() -> tempfile::TempDir {
    let open_registry = ADMIN_REGISTRY.replace("bool = false", "bool = true");
    scratch(&[
        ("registry.bicep", ADMIN_REGISTRY),
        (
            "registry.parameters.json",
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {"adminEnabled": {"value": true}}}"#,
        ),
        (
            "registry.bicepparam",
            "using 'registry.bicep'\n\nparam adminEnabled = true\n",
        ),
        (
            "caller.bicep",
            "module r 'registry.bicep' = {\n  name: 'r'\n  params: {\n    adminEnabled: true\n  }\n}\n",
        ),
        (
            "top.bicep",
            "module c './caller.bicep' = {\n  name: 'c'\n}\n",
        ),
        ("shared.bicep", &open_registry),
        (
            "other.bicep",
            "module s 'shared.bicep' = {\n  name: 's'\n}\n",
        ),
        ("other.bicepparam", "using 'other.bicep'\n"),
        ("lone.bicep", &open_registry),
        (
            "noisy.bicep",
            "module m 'missing.bicep' = {\n  name: 'm'\n}\n",
        ),
        ("inner.bicep", ADMIN_REGISTRY),
        (
            "outer.bicep",
            "param admin bool = false\n\nmodule i 'inner.bicep' = {\n  name: 'i'\n  params: {\n    adminEnabled: admin\n  }\n}\n",
        ),
        (
            "outer.parameters.json",
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {"admin": {"value": true}}}"#,
        ),
    ])
}

#[test]
fn bicep_and_parameters_files_given_by_name_are_reported_as_in_a_scan_of_their_directory() {
    let dir = calling_files();
    let whole_scan = scan(dir.path());
    let whole = common::finding_lines(&whole_scan, dir.path());
    let names = [
        "registry.bicep",
        "registry.bicepparam",
        "caller.bicep",
        "top.bicep",
        "shared.bicep",
        "other.bicep",
        "other.bicepparam",
        "lone.bicep",
        "noisy.bicep",
        "inner.bicep",
        "outer.bicep",
        "registry.parameters.json",
        "outer.parameters.json",
    ];
    let mut reported = 0;
    for name in names {
        let alone = scan(&dir.path().join(name));
        reported += common::assert_reports_as_the_scan(&whole_scan, &alone, dir.path(), name);
    }
    assert!(reported >= whole.len());
    for reached in [
        "registry.bicep:",
        "caller.bicep:",
        "shared.bicep:",
        "lone.bicep:",
        "outer.parameters.json:",
    ] {
        assert!(whole.iter().any(|l| l.starts_with(reached)), "{reached}");
    }
}

/// The resources a Bicep template deploys through its modules are its own, whether the module
/// lies beside it or in another directory: given by name, it reports what they declare (and
/// counts their results that do not apply), as a Terraform file reports what its module calls
/// create.
/// A `.bicepparam` file given alone reports only what lies in it.
#[test]
fn a_bicep_file_given_by_name_reports_what_its_modules_declare_beside_it_or_elsewhere() {
    let registry = "param name string\n\nresource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  name: name\n  location: 'westeurope'\n  sku: { name: 'Premium' }\n  properties: { adminUserEnabled: true }\n}\n";
    let main = "module far '../modules/registry.bicep' = {\n  name: 'far'\n  params: { name: 'acrfar0001' }\n}\n\nmodule near 'local.bicep' = {\n  name: 'near'\n  params: { name: 'acrnear001' }\n}\n";
    let dir = common::scratch(&[
        ("modules/registry.bicep", registry.as_bytes()),
        ("infra/local.bicep", registry.as_bytes()),
        ("infra/main.bicep", main.as_bytes()),
    ]);
    let admin = |given: &str| {
        let scan = scan(&dir.path().join(given));
        (
            lines_of(&scan, dir.path(), "ACR001"),
            scan.not_applicable.len(),
        )
    };
    let (from_main, main_not_applicable) = admin("infra/main.bicep");
    assert_eq!(
        from_main,
        ["infra/local.bicep:7:35", "modules/registry.bicep:7:35"]
    );
    let (from_directory, directory_not_applicable) = admin("infra");
    assert_eq!(from_directory, from_main);
    assert!(main_not_applicable > 0);
    assert_eq!(main_not_applicable, directory_not_applicable);
    assert_eq!(admin("infra/local.bicep").0, ["infra/local.bicep:7:35"]);
    std::fs::write(
        dir.path().join("infra/main.bicepparam"),
        "using 'main.bicep'\n",
    )
    .expect("parameters file");
    assert_eq!(admin("infra/main.bicepparam").0, Vec::<String>::new());
    assert_eq!(admin("infra/main.bicep").0, from_main);
}

#[test]
fn a_bicep_file_given_by_name_reads_only_the_files_of_its_directory_that_it_takes_part_with() {
    let dir = calling_files();
    let read = |name: &str| {
        let scan = scan(&dir.path().join(name));
        let mut read: Vec<String> = scan
            .sources
            .iter()
            .filter_map(|f| Some(f.path.file_name()?.to_string_lossy().into_owned()))
            .collect();
        read.sort();
        (read, scan.notices, scan.registries)
    };
    let (files, notices, registries) = read("lone.bicep");
    assert_eq!(files, ["lone.bicep"]);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(registries, 1);
    let (files, notices, _) = read("registry.bicep");
    let taken = [
        "caller.bicep",
        "registry.bicep",
        "registry.bicepparam",
        "registry.parameters.json",
        "top.bicep",
    ];
    assert_eq!(files, taken);
    assert!(notices.is_empty(), "{notices:?}");
    let (files, _, _) = read("other.bicepparam");
    assert_eq!(files, ["other.bicep", "other.bicepparam", "shared.bicep"]);
    let (_, notices, _) = read("noisy.bicep");
    assert!(
        notices.iter().any(|n| n.contains("missing.bicep")),
        "{notices:?}"
    );
}

#[test]
fn loaded_json_values_point_into_their_file_and_stay_text() {
    let dir = scratch(&[
        (
            "main.bicep",
            "var s = loadJsonContent('s.json')
var first = loadJsonContent('s.json', '$.registries[0]')

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: s.name
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  tags: s.tags
  properties: {
    adminUserEnabled: first.admin
    anonymousPullEnabled: loadJsonContent('s.json').Registries[0]['anonymous']
  }
}
",
        ),
        (
            "s.json",
            "{\n  \"name\": \"[registry]\",\n  \"tags\": {\"[key]\": \"[value]\"},\n  \"registries\": [{\"admin\": true, \"anonymous\": true}]\n}\n",
        ),
    ]);
    let output = acr_lint::bicep::read_file(&dir.path().join("main.bicep"), dir.path());
    assert!(output.errors.is_empty(), "{:?}", output.errors);
    let [registry] = output.resources.as_slice() else {
        panic!("one registry: {:?}", output.resources);
    };
    let text = |path: &str| match registry.body.lookup(path) {
        acr_lint::model::Lookup::Found(node) => node.as_str().map(str::to_string),
        _ => None,
    };
    assert_eq!(text("name").as_deref(), Some("[registry]"));
    assert_eq!(text("tags.[key]").as_deref(), Some("[value]"));
    let scan = scan(dir.path());
    assert_eq!(lines_of(&scan, dir.path(), "ACR001"), ["s.json:4:28"]);
    assert_eq!(lines_of(&scan, dir.path(), "ACR002"), ["s.json:4:47"]);
    assert_eq!(scan.files_scanned, 2);
}

#[test]
fn loaded_json_past_the_budget_is_read_as_the_expression_it_compiles_to_and_left_undecided() {
    let padding = "x".repeat(acr_lint::bicep::MAX_DATA_BYTES);
    let dir = scratch(&[
        (
            "main.bicep",
            &ADMIN_REGISTRY.replace(
                "param adminEnabled bool = false",
                "var adminEnabled = loadJsonContent('s.json').admin",
            ),
        ),
        (
            "s.json",
            &format!("{{\"padding\": \"{padding}\", \"admin\": true}}"),
        ),
    ]);
    let scan = scan(dir.path());
    assert_eq!(lines_of(&scan, dir.path(), "ACR001"), Vec::<String>::new());
    let undecided: Vec<&str> = scan.unknown.iter().map(|u| u.rule.id).collect();
    assert!(undecided.contains(&"ACR001"), "{undecided:?}");
}

#[test]
fn a_pipeline_token_in_a_parameter_default_leaves_what_it_names_undecided() {
    for case in [
        "testdata/bicep/acr405/pipeline-token-default",
        "testdata/arm/acr405/pipeline-token-default",
    ] {
        let dir = common::repo().join(case);
        let scan = scan(&dir);
        assert_eq!(
            lines_of(&scan, &dir, "ACR405"),
            Vec::<String>::new(),
            "{case}"
        );
        let reasons: Vec<&str> = scan
            .unknown
            .iter()
            .filter(|undecided| undecided.rule.id == "ACR405")
            .map(|undecided| &*undecided.reason)
            .collect();
        assert_eq!(
            reasons,
            [
                "the default of parameter `namePrefix` holds `#_namePrefix_#`, a token replaced before deployment"
            ],
            "{case}"
        );
    }
}

#[test]
fn a_module_its_callers_in_several_files_name_alike_is_reported_once() {
    let module = "resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {\n  \
                  name: 'contosoregistry'\n  location: 'westeurope'\n  sku: {\n    name: 'Premium'\n  }\n  \
                  properties: {\n    adminUserEnabled: true\n  }\n}\n";
    let call = |name: &str| {
        format!("module {name} '../modules/registry.bicep' = {{\n  name: '{name}'\n}}\n")
    };
    let suppressed = format!(
        "// acr-lint:ignore ACR001 reason=\"a lab\"\n{}",
        call("other")
    );
    let dir = scratch(&[
        ("modules/registry.bicep", module),
        ("dev/main.bicep", &call("registry")),
        ("test/main.bicep", &call("registry")),
        ("lab/main.bicep", &call("other")),
        ("lab2/main.bicep", &suppressed),
    ]);
    let scan = scan(dir.path());
    let mut admin: Vec<&str> = scan
        .findings
        .iter()
        .filter(|f| f.rule.id == "ACR001")
        .map(|f| &*f.resource)
        .collect();
    admin.sort();
    // Two callers name the module `registry`: one finding. `other` is called twice, once under
    // a suppression: the call without one is still reported.
    assert_eq!(admin, ["other/acr", "registry/acr"]);
    assert_eq!(scan.suppressed.len(), 1);
}
