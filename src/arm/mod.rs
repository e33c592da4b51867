//! ARM deployment templates: classification, resources at any depth, parameter values.

pub mod expr;
mod frontend;
mod links;
mod template;

pub use crate::model::json;
pub use crate::model::registry_in_id;
pub use frontend::{
    ExplicitParameters, explicit_parameters, given_explicitly, read_alone, read_directory,
    secure_spans,
};
pub use links::{linked_template, may_link, template_link};
pub use template::{ParametersFile, Template, read, variable_values};

use std::path::Path;

use crate::model::Node;
use crate::source;

/// Marks the copy loop iteration in a resource's variant: `copy registries[1]`.
const COPY_VARIANT: &str = "copy ";
/// Separates the parameters file from the copy instance in a variant.
const VARIANT_SEPARATOR: &str = "; ";

/// A resource's variant: the parameters file it was evaluated with and, for an instance of a
/// `copy` loop, the loop iterations that made it, outermost first
/// (`main.parameters.dev.json; copy modules[0]/registries[1]`).
pub fn variant(parameters_file: Option<&str>, copy: Option<&str>) -> Option<String> {
    match (parameters_file, copy) {
        (None, None) => None,
        (Some(file), None) => Some(file.to_string()),
        (None, Some(address)) => Some(format!("{COPY_VARIANT}{address}")),
        (Some(file), Some(address)) => {
            Some(format!("{file}{VARIANT_SEPARATOR}{COPY_VARIANT}{address}"))
        }
    }
}

/// Whether an ARM parameter or output type is secret (`secureString`, `secureObject`), in any
/// case.
pub fn is_secure_type(type_name: &str) -> bool {
    type_name
        .as_bytes()
        .get(..6)
        .is_some_and(|start| start.eq_ignore_ascii_case(b"secure"))
}

/// A variant's parameters file and copy loop iterations, as [`variant`] joined them.
pub fn split_variant(variant: &str) -> (Option<&str>, Option<&str>) {
    let (file, rest) = match variant.split_once(VARIANT_SEPARATOR) {
        Some((file, rest)) if rest.starts_with(COPY_VARIANT) => (Some(file), rest),
        _ => (None, variant),
    };
    match rest.strip_prefix(COPY_VARIANT) {
        Some(address) => (file, Some(address)),
        None => (Some(variant), None),
    }
}

/// An address without the copy indexes of its segments: `d[1]/acr[0]` is `d/acr`.
pub fn copy_stem(address: &str) -> String {
    let mut stem = String::with_capacity(address.len());
    let mut rest = address;
    while let Some(open) = rest.find('[') {
        let (before, from) = rest.split_at(open);
        stem.push_str(before);
        let digits = from
            .get(1..)
            .unwrap_or("")
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let after = from.get(1 + digits..).unwrap_or("");
        match after.strip_prefix(']') {
            Some(tail) if digits > 0 && (tail.is_empty() || tail.starts_with('/')) => rest = tail,
            _ => {
                stem.push('[');
                rest = from.get(1..).unwrap_or("");
            }
        }
    }
    stem.push_str(rest);
    stem
}

/// What a JSON file is, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Template,
    Parameters,
    Other,
}

/// Whether a file name could be that of a parameters file [`pairs_with`] gives some template.
pub fn may_pair_with_a_template(file_name: &[u8]) -> bool {
    let infix = source::PARAMETERS_INFIX.as_bytes();
    file_name
        .windows(infix.len())
        .any(|window| window.eq_ignore_ascii_case(infix))
}

/// Whether a parameters file belongs to a template by name: `x.json` takes `x.parameters.json`
/// and `x.parameters.<env>.json` (both file names as shown, in the same directory).
pub fn pairs_with(template: &str, parameters: &str) -> bool {
    let template = lower_file_name(template);
    template_stem(&template).is_some_and(|stem| stem_pairs_with(stem, parameters))
}

/// Whether the parameters file `parameters` (a file name as shown) belongs to a template whose
/// [`template_stem`] is `stem`.
pub fn stem_pairs_with(stem: &str, parameters: &str) -> bool {
    parameters_stems(&lower_file_name(parameters)).any(|candidate| candidate == stem)
}

/// A path's last component, in lower case.
pub fn lower_file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase()
}

/// What the names of a template's parameters files start with: its file name (in lower case)
/// without `.json` or `.jsonc`.
pub fn template_stem(lower_name: &str) -> Option<&str> {
    lower_name
        .strip_suffix(".json")
        .or_else(|| lower_name.strip_suffix(".jsonc"))
}

/// The stems of the templates a parameters file (its file name, in lower case) could belong to:
/// what comes before each `.parameters` that the name continues with `.json`, `.jsonc` or
/// `.<env>.json(c)` after.
pub fn parameters_stems(lower_name: &str) -> impl Iterator<Item = &str> {
    source::stem_ends(lower_name).filter_map(|at| lower_name.get(..at))
}

