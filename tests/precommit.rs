//! Checking only the files of a commit: each given file is evaluated with the rest of its
//! Terraform module, and only findings in the given files are reported. Then the real
//! `pre-commit`, with this repository's `.pre-commit-hooks.yaml` as the hook source.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use assert_cmd::Command as BinCommand;

mod common;
use serde_json::Value;

const REGISTRY: &str = r#"resource "azurerm_container_registry" "acr" {
  name                = "acrexample001"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = ADMIN
}
"#;

const VARIABLES: &str = "variable \"admin\" {\n  default = DEFAULT\n}\n";

const OUTPUTS: &str = r#"output "acr_admin_password" {
  value = azurerm_container_registry.acr.admin_password
}
"#;

fn write_module(dir: &Path, admin: &str, default: &str) {
    fs::write(dir.join("main.tf"), REGISTRY.replace("ADMIN", admin)).expect("main.tf");
    fs::write(
        dir.join("variables.tf"),
        VARIABLES.replace("DEFAULT", default),
    )
    .expect("variables.tf");
}

/// `acr-lint -f json ARGS` in `dir`: the findings as `file RULE`, and the summary.
fn json_findings(dir: &Path, args: &[&str]) -> (Vec<String>, Value) {
    let output = BinCommand::cargo_bin("acr-lint")
        .expect("binary built")
        .current_dir(dir)
        .args(["-f", "json"])
        .args(args)
        .output()
        .expect("acr-lint runs");
    json_report(&output.stdout)
}

/// A JSON report's findings as `file RULE`, and its summary.
fn json_report(stdout: &[u8]) -> (Vec<String>, Value) {
    let report: Value = serde_json::from_slice(stdout).expect("JSON report");
    let findings = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["location"]["file"].as_str().unwrap_or("?"),
                f["rule"].as_str().unwrap_or("?")
            )
        })
        .collect();
    (findings, report["summary"].clone())
}

fn a_given_file_is_evaluated_with_its_module() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write_module(dir.path(), "var.admin", "true");
    fs::write(dir.path().join("outputs.tf"), OUTPUTS).expect("outputs.tf");

    // The registry in main.tf takes the admin user from the default in variables.tf: the
    // finding points at that default, and is reported because the registry is in main.tf.
    let (findings, summary) = json_findings(dir.path(), &["main.tf"]);
    assert!(
        findings.contains(&"variables.tf ACR001".to_string()),
        "{findings:?}"
    );
    assert!(
        findings.contains(&"main.tf ACR003".to_string()),
        "{findings:?}"
    );
    // The output in outputs.tf leaks a credential, but outputs.tf was not given.
    assert!(
        !findings.iter().any(|f| f.contains("ACR501")),
        "{findings:?}"
    );
    assert!(
        !findings.iter().any(|f| f.starts_with("outputs.tf")),
        "{findings:?}"
    );
    assert_eq!(summary["files_scanned"], 1);

    let (findings, _) = json_findings(dir.path(), &["outputs.tf"]);
    assert_eq!(findings, ["outputs.tf ACR501"]);

    // A default turned on in variables.tf alone is found through the registry that uses it.
    let (findings, _) = json_findings(dir.path(), &["variables.tf"]);
    assert_eq!(findings, ["variables.tf ACR001"]);

    // The whole directory reports everything.
    let (findings, summary) = json_findings(dir.path(), &["."]);
    assert!(
        findings.contains(&"outputs.tf ACR501".to_string()),
        "{findings:?}"
    );
    assert_eq!(summary["files_scanned"], 3);
}

/// A role assignment in the given file, on a registry declared in a sibling, is checked; the
/// registry's own findings, all in the sibling, are not reported.
fn a_given_file_reports_what_it_grants_on_a_sibling_registry() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write_module(dir.path(), "var.admin", "true");
    let assignment = r#"resource "azurerm_role_assignment" "ci" {
  scope                = azurerm_container_registry.acr.id
  role_definition_name = "Contributor"
  principal_id         = "11111111-1111-1111-1111-111111111111"
}
"#;
    fs::write(dir.path().join("roles.tf"), assignment).expect("roles.tf");

    let (findings, summary) = json_findings(dir.path(), &["roles.tf"]);
    assert_eq!(findings, ["roles.tf ACR007"]);
    assert_eq!(summary["unknown"], 0, "{summary}");

    let (findings, _) = json_findings(dir.path(), &["variables.tf", "roles.tf"]);
    assert_eq!(findings, ["roles.tf ACR007", "variables.tf ACR001"]);
}

fn a_given_file_with_a_broken_sibling_is_still_checked() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write_module(dir.path(), "true", "false");
    fs::write(dir.path().join("broken.tf"), "resource {").expect("broken.tf");
    let output = BinCommand::cargo_bin("acr-lint")
        .expect("binary built")
        .current_dir(dir.path())
        .args(["-f", "concise", "--fail-on", "error", "main.tf"])
        .output()
        .expect("acr-lint runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("main.tf:6:25: error[ACR001]"), "{stdout}");
    // The sibling's syntax error belongs to a file that was not given.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "adminEnabled": { "type": "bool", "defaultValue": false } },
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "acrexample001",
      "location": "westeurope",
      "sku": { "name": "Premium" },
      "properties": { "adminUserEnabled": "[parameters('adminEnabled')]" }
    }
  ]
}
"#;

const PARAMETERS: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "adminEnabled": { "value": true } }
}
"#;

fn a_given_template_is_evaluated_with_its_parameters_files() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join("azuredeploy.json"), TEMPLATE).expect("template");
    fs::write(dir.path().join("azuredeploy.parameters.json"), PARAMETERS).expect("parameters");
    fs::write(dir.path().join("other.json"), TEMPLATE).expect("unrelated template");
    // The parameters file turns the admin user on, whichever of the pair is given.
    for given in ["azuredeploy.json", "azuredeploy.parameters.json"] {
        let (findings, summary) = json_findings(dir.path(), &[given]);
        assert!(
            findings.contains(&"azuredeploy.parameters.json ACR001".to_string()),
            "{given}: {findings:?}"
        );
        assert!(
            !findings.iter().any(|f| f.starts_with("other.json")),
            "{findings:?}"
        );
        assert_eq!(summary["files_scanned"], 1);
    }
}

const BICEP: &str = r#"param adminEnabled bool = false

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acrexample001'
  location: 'westeurope'
  sku: { name: 'Premium' }
  properties: { adminUserEnabled: adminEnabled }
}
"#;

/// Files the ignore files leave out (a developer's own `terraform.tfvars`, parameters files of
/// a `parameters` directory) are read neither by a scan of their directory nor with a file
/// given beside them, so pre-commit and the scan agree and nothing uncommitted blocks a commit.
fn ignored_files_are_read_neither_by_a_scan_nor_with_a_given_file() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write_module(dir.path(), "var.admin", "false");
    fs::write(dir.path().join("terraform.tfvars"), "admin = true\n").expect("tfvars");
    fs::create_dir_all(dir.path().join("hub/parameters")).expect("directories");
    fs::write(dir.path().join("hub/hub.bicep"), BICEP).expect("template");
    let parameters = "hub/parameters/hub.parameters.json";
    fs::write(dir.path().join(parameters), PARAMETERS).expect("parameters");
    let read_everywhere = |expected: &[&str]| {
        for given in [&["."][..], &["main.tf", "hub/hub.bicep"]] {
            let args = [&["--select", "ACR001"][..], given].concat();
            let (findings, _) = json_findings(dir.path(), &args);
            assert_eq!(findings, expected, "{given:?}");
        }
    };
    read_everywhere(&[
        "hub/parameters/hub.parameters.json ACR001",
        "terraform.tfvars ACR001",
    ]);
    fs::write(dir.path().join(".gitignore"), "terraform.tfvars\n").expect(".gitignore");
    fs::write(dir.path().join("hub/.ignore"), "parameters/*.json\n").expect(".ignore");
    read_everywhere(&[]);
}

