//! Quick fixes that suppress a finding: a Terraform `# acr-lint:ignore` comment above the
//! block (in JSON syntax, in the block's `"//"` comment property), a Bicep `// acr-lint:ignore`
//! comment above the declaration, or an ARM `metadata.acr-lint.ignore` entry on the resource.
//! Each edit is one insertion, and none is offered when a suppression of the rule is already
//! there.

use hcl_edit::Span as _;

use crate::bicep::syntax::{DeclKind, Declaration, Expr, ExprKind, ObjectItem};
use crate::model::{Node, Value};
use crate::terraform::json_syntax::COMMENT_PROPERTY;

/// The reason every new suppression starts with, for the author to replace.
pub const REASON_PLACEHOLDER: &str = "TODO: why";

/// Text to insert at a byte offset of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    pub offset: usize,
    pub text: String,
}

/// Suppresses `rule` on the top-level Terraform block (resource, data, module, output,
/// variable) that contains the byte offset `target`: adds the rule to an `acr-lint:ignore`
/// comment on the line above the block, or inserts one there at the block's indentation.
pub fn terraform(text: &str, target: usize, rule: &str) -> Option<Insertion> {
    let body = crate::terraform::parse(text).ok()?;
    let block_start = body.blocks().find_map(|block| {
        let span = block.span()?;
        let start = block
            .ident
            .span()
            .map_or(span.start, |s| s.start.min(span.start));
        (start <= target && target <= span.end).then_some(start)
    })?;
    comment_above(text, block_start, rule, "#")
}

/// Suppresses `rule` on the Bicep declaration whose line holds the byte offset `target` (a
/// resource's type string; `parameters` for a `.bicepparam` file): adds the rule to an
/// `acr-lint:ignore` comment on the line above, or inserts one there at the declaration's
/// indentation, above its decorators. No edit is offered unless the edited file holds a
/// suppression of `rule` on the inserted line.
pub fn bicep(text: &str, target: usize, rule: &str, parameters: bool) -> Option<Insertion> {
    let parsed = crate::bicep::parse(text, parameters).parsed;
    let target = target.min(text.len());
    let start = declaration_at(parsed.declarations(), target, 0).map_or(target, |declaration| {
        header_start(text, declaration, target)
    });
    let insertion = comment_above(text, start, rule, "//")?;
    suppresses_at(text, &insertion, rule, parameters).then_some(insertion)
}

/// How deep nested child resources are followed.
const MAX_NESTING: usize = 32;

/// The innermost declaration (a top-level one or a nested child resource) holding `target`.
fn declaration_at<'a>(
    declarations: impl IntoIterator<Item = &'a Declaration>,
    target: usize,
    depth: usize,
) -> Option<&'a Declaration> {
    let found = declarations
        .into_iter()
        .find(|d| d.span.start <= target && target < d.span.end)?;
    let nested = match &found.kind {
        DeclKind::Resource(resource) if depth < MAX_NESTING => {
            declaration_at(child_resources(&resource.value, 0), target, depth + 1)
        }
        _ => None,
    };
    nested.or(Some(found))
}

/// The child resources declared in a resource's body (through `if` and `for`).
fn child_resources(value: &Expr, depth: usize) -> Vec<&Declaration> {
    if depth > MAX_NESTING {
        return Vec::new();
    }
    match &value.kind {
        ExprKind::Object(items) => items
            .iter()
            .filter_map(|item| match item {
                ObjectItem::Resource(child) => Some(&**child),
                _ => None,
            })
            .collect(),
        ExprKind::For(looped) => child_resources(&looped.body, depth + 1),
        ExprKind::If(conditional) => child_resources(&conditional.body, depth + 1),
        _ => Vec::new(),
    }
}

/// Where a suppression of the declaration goes: above its decorators when `target` is on the
/// line of its keyword, else above the line of `target` (a property in its body).
fn header_start(text: &str, declaration: &Declaration, target: usize) -> usize {
    let after_decorators = declaration
        .decorators
        .last()
        .map_or(declaration.span.start, |d| d.span.end);
    let rest = text.get(after_decorators..).unwrap_or_default();
    let keyword = after_decorators + (rest.len() - rest.trim_start().len());
    if line_start(text, keyword) == line_start(text, target) {
        declaration.span.start
    } else {
        target
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |newline| newline + 1)
}

