//! The GitHub Action's steps, run locally: `action.yml` calls the scripts under
//! `scripts/action/`, which are run here with the variables the Actions runner sets.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `PATH` with the acr-lint under test first, as after the install step.
fn path_with_acr_lint() -> std::ffi::OsString {
    let binary = Path::new(env!("CARGO_BIN_EXE_acr-lint"));
    let dir = binary.parent().expect("binary directory").to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&rest))).expect("PATH")
}

/// A workspace as the runner prepares it: the checkout, the summary and output files, the event.
struct Runner {
    workspace: tempfile::TempDir,
    files: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let workspace = tempfile::tempdir().expect("workspace");
        let files = tempfile::tempdir().expect("runner files");
        fs::create_dir_all(workspace.path().join("infra")).expect("infra");
        fs::write(workspace.path().join("infra/main.tf"), ADMIN_REGISTRY).expect("main.tf");
        for name in ["summary.md", "output.txt"] {
            fs::write(files.path().join(name), "").expect("runner file");
        }
        Runner { workspace, files }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.files.path().join(name)
    }

    fn event(&self, name: &str, payload: &Value) -> Vec<(&'static str, String)> {
        let path = self.file("event.json");
        fs::write(&path, payload.to_string()).expect("event");
        vec![
            ("GITHUB_EVENT_NAME", name.to_string()),
            ("GITHUB_EVENT_PATH", path.to_string_lossy().into_owned()),
        ]
    }

    /// Runs `scripts/action/<script>` as the composite step does.
    fn step(&self, script: &str, inputs: &[(&str, String)]) -> Output {
        let mut command = Command::new("bash");
        command
            .arg(repo().join("scripts/action").join(script))
            .current_dir(self.workspace.path())
            .env("PATH", path_with_acr_lint())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_ACTION_PATH", repo())
            .env("GITHUB_WORKSPACE", self.workspace.path())
            .env("GITHUB_REPOSITORY", "contoso/infra")
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("GITHUB_OUTPUT", self.file("output.txt"))
            .env_remove("INPUT_VERSION")
            .env_remove("TF_BUILD")
            .env_remove("NO_COLOR");
        for (name, value) in inputs {
            command.env(name, value);
        }
        command.output().expect("bash runs")
    }

    fn outputs(&self) -> String {
        fs::read_to_string(self.file("output.txt")).expect("outputs")
    }
}

const ADMIN_REGISTRY: &str = r#"resource "azurerm_container_registry" "acr" {
  name                = "acrexample001"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
}
"#;

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn inputs(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs
        .iter()
        .map(|(name, value)| (*name, value.to_string()))
        .collect()
}

#[test]
fn the_install_step_keeps_an_acr_lint_of_the_actions_version() {
    let runner = Runner::new();
    let output = runner.step("install.sh", &[]);
    assert!(output.status.success(), "{}", text(&output));
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        text(&output).contains(&format!("acr-lint {version} is already installed")),
        "{}",
        text(&output)
    );
}

#[test]
fn the_action_version_is_the_packages_version() {
    let pyproject = fs::read_to_string(repo().join("pyproject.toml")).expect("pyproject.toml");
    let line = format!("version = \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(
        pyproject.lines().any(|l| l == line),
        "pyproject.toml lacks {line}"
    );
}

#[test]
fn the_run_step_annotates_summarises_and_writes_sarif() {
    let runner = Runner::new();
    let run_inputs = inputs(&[
        ("INPUT_PATHS", "infra"),
        ("INPUT_SARIF_FILE", "out/acr-lint.sarif"),
        ("INPUT_FAIL_ON", "error"),
        ("ACR_LINT_SARIF_CATEGORY", "acr-lint/infra"),
    ]);
    // The SARIF's directory, `out/`, does not exist: it is made.
    assert!(!runner.workspace.path().join("out").exists());
    let output = runner.step("run.sh", &run_inputs);
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("::error file=infra/main.tf,line="), "{out}");
    let summary = fs::read_to_string(runner.file("summary.md")).expect("summary");
    assert!(summary.starts_with("## acr-lint"), "{summary}");
    assert!(summary.contains("ACR001"), "{summary}");
    let outputs = runner.outputs();
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    assert!(
        outputs.contains("sarif-file=out/acr-lint.sarif\n"),
        "{outputs}"
    );
    let sarif: Value = serde_json::from_slice(
        &fs::read(runner.workspace.path().join("out/acr-lint.sarif")).expect("SARIF written"),
    )
    .expect("SARIF");
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "acr-lint/infra/"
    );
}

#[test]
fn the_run_step_passes_extra_arguments_and_fail_on() {
    let runner = Runner::new();
    let output = runner.step(
        "run.sh",
        &inputs(&[
            ("INPUT_PATHS", "infra"),
            ("INPUT_ARGS", "--ignore ACR001"),
            ("INPUT_FAIL_ON", "error"),
        ]),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(runner.outputs().contains("exit-code=0\n"));
    let output = runner.step(
        "run.sh",
        &inputs(&[("INPUT_PATHS", "infra"), ("INPUT_FAIL_ON", "never")]),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

fn decide(runner: &Runner, extra: Vec<(&'static str, String)>) -> (String, String) {
    fs::write(runner.file("output.txt"), "").expect("reset outputs");
    let mut all = inputs(&[("INPUT_SARIF_FILE", "acr-lint.sarif")]);
    all.extend(extra);
    let output = runner.step("should-upload.sh", &all);
    assert!(output.status.success(), "{}", text(&output));
    (runner.outputs(), text(&output))
}

#[test]
fn the_upload_is_skipped_with_a_notice_on_pull_requests_from_forks() {
    let runner = Runner::new();
    fs::write(runner.workspace.path().join("acr-lint.sarif"), "{}").expect("SARIF");
    let pull_request =
        |head: &str| serde_json::json!({"pull_request": {"head": {"repo": {"full_name": head}}}});

    let (outputs, _) = decide(&runner, runner.event("push", &serde_json::json!({})));
    assert_eq!(outputs, "upload=true\n");
    let (outputs, _) = decide(
        &runner,
        runner.event("pull_request", &pull_request("contoso/infra")),
    );
    assert_eq!(outputs, "upload=true\n");
    let (outputs, log) = decide(
        &runner,
        runner.event("pull_request", &pull_request("someone/infra")),
    );
    assert_eq!(outputs, "upload=false\n");
    assert!(
        log.contains("::notice title=acr-lint::pull request from the fork someone/infra"),
        "{log}"
    );

    let mut off = runner.event("push", &serde_json::json!({}));
    off.push(("INPUT_UPLOAD", "false".to_string()));
    assert_eq!(decide(&runner, off).0, "upload=false\n");
    fs::remove_file(runner.workspace.path().join("acr-lint.sarif")).expect("remove");
    let (outputs, log) = decide(&runner, runner.event("push", &serde_json::json!({})));
    assert_eq!(outputs, "upload=false\n");
    assert!(log.contains("no SARIF file"), "{log}");
}

#[test]
fn every_action_step_runs_a_script_that_exists() {
    let action = fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    let scripts: Vec<&str> = action
        .lines()
        .filter_map(|line| line.split("$GITHUB_ACTION_PATH/").nth(1))
        .map(|rest| rest.trim_end_matches('"'))
        .collect();
    assert_eq!(
        scripts,
        [
            "scripts/action/install.sh",
            "scripts/action/run.sh",
            "scripts/action/should-upload.sh"
        ]
    );
    for script in scripts {
        assert!(repo().join(script).is_file(), "{script}");
    }
    assert!(action.contains("uses: github/codeql-action/upload-sarif@v4"));
}
