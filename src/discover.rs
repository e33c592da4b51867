//! Finds the files to read below the given paths and classifies them by name.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use rayon::prelude::*;

use crate::model::{Format, InputError};
use crate::source::{self, FileId};

mod data;
mod linked;

pub use data::is_data_file;

/// Whether listings leave out what ignore files name (`.gitignore`, `.ignore`, those of the
/// directories above, git's excludes): they do unless `--no-ignore` or
/// `respect-ignore-files: false` says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum IgnoreFiles {
    #[default]
    Honoured,
    Disregarded,
}

/// A walk of `top` as every listing of acr-lint makes it: hidden files included, ignore files
/// honoured (inside a git repository or not) unless `ignore_files` disregards them.
fn walker(top: &Path, ignore_files: IgnoreFiles) -> WalkBuilder {
    let mut walker = WalkBuilder::new(top);
    walker
        .standard_filters(ignore_files == IgnoreFiles::Honoured)
        .hidden(false)
        .require_git(false);
    walker
}

/// Directories never scanned: tool state, not configuration.
const SKIPPED_DIRS: &[&str] = &[".git", ".terraform", "node_modules"];

/// Whether a walk's entry is named as one of the [`SKIPPED_DIRS`].
fn named_as_tool_state(entry: &ignore::DirEntry) -> bool {
    SKIPPED_DIRS
        .iter()
        .any(|skipped| entry.file_name() == *skipped)
}

/// What a file may hold, judged by its name; JSON is confirmed by content later. The summary
/// names these kinds ([`crate::findings::KINDS_READ`]): keep it in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Candidate {
    Terraform,
    /// Terraform in JSON syntax (`.tf.json`).
    TerraformJson,
    TfVars,
    TfVarsJson,
    Json,
    Bicep,
    BicepParams,
}

impl Candidate {
    pub fn of(path: &Path) -> Option<Candidate> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".tf") {
            Some(Candidate::Terraform)
        } else if name.ends_with(".tfvars") {
            Some(Candidate::TfVars)
        } else if name.ends_with(".tf.json") {
            Some(Candidate::TerraformJson)
        } else if name.ends_with(".tfvars.json") {
            Some(Candidate::TfVarsJson)
        } else if name.ends_with(".json") || name.ends_with(".jsonc") {
            Some(Candidate::Json)
        } else if name.ends_with(".bicep") {
            Some(Candidate::Bicep)
        } else if name.ends_with(".bicepparam") {
            Some(Candidate::BicepParams)
        } else {
            None
        }
    }

    /// The family of files read together as one configuration: a Terraform module with its
    /// variable files, Bicep files with their parameters files, or ARM JSON.
    fn family(self) -> Family {
        match self {
            Candidate::Terraform
            | Candidate::TerraformJson
            | Candidate::TfVars
            | Candidate::TfVarsJson => Family::Terraform,
            Candidate::Json => Family::Json,
            Candidate::Bicep | Candidate::BicepParams => Family::Bicep,
        }
    }
}

/// The syntax a file is written in, judged by its name: Bicep, ARM JSON, or else Terraform.
pub fn syntax_of(path: &Path) -> Format {
    match Candidate::of(path) {
        Some(Candidate::Bicep | Candidate::BicepParams) => Format::Bicep,
        Some(Candidate::Json) => Format::Arm,
        _ => Format::Terraform,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Terraform,
    Json,
    Bicep,
}

/// Directories of the kernel's pseudo-files: never walked, whatever leads into them.
const SYSTEM_DIRS: &[&str] = &["/proc", "/sys", "/dev"];

/// A path that could not be walked, or was skipped on purpose, with the reason.
#[derive(Debug, Clone)]
pub struct WalkError {
    pub path: PathBuf,
    pub message: String,
    /// Skipped on purpose (a symbolic link leaving the scanned tree): a notice, not an error.
    pub skipped: bool,
}

/// Why the entry at `path` is not followed: a symbolic link that resolves outside `root` (a
/// canonical path) or into a system directory, or a system directory itself.
fn outside_the_tree(path: &Path, is_symlink: bool, root: &Path) -> Option<String> {
    let target = path.canonicalize().ok()?;
    let system = SYSTEM_DIRS.iter().any(|d| target.starts_with(d));
    if system && !root.starts_with(&target) {
        return Some(format!(
            "skipped: {} is a system directory, never scanned",
            target.display()
        ));
    }
    if is_symlink && !target.starts_with(root) {
        return Some(format!(
            "skipped: symbolic link to {}, outside the scanned directory",
            target.display()
        ));
    }
    None
}

/// The candidate files below `paths` in [`source::directory_order`] without duplicates, and the
/// walk errors.
pub fn discover(
    paths: &[PathBuf],
    ignore_files: IgnoreFiles,
) -> (Vec<(PathBuf, Candidate)>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match root.symlink_metadata() {
            Err(_) => errors.push(WalkError {
                path: root.clone(),
                message: missing_path_message(root),
                skipped: false,
            }),
            Ok(metadata) if metadata.is_file() => files.extend(given_file(root)),
            Ok(_) => walk(root, ignore_files, &mut files, &mut errors),
        }
    }
    source::sort_in_directory_order(&mut files, |(path, _)| path);
    files.dedup_by(|a, b| a.0 == b.0);
    (files, errors)
}

/// Why a path given cannot be scanned; for a word other linters take as their command
/// (`acr-lint check .`), what acr-lint takes instead.
fn missing_path_message(path: &Path) -> String {
    const OTHER_LINTERS_COMMANDS: [&str; 3] = ["check", "lint", "scan"];
    match path.to_str() {
        Some(word) if OTHER_LINTERS_COMMANDS.contains(&word) => format!(
            "no such file or directory; acr-lint takes the paths to scan, with no `{word}` \
             command before them: `acr-lint .`"
        ),
        Some("rule") => "no such file or directory; `acr-lint explain ACR001` prints a rule's \
                         page, `acr-lint rules` lists them"
            .into(),
        _ => "no such file or directory".into(),
    }
}

