//! Values with provenance: every value remembers the span that set it.

use crate::source::{FileId, Span};

/// Where a value came from when it was not written at the place it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct Via {
    /// The place that uses the value (e.g. `[parameters('admin')]` in a resource).
    pub span: Span,
    /// What the value came through, e.g. "parameter `adminEnabled` (default value)".
    pub description: String,
    /// The ARM parameter or Terraform variable the value depends on, if any.
    pub input: Option<String>,
    /// The resource an expression refers to, e.g. `azurerm_user_assigned_identity.cmk`.
    pub reference: Option<String>,
}

/// A value in the ARM-shaped model. Object keys compare case-insensitively, as ARM does.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
    /// A value that could not be determined before deployment; the text names the missing input.
    Unknown(String),
}

/// A value and the span that set it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    pub via: Option<Box<Via>>,
}

/// The outcome of looking up a path in a [`Node`] tree.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    Found(&'a Node),
    /// The path does not exist; the service default applies.
    Missing,
    /// The path, or an object on the way to it, is not known before deployment.
    Unknown(&'a Node),
}

impl<'a> Lookup<'a> {
    pub fn is_found(&self) -> bool {
        matches!(self, Lookup::Found(_))
    }

    /// Looks up `path` below what was found: the same as looking up the whole path at once
    /// (`a.lookup("x").below("y")` is `a.lookup("x.y")`), for paths that share a beginning.
    pub fn below(self, path: &str) -> Lookup<'a> {
        match self {
            Lookup::Found(node) => node.lookup(path),
            missing_or_unknown => missing_or_unknown,
        }
    }
}

impl Node {
    pub fn new(value: Value, span: Span) -> Self {
        Node {
            value,
            span,
            via: None,
        }
    }

    pub fn unknown(reason: impl Into<String>, span: Span) -> Self {
        Node::new(Value::Unknown(reason.into()), span)
    }

    pub fn object(span: Span) -> Self {
        Node::new(Value::Object(Vec::new()), span)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown(_))
    }

    /// Whether this node or one below it was written in, or came through, a file `in_file`
    /// accepts.
    pub fn any_span_in(&self, in_file: &impl Fn(FileId) -> bool) -> bool {
        let mut pending = vec![self];
        while let Some(node) = pending.pop() {
            let through = node.via.as_ref().is_some_and(|via| in_file(via.span.file));
            if in_file(node.span.file) || through {
                return true;
            }
            match &node.value {
                Value::Array(items) => pending.extend(items),
                Value::Object(members) => pending.extend(members.iter().map(|(_, member)| member)),
                _ => {}
            }
        }
        false
    }

    /// Gives back the room the object's members, and those of the objects in it down to
    /// `depth` levels, were given as they grew one by one: a model lives to the end of a scan.
    pub fn shrink_members(&mut self, depth: usize) {
        let Value::Object(members) = &mut self.value else {
            return;
        };
        if depth > 1 {
            for (_, member) in members.iter_mut() {
                member.shrink_members(depth - 1);
            }
        }
        if members.capacity() > members.len() {
            // A new list, not `shrink_to_fit`: an allocator may keep the whole block when it
            // shrinks by half or less.
            let mut exact = Vec::with_capacity(members.len());
            exact.append(members);
            *members = exact;
        }
    }

    /// The member `key` of an object, matched case-insensitively.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(members) => members
                .iter()
                .find(|(k, _)| same_key(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Looks up a dotted path such as `properties.networkRuleSet.defaultAction`.
    pub fn lookup(&self, path: &str) -> Lookup<'_> {
        let mut current = self;
        for key in dotted_keys(path) {
            if current.is_unknown() {
                return Lookup::Unknown(current);
            }
            match current.get(key) {
                Some(next) => current = next,
                None => return Lookup::Missing,
            }
        }
        if current.is_unknown() {
            Lookup::Unknown(current)
        } else {
            Lookup::Found(current)
        }
    }

    /// Sets `key` on an object node, replacing an existing member with the same name.
    pub fn insert(&mut self, key: &str, node: Node) {
        if let Value::Object(members) = &mut self.value {
            if let Some(slot) = members.iter_mut().find(|(k, _)| same_key(k, key)) {
                slot.1 = node;
            } else {
                members.push((key.to_string(), node));
            }
        }
    }

    /// Sets a dotted path, creating the objects on the way (spanning the new node).
    pub fn set_path(&mut self, path: &str, node: Node) {
        let mut current = self;
        let mut keys = dotted_keys(path).peekable();
        while let Some(key) = keys.next() {
            if keys.peek().is_none() {
                current.insert(key, node);
                return;
            }
            match current.entry_object(key, node.span) {
                Some(next) => current = next,
                None => return,
            }
        }
    }

    /// The object member `key`, created as an empty object (spanning `span`) when absent.
    pub fn entry_object(&mut self, key: &str, span: Span) -> Option<&mut Node> {
        let Value::Object(members) = &mut self.value else {
            return None;
        };
        let index = match members.iter().position(|(k, _)| same_key(k, key)) {
            Some(i) => i,
            None => {
                members.push((key.to_string(), Node::object(span)));
                members.len() - 1
            }
        };
        members.get_mut(index).map(|(_, v)| v)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean, accepting the strings `true`/`false` in any case as ARM parameters do.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// A short rendering of the value for messages.
    pub fn display(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => format!("\"{s}\""),
            Value::Array(_) => "[…]".into(),
            Value::Object(_) => "{…}".into(),
            Value::Unknown(_) => "(unknown)".into(),
        }
    }
}

