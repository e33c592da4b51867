//! Terraform's built-in functions, by family; `try` and `can`; the functions that read files or
//! change on every run are unknown.

use hcl_edit::expr::FuncCall;

use crate::terraform::eval::conversion::{into_list, into_object, to_bool, to_number, to_text};
use crate::terraform::eval::{Eval, Evaluator, FileText, Halt, TfValue, invalid};

mod collection;
mod format;
mod json;
mod numeric;
mod string;

pub(super) fn call_function(name: &str, args: Vec<TfValue>) -> Eval {
    match name {
        "lower" => string::map_text(name, args, str::to_lowercase),
        "upper" => string::map_text(name, args, str::to_uppercase),
        "title" => string::map_text(name, args, string::title_case),
        "trimspace" => string::map_text(name, args, |text| text.trim().to_string()),
        "trim" => string::trim_with(name, args, |text, cutset| {
            text.trim_matches(|c| cutset.contains(c)).to_string()
        }),
        "trimprefix" => string::trim_with(name, args, |text, prefix| {
            text.strip_prefix(prefix).unwrap_or(text).to_string()
        }),
        "trimsuffix" => string::trim_with(name, args, |text, suffix| {
            text.strip_suffix(suffix).unwrap_or(text).to_string()
        }),
        "startswith" => string::text_test(name, args, |text, prefix| text.starts_with(prefix)),
        "endswith" => string::text_test(name, args, |text, suffix| text.ends_with(suffix)),
        "replace" => string::replace(args),
        "substr" => string::substr(args),
        "format" => format::format_call(args),
        "join" => string::join(args),
        "split" => string::split(args),
        "length" => collection::length(args),
        "concat" => collection::concat(args),
        "contains" => collection::contains(args),
        "lookup" => collection::lookup(args),
        "merge" => collection::merge(args),
        "coalesce" => collection::coalesce(args),
        "coalescelist" => collection::coalescelist(args),
        "keys" => collection::keys_or_values(name, args, |(key, _)| TfValue::String(key)),
        "values" => collection::keys_or_values(name, args, |(_, value)| value),
        "element" => collection::element(args),
        "index" => collection::index_of(args),
        "flatten" => collection::flatten_call(args),
        "distinct" => collection::distinct_call(args),
        "compact" => collection::compact(args),
        "one" => collection::one(args),
        "range" => numeric::range(&args),
        "zipmap" => collection::zipmap(args),
        "reverse" => collection::reverse(args),
        "sort" => collection::sort(args),
        "min" => numeric::fold_numbers(name, &args, f64::min),
        "max" => numeric::fold_numbers(name, &args, f64::max),
        "sum" => numeric::sum(args),
        "abs" => numeric::map_number(name, args, f64::abs),
        "ceil" => numeric::map_number(name, args, f64::ceil),
        "floor" => numeric::map_number(name, args, f64::floor),
        "alltrue" => collection::all_or_any(name, args, false),
        "anytrue" => collection::all_or_any(name, args, true),
        "tobool" => convert(name, args, |value| to_bool(&value).map(TfValue::Bool)),
        "tostring" => convert(name, args, |value| to_text(&value).map(TfValue::String)),
        "tonumber" => convert(name, args, |value| to_number(&value).map(TfValue::Number)),
        "tolist" => convert(name, args, |value| into_list(value).map(TfValue::List)),
        "toset" => convert(name, args, collection::to_set),
        "tomap" => convert(name, args, |value| into_object(value).map(TfValue::Object)),
        "sensitive" | "nonsensitive" => single(name, args),
        "jsonencode" => json::jsonencode(args),
        "jsondecode" => json::jsondecode(args),
        "yamldecode" => json::yamldecode(args),
        "file" | "fileexists" | "filebase64" | "filemd5" | "filesha1" | "filesha256"
        | "filesha512" | "filebase64sha256" | "filebase64sha512" | "abspath" => {
            Ok(TfValue::Unknown(format!("function `{name}` reads files")))
        }
        "timestamp" | "plantimestamp" | "uuid" | "bcrypt" => Ok(TfValue::Unknown(format!(
            "function `{name}` gives a new value on every run"
        ))),
        // What is not modelled is unknown; an unknown argument is the better reason.
        _ => Ok(args
            .iter()
            .find_map(|arg| arg.unknown_reason())
            .map_or_else(
                || TfValue::Unknown(format!("function `{name}` is not evaluated")),
                |reason| TfValue::Unknown(reason.to_string()),
            )),
    }
}