/// `--no-ignore` (or `respect-ignore-files: false` in the configuration) reads what the ignore
/// files leave out, wherever acr-lint lists a directory: in a scan, beside a file given by name,
/// among the `.bicepparam` files that name a given template, and among the Terraform modules
/// that read a given data file.
fn no_ignore_reads_what_ignore_files_leave_out() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for directory in [".git", "hub", "deploy", "infra/terraform", "shared"] {
        fs::create_dir_all(dir.path().join(directory)).expect("directories");
    }
    write_module(dir.path(), "var.admin", "false");
    fs::write(dir.path().join("terraform.tfvars"), "admin = true\n").expect("tfvars");
    fs::write(dir.path().join("hub/hub.bicep"), BICEP).expect("template");
    let bicepparam = "using '../hub/hub.bicep'\n\nparam adminEnabled = true\n";
    fs::write(dir.path().join("deploy/prod.bicepparam"), bicepparam).expect("parameters");
    let reads_settings = "yamldecode(file(\"${path.module}/../../shared/registry.yaml\")).admin";
    let terraform = REGISTRY.replace("ADMIN", reads_settings);
    fs::write(dir.path().join("infra/terraform/main.tf"), terraform).expect("module");
    fs::write(dir.path().join("shared/registry.yaml"), "admin: true\n").expect("settings");
    let ignores = "terraform.tfvars\ndeploy/\ninfra/\n";
    fs::write(dir.path().join(".gitignore"), ignores).expect(".gitignore");
    let given_alone = [
        ("main.tf", "terraform.tfvars ACR001"),
        ("hub/hub.bicep", "deploy/prod.bicepparam ACR001"),
        ("shared/registry.yaml", "shared/registry.yaml ACR001"),
    ];
    let everything = [
        "deploy/prod.bicepparam ACR001",
        "shared/registry.yaml ACR001",
        "terraform.tfvars ACR001",
    ];
    let check = |extra: &[&str], read: bool| {
        let rules = [&["--select", "ACR001"], extra].concat();
        let (findings, _) = json_findings(dir.path(), &[&rules[..], &["."]].concat());
        let expected: &[&str] = if read { &everything } else { &[] };
        assert_eq!(findings, expected, "{extra:?}");
        for (given, finding) in given_alone {
            let (findings, _) = json_findings(dir.path(), &[&rules[..], &[given]].concat());
            let expected: &[&str] = if read { &[finding] } else { &[] };
            assert_eq!(findings, expected, "{given} {extra:?}");
        }
    };
    check(&[], false);
    check(&["--no-ignore"], true);
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        "respect-ignore-files: false\n",
    )
    .expect("configuration");
    check(&[], true);
    let output = BinCommand::cargo_bin("acr-lint")
        .expect("binary built")
        .current_dir(dir.path())
        .args(["config", "."])
        .output()
        .expect("acr-lint runs");
    let described = String::from_utf8_lossy(&output.stdout);
    assert!(
        described.contains("respect-ignore-files: false    # from "),
        "{described}"
    );
}

/// A directory whose files ignore files all leave out says so, and how to read them, instead of
/// saying it holds nothing acr-lint reads; files excluded by the configuration are not counted.
fn a_scan_that_ignore_files_leave_empty_says_so() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::create_dir_all(dir.path().join(".git")).expect(".git");
    fs::create_dir_all(dir.path().join("infra")).expect("infra");
    fs::write(
        dir.path().join("infra/a.tf"),
        REGISTRY.replace("ADMIN", "true"),
    )
    .expect("a.tf");
    fs::write(dir.path().join("infra/notes.txt"), "not read\n").expect("notes");
    fs::write(dir.path().join(".gitignore"), "*.tf\n").expect(".gitignore");
    let said = |args: &[&str]| {
        let output = BinCommand::cargo_bin("acr-lint")
            .expect("binary built")
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("acr-lint runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        (stdout, String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let (one, _) = said(&["infra"]);
    assert!(
        one.starts_with(
            "No files checked: the one file acr-lint would read in the paths is left out by \
             ignore files (`.gitignore`, `.ignore`, git's excludes); `--no-ignore` reads it."
        ),
        "{one}"
    );
    fs::write(
        dir.path().join("infra/b.tf"),
        REGISTRY.replace("ADMIN", "true"),
    )
    .expect("b.tf");
    let (two, _) = said(&["."]);
    assert!(
        two.contains("all 2 files acr-lint would read in the paths are left out by ignore files"),
        "{two}"
    );
    let (_, note) = said(&["infra", "-f", "json"]);
    assert!(
        note.contains("note: no files checked: all 2 files"),
        "{note}"
    );
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        "exclude: [\"infra/b.tf\"]\n",
    )
    .expect("configuration");
    let (one_left, _) = said(&["infra"]);
    assert!(
        one_left
            .contains("the one file acr-lint would read in the paths is left out by ignore files"),
        "{one_left}"
    );
    let (read, _) = said(&["--no-ignore", "--select", "ACR001", "infra"]);
    assert!(read.contains("in 1 file"), "{read}");
    fs::write(dir.path().join(".gitignore"), "").expect("no ignores");
    fs::remove_file(dir.path().join("infra/a.tf")).expect("a.tf removed");
    let (excluded, _) = said(&["infra"]);
    assert!(
        excluded.starts_with("No files checked: the one file acr-lint would read in the paths is excluded by the configuration"),
        "{excluded}"
    );
    fs::remove_file(dir.path().join("infra/b.tf")).expect("b.tf removed");
    let (none, _) = said(&["infra"]);
    assert!(
        none.starts_with("No files checked: the paths hold none of the files acr-lint reads"),
        "{none}"
    );
}

/// A module's parameters files kept in its `parameters` directory, named for variants of the
/// template (`hub.vnet.parameters.all.json` for `hub.bicep`): given either way, as pre-commit
/// gives the files of a commit, the pair is read together.
fn a_given_file_is_read_with_the_parameters_directory_beside_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let module = dir.path().join("modules/hub");
    fs::create_dir_all(module.join("parameters")).expect("directories");
    fs::write(module.join("hub.bicep"), BICEP).expect("template");
    fs::write(module.join("other.bicep"), BICEP).expect("unrelated template");
    let parameters = "modules/hub/parameters/hub.vnet.parameters.all.json";
    fs::write(dir.path().join(parameters), PARAMETERS).expect("parameters");
    for given in ["modules/hub/hub.bicep", parameters] {
        let (findings, summary) = json_findings(dir.path(), &["--select", "ACR001", given]);
        assert_eq!(
            findings,
            [format!("{parameters} ACR001")],
            "{given}: {findings:?}"
        );
        assert_eq!(summary["files_scanned"], 1, "{given}");
        assert_eq!(summary["input_errors"], 0, "{given}");
    }
    // Given or scanned from inside the `parameters` directory, or scanned alone, it is still
    // read with the template above, and shown as given.
    let inside = module.join("parameters");
    let name = "hub.vnet.parameters.all.json";
    for (directory, given, shown) in [
        (&inside, name, name),
        (&inside, "./hub.vnet.parameters.all.json", name),
        (&inside, ".", name),
        (
            &module,
            "parameters",
            "parameters/hub.vnet.parameters.all.json",
        ),
    ] {
        let (findings, summary) = json_findings(directory, &["--select", "ACR001", given]);
        assert_eq!(
            findings,
            [format!("{shown} ACR001")],
            "{given}: {findings:?}"
        );
        assert_eq!(summary["input_errors"], 0, "{given}");
    }
}