/// [`parameters_stems`] and their shorter forms: the stems of every template a parameters file
/// (its file name, in lower case) may pair with (see [`pairing_stems`]).
pub fn candidate_stems(lower_name: &str) -> impl Iterator<Item = &str> {
    parameters_stems(lower_name)
        .flat_map(|stem| std::iter::once(stem).chain(source::shorter_stems(stem)))
}

/// A directory's parameters files by the stem of the templates they could belong to, so that
/// each template finds its own in one lookup instead of trying every file's name.
#[derive(Default)]
pub struct ParametersByStem {
    positions: foldhash::HashMap<String, Vec<usize>>,
}

impl ParametersByStem {
    /// Indexes the parameters files by their position in `paths`, under their
    /// [`pairing_stems`].
    pub fn new<'n>(paths: impl IntoIterator<Item = &'n Path>) -> Self {
        let mut positions: foldhash::HashMap<String, Vec<usize>> = Default::default();
        for (position, path) in paths.into_iter().enumerate() {
            for stem in pairing_stems(path) {
                positions.entry(stem).or_default().push(position);
            }
        }
        ParametersByStem { positions }
    }

    /// The positions, in order, of the parameters files that belong to a template whose
    /// [`template_stem`] is `stem`.
    pub fn of_stem(&self, stem: &str) -> &[usize] {
        self.positions.get(stem).map_or(&[], Vec::as_slice)
    }
}

/// Whether the raw text could be an ARM file (or a Terraform plan) at all; cheap, so unrelated
/// JSON is never parsed.
pub fn may_be_arm(text: &str) -> bool {
    static MARKS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 4]> =
        std::sync::LazyLock::new(|| {
            [
                "deploymentTemplate",
                "deploymentParameters",
                "contentVersion",
                "resource_changes",
            ]
            .map(memchr::memmem::Finder::new)
        });
    MARKS
        .iter()
        .any(|mark| mark.find(text.as_bytes()).is_some())
}

pub fn classify(root: &Node) -> JsonKind {
    let schema = root.get("$schema").and_then(Node::as_str).unwrap_or("");
    let schema = schema.to_ascii_lowercase();
    if schema.contains("deploymenttemplate") {
        return JsonKind::Template;
    }
    if schema.contains("deploymentparameters") {
        return JsonKind::Parameters;
    }
    let has = |key| root.get(key).is_some();
    match (has("contentVersion"), has("resources"), has("parameters")) {
        (true, true, _) => JsonKind::Template,
        (true, false, true) => JsonKind::Parameters,
        _ => JsonKind::Other,
    }
}

/// [`classify`], knowing the file's path: a file named as a parameters file
/// (`x.parameters.json`) whose only mark is a `parameters` object, without `$schema` or
/// `contentVersion`, is one, as deployments take it.
pub fn classify_file(root: &Node, path: &Path) -> JsonKind {
    match classify(root) {
        JsonKind::Other
            if named_as_parameters(path)
                && root.get("resources").is_none()
                && root
                    .get("parameters")
                    .is_some_and(|p| matches!(p.value, crate::model::Value::Object(_))) =>
        {
            JsonKind::Parameters
        }
        kind => kind,
    }
}

/// `x.parameters.json`, `x.parameters.prod.json`: a parameters file by its name, read (and a
/// parse error reported) even when its text does not look like ARM.
pub fn named_as_parameters(path: &Path) -> bool {
    source::named_as_parameters(path)
}

/// The stems, in lower case, of the templates a parameters file pairs with by name, looked for
/// in the directory it is read with (see [`source::group_directory`]): those [`parameters_stems`]
/// finds in its name when a template of one of them is there; otherwise the longest of their
/// shorter forms, cut at a `.`, that names a template there (`hub.vnet.parameters.all.json` for
/// `hub.bicep`, a variant's parameters); otherwise those of its name.
pub fn pairing_stems(path: &Path) -> Vec<String> {
    let named = source::NamedTemplates::of(path, source::group_directory(path));
    let lower = |stem: &str| stem.to_ascii_lowercase();
    match named.found() {
        Some(source::TemplateFound::Named) | None => named.stems().map(lower).collect(),
        Some(source::TemplateFound::Shorter(stem)) => vec![lower(stem)],
    }
}

/// Why a parameters file is not read, when it names a template (see [`pairing_stems`]) that is
/// not where it is read with; `None` when the template is there or the name follows no
/// convention.
pub fn missing_template(parameters: &Path) -> Option<String> {
    let directory = source::group_directory(parameters)?;
    let named = source::NamedTemplates::of(parameters, Some(directory));
    let stem = named.stems().find(|stem| !stem.is_empty())?;
    if named.found().is_some() {
        return None;
    }
    let where_ = if Some(directory) == parameters.parent() {
        "beside it"
    } else {
        "in the directory above it"
    };
    Some(format!(
        "parameters file for template `{stem}.json`, which does not exist {where_} (nor a \
         `.bicep` of that name); pair it in the configuration (`parameters:`) or with \
         `--template` and `--parameters`"
    ))
}

