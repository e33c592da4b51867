//! String templates and heredocs: interpolation, `%{if}` and `%{for}` directives, whitespace
//! stripping.

use hcl_edit::template::{Directive, Element, ForDirective, IfDirective, Template};

use crate::terraform::eval::conversion::{to_bool, to_text};
use crate::terraform::eval::expressions::iteration_entries;
use crate::terraform::eval::references::{Scope, TemplateFile};
use crate::terraform::eval::value::push_bounded;
use crate::terraform::eval::{Eval, Evaluator, Halt, PathStep, TfValue, invalid};

/// What a template file rendered by `templatefile()` can name: its variables alone (bound by
/// the evaluator), and no file.
struct TemplateFileScope;

impl Scope for TemplateFileScope {
    fn variable(&self, _name: &str) -> Option<TfValue> {
        None
    }

    fn local(&self, _name: &str) -> Option<TfValue> {
        None
    }

    fn reference(&self, _root: &str, _path: &[PathStep]) -> Option<TfValue> {
        None
    }
}

impl Evaluator<'_> {
    pub(super) fn eval_template(&mut self, template: &Template) -> Eval {
        // `"${x}"` is `x` itself, not its string form.
        if let Some(Element::Interpolation(interpolation)) = template.as_single_element() {
            return self.eval(&interpolation.expr);
        }
        let mut out = String::new();
        self.render(template, false, false, &mut out)?;
        let rendered = TfValue::String(out);
        self.charge(&rendered)?;
        Ok(rendered)
    }

    /// `templatefile(path, vars)`: the file's text rendered as a template in which only the
    /// members of `vars` are named, as Terraform renders it.
    pub(super) fn render_file(&mut self, args: Vec<TfValue>) -> Eval {
        let [path, vars] = super::functions::exactly("templatefile", args)?;
        if let Some(reason) = path.unknown_reason() {
            return Ok(TfValue::Unknown(reason.to_string()));
        }
        let path = to_text(&path)?;
        let template = match self.scope.template(&path) {
            Some(TemplateFile::Parsed(template)) => template,
            Some(TemplateFile::Unknown(reason)) => return Ok(TfValue::Unknown(reason)),
            Some(TemplateFile::Invalid(message)) => return Err(invalid(message)),
            None => {
                return Ok(TfValue::Unknown(
                    "function `templatefile` reads files".into(),
                ));
            }
        };
        let vars = match vars {
            TfValue::Object(members) => members,
            TfValue::Unknown(reason) => return Ok(TfValue::Unknown(reason)),
            other => {
                return Err(invalid(format!(
                    "`templatefile` takes an object of variables, not a {}",
                    other.type_name()
                )));
            }
        };
        let scope = std::mem::replace(&mut self.scope, &TemplateFileScope);
        let bindings = std::mem::replace(&mut self.bindings, vars);
        let rendered = self.eval_template(&template);
        self.scope = scope;
        self.bindings = bindings;
        rendered
    }

    /// Renders `template` into `out`; `strip_first`/`strip_last` trim whitespace at its edges
    /// (the `~` of the enclosing directive). An unknown part makes the whole template unknown.
    pub(super) fn render(
        &mut self,
        template: &Template,
        strip_first: bool,
        strip_last: bool,
        out: &mut String,
    ) -> Result<(), Halt> {
        self.nested(|this| {
            let elements: Vec<&Element> = template.iter().collect();
            for (position, element) in elements.iter().enumerate() {
                this.step()?;
                match element {
                    Element::Literal(literal) => {
                        let edges = (strip_first, strip_last);
                        let text = trimmed_literal(literal.value(), &elements, position, edges);
                        push_bounded(out, text)?;
                    }
                    Element::Interpolation(interpolation) => {
                        match this.eval(&interpolation.expr)? {
                            TfValue::Null => {
                                return Err(invalid("a template interpolates a null value"));
                            }
                            value => push_bounded(out, &to_text(&value)?)?,
                        }
                    }
                    Element::Directive(directive) => match directive.as_ref() {
                        Directive::If(if_directive) => this.render_if(if_directive, out)?,
                        Directive::For(for_directive) => this.render_for(for_directive, out)?,
                    },
                }
            }
            Ok(())
        })
    }

    pub(super) fn render_if(
        &mut self,
        directive: &IfDirective,
        out: &mut String,
    ) -> Result<(), Halt> {
        let if_expr = &directive.if_expr;
        let condition = self.eval(&if_expr.cond_expr)?;
        let endif_strips = directive.endif_expr.strip.strip_start();
        if to_bool(&condition)? {
            let strip_last = (directive.else_expr.as_ref())
                .map_or(endif_strips, |else_expr| else_expr.strip.strip_start());
            self.render(
                &if_expr.template,
                if_expr.strip.strip_end(),
                strip_last,
                out,
            )
        } else if let Some(else_expr) = &directive.else_expr {
            self.render(
                &else_expr.template,
                else_expr.strip.strip_end(),
                endif_strips,
                out,
            )
        } else {
            Ok(())
        }
    }

    pub(super) fn render_for(
        &mut self,
        directive: &ForDirective,
        out: &mut String,
    ) -> Result<(), Halt> {
        let intro = &directive.for_expr;
        let collection = self.eval(&intro.collection_expr)?;
        let key_var = intro.key_var.as_ref().map(|var| var.as_str());
        let strip_first = intro.strip.strip_end();
        let strip_last = directive.endfor_expr.strip.strip_start();
        for (key, value) in iteration_entries(collection)? {
            self.with_bindings(key_var, key, intro.value_var.as_str(), value, |this| {
                this.render(&intro.template, strip_first, strip_last, out)
            })?;
        }
        Ok(())
    }
}