/// A parameters file that names its template in `metadata.template`, from the top of the
/// repository, in a directory of its own: either file given alone (from the top or from below
/// it) is read with the other, as in a scan; a name that leads nowhere is an input error at the
/// name.
fn a_parameters_file_is_read_with_the_template_its_metadata_names() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for directory in [".git", "infra", ".github/deploy"] {
        fs::create_dir_all(dir.path().join(directory)).expect("directories");
    }
    fs::write(dir.path().join("infra/main.bicep"), BICEP).expect("template");
    let linked = PARAMETERS.replace(
        r#""contentVersion": "1.0.0.0","#,
        r#""contentVersion": "1.0.0.0", "metadata": { "template": "infra/main.bicep" },"#,
    );
    let parameters = ".github/deploy/prod.parameters.json";
    fs::write(dir.path().join(parameters), &linked).expect("parameters");
    let expected = [format!("{parameters} ACR001")];
    // The template given alone is read with it too, found below the top of the repository.
    for given in [parameters, ".", "infra/main.bicep"] {
        let (findings, summary) = json_findings(dir.path(), &["--select", "ACR001", given]);
        assert_eq!(findings, expected, "{given}");
        assert_eq!(summary["input_errors"], 0, "{given}");
    }
    let below = dir.path().join(".github");
    let (findings, _) = json_findings(
        &below,
        &["--select", "ACR001", "deploy/prod.parameters.json"],
    );
    assert_eq!(findings, ["deploy/prod.parameters.json ACR001"]);

    let broken = linked.replace("infra/main.bicep", "infra/missing.bicep");
    fs::write(dir.path().join(parameters), broken).expect("parameters");
    let output = BinCommand::cargo_bin("acr-lint")
        .expect("binary built")
        .current_dir(dir.path())
        .args(["-f", "concise", parameters])
        .output()
        .expect("acr-lint runs");
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    let shown = text(&output);
    assert!(shown.contains(&format!("{parameters}:3:58")), "{shown}");
    assert!(
        shown.contains("`metadata.template` names a template that does not exist"),
        "{shown}"
    );
}

/// A Bicep template that deploys its registry through a module, with a parameters file of its
/// own (`main.parameters.json`), a `.bicepparam` file beside it, one in `deploy/` and one in
/// `parameters/`: each parameters file given alone reports what lies in it, as a scan does, and
/// nothing of the template, wherever it lies, or of the module it calls (both read only as
/// context); the template given alone reports its module's findings, as those of a resource it
/// deploys, and a scan of `deploy/` those of the template its `.bicepparam` file deploys.
fn a_given_parameters_file_reports_nothing_of_its_templates_modules() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::create_dir_all(dir.path().join("modules")).expect("directories");
    fs::create_dir_all(dir.path().join("parameters")).expect("directories");
    let module = BICEP.replace("= false", "");
    fs::write(dir.path().join("modules/registry.bicep"), module).expect("module");
    let main = "param adminEnabled bool = false\n\nmodule registry 'modules/registry.bicep' = {\n  name: 'registry'\n  params: { adminEnabled: adminEnabled }\n}\n";
    fs::write(dir.path().join("main.bicep"), main).expect("template");
    fs::write(dir.path().join("main.parameters.json"), PARAMETERS).expect("parameters");
    let prod = "parameters/main.parameters.prod.json";
    fs::write(dir.path().join(prod), PARAMETERS).expect("parameters");
    let bicepparam = "using 'main.bicep'\n\nparam adminEnabled = true\n";
    fs::write(dir.path().join("main.bicepparam"), bicepparam).expect("parameters");
    fs::create_dir_all(dir.path().join("deploy")).expect("directories");
    let elsewhere = "deploy/prod.bicepparam";
    let using_parent = bicepparam.replace("'main.bicep'", "'../main.bicep'");
    fs::write(dir.path().join(elsewhere), using_parent).expect("parameters");
    let rules = ["--select", "ACR001,ACR003"];
    for given in ["main.parameters.json", prod, "main.bicepparam", elsewhere] {
        let (findings, _) = json_findings(dir.path(), &[&rules[..], &[given]].concat());
        assert_eq!(findings, [format!("{given} ACR001")], "{given}");
    }
    let (findings, _) = json_findings(dir.path(), &[&rules[..], &["deploy"]].concat());
    assert_eq!(
        findings,
        [
            "deploy/prod.bicepparam ACR001",
            "modules/registry.bicep ACR003"
        ]
    );
    let (findings, _) = json_findings(dir.path(), &[&rules[..], &["main.bicep"]].concat());
    assert_eq!(
        findings,
        [
            "deploy/prod.bicepparam ACR001",
            "main.bicepparam ACR001",
            "main.parameters.json ACR001",
            "modules/registry.bicep ACR003",
            "parameters/main.parameters.prod.json ACR001",
        ],
    );
}

/// A template given alone, as pre-commit gives a commit that changes only it, is read with the
/// `.bicepparam` files below the top of its repository whose `using` names it, as a scan of the
/// repository reads it: a registry one of them does not deploy gives no finding, and one they
/// deploy reports its module's findings once, whichever of the files are given. A JSON template
/// named by `using` is read so too.
fn a_template_given_alone_is_read_with_the_bicepparam_files_elsewhere_that_name_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for directory in [".git", "infra/modules", "deploy/prod", "deploy/test", "arm"] {
        fs::create_dir_all(dir.path().join(directory)).expect("directories");
    }
    let module = BICEP.replace("= false", "");
    fs::write(dir.path().join("infra/modules/registry.bicep"), module).expect("module");
    let main = "param adminEnabled bool = false\nparam deploy bool = true\n\nmodule registry 'modules/registry.bicep' = if (deploy) {\n  name: 'registry'\n  params: { adminEnabled: adminEnabled }\n}\n";
    fs::write(dir.path().join("infra/main.bicep"), main).expect("template");
    let skipped = "using '../../infra/main.bicep'\n\nparam deploy = false\n";
    fs::write(dir.path().join("deploy/test/main.bicepparam"), skipped).expect("parameters");
    let rules = ["--select", "ACR001,ACR003"];
    let (findings, _) = json_findings(dir.path(), &[&rules[..], &["infra/main.bicep"]].concat());
    assert!(findings.is_empty(), "{findings:?}");
    let deployed = "using '../../infra/main.bicep'\n\nparam adminEnabled = true\n";
    fs::write(dir.path().join("deploy/prod/main.bicepparam"), deployed).expect("parameters");
    let expected = [
        "deploy/prod/main.bicepparam ACR001",
        "infra/modules/registry.bicep ACR003",
    ];
    for given in [
        &["."][..],
        &["infra/main.bicep"],
        &["infra/main.bicep", "deploy/prod/main.bicepparam"],
        &["infra", "deploy"],
    ] {
        let (findings, _) = json_findings(dir.path(), &[&rules[..], given].concat());
        assert_eq!(findings, expected, "{given:?}");
    }
    let (findings, _) = json_findings(
        dir.path(),
        &[&rules[..], &["deploy/prod/main.bicepparam"]].concat(),
    );
    assert_eq!(findings, ["deploy/prod/main.bicepparam ACR001"]);
    // Evaluated in two directories, the template reads its module twice: one finding still.
    let beside = "using 'main.bicep'\n\nparam adminEnabled = false\n";
    fs::write(dir.path().join("infra/main.bicepparam"), beside).expect("parameters");
    for given in [
        &["infra/main.bicep"][..],
        &["infra/main.bicep", "deploy/prod/main.bicepparam"],
    ] {
        let (findings, _) = json_findings(dir.path(), &[&rules[..], given].concat());
        assert_eq!(findings, expected, "{given:?}");
    }

    let template = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"deploy": {"type": "bool", "defaultValue": true}},
  "resources": [{"condition": "[parameters('deploy')]",
    "type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01",
    "name": "acrjson001", "location": "westeurope", "sku": {"name": "Premium"}}]}