/// How many files given by name a note on skipped ones names before it only counts them.
const UNREAD_NAMES_SHOWN: usize = 5;

/// A note on the files given by name that acr-lint does not read (by their name), which would
/// otherwise be dropped without a word: one line, however many there are.
fn unread_kinds_notice(paths: &[PathBuf], base: &Path) -> Option<String> {
    let unread: Vec<String> = paths
        .iter()
        .filter(|path| Candidate::of(path).is_none() && path.is_file())
        .map(|path| source::display_name(path, base))
        .collect();
    skipped_notice(
        &unread,
        "not a kind of file acr-lint reads",
        "that are of no kind acr-lint reads",
    )
}

/// The notice of one file skipped, and why: `x.json: skipped: WHY`.
pub fn skipped_file_notice(name: &str, why: &str) -> String {
    format!("{name}: skipped: {why}")
}

/// One line on files given by name that are skipped: `NAME: skipped: WHY` for one, `skipped N
/// files given by name THAT: NAME, …` naming the first few of more.
pub fn skipped_notice(names: &[String], why: &str, that: &str) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(skipped_file_notice(one, why)),
        many => {
            let shown = many.get(..UNREAD_NAMES_SHOWN).unwrap_or(many).join(", ");
            let more = many.len().saturating_sub(UNREAD_NAMES_SHOWN);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            Some(format!(
                "skipped {} files given by name {that}: {shown}{more}",
                many.len()
            ))
        }
    }
}

/// The files to read as context for the files given by name, without reporting on them, so
/// that a given file reports what a scan of its directory reports in it: for a Terraform file
/// (`.tf`, `.tfvars`, `.tfvars.json`), the other Terraform files of its directory, which make up
/// its module and its variable values, and the plans beside them; for a JSON file, the
/// parameters files paired with it by name, or the template it is a parameters file of, and for
/// a plan the configuration beside it; for a Bicep file (`.bicep`, `.bicepparam`), or a JSON file
/// a Bicep file may import, load, compile to or take parameters from, the Bicep files of its
/// directory that take part with it (see [`crate::bicep::siblings`]) and the JSON parameters
/// files paired with any of these. Texts are read to tell (`open`'s first). Files already in
/// `files` are left out. Sorted, without duplicates. Each directory is listed once, however many
/// of its files are given.
pub fn context<'o>(
    paths: &[PathBuf],
    files: &[(PathBuf, Candidate)],
    open: &OpenText<'o>,
    ignore_files: IgnoreFiles,
) -> Vec<(PathBuf, Candidate)> {
    let mut context = Vec::new();
    for (directory, given) in given_by_directory(paths) {
        let siblings = readable_siblings(directory, ignore_files, &|sibling, candidate| {
            given.may_take(candidate.family()) || given.wants(sibling, candidate)
        });
        let (bicep, rest): (Vec<_>, Vec<_>) = siblings
            .into_iter()
            .partition(|(_, candidate)| candidate.family() == Family::Bicep);
        let (wanted, others): (Vec<_>, Vec<_>) = rest
            .into_iter()
            .partition(|(sibling, candidate)| given.wants(sibling, *candidate));
        let seeds = bicep_seeds(&given, &bicep, &wanted, open);
        context.extend(wanted);
        context.extend(plans_and_their_configuration(&given, &others, open));
        if !seeds.is_empty() {
            let bicep = bicep_read_with(&seeds, bicep, open);
            let (compiled, others) = split_compiled(others, open);
            let templates = [&bicep[..], &compiled[..]].concat();
            context.extend(parameters_of_bicep(&templates, others));
            context.extend(compiled);
            context.extend(bicep);
        }
    }
    if context.is_empty() {
        return context;
    }
    let known: std::collections::HashSet<&Path> = files.iter().map(|(f, _)| f.as_path()).collect();
    context.retain(|(path, _)| !known.contains(path.as_path()));
    context.sort();
    context.dedup_by(|a, b| a.0 == b.0);
    context
}

/// Among `others` (siblings of the given files not otherwise read with them): for given
/// Terraform files, the Terraform plans of their directory; for a given plan, the Terraform
/// files of its directory, the configuration it was made from. Either way, what a scan of the
/// directory combines (see [`crate::terraform::combine_plan`]).
fn plans_and_their_configuration(
    given: &GivenInDirectory,
    others: &[(PathBuf, Candidate)],
    open: &OpenText<'_>,
) -> Vec<(PathBuf, Candidate)> {
    let mut taken = Vec::new();
    if given.families.contains(&Family::Terraform) {
        let plans = others.iter().filter(|(path, candidate)| {
            candidate.family() == Family::Json && may_be_plan(path, open)
        });
        taken.extend(plans.cloned());
    }
    let configuration: Vec<&(PathBuf, Candidate)> = others
        .iter()
        .filter(|(_, candidate)| candidate.family() == Family::Terraform)
        .collect();
    if !configuration.is_empty() && given.json.iter().any(|path| may_be_plan(path, open)) {
        taken.extend(configuration.into_iter().cloned());
    }
    taken
}

/// Whether a JSON file may be a Terraform plan: its text (an editor's first) holds the two keys
/// [`crate::terraform::is_plan`] looks for.
fn may_be_plan(path: &Path, open: &OpenText<'_>) -> bool {
    let holds_keys =
        |text: &str| text.contains("\"format_version\"") && text.contains("\"resource_changes\"");
    text_of(path, open).is_some_and(|text| holds_keys(&text))
}

/// A file's text, an editor's first; `None` when it cannot be read.
fn text_of<'t>(path: &Path, open: &OpenText<'t>) -> Option<std::borrow::Cow<'t, str>> {
    match open(path) {
        Some(text) => Some(std::borrow::Cow::Borrowed(text)),
        None => source::read_text(path).ok().map(std::borrow::Cow::Owned),
    }
}