/// Whether the text with `insertion` made holds a well-formed suppression of `rule` on the
/// line of the insertion, standing above a declaration or property.
fn suppresses_at(text: &str, insertion: &Insertion, rule: &str, parameters: bool) -> bool {
    let mut edited = text.to_string();
    if !edited.is_char_boundary(insertion.offset) {
        return false;
    }
    edited.insert_str(insertion.offset, &insertion.text);
    let line = line_start(&edited, insertion.offset);
    let on_line = |offset: usize| line_start(&edited, offset) == line;
    let parsed = crate::bicep::parse(&edited, parameters).parsed;
    let on_this_line: Vec<_> = crate::bicep::directives(&edited, &parsed)
        .iter()
        .filter(|directive| on_line(directive.span.start))
        .map(crate::suppress::resolve)
        .collect();
    on_this_line.iter().all(Result::is_ok)
        && on_this_line
            .iter()
            .flatten()
            .any(|suppression| suppression.rules.contains(&rule))
}

/// Adds `rule` to the `acr-lint:ignore` comment above the line holding `block_start`, or
/// inserts one (starting with `marker`) there.
fn comment_above(text: &str, block_start: usize, rule: &str, marker: &str) -> Option<Insertion> {
    let line_start = text
        .get(..block_start)?
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let line = text
        .get(line_start..)?
        .split('\n')
        .next()
        .unwrap_or_default();
    let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
    let indent = line.get(..indent_len).unwrap_or_default();

    let mut above = lines_above(text, line_start);
    if let Some((start, first)) = above.next() {
        if let Some(directive) = Directive::parse(first) {
            if directive.has(rule) {
                return None;
            }
            return Some(Insertion {
                offset: start + directive.ids_end,
                text: format!(",{rule}"),
            });
        }
        let mut earlier = above
            .take_while(|(_, l)| is_comment(l))
            .filter_map(|(_, l)| Directive::parse(l));
        if is_comment(first) && earlier.any(|d| d.has(rule)) {
            return None;
        }
    }
    let newline = if line.ends_with('\r') { "\r\n" } else { "\n" };
    Some(Insertion {
        offset: line_start,
        text: format!(
            "{indent}{marker} acr-lint:ignore {rule} reason=\"{REASON_PLACEHOLDER}\"{newline}"
        ),
    })
}

/// The lines before the line that starts at `line_start`, nearest first, with their start
/// offsets (without line terminators).
fn lines_above(text: &str, line_start: usize) -> impl Iterator<Item = (usize, &str)> {
    let before = text.get(..line_start).unwrap_or_default();
    let before = before.strip_suffix('\n').unwrap_or(before);
    let mut rest = Some(before).filter(|_| line_start > 0);
    std::iter::from_fn(move || {
        let current = rest?;
        let (start, line) = match current.rfind('\n') {
            Some(newline) => {
                rest = current.get(..newline);
                (newline + 1, current.get(newline + 1..).unwrap_or_default())
            }
            None => {
                rest = None;
                (0, current)
            }
        };
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    })
}

fn is_comment(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('#') || line.starts_with("//")
}

/// An `acr-lint:ignore ID[,ID...]` comment line.
struct Directive {
    ids: Vec<String>,
    /// Byte offset in the line just after the last id.
    ids_end: usize,
}