"#;
    fs::write(dir.path().join("arm/registry.json"), template).expect("template");
    let skipped = "using '../../arm/registry.json'\n\nparam deploy = false\n";
    fs::write(dir.path().join("deploy/test/arm.bicepparam"), skipped).expect("parameters");
    let (findings, _) = json_findings(dir.path(), &[&rules[..], &["arm/registry.json"]].concat());
    assert!(findings.is_empty(), "{findings:?}");
}

/// A template that a `.bicepparam` file in another directory names is deployed with that file's
/// values, as one with a `.bicepparam` file beside it: a scan of both reports each of its
/// findings once, for that evaluation, not a second time for its defaults; scanned alone, it is
/// evaluated with its defaults.
fn a_template_named_from_another_directory_is_evaluated_with_those_values_only() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for sub in ["infra", "deploy"] {
        fs::create_dir(dir.path().join(sub)).expect("directory");
    }
    fs::write(dir.path().join("infra/main.bicep"), BICEP).expect("template");
    let bicepparam = "using '../infra/main.bicep'\n\nparam adminEnabled = true\n";
    fs::write(dir.path().join("deploy/prod.bicepparam"), bicepparam).expect("parameters");
    let rules = ["--select", "ACR001,ACR003", "-f", "json"];
    let output = BinCommand::cargo_bin("acr-lint")
        .expect("binary built")
        .current_dir(dir.path())
        .args(rules)
        .arg(".")
        .output()
        .expect("acr-lint runs");
    let (findings, _) = json_report(&output.stdout);
    assert_eq!(
        findings,
        ["deploy/prod.bicepparam ACR001", "infra/main.bicep ACR003"]
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let notes = &report["findings"][1]["notes"];
    let with_values = "with parameters file prod.bicepparam";
    assert!(
        notes
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n == with_values),
        "{notes}"
    );
    let (alone, _) = json_findings(dir.path(), &["--select", "ACR001,ACR003", "infra"]);
    assert_eq!(alone, ["infra/main.bicep ACR003"]);
}

/// A repository whose Bicep and Terraform configurations read their registry's settings from
/// a directory of their own (`loadJsonContent('../../shared/registry.json')`,
/// `yamldecode(file("../../shared/registry.yaml"))`): each file given alone, or its directory
/// scanned, from the top or from within, reads them, as a scan of the repository does. Outside
/// a repository the working directory bounds what is read, and nothing outside the repository
/// is read from within one.
fn a_given_file_reads_what_its_repository_holds() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let repo = dir.path().join("repo");
    for directory in [".git", "infra/bicep", "infra/terraform", "shared"] {
        fs::create_dir_all(repo.join(directory)).expect("directories");
    }
    let bicep = BICEP.replace(
        "param adminEnabled bool = false",
        "var settings = loadJsonContent('../../shared/registry.json')\nvar adminEnabled = settings.admin",
    );
    fs::write(repo.join("infra/bicep/main.bicep"), bicep).expect("template");
    fs::write(repo.join("shared/registry.json"), "{ \"admin\": true }\n").expect("settings");
    let terraform = REGISTRY.replace(
        "ADMIN",
        "yamldecode(file(\"${path.module}/../../shared/registry.yaml\")).admin",
    );
    fs::write(repo.join("infra/terraform/main.tf"), terraform).expect("module");
    fs::write(repo.join("shared/registry.yaml"), "admin: true\n").expect("settings");
    let expected = ["shared/registry.json ACR001", "shared/registry.yaml ACR001"];
    let findings = |cwd: &Path, given: &[&str]| {
        let (findings, summary) = json_findings(cwd, &[&["--select", "ACR001"], given].concat());
        assert_eq!(summary["input_errors"], 0, "{given:?} in {cwd:?}");
        findings
    };
    for given in [
        &["infra/bicep/main.bicep", "infra/terraform/main.tf"][..],
        &["infra/bicep", "infra/terraform"],
        &["infra"],
    ] {
        assert_eq!(findings(&repo, given), expected, "{given:?}");
    }
    let within = repo.join("infra/bicep");
    assert_eq!(
        findings(&within, &["main.bicep"]),
        ["../../shared/registry.json ACR001"]
    );
    // Without `.git`, from the directory above: the same.
    fs::remove_dir(repo.join(".git")).expect("no repository");
    assert_eq!(findings(&repo, &["infra"]), expected);
    // From within, what lies above the working directory is not read: an input error where
    // Bicep loads it, undecided where Terraform reads it.
    let output = BinCommand::cargo_bin("acr-lint")
        .expect("binary built")
        .current_dir(&within)
        .args(["-f", "concise", "main.bicep"])
        .output()
        .expect("acr-lint runs");
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    let shown = text(&output);
    assert!(shown.contains("main.bicep:1:32"), "{shown}");
    assert!(
        shown.contains("lies outside the scanned directories and their repository"),
        "{shown}"
    );
    // A repository does not read above its top, wherever the working directory is.
    fs::create_dir(repo.join("infra/.git")).expect("a repository below");
    let (found, summary) = json_findings(&repo, &["--select", "ACR001", "infra/terraform"]);
    assert_eq!(found, Vec::<String>::new());
    assert_eq!(summary["input_errors"], 0);
    let (found, summary) = json_findings(&repo, &["--select", "ACR001", "infra/bicep"]);
    assert_eq!(found, Vec::<String>::new());
    assert_eq!(summary["input_errors"], 1);
}