/// The files a directory's Bicep files are read for (see [`bicep_read_with`]): the given Bicep
/// files, and when JSON files are given, those files (a Bicep file may import or load them) with
/// the Bicep templates they are parameters files of or compiled from (any of the directory's, for
/// a compiled template, given or `wanted` with a given parameters file, with no `.bicep` file of
/// its name: see [`crate::bicep::compiled_from`]).
fn bicep_seeds(
    given: &GivenInDirectory,
    bicep: &[(PathBuf, Candidate)],
    wanted: &[(PathBuf, Candidate)],
    open: &OpenText<'_>,
) -> Vec<PathBuf> {
    let mut seeds = given.bicep.clone();
    if given.json.is_empty() || bicep.is_empty() {
        return seeds;
    }
    seeds.extend(given.json.iter().cloned());
    let sources: std::collections::HashSet<PathBuf> = given
        .json
        .iter()
        .map(|json| crate::bicep::source_of_compiled(json))
        .collect();
    let wanted_json = wanted.iter().filter(|(_, c)| c.family() == Family::Json);
    let mut json = given.json.iter().chain(wanted_json.map(|(path, _)| path));
    let compiled_elsewhere = json.any(|json| {
        let source = crate::bicep::source_of_compiled(json);
        !bicep.iter().any(|(sibling, _)| *sibling == source) && compiled_by_bicep(json, open)
    });
    let templates = bicep.iter().filter(|(sibling, candidate)| {
        given.is_template_of_given(Family::Bicep, &lower_file_name(sibling))
            || sources.contains(sibling)
            || (compiled_elsewhere && *candidate == Candidate::Bicep)
    });
    seeds.extend(templates.map(|(path, _)| path.clone()));
    seeds
}

/// Whether a JSON file's text (an editor's first) is a template the Bicep compiler made.
fn compiled_by_bicep(path: &Path, open: &OpenText<'_>) -> bool {
    text_of(path, open)
        .is_some_and(|text| text.contains("\"_generator\"") && text.contains("bicep"))
}

/// The files of `directory` (`None`: the working directory) of a kind acr-lint reads that
/// `wanted` accepts, and that are regular files inside it, with the parameters files of its
/// `parameters` and `params` directories, which are read with it (see
/// [`source::group_directory`]).
fn readable_siblings(
    directory: Option<&Path>,
    ignore_files: IgnoreFiles,
    wanted: &dyn Fn(&Path, Candidate) -> bool,
) -> Vec<(PathBuf, Candidate)> {
    let listed = directory.unwrap_or(Path::new("."));
    let boundary = listed.canonicalize().unwrap_or_default();
    let mut siblings = Vec::new();
    for entry in found_by_a_walk(listed, ignore_files) {
        let sibling = source::normalize(entry.path());
        // Its parameters directories' other files are read with them, not with `directory`.
        let read_with_directory = entry.depth() == 1
            || sibling
                .parent()
                .is_some_and(|parent| source::group_directory(&sibling) != Some(parent));
        if read_with_directory {
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            take_if_readable(is_file, sibling, &boundary, wanted, &mut siblings);
        }
    }
    siblings
}

/// The entries of `directory` and of its parameters directories that a walk of it finds: those
/// its ignore files (`.gitignore`, `.ignore`, those of the directories above, git's excludes)
/// leave, as [`walk`] finds them.
fn found_by_a_walk(
    directory: &Path,
    ignore_files: IgnoreFiles,
) -> impl Iterator<Item = ignore::DirEntry> {
    let mut walker = walker(directory, ignore_files);
    walker.max_depth(Some(2)).filter_entry(|entry| {
        let is_directory = entry.file_type().is_some_and(|t| t.is_dir());
        // Below the directory, only its parameters directories are looked into.
        entry.depth() != 1 || !is_directory || source::is_parameters_directory(entry.path())
    });
    walker.build().flatten().filter(|entry| entry.depth() > 0)
}

/// Adds `sibling` to `siblings` when it is a file of a kind acr-lint reads, `wanted` accepts
/// it, and it is a regular file inside `boundary` (`listed_as_file`: its directory entry says
/// it is a regular file, not a link).
fn take_if_readable(
    listed_as_file: bool,
    sibling: PathBuf,
    boundary: &Path,
    wanted: &dyn Fn(&Path, Candidate) -> bool,
    siblings: &mut Vec<(PathBuf, Candidate)>,
) {
    let in_system_dir = SYSTEM_DIRS.iter().any(|d| boundary.starts_with(d));
    // A regular file of an ordinary directory is in the tree; links and the rest are resolved
    // to make sure.
    let plain_file = !in_system_dir && listed_as_file;
    let readable = || {
        sibling.is_file() && outside_the_tree(&sibling, sibling.is_symlink(), boundary).is_none()
    };
    if let Some(candidate) = Candidate::of(&sibling)
        && wanted(&sibling, candidate)
        && (plain_file || readable())
    {
        siblings.push((sibling, candidate));
    }
}

/// The JSON templates among `others` that the Bicep compiler made (one may have been compiled
/// from a Bicep file of another name: see [`crate::bicep::compiled_from`]), and the rest.
fn split_compiled(others: Vec<(PathBuf, Candidate)>, open: &OpenText<'_>) -> (Files, Files) {
    others.into_iter().partition(|(path, candidate)| {
        candidate.family() == Family::Json
            && !source::named_as_parameters(path)
            && compiled_by_bicep(path, open)
    })
}

/// The JSON parameters files among `others` named for the templates among `templates` (a
/// caller of a given file is read with its parameters files, as in a scan of the directory).
fn parameters_of_bicep(
    templates: &[(PathBuf, Candidate)],
    others: Vec<(PathBuf, Candidate)>,
) -> impl Iterator<Item = (PathBuf, Candidate)> {
    let stems: std::collections::HashSet<String> = templates
        .iter()
        .filter_map(|(path, candidate)| {
            let name = lower_file_name(path);
            template_stem(candidate.family(), &name).map(str::to_string)
        })
        .collect();
    others.into_iter().filter(move |(path, candidate)| {
        candidate.family() == Family::Json
            && crate::arm::candidate_stems(&lower_file_name(path)).any(|s| stems.contains(s))
    })
}