/// A literal's text, trimmed where a `~` next to it asks; `edges` are the enclosing directive's.
pub(super) fn trimmed_literal<'t>(
    text: &'t str,
    elements: &[&Element],
    position: usize,
    (strip_first, strip_last): (bool, bool),
) -> &'t str {
    let before = position.checked_sub(1).and_then(|p| elements.get(p));
    let after = elements.get(position + 1);
    let mut text = text;
    if before.map_or(strip_first, |element| strips_following(element)) {
        text = text.trim_start();
    }
    if after.map_or(strip_last, |element| strips_preceding(element)) {
        text = text.trim_end();
    }
    text
}

pub(super) fn strips_preceding(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(interpolation) => interpolation.strip.strip_start(),
        Element::Directive(directive) => match directive.as_ref() {
            Directive::If(if_directive) => if_directive.if_expr.strip.strip_start(),
            Directive::For(for_directive) => for_directive.for_expr.strip.strip_start(),
        },
    }
}

pub(super) fn strips_following(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(interpolation) => interpolation.strip.strip_end(),
        Element::Directive(directive) => match directive.as_ref() {
            Directive::If(if_directive) => if_directive.endif_expr.strip.strip_end(),
            Directive::For(for_directive) => for_directive.endfor_expr.strip.strip_end(),
        },
    }
}

#[cfg(test)]
mod tests {

    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    use hcl_edit::parser::parse_body;

    #[test]
    fn string_templates() {
        check(&[
            ("\"${var.name}-${local.prefix}\"", "\"Acr-acr\""),
            (
                "\"n=${1 + 1} ${true} ${var.enabled_text}\"",
                "\"n=2 true true\"",
            ),
            ("\"${var.tags}\"", "{ env = \"dev\", team = \"platform\" }"),
            ("\"%{if var.enabled}on%{else}off%{endif}\"", "\"on\""),
            ("\"%{if !var.enabled}on%{else}off%{endif}\"", "\"off\""),
            ("\"[%{if false}x%{endif}]\"", "\"[]\""),
            ("\"%{for z in var.zones}${z},%{endfor}\"", "\"1,2,\""),
            (
                "\"%{for k, v in var.tags}${k}=${v};%{endfor}\"",
                "\"env=dev;team=platform;\"",
            ),
            ("\"a %{~ if true ~} b %{~ endif ~} c\"", "\"abc\""),
            ("\"x ${~ \"y\" ~} z\"", "\"xyz\""),
            ("\"$${literal} %%{literal}\"", "\"$${literal} %%{literal}\""),
        ]);
        assert_eq!(eval("\"$${x}\""), s("${x}"));
        check_unknown(&[
            ("\"id-${var.pending}\"", PENDING),
            ("\"%{if var.pending}a%{endif}\"", PENDING),
            ("\"%{for z in var.pending}${z}%{endfor}\"", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("\"x${var.nothing}\"", "null"),
                ("\"${var.zones}x\"", "list cannot"),
            ],
        );
    }

    #[test]
    fn heredocs() {
        let body = parse_body("a = <<-EOT\n    hello ${var.name}\n      indented\n    EOT\nb = <<EOT\nplain %{if true}yes%{endif}\nEOT\n")
            .unwrap_or_else(|error| panic!("{error}"));
        let value_of = |name: &str| {
            let attribute = body
                .get_attribute(name)
                .unwrap_or_else(|| panic!("no `{name}`"));
            evaluate(&attribute.value, &TestScope::default())
        };
        assert_eq!(value_of("a"), s("hello Acr\n  indented\n"));
        assert_eq!(value_of("b"), s("plain yes\n"));
    }
}