/// The keys of a dotted path (`a.b.c`), as `str::split('.')` gives them; paths are short, so
/// a plain loop beats a searcher.
fn dotted_keys(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(path);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|byte| byte == b'.') {
            Some(dot) => {
                rest = text.get(dot + 1..);
                text.get(..dot)
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// Whether two member names are the same, ASCII case aside; the length and first byte are
/// compared first, as most names differ there.
fn same_key(name: &str, key: &str) -> bool {
    let (a, b) = (name.as_bytes(), key.as_bytes());
    a.len() == b.len()
        && a.first().map(u8::to_ascii_lowercase) == b.first().map(u8::to_ascii_lowercase)
        && a.eq_ignore_ascii_case(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_members_keeps_them_and_frees_the_room_down_to_the_depth() {
        let span = Span::new(0, 0, 0);
        let mut root = Node::object(span);
        for path in ["a.b.c", "a.b.d", "a.e", "f", "g", "h", "i", "j"] {
            root.set_path(path, Node::new(Value::Bool(true), span));
        }
        let before = root.clone();
        let capacity = |node: &Node| match &node.value {
            Value::Object(members) => (members.len(), members.capacity()),
            _ => (0, 0),
        };
        assert!(capacity(&root).1 > capacity(&root).0);
        root.shrink_members(2);
        assert_eq!(root, before);
        assert_eq!(capacity(&root), (6, 6));
        let Lookup::Found(a) = root.lookup("a") else {
            panic!("a is set");
        };
        assert_eq!(capacity(a), (2, 2));
        let Lookup::Found(b) = root.lookup("a.b") else {
            panic!("a.b is set");
        };
        assert_eq!(capacity(b), (2, 4), "below the depth, left as it grew");
    }

    #[test]
    fn dotted_keys_split_as_str_split_does() {
        for path in [
            "",
            "a",
            "a.b",
            "properties.policies.quarantinePolicy.status",
            ".a",
            "a.",
            "a..b",
            ".",
        ] {
            let expected: Vec<&str> = path.split('.').collect();
            assert_eq!(dotted_keys(path).collect::<Vec<_>>(), expected, "{path:?}");
        }
    }

    #[test]
    fn a_lookup_below_a_lookup_is_the_lookup_of_the_whole_path() {
        let span = Span::new(0, 0, 1);
        let mut registry = Node::object(span);
        registry.set_path(
            "properties.policies.trustPolicy.status",
            Node::new(Value::String("enabled".into()), span),
        );
        registry.set_path("properties.encryption", Node::unknown("not known", span));
        let outcome = |lookup: Lookup<'_>| match lookup {
            Lookup::Found(node) => format!("found {:?}", node.value),
            Lookup::Missing => "missing".to_string(),
            Lookup::Unknown(node) => format!("unknown {:?}", node.value),
        };
        for (first, rest) in [
            ("properties", "policies.trustPolicy.status"),
            ("properties.policies", "trustPolicy.status"),
            ("properties.policies", "exportPolicy.status"),
            ("properties", "encryption.status"),
            ("properties.encryption", "status"),
            ("identity", "type"),
        ] {
            let whole = registry.lookup(&format!("{first}.{rest}"));
            let below = registry.lookup(first).below(rest);
            assert_eq!(outcome(below), outcome(whole), "{first} then {rest}");
        }
    }

    #[test]
    fn keys_match_ascii_case_insensitively_and_nothing_else() {
        assert!(same_key("adminUserEnabled", "AdminUserEnabled"));
        assert!(same_key("", ""));
        assert!(!same_key("sku", "sk"));
        assert!(!same_key("name", "nama"));
        assert!(!same_key("É", "é"));
    }

    #[test]
    fn a_span_is_found_below_arrays_objects_and_in_what_a_value_came_through() {
        let in_file = |wanted: FileId| move |file: FileId| file == wanted;
        let mut through = Node::new(Value::Bool(true), Span::new(1, 0, 4));
        through.via = Some(Box::new(Via {
            span: Span::new(2, 0, 9),
            description: "variable `admin`".into(),
            input: None,
            reference: None,
        }));
        let listed = Node::new(Value::String("x".into()), Span::new(3, 0, 1));
        let mut root = Node::object(Span::new(0, 0, 1));
        root.set_path("properties.adminUserEnabled", through);
        root.insert(
            "tags",
            Node::new(Value::Array(vec![listed]), Span::new(0, 2, 3)),
        );
        for file in 0..4 {
            assert!(root.any_span_in(&in_file(file)), "file {file}");
        }
        assert!(!root.any_span_in(&in_file(4)));
        assert!(!Node::object(Span::new(0, 0, 1)).any_span_in(&in_file(1)));
    }
}