pub(in crate::terraform::eval) fn exactly<const N: usize>(
    name: &str,
    args: Vec<TfValue>,
) -> Result<[TfValue; N], Halt> {
    let count = args.len();
    let plural = if N == 1 { "" } else { "s" };
    args.try_into()
        .map_err(|_| invalid(format!("`{name}` takes {N} argument{plural}, got {count}")))
}

pub(super) fn single(name: &str, args: Vec<TfValue>) -> Eval {
    let [value] = exactly(name, args)?;
    Ok(value)
}

/// Conversion functions: null stays null.
pub(super) fn convert(name: &str, args: Vec<TfValue>, f: impl Fn(TfValue) -> Eval) -> Eval {
    match exactly(name, args)? {
        [TfValue::Null] => Ok(TfValue::Null),
        [value] => f(value),
    }
}

impl Evaluator<'_> {
    pub(super) fn eval_call(&mut self, call: &FuncCall) -> Eval {
        let name = call.name.name.as_str();
        if call.name.is_namespaced() {
            let namespace: Vec<&str> = call
                .name
                .namespace
                .iter()
                .map(|part| part.as_str())
                .collect();
            let full_name = format!("{}::{name}", namespace.join("::"));
            return Ok(TfValue::Unknown(format!(
                "provider function `{full_name}` is not evaluated"
            )));
        }
        let result = match name {
            "try" => return self.eval_try(call),
            "can" => return self.eval_can(call),
            "file" | "fileexists" => {
                let args = self.eval_args(call)?;
                self.read_file(name, args)
            }
            "fileset" => {
                let args = self.eval_args(call)?;
                self.list_files(args)
            }
            "templatefile" => {
                let args = self.eval_args(call)?;
                self.render_file(args)
            }
            _ => {
                let args = self.eval_args(call)?;
                call_function(name, args)
            }
        };
        let value = match result {
            Err(Halt::Invalid(message)) => {
                return Err(invalid(format!("invalid call to `{name}`: {message}")));
            }
            other => other?,
        };
        self.charge(&value)?;
        Ok(value)
    }

    /// `file(PATH)` and `fileexists(PATH)`, where the scope reads files.
    fn read_file(&self, name: &str, args: Vec<TfValue>) -> Eval {
        let [path] = exactly(name, args)?;
        if let Some(reason) = path.unknown_reason() {
            return Ok(TfValue::Unknown(reason.to_string()));
        }
        let path = to_text(&path)?;
        let Some(read) = self.scope.file(&path) else {
            return Ok(TfValue::Unknown(format!("function `{name}` reads files")));
        };
        Ok(match (name, read) {
            ("fileexists", FileText::Read(_)) => TfValue::Bool(true),
            ("fileexists", FileText::Missing(_)) => TfValue::Bool(false),
            (_, FileText::Read(text)) => TfValue::String(text),
            (_, FileText::Missing(reason) | FileText::NotRead(reason)) => TfValue::Unknown(reason),
        })
    }

    /// `fileset(path, pattern)`: the set of the matching files' paths, relative to `path`.
    fn list_files(&self, args: Vec<TfValue>) -> Eval {
        let [path, pattern] = exactly("fileset", args)?;
        if let Some(reason) = path.unknown_reason().or(pattern.unknown_reason()) {
            return Ok(TfValue::Unknown(reason.to_string()));
        }
        let (path, pattern) = (to_text(&path)?, to_text(&pattern)?);
        Ok(match self.scope.fileset(&path, &pattern) {
            Some(Ok(paths)) => TfValue::List(paths.into_iter().map(TfValue::String).collect()),
            Some(Err(reason)) => TfValue::Unknown(reason),
            None => TfValue::Unknown("function `fileset` reads files".into()),
        })
    }

    pub(super) fn eval_args(&mut self, call: &FuncCall) -> Result<Vec<TfValue>, Halt> {
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            args.push(self.eval(arg)?);
        }
        if call.args.expand_final() {
            match args.pop() {
                Some(TfValue::List(items)) => args.extend(items),
                Some(TfValue::Unknown(reason)) => return Err(Halt::Unknown(reason)),
                Some(other) => {
                    return Err(invalid(format!(
                        "`...` expands a list, not a {}",
                        other.type_name()
                    )));
                }
                None => {}
            }
        }
        Ok(args)
    }

    /// `try(a, b, ...)`: the first argument that evaluates without an error; an unknown one
    /// before it makes the result unknown (Terraform cannot tell yet whether it fails).
    pub(super) fn eval_try(&mut self, call: &FuncCall) -> Eval {
        for arg in &call.args {
            match self.eval(arg) {
                Ok(value) => {
                    return match value.unknown_reason() {
                        Some(reason) => Err(Halt::Unknown(reason.to_string())),
                        None => Ok(value),
                    };
                }
                Err(Halt::Invalid(_)) => {}
                Err(other) => return Err(other),
            }
        }
        Err(invalid(
            "invalid call to `try`: no argument could be evaluated without an error",
        ))
    }

    /// `can(x)`: whether `x` evaluates without an error.
    pub(super) fn eval_can(&mut self, call: &FuncCall) -> Eval {
        let (Some(arg), 1) = (call.args.get(0), call.args.len()) else {
            return Err(invalid("invalid call to `can`: it takes 1 argument"));
        };
        match self.eval(arg) {
            Ok(value) => match value.unknown_reason() {
                Some(reason) => Err(Halt::Unknown(reason.to_string())),
                None => Ok(TfValue::Bool(true)),
            },
            Err(Halt::Invalid(_)) => Ok(TfValue::Bool(false)),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {

    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn try_and_can() {
        check(&[
            ("try(var.tags.missing, \"fallback\")", "\"fallback\""),
            ("try(var.tags.env, \"fallback\")", "\"dev\""),
            ("try(tonumber(\"x\"), lower([]), 3)", "3"),
            ("can(var.tags.missing)", "false"),
            ("can(var.tags.env)", "true"),
            ("can(tobool(\"maybe\"))", "false"),
            ("try(var.nothing.x, null)", "null"),
        ]);
        check_unknown(&[
            ("try(var.pending, \"x\")", PENDING),
            ("try(var.pending.attr, \"x\")", PENDING),
            ("try(var.tags.missing, var.half)", PENDING),
            ("can(var.pending)", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("try(var.tags.missing, lower([]))", "no argument"),
                ("try()", "no argument"),
                ("can(1, 2)", "takes 1 argument"),
            ],
        );
    }

    #[test]
    fn functions_not_evaluated() {
        check_unknown(&[
            ("file(\"x.txt\")", "function `file` reads files"),
            ("templatefile(\"t.tpl\", {})", "reads files"),
            ("filebase64(\"x\")", "reads files"),
            ("timestamp()", "new value on every run"),
            ("uuid()", "new value on every run"),
            (
                "cidrsubnet(\"10.0.0.0/16\", 8, 1)",
                "function `cidrsubnet` is not evaluated",
            ),
            (
                "no_such_function(1)",
                "function `no_such_function` is not evaluated",
            ),
            (
                "provider::azurerm::normalise_resource_id(\"x\")",
                "provider function `provider::azurerm::normalise_resource_id` is not evaluated",
            ),
            ("lower(file(\"x\"))", "reads files"),
        ]);
    }
}