/// Files with the kind each is read as.
type Files = Vec<(PathBuf, Candidate)>;

/// The text of a file open in an editor, which stands for what is on disk.
pub type OpenText<'o> = dyn Fn(&Path) -> Option<&'o str> + Sync + 'o;

/// The Bicep files of a directory (`found`) that are read for `given` (given files, and the
/// templates of given JSON files): those [`crate::bicep::siblings::read_with`] takes, by what
/// their texts (an editor's first) name. The given files that are not Bicep files are among the
/// files returned.
fn bicep_read_with(
    given: &[PathBuf],
    mut found: Vec<(PathBuf, Candidate)>,
    open: &OpenText<'_>,
) -> Vec<(PathBuf, Candidate)> {
    let given: std::collections::HashSet<&Path> = given.iter().map(PathBuf::as_path).collect();
    if found.iter().all(|(path, _)| given.contains(path.as_path())) {
        return found;
    }
    let listed: std::collections::HashSet<PathBuf> = found.iter().map(|(p, _)| p.clone()).collect();
    for path in given.iter().filter(|p| !listed.contains(**p)) {
        if let Some(candidate) = Candidate::of(path) {
            found.push((path.to_path_buf(), candidate));
        }
    }
    let texts: Vec<Option<std::borrow::Cow<'_, str>>> = found
        .par_iter()
        .map(|(path, _)| text_of(path, open))
        .collect();
    let names: Vec<String> = found.iter().map(|(p, _)| file_name(p)).collect();
    let siblings: Vec<crate::bicep::siblings::Sibling<'_>> = names
        .iter()
        .zip(&texts)
        .map(|(name, text)| crate::bicep::siblings::Sibling {
            name,
            text: text.as_deref(),
        })
        .collect();
    let is_given: Vec<bool> = found
        .iter()
        .map(|(p, _)| given.contains(p.as_path()))
        .collect();
    let taken = crate::bicep::siblings::read_with(&siblings, &is_given);
    found
        .into_iter()
        .zip(taken)
        .filter_map(|(file, taken)| taken.then_some(file))
        .collect()
}

fn file_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy());
    name.unwrap_or_default().into_owned()
}

/// The files given by name, by the directory they are in (`None`: the working directory), in the
/// order the directories were first named.
fn given_by_directory(paths: &[PathBuf]) -> Vec<(Option<&Path>, GivenInDirectory)> {
    let mut directories: Vec<(Option<&Path>, GivenInDirectory)> = Vec::new();
    let mut positions: std::collections::HashMap<Option<&Path>, usize> = Default::default();
    for path in paths {
        let Some(candidate) = Candidate::of(path).filter(|_| !path.is_dir()) else {
            continue;
        };
        let directory = source::group_directory(path).filter(|p| !p.as_os_str().is_empty());
        let position = *positions.entry(directory).or_insert_with(|| {
            directories.push((directory, GivenInDirectory::default()));
            directories.len() - 1
        });
        if let Some((_, given)) = directories.get_mut(position) {
            given.add(path, candidate);
        }
    }
    directories
}

/// What the files given in one directory take along from it: whole families (a Terraform
/// module, Bicep files), and JSON files that pair by name with a given file, either way.
#[derive(Default)]
struct GivenInDirectory {
    families: Vec<Family>,
    /// The stems of the given templates (JSON and Bicep), which their parameters files start with.
    template_stems: std::collections::HashSet<String>,
    /// The stems of the templates the given JSON files could be parameters files of.
    parameters_stems: std::collections::HashSet<String>,
    /// The given Bicep files (`.bicep`, `.bicepparam`).
    bicep: Vec<PathBuf>,
    /// The given JSON files.
    json: Vec<PathBuf>,
}

impl GivenInDirectory {
    fn add(&mut self, path: &Path, candidate: Candidate) {
        let family = candidate.family();
        let name = lower_file_name(path);
        if family == Family::Json {
            self.parameters_stems
                .extend(crate::arm::candidate_stems(&name).map(str::to_string));
        }
        let stem = template_stem(family, &name);
        self.template_stems.extend(stem.map(str::to_string));
        match family {
            Family::Bicep => self.bicep.push(source::normalize(path)),
            Family::Json => self.json.push(source::normalize(path)),
            Family::Terraform => {}
        }
        if !self.families.contains(&family) {
            self.families.push(family);
        }
    }

    /// Whether files of `family` may be read with the given files beyond those [`Self::wants`]
    /// names: Bicep files and their JSON files for given Bicep or JSON files (see
    /// [`bicep_seeds`]), Terraform plans for given Terraform files, and a Terraform
    /// configuration for a given plan (see [`plans_and_their_configuration`]).
    fn may_take(&self, family: Family) -> bool {
        let given = |f: Family| self.families.contains(&f);
        match family {
            Family::Bicep => given(Family::Bicep) || given(Family::Json),
            Family::Json => given(Family::Bicep) || given(Family::Json) || given(Family::Terraform),
            Family::Terraform => given(Family::Json),
        }
    }

    /// Whether a sibling of the given files is read with them (see [`context`]).
    fn wants(&self, sibling: &Path, candidate: Candidate) -> bool {
        let family = candidate.family();
        if family != Family::Json && self.families.contains(&family) {
            return true;
        }
        let name = lower_file_name(sibling);
        let is_parameters_of_given = family == Family::Json
            && crate::arm::candidate_stems(&name).any(|stem| self.template_stems.contains(stem));
        is_parameters_of_given || self.is_template_of_given(family, &name)
    }

    /// Whether a sibling (of `family`, its file name in lower case) is the template a given JSON
    /// file may be a parameters file of.
    fn is_template_of_given(&self, family: Family, lower_name: &str) -> bool {
        let stem = template_stem(family, lower_name);
        stem.is_some_and(|stem| self.parameters_stems.contains(stem))
    }
}

