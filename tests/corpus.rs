//! Every real template and module in the shared corpus is read without a crash or parse error.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use acr_lint::model::{Lookup, Node, Value};

fn main() -> std::process::ExitCode {
    common::run_trials(vec![
        common::trial(
            "corpus_scans_without_errors",
            common::shared("corpus"),
            corpus_scans_without_errors,
        ),
        common::trial(
            "avm_templates_evaluate_registry_settings_from_their_defaults",
            common::shared("corpus/bicep-registry-modules"),
            avm_templates_evaluate_registry_settings_from_their_defaults,
        ),
        common::trial(
            "terraform_corpus_unknowns_come_from_outside",
            common::shared("corpus"),
            terraform_corpus_unknowns_come_from_outside,
        ),
    ])
}

fn corpus_scans_without_errors(corpus: PathBuf) {
    let scan = common::scan(&corpus);
    let errors: Vec<String> = scan
        .errors
        .iter()
        // Not Bicep: a shell assignment pasted into the template, which the Bicep compiler
        // rejects too (BCP007).
        .filter(|e| {
            !e.path
                .ends_with("container-registry-hidden-marketplace/main.bicep")
        })
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(
        scan.files_scanned > 100,
        "only {} files scanned",
        scan.files_scanned
    );
    assert!(
        scan.registries >= 20,
        "only {} registries found",
        scan.registries
    );
}

/// The registry settings whose parameter defaults the AVM modules' compiled templates must yield.
const AVM_SETTINGS: &[&str] = &[
    "sku.name",
    "properties.adminUserEnabled",
    "properties.publicNetworkAccess",
    "properties.anonymousPullEnabled",
    "properties.policies.exportPolicy.status",
    "properties.zoneRedundancy",
];

/// Why a setting may stay unknown in a module evaluated with its defaults: a required input (a
/// parameter declared without a default and not nullable, in `required`), or a value only Azure
/// knows.
fn unknown_for_a_good_reason(reason: &str, required: &HashSet<String>) -> bool {
    let parameter = reason
        .strip_prefix("parameter `")
        .and_then(|rest| rest.strip_suffix("` has no default value"));
    match parameter {
        Some(name) => required.contains(&name.to_ascii_lowercase()),
        None => {
            reason.contains("`reference()`")
                || reason.contains("`list")
                || reason.contains("`resourceGroup()")
        }
    }
}