/// Parameters files whose names pair them with no template (`parameters-main.json`, deployed
/// with `--template-file main.bicep`): paired in the configuration or with `--template`, one given
/// alone, as pre-commit gives a commit that changes only it, is read with its template; paired
/// nowhere, it is skipped with a note that says how to pair it.
fn a_given_parameters_file_paired_explicitly_is_read_with_its_template() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::create_dir(dir.path().join(".git")).expect("repository");
    fs::write(dir.path().join("main.bicep"), BICEP).expect("template");
    fs::write(dir.path().join("parameters-main.json"), PARAMETERS).expect("parameters");
    let run_with = |args: &[&str]| {
        BinCommand::cargo_bin("acr-lint")
            .expect("binary built")
            .current_dir(dir.path())
            .args(["-f", "json", "--select", "ACR001,ACR003"])
            .args(args)
            .output()
            .expect("acr-lint runs")
    };
    let unpaired = run_with(&["parameters-main.json"]);
    assert_eq!(json_report(&unpaired.stdout).0, Vec::<String>::new());
    let note = String::from_utf8_lossy(&unpaired.stderr);
    assert!(
        note.contains("parameters-main.json: skipped: a parameters file no template is read with"),
        "{note}"
    );
    let expected = ["parameters-main.json ACR001"];
    let explicit = [
        "--template",
        "main.bicep",
        "--parameters",
        "parameters-main.json",
    ];
    let given = run_with(&[&explicit[..], &["parameters-main.json"]].concat());
    assert_eq!(json_report(&given.stdout).0, expected);
    assert!(given.stderr.is_empty(), "{}", text(&given));
    let configuration =
        "parameters:\n  - template: main.bicep\n    files: [parameters-main.json]\n";
    fs::write(dir.path().join(".acr-lint.yaml"), configuration).expect("configuration");
    let given = run_with(&["parameters-main.json"]);
    assert_eq!(json_report(&given.stdout).0, expected);
    assert!(given.stderr.is_empty(), "{}", text(&given));
}

/// A scan of a directory counts the parameters files it reads with no template (their values
/// would be missed in silence: the template is evaluated with its defaults), and
/// `--show-unknown` names them; the JSON a `.bicepparam` file compiles to is not among them,
/// nor a file paired in the configuration.
fn a_scanned_parameters_file_no_template_is_read_with_is_counted_and_named() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join("main.bicep"), BICEP).expect("template");
    fs::write(dir.path().join("parameters-main.json"), PARAMETERS).expect("parameters");
    fs::write(dir.path().join("prod.bicepparam"), "using 'main.bicep'\n").expect("bicepparam");
    fs::write(dir.path().join("prod.json"), PARAMETERS).expect("compiled parameters");
    let scan = |args: &[&str]| human_report_of_acr001(dir.path(), args);
    let counted = "1 parameters file is read with no template, so its values are not checked \
                   (`--show-unknown` names it; pair it in the configuration).";
    let named = "note: parameters-main.json: skipped: a parameters file no template is read with";
    let summary = scan(&["."]);
    assert!(summary.contains(counted), "{summary}");
    assert!(!summary.contains(named), "{summary}");
    let shown = scan(&[".", "--show-unknown"]);
    assert!(shown.contains(named), "{shown}");
    assert!(!shown.contains("prod.json: skipped"), "{shown}");
    assert!(!shown.contains("read with no template, so"), "{shown}");
    let configuration =
        "parameters:\n  - template: main.bicep\n    files: [parameters-main.json]\n";
    fs::write(dir.path().join(".acr-lint.yaml"), configuration).expect("configuration");
    let paired = scan(&[".", "--show-unknown"]);
    assert!(!paired.contains("no template is read with"), "{paired}");
    assert!(paired.contains("parameters-main.json"), "{paired}");
}

/// A parameters file is told from another of the same name by its path: pairing
/// `a/parameters-main.json` in the configuration leaves `b/parameters-main.json`, which no
/// template is read with, counted and named.
fn a_paired_parameters_file_does_not_hide_another_of_its_name() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for sub in ["a", "b"] {
        let sub = dir.path().join(sub);
        fs::create_dir(&sub).expect("directory");
        fs::write(sub.join("main.bicep"), BICEP).expect("template");
        fs::write(sub.join("parameters-main.json"), PARAMETERS).expect("parameters");
    }
    let configuration =
        "parameters:\n  - template: a/main.bicep\n    files: [a/parameters-main.json]\n";
    fs::write(dir.path().join(".acr-lint.yaml"), configuration).expect("configuration");
    let shown = human_report_of_acr001(dir.path(), &[".", "--show-unknown"]);
    let skipped = |name: &str| format!("note: {name}: skipped: a parameters file no template");
    assert!(
        shown.contains(&skipped("b/parameters-main.json")),
        "{shown}"
    );
    assert!(
        !shown.contains(&skipped("a/parameters-main.json")),
        "{shown}"
    );
    let counted = "1 parameters file is read with no template, so its values are not checked";
    assert!(
        human_report_of_acr001(dir.path(), &["."]).contains(counted),
        "{shown}"
    );
}

/// A variable file that Terraform applies only when given with `-var-file` (`prod.tfvars`, not
/// `terraform.tfvars`) is counted by a scan of its directory and named by `--show-unknown`, or
/// when given by name; given with `--var-file` or in the configuration it is applied.
fn a_variable_file_terraform_applies_only_when_given_is_counted_and_named() {
    let dir = tempfile::tempdir().expect("temporary directory");
    write_module(dir.path(), "var.admin", "false");
    fs::write(dir.path().join("terraform.tfvars"), "admin = false\n").expect("applied file");
    fs::write(dir.path().join("prod.tfvars"), "admin = true\n").expect("variable file");
    let scan = |args: &[&str]| human_report_of_acr001(dir.path(), args);
    let counted = "1 variable file is applied to no module (Terraform applies it only with \
                   `-var-file`), so its values are not checked (`--show-unknown` names it; give \
                   it with `--var-file`).";
    let named = "note: prod.tfvars: skipped: a variable file Terraform applies only when given \
                 with `-var-file`";
    let summary = scan(&["."]);
    assert!(summary.contains(counted), "{summary}");
    assert!(!summary.contains(named), "{summary}");
    let shown = scan(&[".", "--show-unknown"]);
    assert!(shown.contains(named), "{shown}");
    assert!(!shown.contains("terraform.tfvars: skipped"), "{shown}");
    assert!(!shown.contains("applied to no module"), "{shown}");
    let given = scan(&["prod.tfvars"]);
    assert!(given.contains(named), "{given}");
    let applied = scan(&[".", "--var-file", "prod.tfvars", "--show-unknown"]);
    assert!(applied.contains("error[ACR001]"), "{applied}");
    assert!(!applied.contains("skipped"), "{applied}");
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        "var-files: [prod.tfvars]\n",
    )
    .expect("config");
    let configured = scan(&[".", "--show-unknown"]);
    assert!(configured.contains("error[ACR001]"), "{configured}");
    assert!(!configured.contains("skipped"), "{configured}");
}