fn lower_file_name(path: &Path) -> String {
    file_name(path).to_ascii_lowercase()
}

/// What the names of a template's JSON parameters files start with, for a JSON or Bicep
/// template's file name in lower case (see [`crate::arm::pairs_with`]).
fn template_stem(family: Family, lower_name: &str) -> Option<&str> {
    match family {
        Family::Json => crate::arm::template_stem(lower_name),
        Family::Bicep => crate::bicep::template_stem(lower_name),
        Family::Terraform => None,
    }
}

/// What the walker yields for a regular file given as a root, without building its ignore rules
/// (which compiles a pattern to read the git configuration): the file, when it is of a kind
/// acr-lint reads. A given file is never ignored.
fn given_file(root: &Path) -> Option<(PathBuf, Candidate)> {
    Candidate::of(root).map(|candidate| (crate::source::normalize(root), candidate))
}

fn walk(
    root: &Path,
    ignore_files: IgnoreFiles,
    files: &mut Vec<(PathBuf, Candidate)>,
    errors: &mut Vec<WalkError>,
) {
    let boundary = root
        .canonicalize()
        .ok()
        .filter(|r| r.is_dir())
        .or_else(|| root.canonicalize().ok()?.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| root.to_path_buf());
    let in_system_dir = SYSTEM_DIRS.iter().any(|d| boundary.starts_with(d));
    let skipped = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&skipped);
    let mut walker = walker(root, ignore_files);
    walker.follow_links(true).filter_entry(move |entry| {
        if entry.depth() == 0 {
            return true;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if is_dir && named_as_tool_state(entry) {
            return false;
        }
        let is_symlink = entry.path_is_symlink();
        // Below an ordinary root, only a link, or a directory named as a system directory
        // (the root may be `/`), can lead out of the tree or into the system.
        let named_as_system = || {
            SYSTEM_DIRS
                .iter()
                .any(|d| Path::new(d).file_name() == Some(entry.file_name()))
        };
        if !is_symlink && (!is_dir || !(in_system_dir || named_as_system())) {
            return true;
        }
        match outside_the_tree(entry.path(), is_symlink, &boundary) {
            Some(message) => {
                if let Ok(mut skipped) = seen.lock() {
                    skipped.push(WalkError {
                        path: entry.path().to_path_buf(),
                        message,
                        skipped: true,
                    });
                }
                false
            }
            None => true,
        }
    });
    let mut found = WalkOutcome::default();
    if root.is_dir() {
        // Directories are listed on every core; the files are sorted afterwards.
        let shared = Mutex::new(WalkOutcome::default());
        walker.build_parallel().run(|| {
            let shared = &shared;
            Box::new(move |entry| {
                if let Ok(mut outcome) = shared.lock() {
                    outcome.add(root, entry);
                }
                ignore::WalkState::Continue
            })
        });
        found = shared.into_inner().unwrap_or_default();
        found
            .errors
            .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    } else {
        for entry in walker.build() {
            found.add(root, entry);
        }
    }
    files.append(&mut found.files);
    errors.append(&mut found.errors);
    if let Ok(mut skipped) = skipped.lock() {
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        errors.append(&mut skipped);
    }
}

/// The candidate files and the errors of a walk.
#[derive(Default)]
struct WalkOutcome {
    files: Vec<(PathBuf, Candidate)>,
    errors: Vec<WalkError>,
}

impl WalkOutcome {
    fn add(&mut self, root: &Path, entry: Result<ignore::DirEntry, ignore::Error>) {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|t| t.is_file())
                    && let Some(candidate) = Candidate::of(entry.path())
                {
                    self.files
                        .push((crate::source::normalize(entry.path()), candidate));
                }
            }
            Err(error) => self.errors.push(walk_error(root, &error)),
        }
    }
}

fn walk_error(root: &Path, error: &ignore::Error) -> WalkError {
    let path = error_path(error).unwrap_or(root).to_path_buf();
    let message = match error.io_error() {
        Some(io) => io.to_string(),
        None => strip_path_prefix(&error.to_string()),
    };
    WalkError {
        path,
        message,
        skipped: false,
    }
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn strip_path_prefix(message: &str) -> String {
    message.rsplit(": ").next().unwrap_or(message).to_string()
}

/// The files to read, sorted by directory, and which of them are reported on (the others are
/// read only as context for given files: the rest of their module).
pub struct Discovered {
    /// How many files of the paths the configuration's `exclude` globs left out.
    pub excluded: usize,
    /// When the paths hold no file to read: how many ignore files left out (not counted
    /// otherwise, as it takes a second walk).
    pub ignored: usize,
    pub files: Vec<(PathBuf, Candidate)>,
    pub reported: Vec<bool>,
    pub errors: Vec<InputError>,
    /// Paths skipped on purpose (symbolic links out of the scanned tree), with why.
    pub notices: Vec<String>,
    /// The YAML files given by name, and the JSON files given by name that are no ARM template,
    /// parameters file or plan: data Terraform configurations may read (see [`data`]); as given,
    /// less the excluded ones.
    pub data_files: Vec<PathBuf>,
    /// The directories, canonical, whose Terraform configurations are read for `data_files`.
    pub data_roots: Vec<PathBuf>,
    /// The templates parameters files name in `metadata.template`, each with one of them
    /// (`(template, parameters file)`): pairs given explicitly.
    pub links: Vec<(PathBuf, PathBuf)>,
    /// The same for the parameters files, read only as context, that name a template given by
    /// name.
    pub context_links: Vec<(PathBuf, PathBuf)>,
}

/// `paths`, with the working directory `base`, when it is a `parameters` or `params` directory,
/// and each parameters file given there (`acr-lint .` or `acr-lint x.parameters.json` in it)
/// written from the directory above (`../parameters`, `../parameters/x.parameters.json`), so
/// that its parameters files are read with the templates there as when they are scanned or given
/// from anywhere else. Names are shown as given.
pub fn seen_from_above(paths: &[PathBuf], base: &Path) -> Vec<PathBuf> {
    let Some(directory) = base
        .file_name()
        .filter(|_| source::is_parameters_directory(base))
    else {
        return paths.to_vec();
    };
    let from_above = |path: &PathBuf| {
        let plain = source::normalize(path);
        let above = Path::new("..").join(directory);
        if plain.as_os_str().is_empty() {
            return above;
        }
        let in_base = plain.parent().is_some_and(|p| p.as_os_str().is_empty());
        match plain.file_name() {
            Some(name) if in_base && source::named_as_parameters(&plain) && plain.is_file() => {
                above.join(name)
            }
            _ => path.clone(),
        }
    };
    paths.iter().map(from_above).collect()
}

/// The parameters files among `files` read with the templates of the directory above theirs
/// (see [`source::group_directory`]): a scan of their `parameters` directory alone reads those
/// templates as context, as it does for the files given by name.
fn read_with_the_directory_above(files: &[(PathBuf, Candidate)]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|(path, candidate)| {
            *candidate == Candidate::Json
                && source::named_as_parameters(path)
                && path.parent().is_some_and(source::is_parameters_directory)
                && source::group_directory(path) != path.parent()
        })
        .map(|(path, _)| path.clone())
        .collect()
}

