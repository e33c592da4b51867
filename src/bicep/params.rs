//! The values a `.bicepparam` file gives its template: its own `param` assignments over those of
//! the file it `extends`, with the variables and imported functions they use.

use std::path::PathBuf;

use super::frontend::{BicepDocument, short_name};
use super::imports::ImportState;
use super::load::{Loader, directory_of};
use super::lower::Given;
use super::symbols::{self, Lowerer};
use super::syntax::{self, DeclKind, Expr};
use crate::source::{self, FileId, SourceFile};

/// How many `.bicepparam` files deep `extends` is followed.
const MAX_EXTENDS_DEPTH: usize = 16;

/// The values a `.bicepparam` file assigns, and those of the files it extends that it does not
/// assign again. Each file's variables become template variables named `<file>:<name>`
/// (`dev.bicepparam:region`, which no Bicep name can be).
pub fn given_values(parameters: &BicepDocument<'_>, loader: &mut Loader<'_>) -> Given {
    given_values_extending(parameters, loader, &mut Vec::new())
}

fn given_values_extending(
    parameters: &BicepDocument<'_>,
    loader: &mut Loader<'_>,
    extending: &mut Vec<PathBuf>,
) -> Given {
    extending.push(parameters.source.path.clone());
    let mut given = extended_values(parameters, loader, extending);
    extending.pop();
    let own = own_values(parameters, loader);
    given.variables.extend(own.variables);
    given.functions.extend(own.functions);
    given.values.extend(own.values);
    given
}

/// The values of the file a `.bicepparam` file `extends`, if it names one; a file that cannot
/// be read, has syntax errors or extends the files extending it is an input error at the path.
fn extended_values(
    parameters: &BicepDocument<'_>,
    loader: &mut Loader<'_>,
    extending: &mut Vec<PathBuf>,
) -> Given {
    let Some(path) = parameters
        .parsed
        .declarations()
        .iter()
        .find_map(|d| match &d.kind {
            DeclKind::Extends(extends) => Some(&extends.path),
            _ => None,
        })
    else {
        return Given::default();
    };
    match read_extended(parameters, path, loader, extending) {
        Ok((id, source, parsed)) => {
            let base = BicepDocument {
                id,
                source: &source,
                parsed: &parsed,
                parameters: true,
            };
            given_values_extending(&base, loader, extending)
        }
        Err(message) => {
            let at = path.span.in_file(parameters.id);
            loader.error(parameters.source.name.clone(), Some(at), message);
            Given::default()
        }
    }
}

/// The file `extends` names, read and parsed, or why not.
fn read_extended(
    parameters: &BicepDocument<'_>,
    path: &Expr,
    loader: &mut Loader<'_>,
    extending: &[PathBuf],
) -> Result<(FileId, SourceFile, syntax::ParsedFile), String> {
    let relative = path
        .as_plain_string()
        .ok_or("`extends` needs a path written as a plain string")?;
    let target = source::normalize(&directory_of(&parameters.source.path).join(relative));
    if let Some(start) = extending.iter().position(|p| *p == target) {
        let mut chain: Vec<String> = extending
            .get(start..)
            .unwrap_or_default()
            .iter()
            .map(|p| loader.name(p))
            .collect();
        chain.push(loader.name(&target));
        return Err(format!("`extends` cycle: {}", chain.join(" -> ")));
    }
    if extending.len() >= MAX_EXTENDS_DEPTH {
        return Err(format!(
            "`extends` is followed at most {MAX_EXTENDS_DEPTH} files deep"
        ));
    }
    let (id, text) = loader.text(&target).map_err(|message| {
        format!("`extends` names `{relative}`, which cannot be read: {message}")
    })?;
    let parsed = syntax::parse_params(&text);
    if !parsed.is_clean() {
        return Err(format!(
            "`extends` names `{relative}`, which has syntax errors"
        ));
    }
    let source = SourceFile::new(target.clone(), loader.name(&target), text.to_string());
    Ok((id, source, parsed))
}

/// The values a `.bicepparam` file assigns itself, lowered in its own file.
fn own_values(parameters: &BicepDocument<'_>, loader: &mut Loader<'_>) -> Given {
    let mut symbols = symbols::build(parameters.parsed, &[]);
    let file = short_name(&parameters.source.name);
    let arm_name = |name: &str| format!("{file}:{name}");
    for declaration in parameters.parsed.declarations() {
        if let DeclKind::Var(var) = &declaration.kind {
            symbols.add_variable(&var.name.name, &arm_name(&var.name.name));
        }
    }
    let mut lowerer = Lowerer {
        symbols,
        locals: Vec::new(),
        file: parameters.id,
        path: parameters.source.path.clone(),
        loader,
        unread_modules: Vec::new(),
        prefix: String::new(),
        merged: Vec::new(),
        in_function: false,
    };
    let mut imports = ImportState::tagged(&format!("{file}:"));
    lowerer.bind_imports(parameters.parsed, &mut imports);
    let mut given = Given {
        variables: imports.variables,
        functions: imports.functions,
        ..Given::default()
    };
    for declaration in parameters.parsed.declarations() {
        match &declaration.kind {
            DeclKind::Var(var) => {
                let value = lowerer.value(&var.value);
                given.variables.push((arm_name(&var.name.name), value));
            }
            DeclKind::ParamAssignment(param) => {
                let name = &param.name.name;
                let mut value = lowerer.value(&param.value);
                // A value written as it is says where it came from; an expression gets its own.
                value.via = Some(Box::new(crate::model::Via {
                    span: value.span,
                    description: format!("parameter `{name}` in `{file}`"),
                    input: Some(name.clone()),
                    reference: None,
                }));
                given.values.insert(name.clone(), value);
            }
            _ => {}
        }
    }
    given.variables.append(&mut lowerer.merged);
    given
}