/// In a project of the Azure Developer CLI that provisions with Terraform, azd applies the
/// infrastructure directory's `main.tfvars.json` after filling in its environment variables:
/// acr-lint applies it too, each value azd fills in unknown.
fn azd_applies_the_variable_file_of_its_terraform_infrastructure() {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::create_dir(dir.path().join(".git")).expect("repository");
    fs::write(
        dir.path().join("azure.yaml"),
        "name: x\ninfra:\n  provider: terraform\n",
    )
    .expect("project file");
    let infra = dir.path().join("infra");
    fs::create_dir(&infra).expect("infrastructure directory");
    write_module(&infra, "var.admin", "false");
    let variables = |admin: &str| {
        let text = format!("{{\n  \"admin\": {admin}\n}}\n");
        fs::write(infra.join("main.tfvars.json"), text).expect("variable file");
    };
    variables("\"${ADMIN_ENABLED}\"");
    let filled_in = human_report_of_acr001(dir.path(), &[".", "--show-unknown"]);
    assert!(
        filled_in.contains(
            "`${ADMIN_ENABLED}` in `infra/main.tfvars.json` is an environment \
                            variable the Azure Developer CLI fills in at deployment"
        ),
        "{filled_in}"
    );
    assert!(!filled_in.contains("skipped"), "{filled_in}");
    // Given with `--var-file` too, what azd fills in is unknown, not the placeholder's text.
    let var_file = ["--show-unknown", "--var-file", "infra/main.tfvars.json"];
    let given_too = human_report_of_acr001(dir.path(), &var_file);
    assert!(
        given_too.contains("`${ADMIN_ENABLED}` in `infra/main.tfvars.json` is an environment"),
        "{given_too}"
    );
    variables("true");
    let expected = ["infra/main.tfvars.json ACR001"];
    assert_eq!(
        json_findings(dir.path(), &["--select", "ACR001"]).0,
        expected
    );
    let given = ["--select", "ACR001", "infra/main.tfvars.json"];
    assert_eq!(json_findings(dir.path(), &given).0, expected);
    fs::write(dir.path().join("azure.yaml"), "name: x\n").expect("project file");
    assert_eq!(
        json_findings(dir.path(), &["--select", "ACR001"]).0,
        Vec::<String>::new()
    );
}

/// The Azure quickstarts' layout: `main.bicep` compiled to `azuredeploy.json`, deployed with
/// `azuredeploy.parameters.json`. Whichever file is given, the registry is the Bicep file's,
/// evaluated with that parameters file, as in a scan of the directory.
fn a_given_file_is_read_with_the_bicep_file_its_template_was_compiled_from() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let case =
        common::repo().join("testdata/bicep/acr001/compiled-under-another-name-with-parameters");
    for name in [
        "main.bicep",
        "azuredeploy.json",
        "azuredeploy.parameters.json",
    ] {
        fs::copy(case.join(name), dir.path().join(name)).expect("case file copied");
    }
    let registries = |given: &str| {
        let output = BinCommand::cargo_bin("acr-lint")
            .expect("binary built")
            .current_dir(dir.path())
            .args(["-f", "json", "--select", "ACR001", given])
            .output()
            .expect("acr-lint runs");
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        let described = findings.iter().map(|f| {
            let file = f["location"]["file"].as_str().unwrap_or("?");
            format!("{file} {}", f["resource"].as_str().unwrap_or("?"))
        });
        described.collect::<Vec<String>>()
    };
    let at_parameters = ["azuredeploy.parameters.json acr".to_string()];
    assert_eq!(registries("main.bicep"), at_parameters);
    assert_eq!(registries("azuredeploy.parameters.json"), at_parameters);
    assert!(registries("azuredeploy.json").is_empty());
}

/// A registry whose admin user setting is read from the file `FILE` with `DECODE`; then `CALLS`.
const REGISTRY_FROM_DATA: &str = r#"locals {
  config = DECODE(file("${path.module}/FILE"))
}

resource "azurerm_container_registry" "NAME" {
  name                = "acrexampleNAME"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = local.config.admin
}
CALLS"#;

fn registry_from_data(name: &str, file: &str, calls: &str) -> String {
    let decode = if file.ends_with(".json") {
        "jsondecode"
    } else {
        "yamldecode"
    };
    REGISTRY_FROM_DATA
        .replace("DECODE", decode)
        .replace("NAME", name)
        .replace("FILE", file)
        .replace("CALLS", calls)
}