/// What a scan leaves out of its listings: the files the configuration's `exclude` globs match
/// (names from `glob_base`) and, unless disregarded, those ignore files name.
#[derive(Clone, Copy)]
pub struct LeftOut<'a> {
    pub exclude: &'a [String],
    pub glob_base: &'a source::GlobBase,
    pub ignore_files: IgnoreFiles,
}

/// Discovers the files below `paths` (and those only in `open`, an editor's unsaved buffers),
/// less what is `left_out`, with the context of the files given by name, among it the
/// `explicit_templates` of the parameters files given (paired in the configuration or with
/// `--template`).
pub fn files<'o>(
    paths: &[PathBuf],
    explicit_templates: &[PathBuf],
    open: &OpenText<'o>,
    left_out: LeftOut<'_>,
    base: &Path,
) -> Discovered {
    let LeftOut {
        exclude,
        glob_base,
        ignore_files,
    } = left_out;
    let (in_memory, on_disk): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .iter()
        .cloned()
        .partition(|p| open(p).is_some() && !p.exists());
    let (mut files, walk_errors) = discover(&on_disk, ignore_files);
    let walked = files.len();
    files.extend(
        in_memory
            .iter()
            .filter_map(|p| Candidate::of(p).map(|c| (source::normalize(p), c))),
    );
    let excludes: Vec<source::Glob> = exclude.iter().map(|glob| source::Glob::new(glob)).collect();
    let excluded = |path: &Path| {
        let name = glob_base.name(path);
        name.is_some_and(|name| excludes.iter().any(|glob| glob.matches(&name)))
    };
    let (yaml, unread): (Vec<PathBuf>, Vec<PathBuf>) = on_disk
        .iter()
        .filter(|path| Candidate::of(path).is_none())
        .cloned()
        .partition(|path| is_data_file(path) && path.is_file());
    let json = on_disk.iter().filter(|path| data::is_json_data(path, open));
    let data_files: Vec<PathBuf> = yaml
        .iter()
        .chain(json)
        .map(|path| source::normalize(path))
        .filter(|path| !excluded(path))
        .collect();
    let (around_data, data_roots) = data::terraform_around(&data_files, ignore_files);
    let links: Vec<(PathBuf, PathBuf)> = linked::linked_templates(&files, open, base)
        .into_iter()
        .filter(|(_, parameters)| !excluded(parameters))
        .collect();
    let linked: Vec<PathBuf> = links
        .iter()
        .map(|(template, _)| template.clone())
        .chain(explicit_templates.iter().cloned())
        .collect();
    let read_from_above = read_with_the_directory_above(&files);
    // A `.bicepparam` file naming a given template is read as context in its directory, where
    // the Bicep front end reads the template it names; a JSON one is paired with its template.
    let (naming_bicepparam, context_links): (Vec<_>, Vec<_>) =
        linked::naming_parameters(&given_templates(paths), open, base, ignore_files)
            .into_iter()
            .filter(|link| !excluded(&link.1) && !links.contains(link))
            .partition(|(_, parameters)| Candidate::of(parameters) == Some(Candidate::BicepParams));
    let given = [paths, &linked, &read_from_above].concat();
    let mut context = context(&given, &files, open, ignore_files);
    context.extend(around_data);
    context.extend(
        context_links
            .iter()
            .map(|(_, parameters)| (parameters.clone(), Candidate::Json)),
    );
    context.extend(
        naming_bicepparam
            .into_iter()
            .map(|(_, parameters)| (parameters, Candidate::BicepParams)),
    );
    context.extend(
        linked
            .iter()
            .filter_map(|template| Some((template.clone(), Candidate::of(template)?))),
    );
    // Each file with whether it was given (reported on) or read only as context.
    let mut files: Vec<(PathBuf, Candidate, bool)> = files
        .into_iter()
        .map(|(path, candidate)| (path, candidate, true))
        .chain(
            context
                .into_iter()
                .map(|(path, candidate)| (path, candidate, false)),
        )
        .collect();
    // Each directory's files adjacent, for `by_directory`; the walked files already are.
    if files.len() > walked {
        source::sort_in_directory_order(&mut files, |(path, _, _)| path);
    }
    files.dedup_by(|later, kept| {
        // Paths that differ in their file names differ: most do, told apart without comparing
        // every component.
        let same = later.0.file_name() == kept.0.file_name() && later.0 == kept.0;
        kept.2 |= same && later.2;
        same
    });
    let listed = files.iter().filter(|(_, _, given)| *given).count();
    if !exclude.is_empty() {
        files.retain(|(path, _, _)| !excluded(path));
    }
    let left_out = listed - files.iter().filter(|(_, _, given)| *given).count();
    let ignored = if listed == 0 && ignore_files == IgnoreFiles::Honoured {
        left_out_by_ignore_files(&on_disk, &excluded)
    } else {
        0
    };
    let (files, reported) = files
        .into_iter()
        .map(|(path, candidate, given)| ((path, candidate), given))
        .unzip();
    let (skipped, walk_errors): (Vec<WalkError>, Vec<WalkError>) =
        walk_errors.into_iter().partition(|e| e.skipped);
    let mut notices: Vec<String> = skipped
        .into_iter()
        .map(|e| format!("{}: {}", source::display_name(&e.path, base), e.message))
        .collect();
    notices.extend(unread_kinds_notice(&unread, base));
    let errors = walk_errors
        .into_iter()
        .map(|e| InputError {
            path: source::display_name(&e.path, base),
            span: None,
            message: e.message,
            show_source: false,
        })
        .collect();
    Discovered {
        files,
        reported,
        excluded: left_out,
        ignored,
        errors,
        notices,
        data_files,
        data_roots,
        links,
        context_links,
    }
}