#[cfg(test)]
mod tests {
    use super::{
        copy_stem, is_secure_type, may_pair_with_a_template, pairs_with, split_variant, variant,
    };

    #[test]
    fn a_file_named_as_parameters_needs_only_its_parameters_object() {
        use super::{JsonKind, classify_file};
        use std::path::Path;
        let kind = |text: &str, name: &str| {
            let root = crate::model::json::parse(text, 0).unwrap().unwrap();
            classify_file(&root, Path::new(name))
        };
        let bare = r#"{"parameters": {"a": {"value": true}}}"#;
        assert_eq!(kind(bare, "dir/x.parameters.json"), JsonKind::Parameters);
        assert_eq!(kind(bare, "X.Parameters.Prod.jsonc"), JsonKind::Parameters);
        assert_eq!(kind(bare, "x.json"), JsonKind::Other);
        assert_eq!(kind(bare, "parameters.json"), JsonKind::Other);
        let not_parameters = [
            r#"{"parameters": [], "x": 1}"#,
            r#"{"parameters": {}, "resources": []}"#,
            r#"{"values": {}}"#,
        ];
        for text in not_parameters {
            assert_eq!(kind(text, "x.parameters.json"), JsonKind::Other, "{text}");
        }
        let template = r#"{"contentVersion": "1.0.0.0", "parameters": {}, "resources": []}"#;
        assert_eq!(kind(template, "x.parameters.json"), JsonKind::Template);
    }

    #[test]
    fn secure_types_are_told_in_any_case() {
        for secure in ["secureString", "SECUREOBJECT", "securestring", "secure"] {
            assert!(is_secure_type(secure), "{secure}");
        }
        for plain in ["string", "object", "secur", "", "sécure", "insecureString"] {
            assert!(!is_secure_type(plain), "{plain}");
        }
    }

    #[test]
    fn copy_stems_drop_indexes() {
        assert_eq!(copy_stem("d[1]/acr[0]"), "d/acr");
        assert_eq!(copy_stem("acr[12]"), "acr");
        assert_eq!(copy_stem("acr"), "acr");
        assert_eq!(
            copy_stem("[concat('a', copyIndex())][3]"),
            "[concat('a', copyIndex())]"
        );
        assert_eq!(copy_stem("x[a]/y[]"), "x[a]/y[]");
    }

    #[test]
    fn variants_join_and_split() {
        assert_eq!(variant(None, None), None);
        let both = variant(Some("a.parameters.json"), Some("acr[1]")).unwrap();
        assert_eq!(
            split_variant(&both),
            (Some("a.parameters.json"), Some("acr[1]"))
        );
        assert_eq!(split_variant("copy acr[0]"), (None, Some("acr[0]")));
        assert_eq!(
            split_variant("a.parameters.json"),
            (Some("a.parameters.json"), None)
        );
    }