impl Directive {
    fn parse(line: &str) -> Option<Directive> {
        let trimmed = line.trim_start();
        let after_marker = trimmed
            .strip_prefix('#')
            .or_else(|| trimmed.strip_prefix("//"))?
            .trim_start();
        let after_keyword = after_marker.strip_prefix("acr-lint:ignore")?;
        if !after_keyword.starts_with([' ', '\t']) {
            return None;
        }
        let list_start = line.len() - after_keyword.len();
        let mut ids = Vec::new();
        let mut ids_end = list_start;
        let mut position = list_start;
        let mut expect_id = true;
        for (index, c) in line.get(list_start..)?.char_indices() {
            let at = list_start + index;
            if at < position {
                continue;
            }
            if c.is_ascii_alphanumeric() && expect_id {
                let id: String = line
                    .get(at..)?
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                if !id.contains(|c: char| c.is_ascii_digit()) {
                    break;
                }
                position = at + id.len();
                ids_end = position;
                ids.push(id);
                expect_id = false;
            } else if c == ',' && !expect_id {
                expect_id = true;
            } else if !c.is_whitespace() {
                break;
            }
        }
        (!ids.is_empty()).then_some(Directive { ids, ids_end })
    }

    fn has(&self, rule: &str) -> bool {
        self.ids.iter().any(|id| id.eq_ignore_ascii_case(rule))
    }
}