/// `acr-lint -f json ARGS` in `dir`: the findings, the summary, standard error and exit code.
fn json_run(dir: &Path, args: &[&str]) -> (Vec<String>, Value, String, Option<i32>) {
    let output = BinCommand::cargo_bin("acr-lint")
        .expect("binary built")
        .current_dir(dir)
        .args(["-f", "json", "--select", "ACR001,ACR003"])
        .args(args)
        .output()
        .expect("acr-lint runs");
    let (findings, summary) = json_report(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (findings, summary, stderr, output.status.code())
}

/// A YAML or JSON file a Terraform configuration reads with `yamldecode(file(...))` or
/// `jsondecode(file(...))`, given alone (as pre-commit gives a commit that changes only it), is
/// checked with the Terraform of its directory and those above it, up to the top of the
/// repository: what the repository's scan reports in it, and nothing of the configuration that
/// reads it. A YAML file nothing reads is a notice; other JSON is passed over as before.
fn a_given_data_file_is_checked_with_the_terraform_that_reads_it() {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let repo = scratch.path().join("repo");
    let write = |name: &str, text: &str| {
        let path = repo.join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("directories");
        fs::write(path, text).expect("file written");
    };
    fs::create_dir_all(repo.join(".git")).expect(".git");
    let calls_team = "\nmodule \"team\" {\n  source = \"./modules/team\"\n}\n";
    write(
        "infra/main.tf",
        &registry_from_data("acr", "config/registry.yaml", calls_team),
    );
    write("infra/config/registry.yaml", "admin: true\n");
    write(
        "infra/modules/team/main.tf",
        &registry_from_data("team", "settings.json", ""),
    );
    write("infra/modules/team/settings.json", "{\"admin\": true}\n");
    write("deploy/app.yaml", "admin: true\n");
    write("deploy/package.json", "{\"admin\": true}\n");

    let (whole, _, _, _) = json_run(&repo, &["."]);
    assert_eq!(
        whole,
        [
            "infra/config/registry.yaml ACR001",
            "infra/main.tf ACR003",
            "infra/modules/team/main.tf ACR003",
            "infra/modules/team/settings.json ACR001",
        ],
        "the repository's scan"
    );
    for given in [
        "infra/config/registry.yaml",
        "infra/modules/team/settings.json",
    ] {
        let (findings, summary, stderr, code) = json_run(&repo, &[given]);
        assert_eq!(findings, [format!("{given} ACR001")], "{given}: {stderr}");
        assert_eq!(summary["files_scanned"], 1, "{given}");
        assert_eq!(code, Some(1), "{given}: {stderr}");
    }
    // From outside the repository, by an absolute path: the Terraform up to its top.
    let absolute = repo.join("infra/config/registry.yaml");
    let absolute = absolute.to_str().expect("UTF-8 path");
    let (findings, _, stderr, _) = json_run(scratch.path(), &[absolute]);
    assert_eq!(findings.len(), 1, "{findings:?} {stderr}");
    assert!(
        findings[0].ends_with("infra/config/registry.yaml ACR001"),
        "{findings:?}"
    );

    let (findings, summary, stderr, code) = json_run(&repo, &["deploy/app.yaml"]);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(summary["files_scanned"], 0);
    assert!(
        stderr.contains(
            "deploy/app.yaml: skipped: no Terraform configuration in its directory or above reads it"
        ),
        "{stderr}"
    );
    assert_eq!(code, Some(0), "{stderr}");
    write("deploy/values.yml", "replicas: 2\n");
    let (_, _, stderr, _) = json_run(&repo, &["deploy/app.yaml", "deploy/values.yml"]);
    assert!(
        stderr.contains(
            "skipped 2 files given by name that no Terraform configuration in their directory or \
             above reads: deploy/app.yaml, deploy/values.yml"
        ),
        "{stderr}"
    );
    let (findings, _, stderr, code) = json_run(&repo, &["deploy/package.json"]);
    assert!(findings.is_empty(), "{findings:?}");
    assert!(!stderr.contains("package.json"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");

    write("infra/config/registry.yaml", "admin: false\n");
    let (findings, _, stderr, code) = json_run(&repo, &["infra/config/registry.yaml"]);
    assert!(findings.is_empty(), "{findings:?}");
    assert!(!stderr.contains("skipped"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
}

/// A YAML file read by a root module in a directory beside it (`file("../config/x.yaml")`),
/// which no directory above the file holds: found by the Terraform files that name it.
fn a_given_data_file_read_from_a_directory_beside_it_is_checked() {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let repo = scratch.path();
    fs::create_dir_all(repo.join(".git")).expect(".git");
    for directory in ["terraform", "config", "other"] {
        fs::create_dir_all(repo.join(directory)).expect("directory");
    }
    let main = registry_from_data("acr", "../config/shared.yaml", "");
    fs::write(repo.join("terraform/main.tf"), main).expect("main.tf");
    fs::write(
        repo.join("other/main.tf"),
        REGISTRY.replace("ADMIN", "false"),
    )
    .expect("other");
    fs::write(repo.join("config/shared.yaml"), "admin: true\n").expect("shared.yaml");
    let (whole, _, _, _) = json_run(repo, &["."]);
    assert!(
        whole.contains(&"config/shared.yaml ACR001".to_string()),
        "{whole:?}"
    );
    let (findings, summary, stderr, code) = json_run(repo, &["config/shared.yaml"]);
    assert_eq!(findings, ["config/shared.yaml ACR001"], "{stderr}");
    assert_eq!(summary["files_scanned"], 1);
    assert_eq!(code, Some(1), "{stderr}");
}

fn run(dir: &Path, program: &str, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(program);
    command.current_dir(dir).args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("{program} {args:?}: {e}"))
}

/// What `acr-lint --select ACR001 ARGS` prints in `dir`, standard output then standard error.
fn human_report_of_acr001(dir: &Path, args: &[&str]) -> String {
    let output = BinCommand::cargo_bin("acr-lint")
        .expect("binary built")
        .current_dir(dir)
        .args(["--select", "ACR001", "--color", "never"])
        .args(args)
        .output()
        .expect("acr-lint runs");
    text(&output)
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn git(dir: &Path, args: &[&str]) {
    let output = run(dir, "git", args, &[]);
    assert!(output.status.success(), "git {args:?}: {}", text(&output));
}

/// How to run pre-commit here: the `pre-commit` command or the Python module.
fn pre_commit_command() -> Option<Vec<&'static str>> {
    [vec!["pre-commit"], vec!["python3", "-m", "pre_commit"]]
        .into_iter()
        .find(|command| {
            Command::new(command[0])
                .args(&command[1..])
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The hook as users install it: `pre-commit try-repo` and a `.pre-commit-config.yaml` naming
/// this repository at its current commit (commit changes to the hook before running this).
/// pre-commit builds the hook with `cargo install --path`; here into a target directory kept
/// under `target/`, with the release profile set to build as fast as a debug build, so only the
/// first run builds the dependencies.
/// pre-commit and the commit of this checkout, or why the hook cannot be tried.
fn pre_commit_and_revision() -> Result<(Vec<&'static str>, String), String> {
    let pre_commit = pre_commit_command()
        .ok_or("needs pre-commit, which is not installed (pip install pre-commit)")?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = run(repo, "git", &["rev-parse", "HEAD"], &[]);
    if !head.status.success() {
        return Err(format!("{} is not a git checkout", repo.display()));
    }
    Ok((
        pre_commit,
        String::from_utf8_lossy(&head.stdout).trim().to_string(),
    ))
}

fn pre_commit_runs_the_hook_on_the_committed_files(needs: (Vec<&'static str>, String)) {
    let (pre_commit, rev) = needs;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = repo.join("target");
    let build_dir = target.join("pre-commit-build");
    let home = target.join("pre-commit-home");
    let env: &[(&str, &Path)] = &[
        ("PRE_COMMIT_HOME", &home),
        ("CARGO_TARGET_DIR", &build_dir),
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", Path::new("0")),
        ("CARGO_PROFILE_RELEASE_DEBUG", Path::new("false")),
        ("CARGO_PROFILE_RELEASE_INCREMENTAL", Path::new("true")),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", Path::new("256")),
        ("CARGO_PROFILE_RELEASE_LTO", Path::new("false")),
        ("NO_COLOR", Path::new("1")),
    ];

    let scratch = tempfile::tempdir().expect("temporary directory");
    let dir = scratch.path();
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    git(dir, &["config", "user.email", "dev@example.com"]);
    git(dir, &["config", "user.name", "Dev"]);
    git(dir, &["config", "commit.gpgsign", "false"]);

    // try-repo: main.tf uses a variable whose default enables the admin user.
    write_module(dir, "var.admin", "true");
    git(dir, &["add", "."]);
    let repo_arg = repo.to_str().expect("UTF-8 path");
    let try_repo = |files: &[&str]| {
        let mut args = pre_commit[1..].to_vec();
        args.extend(["try-repo", repo_arg, "acr-lint", "--ref", &rev, "--verbose"]);
        args.push("--files");
        args.extend(files);
        run(dir, pre_commit[0], &args, env)
    };
    let failing = try_repo(&["main.tf"]);
    let out = text(&failing);
    assert_eq!(failing.status.code(), Some(1), "{out}");
    assert!(out.contains("error[ACR001]"), "{out}");
    assert!(out.contains("variables.tf:2:13"), "{out}");
    fs::write(
        dir.join("variables.tf"),
        VARIABLES.replace("DEFAULT", "false"),
    )
    .expect("write");
    let passing = try_repo(&["variables.tf"]);
    assert!(passing.status.success(), "{}", text(&passing));
    assert!(
        text(&passing).contains("No problems found"),
        "{}",
        text(&passing)
    );

    // Installed as a git hook: a commit is checked on its own files, in their module.
    let config = format!(
        "repos:\n  - repo: {repo_arg}\n    rev: {rev}\n    hooks:\n      - id: acr-lint\n        args: [--fail-on, error]\n"
    );
    fs::write(dir.join(".pre-commit-config.yaml"), config).expect("config");
    let mut install_args = pre_commit[1..].to_vec();
    install_args.push("install");
    let install = run(dir, pre_commit[0], &install_args, env);
    assert!(install.status.success(), "{}", text(&install));
    write_module(dir, "false", "true");
    git(dir, &["add", "."]);
    let good = run(dir, "git", &["commit", "-m", "registry"], env);
    assert!(good.status.success(), "{}", text(&good));

    // Only main.tf changes, to read the variable whose default (unchanged) enables the admin user.
    fs::write(dir.join("main.tf"), REGISTRY.replace("ADMIN", "var.admin")).expect("main.tf");
    git(dir, &["add", "main.tf"]);
    let bad = run(dir, "git", &["commit", "-m", "admin from a variable"], env);
    let out = text(&bad);
    assert!(!bad.status.success(), "{out}");
    assert!(out.contains("acr-lint") && out.contains("Failed"), "{out}");
    assert!(out.contains("error[ACR001]"), "{out}");

    fs::write(
        dir.join("variables.tf"),
        VARIABLES.replace("DEFAULT", "false"),
    )
    .expect("write");
    git(dir, &["add", "variables.tf"]);
    let fixed = run(dir, "git", &["commit", "-m", "admin off"], env);
    assert!(fixed.status.success(), "{}", text(&fixed));
    let log = run(dir, "git", &["log", "--format=%s"], &[]);
    assert_eq!(
        String::from_utf8_lossy(&log.stdout),
        "admin off\nregistry\n"
    );

    // Only the YAML file the registry's settings are read from changes: the hook checks it
    // with the configuration that reads it.
    let from_yaml = r#"yamldecode(file("${path.module}/registry.yaml")).admin"#;
    fs::write(dir.join("main.tf"), REGISTRY.replace("ADMIN", from_yaml)).expect("main.tf");
    fs::write(dir.join("registry.yaml"), "admin: false\n").expect("registry.yaml");
    git(dir, &["add", "."]);
    let good = run(dir, "git", &["commit", "-m", "settings in YAML"], env);
    assert!(good.status.success(), "{}", text(&good));
    fs::write(dir.join("registry.yaml"), "admin: true\n").expect("registry.yaml");
    git(dir, &["add", "registry.yaml"]);
    let bad = run(dir, "git", &["commit", "-m", "admin in YAML"], env);
    let out = text(&bad);
    assert!(!bad.status.success(), "{out}");
    assert!(out.contains("error[ACR001]"), "{out}");
    assert!(out.contains("registry.yaml:1:8"), "{out}");
}

/// The `acr-lint-system` hook runs the `acr-lint` found on `PATH`, with the same module context
/// as the hook that builds it.
fn pre_commit_system_hook_runs_the_installed_acr_lint(needs: (Vec<&'static str>, String)) {
    let (pre_commit, rev) = needs;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = Path::new(env!("CARGO_BIN_EXE_acr-lint"));
    let bin_dir = binary.parent().expect("binary directory");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let home = repo.join("target").join("pre-commit-home");
    let env: &[(&str, &Path)] = &[
        ("PRE_COMMIT_HOME", &home),
        ("PATH", Path::new(&path)),
        ("NO_COLOR", Path::new("1")),
    ];

    let scratch = tempfile::tempdir().expect("temporary directory");
    let dir = scratch.path();
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    write_module(dir, "var.admin", "true");
    git(dir, &["add", "."]);
    let repo_arg = repo.to_str().expect("UTF-8 path");
    let try_repo = |files: &[&str]| {
        let mut args = pre_commit[1..].to_vec();
        args.extend(["try-repo", repo_arg, "acr-lint-system", "--ref", &rev]);
        args.push("--files");
        args.extend(files);
        run(dir, pre_commit[0], &args, env)
    };
    let failing = try_repo(&["main.tf"]);
    let out = text(&failing);
    assert_eq!(failing.status.code(), Some(1), "{out}");
    assert!(out.contains("error[ACR001]"), "{out}");
    assert!(out.contains("variables.tf:2:13"), "{out}");
    fs::write(
        dir.join("variables.tf"),
        VARIABLES.replace("DEFAULT", "false"),
    )
    .expect("write");
    let passing = try_repo(&["variables.tf"]);
    assert!(passing.status.success(), "{}", text(&passing));
}

fn main() -> std::process::ExitCode {
    let mut trials: Vec<_> = vec![
        common::always(
            "a_given_file_is_evaluated_with_its_module",
            a_given_file_is_evaluated_with_its_module,
        ),
        common::always(
            "a_given_file_reports_what_it_grants_on_a_sibling_registry",
            a_given_file_reports_what_it_grants_on_a_sibling_registry,
        ),
        common::always(
            "a_given_file_with_a_broken_sibling_is_still_checked",
            a_given_file_with_a_broken_sibling_is_still_checked,
        ),
        common::always(
            "a_given_template_is_evaluated_with_its_parameters_files",
            a_given_template_is_evaluated_with_its_parameters_files,
        ),
        common::always(
            "ignored_files_are_read_neither_by_a_scan_nor_with_a_given_file",
            ignored_files_are_read_neither_by_a_scan_nor_with_a_given_file,
        ),
        common::always(
            "no_ignore_reads_what_ignore_files_leave_out",
            no_ignore_reads_what_ignore_files_leave_out,
        ),
        common::always(
            "a_scan_that_ignore_files_leave_empty_says_so",
            a_scan_that_ignore_files_leave_empty_says_so,
        ),
        common::always(
            "a_given_file_is_read_with_the_parameters_directory_beside_it",
            a_given_file_is_read_with_the_parameters_directory_beside_it,
        ),
        common::always(
            "a_parameters_file_is_read_with_the_template_its_metadata_names",
            a_parameters_file_is_read_with_the_template_its_metadata_names,
        ),
        common::always(
            "a_given_parameters_file_reports_nothing_of_its_templates_modules",
            a_given_parameters_file_reports_nothing_of_its_templates_modules,
        ),
        common::always(
            "a_given_file_reads_what_its_repository_holds",
            a_given_file_reads_what_its_repository_holds,
        ),
        common::always(
            "a_given_parameters_file_paired_explicitly_is_read_with_its_template",
            a_given_parameters_file_paired_explicitly_is_read_with_its_template,
        ),
        common::always(
            "a_scanned_parameters_file_no_template_is_read_with_is_counted_and_named",
            a_scanned_parameters_file_no_template_is_read_with_is_counted_and_named,
        ),
        common::always(
            "a_template_named_from_another_directory_is_evaluated_with_those_values_only",
            a_template_named_from_another_directory_is_evaluated_with_those_values_only,
        ),
        common::always(
            "a_template_given_alone_is_read_with_the_bicepparam_files_elsewhere_that_name_it",
            a_template_given_alone_is_read_with_the_bicepparam_files_elsewhere_that_name_it,
        ),
        common::always(
            "a_paired_parameters_file_does_not_hide_another_of_its_name",
            a_paired_parameters_file_does_not_hide_another_of_its_name,
        ),
        common::always(
            "a_variable_file_terraform_applies_only_when_given_is_counted_and_named",
            a_variable_file_terraform_applies_only_when_given_is_counted_and_named,
        ),
        common::always(
            "azd_applies_the_variable_file_of_its_terraform_infrastructure",
            azd_applies_the_variable_file_of_its_terraform_infrastructure,
        ),
        common::always(
            "a_given_file_is_read_with_the_bicep_file_its_template_was_compiled_from",
            a_given_file_is_read_with_the_bicep_file_its_template_was_compiled_from,
        ),
        common::always(
            "a_given_data_file_is_checked_with_the_terraform_that_reads_it",
            a_given_data_file_is_checked_with_the_terraform_that_reads_it,
        ),
        common::always(
            "a_given_data_file_read_from_a_directory_beside_it_is_checked",
            a_given_data_file_read_from_a_directory_beside_it_is_checked,
        ),
    ];
    trials.push(common::trial(
        "pre_commit_runs_the_hook_on_the_committed_files",
        pre_commit_and_revision(),
        pre_commit_runs_the_hook_on_the_committed_files,
    ));
    trials.push(common::trial(
        "pre_commit_system_hook_runs_the_installed_acr_lint",
        pre_commit_and_revision(),
        pre_commit_system_hook_runs_the_installed_acr_lint,
    ));
    common::run_trials(trials)
}