/// How many files below `paths` acr-lint would read, and the configuration does not exclude,
/// were ignore files disregarded.
fn left_out_by_ignore_files(paths: &[PathBuf], excluded: &impl Fn(&Path) -> bool) -> usize {
    let (files, _) = discover(paths, IgnoreFiles::Disregarded);
    files.iter().filter(|(path, _)| !excluded(path)).count()
}

/// Forgets the parameters files listed to find those that name a given template (see
/// [`Discovered::context_links`]): files were added or removed since.
pub fn forget_parameters_listings() {
    linked::forget_listings();
}

/// The templates (JSON files not named as parameters files, and Bicep files) given by name.
fn given_templates(paths: &[PathBuf]) -> Vec<PathBuf> {
    files_given_by_name(paths)
        .filter(|path| match Candidate::of(path) {
            Some(Candidate::Json) => !source::named_as_parameters(path),
            Some(Candidate::Bicep) => true,
            _ => false,
        })
        .collect()
}

/// The regular files among `paths` (not the directories), normalized as discovery names them.
pub fn files_given_by_name(paths: &[PathBuf]) -> impl Iterator<Item = PathBuf> + '_ {
    paths
        .iter()
        .filter(|path| path.is_file())
        .map(|path| source::normalize(path))
}

/// The discovered files of one directory, with their file ids.
pub type DirectoryFiles<'a> = Vec<(FileId, &'a Path, Candidate)>;