/// Suppresses `rule` on the ARM resource whose `type` value starts at `decl` (or on the whole
/// template when `decl` is `None`): adds an entry to its `metadata.acr-lint.ignore` array,
/// creating what is missing of that path.
pub fn arm(text: &str, decl: Option<usize>, rule: &str) -> Option<Insertion> {
    let root = crate::model::json::parse(text, 0).ok()??;
    if suppresses(&root, rule) {
        return None;
    }
    let target = match decl {
        Some(decl) => resource_at(&root, decl)?,
        None => &root,
    };
    if suppresses(target, rule) {
        return None;
    }
    let entry = format!(r#"{{"id": "{rule}", "reason": "{REASON_PLACEHOLDER}"}}"#);
    let Some(metadata) = target.get("metadata") else {
        let member = format!(r#""metadata": {{"acr-lint": {{"ignore": [{entry}]}}}}"#);
        return add_member(text, target, &member);
    };
    let Some(settings) = metadata.get("acr-lint") else {
        let member = format!(r#""acr-lint": {{"ignore": [{entry}]}}"#);
        return add_member(text, as_object(metadata)?, &member);
    };
    match settings.get("ignore") {
        None => add_member(
            text,
            as_object(settings)?,
            &format!(r#""ignore": [{entry}]"#),
        ),
        Some(Node {
            value: Value::Array(entries),
            span,
            ..
        }) => Some(match entries.last() {
            Some(last) => Insertion {
                offset: last.span.end,
                text: format!(", {entry}"),
            },
            None => Insertion {
                offset: span.start + 1,
                text: entry,
            },
        }),
        Some(_) => None,
    }
}

/// Suppresses `rule` on the resource, data source or module call at `address` of a Terraform
/// file in JSON syntax: adds the rule to an `acr-lint:ignore` in the object's comment property
/// (`"//"`), adds such a directive to an array of comments or an object (CDK for Terraform's)
/// there, or adds the property.
pub fn terraform_json(text: &str, address: &str, rule: &str) -> Option<Insertion> {
    let root = crate::model::json::parse(text, 0).ok()??;
    let object = block_object(&root, &crate::model::without_instance_keys(address))?;
    let directive = format!("acr-lint:ignore {rule} reason=\\\"{REASON_PLACEHOLDER}\\\"");
    let Some(comment) = member(object, COMMENT_PROPERTY) else {
        return add_member(
            text,
            object,
            &format!(r#""{COMMENT_PROPERTY}": "{directive}""#),
        );
    };
    match &comment.value {
        Value::String(_) => add_to_comment(text, comment, rule),
        // CDK for Terraform's metadata: the directive goes beside it, as `addOverride` puts it.
        Value::Object(members) => {
            let with_directive = members
                .iter()
                .map(|(_, value)| value)
                .find(|value| value.as_str().and_then(comment_directive).is_some());
            match with_directive {
                Some(written) => add_to_comment(text, written, rule),
                None => add_member(text, comment, &format!(r#""acr-lint": "{directive}""#)),
            }
        }
        Value::Array(comments) => {
            let has_rule = |c: &Node| {
                c.as_str()
                    .and_then(comment_directive)
                    .is_some_and(|d| d.has(rule))
            };
            if comments.iter().any(has_rule) {
                return None;
            }
            let last = comments.last()?;
            Some(Insertion {
                offset: last.span.end,
                text: format!(r#", "{directive}""#),
            })
        }
        _ => None,
    }
}

/// The object of a block of Terraform JSON syntax by its address (`TYPE.NAME`,
/// `data.TYPE.NAME`, `module.NAME`), the first when it holds an array of them.
fn block_object<'a>(root: &'a Node, address: &str) -> Option<&'a Node> {
    let parts: Vec<&str> = address.split('.').collect();
    let path: Vec<&str> = match parts.as_slice() {
        ["data", kind, name] => vec!["data", kind, name],
        ["module", name] => vec!["module", name],
        [kind, name] => vec!["resource", kind, name],
        _ => return None,
    };
    let mut node = root;
    for key in path {
        node = member(node, key)?;
    }
    match &node.value {
        Value::Object(_) => Some(node),
        Value::Array(items) => items.first().and_then(as_object),
        _ => None,
    }
}

/// The member `key` of an object, matched exactly (Terraform's names are case-sensitive).
fn member<'a>(object: &'a Node, key: &str) -> Option<&'a Node> {
    match &object.value {
        Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// A comment's `acr-lint:ignore` directive, read as a comment line is.
fn comment_directive(comment: &str) -> Option<Directive> {
    Directive::parse(&[COMMENT_PROPERTY, " ", comment].concat())
}

/// Adds `rule` to the directive a comment property's string holds, when its ids are written
/// without escapes; `None` when it names the rule already or holds no directive.
fn add_to_comment(text: &str, comment: &Node, rule: &str) -> Option<Insertion> {
    let value = comment.as_str()?;
    let directive = comment_directive(value)?;
    if directive.has(rule) {
        return None;
    }
    let ids_end = directive.ids_end.checked_sub(COMMENT_PROPERTY.len() + 1)?;
    let written = text.get(comment.span.start + 1..comment.span.end.checked_sub(1)?)?;
    (written.get(..ids_end)? == value.get(..ids_end)?).then(|| Insertion {
        offset: comment.span.start + 1 + ids_end,
        text: format!(",{rule}"),
    })
}

fn as_object(node: &Node) -> Option<&Node> {
    matches!(node.value, Value::Object(_)).then_some(node)
}

/// Whether `node`'s `metadata.acr-lint.ignore` names `rule`.
fn suppresses(node: &Node, rule: &str) -> bool {
    let ignore = node
        .get("metadata")
        .and_then(|m| m.get("acr-lint"))
        .and_then(|s| s.get("ignore"));
    match ignore.map(|i| &i.value) {
        Some(Value::Array(entries)) => entries.iter().any(|entry| {
            entry
                .get("id")
                .and_then(Node::as_str)
                .is_some_and(|id| id.eq_ignore_ascii_case(rule))
        }),
        _ => false,
    }
}

/// The innermost object whose `type` value starts at `decl`.
fn resource_at(node: &Node, decl: usize) -> Option<&Node> {
    if decl < node.span.start || decl > node.span.end {
        return None;
    }
    let children: Vec<&Node> = match &node.value {
        Value::Object(members) => members.iter().map(|(_, v)| v).collect(),
        Value::Array(elements) => elements.iter().collect(),
        _ => return None,
    };
    if let Some(found) = children.into_iter().find_map(|c| resource_at(c, decl)) {
        return Some(found);
    }
    let is_resource = node.get("type").is_some_and(|t| t.span.start == decl);
    is_resource.then_some(node)
}

/// Adds a `"key": value` member after the last member of an object, on a new line at that
/// member's indentation when the object spans lines.
fn add_member(text: &str, object: &Node, member: &str) -> Option<Insertion> {
    let Value::Object(members) = &object.value else {
        return None;
    };
    let Some((_, last)) = members.last() else {
        return Some(Insertion {
            offset: object.span.start + 1,
            text: member.to_string(),
        });
    };
    let line_start = |offset: usize| {
        text.get(..offset)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    };
    let last_line = line_start(last.span.start);
    if line_start(object.span.start) == last_line {
        return Some(Insertion {
            offset: last.span.end,
            text: format!(", {member}"),
        });
    }
    let line = text.get(last_line..)?;
    let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
    let indent = line.get(..indent_len).unwrap_or_default();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(Insertion {
        offset: last.span.end,
        text: format!(",{newline}{indent}{member}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, insertion: &Insertion) -> String {
        let mut out = text.to_string();
        out.insert_str(insertion.offset, &insertion.text);
        out
    }

    const TF: &str = r#"variable "admin" {
  default = true
}

# The team's registry.
resource "azurerm_container_registry" "acr" {
  name          = "acr"
  admin_enabled = true
}
"#;

    #[test]
    fn terraform_json_writes_the_comment_property_of_the_block() {
        let text = r#"{"resource": {"t": {"a": [{"x": 1}], "b": {"//": ["made by cdktf", "acr-lint:ignore ACR003 reason=\"r\""]}, "c": {"//": "\u0061cr-lint:ignore ACR003 reason=\"r\""}}},
 "data": {"t": {"d": {"//": "acr-lint:ignore ACR003,ACR001 reason=\"r\""}}}, "module": {"m": {}}}"#;
        let fixed = |address: &str| {
            terraform_json(text, address, "ACR001").map(|insertion| apply(text, &insertion))
        };
        let a = fixed("t.a[0]").unwrap();
        assert!(
            a.contains(r#"[{"x": 1, "//": "acr-lint:ignore ACR001 reason=\"TODO: why\""}]"#),
            "{a}"
        );
        let b = fixed("t.b").unwrap();
        assert!(
            b.contains(r#"reason=\"r\"", "acr-lint:ignore ACR001 reason=\"TODO: why\""]"#),
            "{b}"
        );
        assert_eq!(fixed("t.c"), None, "an escape before the ids");
        assert_eq!(fixed("data.t.d"), None, "already suppressed");
        let m = fixed("module.m").unwrap();
        assert!(
            m.contains(r#""m": {"//": "acr-lint:ignore ACR001 reason=\"TODO: why\""}"#),
            "{m}"
        );
        let cdktf = r#"{"resource": {"t": {"a": {"//": {"metadata": {"path": "root/a"}}, "x": 1}, "b": {"//": {"metadata": {}, "acr-lint": "acr-lint:ignore ACR003 reason=\"r\""}}}}}"#;
        let a = apply(cdktf, &terraform_json(cdktf, "t.a", "ACR001").unwrap());
        assert!(a.contains(r#"{"metadata": {"path": "root/a"}, "acr-lint": "acr-lint:ignore ACR001 reason=\"TODO: why\""}"#), "{a}");
        let b = apply(cdktf, &terraform_json(cdktf, "t.b", "ACR001").unwrap());
        assert!(
            b.contains(r#""acr-lint:ignore ACR003,ACR001 reason="#),
            "{b}"
        );
        assert_eq!(fixed("t.missing"), None);
        assert_eq!(fixed("module.m.t.a"), None);
        for fixed in [a, b, m] {
            assert!(
                crate::terraform::json_syntax::to_native(&fixed).is_ok(),
                "{fixed}"
            );
        }
    }

    #[test]
    fn terraform_inserts_a_directive_above_the_block() {
        let target = TF.rfind("true").unwrap();
        let fixed = apply(TF, &terraform(TF, target, "ACR001").unwrap());
        assert!(fixed.contains(
            "# The team's registry.\n# acr-lint:ignore ACR001 reason=\"TODO: why\"\nresource \"azurerm"
        ));
    }

    #[test]
    fn terraform_keeps_the_indentation_and_line_endings() {
        let text = "  resource \"a\" \"b\" {\r\n    x = 1\r\n  }\r\n";
        let fixed = apply(text, &terraform(text, 20, "ACR003").unwrap());
        assert_eq!(
            fixed,
            "  # acr-lint:ignore ACR003 reason=\"TODO: why\"\r\n  resource \"a\" \"b\" {\r\n    x = 1\r\n  }\r\n"
        );
    }

    #[test]
    fn terraform_adds_the_rule_to_an_existing_directive() {
        let text = "# acr-lint:ignore ACR003 reason=\"dev only\"\nresource \"a\" \"b\" {\n}\n";
        let insertion = terraform(text, 50, "ACR001").unwrap();
        assert_eq!(
            apply(text, &insertion),
            "# acr-lint:ignore ACR003,ACR001 reason=\"dev only\"\nresource \"a\" \"b\" {\n}\n"
        );
        let fixed = apply(text, &insertion);
        assert_eq!(terraform(&fixed, 60, "ACR001"), None);
        assert_eq!(terraform(&fixed, 60, "acr003"), None);
    }

    #[test]
    fn terraform_never_duplicates_a_directive_in_the_comments_above() {
        let text =
            "// acr-lint:ignore ACR001, ACR101 reason=\"x\"\n# more\nresource \"a\" \"b\" {}\n";
        assert_eq!(terraform(text, text.len() - 3, "ACR101"), None);
        let text = "resource \"a\" \"b\" {}\n";
        assert!(terraform(text, 0, "ACR101").is_some());
    }

    #[test]
    fn terraform_needs_a_block_at_the_target() {
        assert_eq!(terraform("x = 1\n", 2, "ACR001"), None);
        assert_eq!(terraform("resource {", 2, "ACR001"), None);
    }

    #[test]
    fn directives_parse_ids_and_stop_at_the_reason() {
        let d = Directive::parse("  # acr-lint:ignore ACR001,ACR101 reason=\"x\"").unwrap();
        assert_eq!(d.ids, ["ACR001", "ACR101"]);
        assert_eq!(d.ids_end, "  # acr-lint:ignore ACR001,ACR101".len());
        assert!(Directive::parse("# acr-lint:ignored ACR001").is_none());
        assert!(Directive::parse("# acr-lint:ignore reason=\"x\"").is_none());
        assert!(Directive::parse("resource").is_none());
    }

    const BICEP: &str = "@description('The registry.')
@batchSize(1)
resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  properties: {
    adminUserEnabled: true
  }

  @description('A replica.')
  resource replica 'replications' = {
    name: 'northeurope'
  }
}

@secure()
param token string = 'not secret'

output text string = '''
first
second
'''
";

    /// `text` with the suppression of `rule` the quick fix makes for the finding at `at`.
    fn bicep_fixed(text: &str, at: &str, rule: &str) -> String {
        let target = text.find(at).unwrap();
        apply(text, &bicep(text, target, rule, false).unwrap())
    }

    #[test]
    fn bicep_inserts_the_directive_above_the_decorators() {
        let fixed = bicep_fixed(BICEP, "'Microsoft.", "ACR001");
        assert!(
            fixed.starts_with("// acr-lint:ignore ACR001 reason=\"TODO: why\"\n@description"),
            "{fixed}"
        );
        let fixed = bicep_fixed(BICEP, "'replications'", "ACR405");
        assert!(
            fixed.contains(
                "\n  // acr-lint:ignore ACR405 reason=\"TODO: why\"\n  @description('A replica.')"
            ),
            "{fixed}"
        );
        let fixed = bicep_fixed(BICEP, "token", "ACR502");
        assert!(
            fixed.contains("\n// acr-lint:ignore ACR502 reason=\"TODO: why\"\n@secure()\nparam"),
            "{fixed}"
        );
    }

    #[test]
    fn bicep_suppresses_a_property_on_its_own_line_and_adds_to_a_directive() {
        let fixed = bicep_fixed(BICEP, "true", "ACR001");
        assert!(
            fixed.contains(
                "    // acr-lint:ignore ACR001 reason=\"TODO: why\"\n    adminUserEnabled"
            ),
            "{fixed}"
        );
        let added = bicep_fixed(&fixed, "true", "ACR002");
        assert!(
            added.contains("// acr-lint:ignore ACR001,ACR002 reason="),
            "{added}"
        );
        let target = fixed.find("true").unwrap();
        assert_eq!(bicep(&fixed, target, "ACR001", false), None);
    }

    #[test]
    fn bicep_offers_no_edit_that_would_not_suppress() {
        // A line inside a multi-line string: a comment there would be part of the string.
        let target = BICEP.find("second").unwrap();
        assert_eq!(bicep(BICEP, target, "ACR501", false), None);
    }

    #[test]
    fn bicepparam_assignments_take_a_directive_above() {
        let text = "using 'main.bicep'\n\nparam adminEnabled = true\n";
        let target = text.find("true").unwrap();
        let fixed = apply(text, &bicep(text, target, "ACR001", true).unwrap());
        assert_eq!(
            fixed,
            "using 'main.bicep'\n\n// acr-lint:ignore ACR001 reason=\"TODO: why\"\nparam adminEnabled = true\n"
        );
    }

    const ARM: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "acr",
      "properties": { "adminUserEnabled": true }
    }
  ]
}
"#;

    fn decl(text: &str) -> Option<usize> {
        text.find("\"Microsoft.ContainerRegistry")
    }

    #[test]
    fn arm_adds_metadata_to_the_resource() {
        let fixed = apply(ARM, &arm(ARM, decl(ARM), "ACR001").unwrap());
        assert!(fixed.contains(
            "\"properties\": { \"adminUserEnabled\": true },\n      \"metadata\": {\"acr-lint\": {\"ignore\": [{\"id\": \"ACR001\", \"reason\": \"TODO: why\"}]}}\n    }"
        ), "{fixed}");
        assert!(crate::model::json::parse(&fixed, 0).is_ok());
        let again = apply(&fixed, &arm(&fixed, decl(&fixed), "ACR003").unwrap());
        assert!(again.contains(
            "[{\"id\": \"ACR001\", \"reason\": \"TODO: why\"}, {\"id\": \"ACR003\", \"reason\": \"TODO: why\"}]"
        ));
        assert_eq!(arm(&again, decl(&again), "acr001"), None);
    }

    #[test]
    fn arm_completes_partial_metadata() {
        let text = r#"{"resources": [{"type": "T", "metadata": {"owner": "me"}}]}"#;
        let fixed = apply(text, &arm(text, text.find("\"T\""), "ACR001").unwrap());
        assert_eq!(
            fixed,
            r#"{"resources": [{"type": "T", "metadata": {"owner": "me", "acr-lint": {"ignore": [{"id": "ACR001", "reason": "TODO: why"}]}}}]}"#
        );
        let text = r#"{"resources": [{"type": "T", "metadata": {"acr-lint": {"ignore": []}}}]}"#;
        let fixed = apply(text, &arm(text, text.find("\"T\""), "ACR001").unwrap());
        assert!(fixed.contains(r#""ignore": [{"id": "ACR001", "reason": "TODO: why"}]"#));
        let text = r#"{"resources": [{"type": "T", "metadata": {"acr-lint": {}}}]}"#;
        let fixed = apply(text, &arm(text, text.find("\"T\""), "ACR001").unwrap());
        assert!(
            fixed.contains(r#""acr-lint": {"ignore": [{"id": "ACR001", "reason": "TODO: why"}]}"#)
        );
        let text = r#"{"resources": [{"type": "T", "metadata": "text"}]}"#;
        assert_eq!(arm(text, text.find("\"T\""), "ACR001"), None);
    }

    #[test]
    fn arm_template_level_suppressions_count_and_unit_findings_go_there() {
        let text = r#"{"metadata": {"acr-lint": {"ignore": [{"id": "ACR001", "reason": "r"}]}}, "resources": [{"type": "T"}]}"#;
        assert_eq!(arm(text, text.find("\"T\""), "ACR001"), None);
        let fixed = apply(text, &arm(text, None, "ACR501").unwrap());
        assert!(fixed.contains(r#"{"id": "ACR001", "reason": "r"}, {"id": "ACR501""#));
        assert_eq!(arm("[1", None, "ACR001"), None);
        assert_eq!(arm(text, Some(3), "ACR001"), None);
    }
}
