//! What the Azure Developer CLI (azd) does to a project's infrastructure files before it
//! deploys them: the environment variables it fills in to parameters and variable files, and the
//! Terraform variable file it applies.

use std::path::Path;

use serde::Deserialize;

/// The first environment variable in `text` that the Azure Developer CLI substitutes in a
/// parameters file before deploying: `${AZURE_LOCATION}`, `${ACR_SKU=Basic}`.
fn environment_variable(text: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(start) = text.get(from..)?.find("${").map(|at| from + at) {
        let rest = text.get(start + 2..)?;
        let name_length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let named = name_length > 0 && !rest.starts_with(|c: char| c.is_ascii_digit());
        let after_name = rest.get(name_length..).unwrap_or("");
        let closes = after_name.starts_with('}')
            || (after_name.starts_with(['=', ':', '-', '+', '?']) && after_name.contains('}'));
        if named && closes {
            let end = start + 2 + name_length + after_name.find('}')? + 1;
            return text.get(start..end);
        }
        from = start + 2;
    }
    None
}

/// Why a string of `file` that holds an environment variable azd fills in
/// ([`environment_variable`]) is not known before deployment; `None` for any other string.
pub fn filled_in_reason(text: &str, file: &str) -> Option<String> {
    let variable = environment_variable(text)?;
    Some(format!(
        "`{variable}` in `{file}` is an environment variable the Azure Developer CLI fills in at \
         deployment"
    ))
}

/// The part of an azd project file (`azure.yaml`) that says how it provisions.
#[derive(Deserialize, Default)]
struct Project {
    #[serde(default)]
    infra: Option<Infra>,
}

#[derive(Deserialize, Default)]
struct Infra {
    #[serde(default)]
    provider: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    module: Option<String>,
}

/// The names azd reads its project file by.
const PROJECT_FILES: [&str; 2] = ["azure.yaml", "azure.yml"];

/// The largest project file read.
const MAX_PROJECT_BYTES: u64 = 1 << 20;

/// Whether azd applies the Terraform variable file at `path` (canonical) when it provisions:
/// `<module>.tfvars.json` (`main.tfvars.json`) in the infrastructure directory (`infra`, or the
/// project's `infra.path`) of the nearest project at or above the file's directory, within `top`,
/// whose `azure.yaml` provisions with Terraform.
pub fn applies_terraform_var_file(path: &Path, top: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("");
    let (Some(stem), Some(directory)) = (name.strip_suffix(".tfvars.json"), path.parent()) else {
        return false;
    };
    let nearest = directory
        .ancestors()
        .take_while(|project| project.starts_with(top))
        .find_map(|project| Some((project, project_file(project)?)));
    let Some((project, file)) = nearest else {
        return false;
    };
    let infra = file.infra.unwrap_or_default();
    let terraform = infra
        .provider
        .is_some_and(|provider| provider.eq_ignore_ascii_case("terraform"));
    let infra_directory =
        crate::source::normalize(&project.join(infra.path.as_deref().unwrap_or("infra")));
    terraform && infra_directory == directory && stem == infra.module.as_deref().unwrap_or("main")
}

/// The project file in `directory`, when there is one that reads as such.
fn project_file(directory: &Path) -> Option<Project> {
    let path = PROJECT_FILES
        .iter()
        .map(|name| directory.join(name))
        .find(|path| path.is_file())?;
    let too_large = std::fs::metadata(&path).map_or(true, |m| m.len() > MAX_PROJECT_BYTES);
    if too_large {
        return Some(Project::default());
    }
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_saphyr::from_str(&text).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::{applies_terraform_var_file, environment_variable};
    use std::fs;

    #[test]
    fn environment_variables_the_azure_developer_cli_fills_in_are_found() {
        assert_eq!(
            environment_variable("${AZURE_LOCATION}"),
            Some("${AZURE_LOCATION}")
        );
        assert_eq!(
            environment_variable("${ACR_SKU=Basic}"),
            Some("${ACR_SKU=Basic}")
        );
        assert_eq!(
            environment_variable("acr${ENV:-dev}01"),
            Some("${ENV:-dev}")
        );
        assert_eq!(environment_variable("$${ x} ${_A1}"), Some("${_A1}"));
        for plain in [
            "",
            "$",
            "${",
            "${}",
            "${1A}",
            "${A",
            "${A=b",
            "[parameters('a')]",
            "${a b}",
        ] {
            assert_eq!(environment_variable(plain), None, "{plain}");
        }
    }

    #[test]
    fn azd_applies_the_variable_file_of_its_terraform_infrastructure_directory() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let top = fs::canonicalize(dir.path()).expect("canonical");
        let infra = top.join("infra");
        fs::create_dir_all(infra.join("modules")).expect("directories");
        let applies = |relative: &str| applies_terraform_var_file(&top.join(relative), &top);
        assert!(!applies("infra/main.tfvars.json"), "no project file");
        fs::write(
            top.join("azure.yaml"),
            "name: x\ninfra:\n  provider: terraform\n",
        )
        .expect("project");
        assert!(applies("infra/main.tfvars.json"));
        assert!(!applies("infra/prod.tfvars.json"));
        assert!(!applies("infra/main.tfvars"));
        assert!(!applies("infra/modules/main.tfvars.json"));
        assert!(!applies("main.tfvars.json"));
        let custom = "infra:\n  provider: Terraform\n  path: deploy/tf\n  module: app\n";
        fs::write(top.join("azure.yaml"), custom).expect("project");
        assert!(applies("deploy/tf/app.tfvars.json"));
        assert!(!applies("infra/main.tfvars.json"));
        fs::write(top.join("azure.yaml"), "infra:\n  provider: bicep\n").expect("project");
        assert!(!applies("infra/main.tfvars.json"));
        fs::write(top.join("azure.yaml"), "infra: [unclosed").expect("project");
        assert!(!applies("infra/main.tfvars.json"));
        fs::write(top.join("azure.yaml"), "infra:\n  provider: terraform\n").expect("project");
        assert!(
            !applies_terraform_var_file(&infra.join("main.tfvars.json"), &infra),
            "above the top"
        );
    }
}