/// Groups files by the directory they are read with (see [`source::group_directory`]; discovery
/// sorts them, so each directory's files are adjacent).
pub fn by_directory(files: &[(PathBuf, Candidate)]) -> Vec<DirectoryFiles<'_>> {
    let mut groups: Vec<DirectoryFiles<'_>> = Vec::new();
    let mut current: Option<Option<&Path>> = None;
    for (id, (path, candidate)) in files.iter().enumerate() {
        let directory = source::group_directory(path);
        match groups.last_mut() {
            Some(group) if current == Some(directory) => group.push((id, path, *candidate)),
            _ => {
                groups.push(vec![(id, path, *candidate)]);
                current = Some(directory);
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn context_takes_plain_siblings_and_links_inside_the_directory_only() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.tf"), "").unwrap();
        for name in ["main.tf", "vars.tf", "notes.txt"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub.tf")).unwrap();
        symlink(outside.path().join("secret.tf"), dir.path().join("out.tf")).unwrap();
        symlink("vars.tf", dir.path().join("alias.tf")).unwrap();
        let given = dir.path().join("main.tf");
        let files = vec![(given.clone(), Candidate::Terraform)];
        let names: Vec<String> = context(&[given], &files, &|_| None, IgnoreFiles::Honoured)
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["alias.tf", "vars.tf"]);
    }

    /// Whether `sibling` goes with the given file `given`, pair by pair: what [`context`]
    /// answers for many given files at once.
    fn goes_with(given: &Path, sibling: &Path) -> bool {
        let (Some(g), Some(s)) = (Candidate::of(given), Candidate::of(sibling)) else {
            return false;
        };
        let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
        let (given_name, sibling_name) = (name(given), name(sibling));
        let pairs =
            |a: &str, b: &str| crate::arm::pairs_with(a, b) || crate::bicep::pairs_with(a, b);
        match (g.family(), s.family()) {
            (Family::Json, Family::Json) => {
                pairs(&given_name, &sibling_name) || pairs(&sibling_name, &given_name)
            }
            // With the Bicep files it takes (below), their JSON parameters files.
            (Family::Bicep, Family::Json) => {
                let takes_app = given_name.starts_with("app.bicep");
                pairs(&given_name, &sibling_name) || takes_app && pairs("app.bicep", &sibling_name)
            }
            // The template of a given parameters file, and what takes part with it.
            (Family::Json, Family::Bicep) => {
                let takes_app = pairs("app.bicep", &given_name);
                pairs(&sibling_name, &given_name) || takes_app && sibling_name == "app.bicepparam"
            }
            // Only `app.bicepparam` names another Bicep file (`app.bicep`).
            (Family::Bicep, Family::Bicep) => {
                let mut names = [given_name.as_str(), sibling_name.as_str()];
                names.sort_unstable();
                names == ["app.bicep", "app.bicepparam"]
            }
            (given, sibling) => given == sibling,
        }
    }

    #[test]
    fn many_given_files_take_what_each_would_take_alone() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "main.json",
            "main.parameters.json",
            "main.parameters.prod.json",
            "Other.JSON",
            "other.parameters.jsonc",
            "app.bicep",
            "app.parameters.json",
            "app.bicepparam",
            "x.json",
            "x.parameters.json",
            "x.parameters.parameters.json",
            "a.json.bicep",
            "a.json.parameters.json",
            "mod.tf",
            "vars.tfvars",
            "v.tfvars.json",
            "n.tf.json",
            "lone.json",
            "notes.txt",
        ];
        write_files(dir.path(), &names);
        std::fs::write(dir.path().join("app.bicepparam"), "using 'app.bicep'\n").unwrap();
        let path = |name: &str| crate::source::normalize(&dir.path().join(name));
        let groups: Vec<Vec<&str>> = names
            .iter()
            .map(|n| vec![*n])
            .chain([
                vec!["main.parameters.json", "app.bicep"],
                vec!["x.parameters.parameters.json", "mod.tf", "Other.JSON"],
                vec!["a.json.parameters.json", "app.parameters.json", "n.tf.json"],
                names.to_vec(),
            ])
            .collect();
        for group in groups {
            let given: Vec<PathBuf> = group.iter().map(|n| path(n)).collect();
            let files: Vec<(PathBuf, Candidate)> = given
                .iter()
                .filter_map(|p| Some((p.clone(), Candidate::of(p)?)))
                .collect();
            let mut expected: Vec<PathBuf> = names
                .iter()
                .map(|n| path(n))
                .filter(|s| !given.contains(s))
                .filter(|s| given.iter().any(|g| goes_with(g, s)))
                .collect();
            expected.sort();
            let found: Vec<PathBuf> = context(&given, &files, &|_| None, IgnoreFiles::Honoured)
                .into_iter()
                .map(|(p, _)| p)
                .collect();
            assert_eq!(found, expected, "{group:?}");
        }
    }

    fn nothing_left_out(glob_base: &source::GlobBase) -> LeftOut<'_> {
        LeftOut {
            exclude: &[],
            glob_base,
            ignore_files: IgnoreFiles::Honoured,
        }
    }

    fn write_files(root: &Path, names: &[&str]) {
        for name in names {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
    }

    #[test]
    fn a_given_regular_file_is_found_as_the_walker_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "main.tf",
            "prod.tfvars",
            "azuredeploy.json",
            "main.bicep",
            "notes.txt",
            ".hidden.tf",
            "ignored.tf",
            "sub/nested.tf.json",
        ];
        write_files(dir.path(), &names);
        std::fs::write(dir.path().join(".gitignore"), "ignored.tf\n*.json\n").unwrap();
        std::fs::write(dir.path().join(".ignore"), "main.tf\n").unwrap();
        for name in names {
            for root in [
                dir.path().join(name),
                dir.path().join(".").join(name),
                dir.path().join("sub/..").join(name),
            ] {
                let fast: Vec<_> = given_file(&root).into_iter().collect();
                let (mut walked, mut walk_errors) = (Vec::new(), Vec::new());
                walk(&root, IgnoreFiles::Honoured, &mut walked, &mut walk_errors);
                assert_eq!(fast, walked, "{}", root.display());
                assert!(walk_errors.is_empty());
            }
        }
    }

    #[test]
    fn given_files_are_reported_and_their_siblings_read_as_context_only() {
        let dir = tempfile::tempdir().unwrap();
        write_files(
            dir.path(),
            &["m/main.tf", "m/vars.tf", "m/outputs.tf", "n/x.tf"],
        );
        let main = dir.path().join("m/main.tf");
        let vars = dir.path().join("m/vars.tf");
        // `vars.tf` is given and is also `main.tf`'s context: it is reported once.
        let given = [main.clone(), vars.clone(), dir.path().join("n")];
        let globs = source::GlobBase::new(None, dir.path());
        let found = files(&given, &[], &|_| None, nothing_left_out(&globs), dir.path());
        let reported: Vec<(String, bool)> = found
            .files
            .iter()
            .zip(&found.reported)
            .map(|((path, _), reported)| (source::display_name(path, dir.path()), *reported))
            .collect();
        let expected = [
            ("m/main.tf", true),
            ("m/outputs.tf", false),
            ("m/vars.tf", true),
            ("n/x.tf", true),
        ];
        let expected: Vec<(String, bool)> = expected
            .iter()
            .map(|(name, reported)| (name.to_string(), *reported))
            .collect();
        assert_eq!(reported, expected);
    }

    #[test]
    fn known_files_find_every_discovered_file_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        // `a.b/` sorts between `a/` and `a/c/` by name; discovery sorts by directory first.
        let names = ["a/x.tf", "a.b/y.tf", "a/c/z.tf", "a/c/d/w.json", "b.tf"];
        write_files(dir.path(), &names);
        let globs = source::GlobBase::new(None, dir.path());
        let given = [dir.path().to_path_buf()];
        let found = files(&given, &[], &|_| None, nothing_left_out(&globs), dir.path());
        assert_eq!(found.files.len(), names.len());
        let paths: Vec<&Path> = found.files.iter().map(|(path, _)| path.as_path()).collect();
        let known = source::KnownFiles::new(&paths);
        for (id, (path, _)) in found.files.iter().enumerate() {
            assert_eq!(known.get(path), Some(id), "{}", path.display());
        }
        for absent in ["a/y.tf", "a/c", "c.tf", "a.b/x.tf"] {
            assert!(!known.contains(&dir.path().join(absent)), "{absent}");
        }
        assert_eq!(
            source::KnownFiles::default().get(&dir.path().join("b.tf")),
            None
        );
    }

    #[test]
    fn candidates_by_name() {
        assert_eq!(
            Candidate::of(Path::new("a/main.tf")),
            Some(Candidate::Terraform)
        );
        assert_eq!(
            Candidate::of(Path::new("x.auto.tfvars")),
            Some(Candidate::TfVars)
        );
        assert_eq!(
            Candidate::of(Path::new("t.tfvars.json")),
            Some(Candidate::TfVarsJson)
        );
        assert_eq!(
            Candidate::of(Path::new("azuredeploy.JSON")),
            Some(Candidate::Json)
        );
        assert_eq!(
            Candidate::of(Path::new("main.bicep")),
            Some(Candidate::Bicep)
        );
        assert_eq!(
            Candidate::of(Path::new("dev.bicepparam")),
            Some(Candidate::BicepParams)
        );
        assert_eq!(Candidate::of(Path::new("main.bicep.bak")), None);
    }
}