/// The parameters some template in `node` (the file's, or a nested deployment's) requires: no
/// `defaultValue`, and neither it nor its user-defined type is nullable.
fn required_parameters(node: &Node, required: &mut HashSet<String>) {
    match &node.value {
        Value::Object(members) => {
            if let (Some(parameters), Some(_)) = (node.get("parameters"), node.get("resources"))
                && let Value::Object(declared) = &parameters.value
            {
                for (name, declaration) in declared {
                    if declaration.get("defaultValue").is_none() && !nullable(declaration, node) {
                        required.insert(name.to_ascii_lowercase());
                    }
                }
            }
            for (_, member) in members {
                required_parameters(member, required);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| required_parameters(i, required)),
        _ => {}
    }
}

fn nullable(declaration: &Node, template: &Node) -> bool {
    if declaration.get("nullable").and_then(Node::as_bool) == Some(true) {
        return true;
    }
    declaration
        .get("$ref")
        .and_then(Node::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
        .and_then(|name| template.get("definitions")?.get(name))
        .is_some_and(|definition| nullable(definition, template))
}

/// Every Bicep-compiled template (`main.json`) of the Azure Verified Modules evaluates its
/// registries' settings from the module's own parameter defaults: a setting present in a registry
/// is unknown only when it depends on a parameter without a default, `reference()`/`list*()` or
/// the resource group.
fn avm_templates_evaluate_registry_settings_from_their_defaults(modules: PathBuf) {
    let mut templates = Vec::new();
    let mut pending = vec![modules.clone()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).expect("readable corpus directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|n| n == "main.json") {
                templates.push(path);
            }
        }
    }
    templates.sort();
    assert!(
        !templates.is_empty(),
        "no main.json under {}",
        modules.display()
    );
    let mut registries = 0;
    let mut checked = 0;
    let mut known = 0;
    let mut problems = Vec::new();
    for path in &templates {
        let name = path
            .strip_prefix(&modules)
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).expect("readable template");
        let root = acr_lint::arm::json::parse(&text, 0)
            .unwrap_or_else(|e| panic!("{name}: {}", e.message))
            .unwrap_or_else(|| panic!("{name}: empty"));
        let template = acr_lint::arm::read(&root, &name, None);
        let mut required = HashSet::new();
        required_parameters(&root, &mut required);
        for registry in template
            .resources
            .iter()
            .filter(|r| r.is_registry() && !r.existing)
        {
            registries += 1;
            for setting in AVM_SETTINGS {
                let node = match registry.lookup(setting) {
                    Lookup::Missing => continue,
                    Lookup::Found(node) | Lookup::Unknown(node) => node,
                };
                checked += 1;
                let Value::Unknown(reason) = &node.value else {
                    known += 1;
                    continue;
                };
                // The registry module itself defaults every one of these settings.
                let module = name.ends_with("res/container-registry/registry/main.json");
                if module || !unknown_for_a_good_reason(reason, &required) {
                    let start = &text[..node.span.start.min(text.len())];
                    let line = start.matches('\n').count() + 1;
                    problems.push(format!(
                        "{name}:{line}: registry `{}` {setting}: {reason}",
                        registry.address
                    ));
                }
            }
        }
    }
    eprintln!(
        "{} templates, {registries} registries, {checked} settings checked, {known} known",
        templates.len()
    );
    assert!(
        registries >= 9,
        "only {registries} registries deployed by the AVM templates with their defaults"
    );
    assert!(
        problems.is_empty(),
        "{} registry settings unknown despite defaults:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Why a Terraform value may stay unknown in the corpus: it truly comes from outside the scanned
/// files. A required variable without a value, an attribute only known after apply (random names,
/// ids), an output of a module that is not downloaded, or a local of the caller's files that the
/// corpus does not hold.
fn terraform_unknown_from_outside(reason: &str) -> bool {
    let after_apply = reason.ends_with("has no known value")
        && [
            "`random_",
            "`time_",
            "`azurecaf_name.",
            "`module.naming.",
            "`azurerm_",
        ]
        .iter()
        .any(|prefix| reason.contains(prefix));
    let required = reason.starts_with("variable `") && reason.ends_with("` has no value");
    // terraform-azurerm-caf's `local.compute` lives in its root `locals.tf`, not in the corpus.
    let absent_file = reason.ends_with("local value `compute` is not declared");
    let absent_module = reason == "what it creates is not known";
    after_apply || required || absent_file || absent_module
}

/// Every Terraform module in the corpus is evaluated: a value stays unknown only when it comes
/// from outside the scanned files.
fn terraform_corpus_unknowns_come_from_outside(corpus: PathBuf) {
    let mut options = acr_lint::ScanOptions::new(vec![corpus.clone()]);
    options.show_unknown = true;
    let scan = acr_lint::scan(&options);
    let prefix = "could not verify ";
    let mut terraform_unknowns = 0;
    let mut problems = Vec::new();
    for finding in &scan.findings {
        let Some(rest) = finding.message.strip_prefix(prefix) else {
            continue;
        };
        let file = scan
            .sources
            .get(finding.primary.span.file)
            .map(|f| f.path.display().to_string())
            .unwrap_or_default();
        if !file.ends_with(".tf") && !file.ends_with(".tfvars") {
            continue;
        }
        terraform_unknowns += 1;
        let reason = rest.split_once(": ").map_or(rest, |(_, reason)| reason);
        let reason = reason
            .strip_prefix("the SKU is unknown: ")
            .unwrap_or(reason);
        let reason = reason.rsplit(": ").next().unwrap_or(reason);
        if !terraform_unknown_from_outside(reason) {
            problems.push(format!("{file}: {}: {}", finding.rule.id, finding.message));
        }
    }
    eprintln!("{terraform_unknowns} undecided Terraform values, all from outside");
    assert!(
        problems.is_empty(),
        "{} Terraform values unknown for no outside reason:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