    #[test]
    fn parameters_files_pair_with_the_longest_stem_that_names_a_template() {
        use super::{missing_template, pairing_stems};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("hub/parameters")).unwrap();
        for template in [
            "a.json",
            "a.b.json",
            "hub/hub.bicep",
            "hub/parameters/x.json",
        ] {
            std::fs::write(root.join(template), "{}").unwrap();
        }
        let stems = |name: &str| pairing_stems(&root.join(name));
        assert_eq!(stems("a.b.parameters.json"), ["a.b"]);
        assert_eq!(stems("A.B.Parameters.Prod.json"), ["a.b"]);
        assert_eq!(stems("a.c.d.parameters.json"), ["a"]);
        assert_eq!(stems("x.y.parameters.json"), ["x.y"]);
        assert_eq!(stems("x.parameters.parameters.json"), ["x", "x.parameters"]);
        assert_eq!(
            stems("hub/parameters/hub.vnet.parameters.all.json"),
            ["hub"]
        );
        assert_eq!(stems("hub/parameters/x.parameters.json"), ["x"]);
        assert!(stems("a.json").is_empty());
        let missing = |name: &str| missing_template(&root.join(name));
        assert_eq!(missing("a.c.d.parameters.json"), None);
        assert_eq!(missing("hub/parameters/hub.parameters.min.json"), None);
        assert!(
            missing("x.y.parameters.json")
                .unwrap()
                .contains("`x.y.json`, which does not exist beside it")
        );
        // A template in the parameters directory keeps its parameters files there.
        assert_eq!(missing("hub/parameters/x.parameters.json"), None);
        let above = missing("hub/parameters/y.parameters.json").unwrap();
        assert!(
            above.contains("`y.json`, which does not exist in the directory above it"),
            "{above}"
        );
        assert_eq!(missing(".parameters.json"), None);
    }

    #[test]
    fn parameters_files_pair_by_name() {
        assert!(pairs_with(
            "infra/azuredeploy.json",
            "infra/azuredeploy.parameters.json"
        ));
        assert!(pairs_with("main.json", "main.parameters.prod.json"));
        assert!(!pairs_with("main.json", "other.parameters.json"));
        assert!(!pairs_with("main.json", "main.json"));
        assert!(!pairs_with("main.json", "mainx.parameters.json"));
    }

    /// Whether `parameters` pairs with `template`, by taking the template's stem off the front
    /// of the parameters file's name: what the stems of [`super::parameters_stems`] answer.
    fn pairs_by_prefix(template: &str, parameters: &str) -> bool {
        let template = super::lower_file_name(template);
        let parameters = super::lower_file_name(parameters);
        let Some(stem) = template
            .strip_suffix(".json")
            .or_else(|| template.strip_suffix(".jsonc"))
        else {
            return false;
        };
        let Some(rest) = parameters
            .strip_prefix(stem)
            .and_then(|r| r.strip_prefix(".parameters"))
        else {
            return false;
        };
        rest == ".json"
            || rest == ".jsonc"
            || (rest.starts_with('.') && (rest.ends_with(".json") || rest.ends_with(".jsonc")))
    }

    const TRICKY_NAMES: [&str; 16] = [
        "main.json",
        "Main.JSONC",
        "main.parameters.json",
        "main.parameters.prod.jsonc",
        "main.parameters.",
        "main.parametersx.json",
        "main.parameters.parameters.json",
        "main.parameters.json.json",
        "x.parameters.json",
        ".json",
        ".parameters.json",
        "..parameters..json",
        "dir/main.json",
        "parameters.json",
        "mainparameters.json",
        "ünï.parameters.json",
    ];

    #[test]
    fn pairing_by_stems_answers_as_pairing_by_prefix() {
        for template in TRICKY_NAMES {
            for parameters in TRICKY_NAMES {
                assert_eq!(
                    pairs_with(template, parameters),
                    pairs_by_prefix(template, parameters),
                    "{template} with {parameters}"
                );
            }
        }
    }

    /// Every name of up to `most` of the tokens that make parameters files' names tricky.
    fn names_of_tokens(most: u32) -> Vec<String> {
        const TOKENS: [&str; 6] = ["a", ".", ".parameters", ".json", ".jsonc", "P"];
        let mut names = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..most {
            last = last
                .iter()
                .flat_map(|name| TOKENS.iter().map(move |token| format!("{name}{token}")))
                .collect();
            names.extend(last.iter().cloned());
        }
        names
    }

    #[test]
    fn pairing_by_stems_answers_as_pairing_by_prefix_for_every_short_name() {
        let templates = names_of_tokens(3);
        let parameters = names_of_tokens(4);
        let index = super::ParametersByStem::new(parameters.iter().map(std::path::Path::new));
        for template in &templates {
            let expected: Vec<usize> = (0..parameters.len())
                .filter(|&i| pairs_by_prefix(template, &parameters[i]))
                .collect();
            let lower = super::lower_file_name(template);
            let found = super::template_stem(&lower).map_or(&[][..], |stem| index.of_stem(stem));
            assert_eq!(found, expected, "{template}");
        }
    }

    #[test]
    fn parameters_files_indexed_by_stem_are_found_in_order() {
        let index = super::ParametersByStem::new(TRICKY_NAMES.map(std::path::Path::new));
        for template in TRICKY_NAMES {
            let lower = super::lower_file_name(template);
            let found = super::template_stem(&lower).map_or(&[][..], |stem| index.of_stem(stem));
            let expected: Vec<usize> = (0..TRICKY_NAMES.len())
                .filter(|&i| pairs_with(template, TRICKY_NAMES[i]))
                .collect();
            assert_eq!(found, expected, "{template}");
        }
    }

    #[test]
    fn a_file_that_pairs_with_a_template_may_pair_by_its_name_alone() {
        for (template, parameters) in [
            ("azuredeploy.json", "azuredeploy.parameters.json"),
            ("Main.json", "MAIN.Parameters.Prod.json"),
            ("main.jsonc", "main.parameters.jsonc"),
        ] {
            assert!(pairs_with(template, parameters), "{parameters}");
            assert!(
                may_pair_with_a_template(parameters.as_bytes()),
                "{parameters}"
            );
        }
        for name in [
            "main.json",
            "parameters.json",
            "main.params.json",
            "main.bicep",
        ] {
            assert!(!may_pair_with_a_template(name.as_bytes()), "{name}");
        }
    }
}
