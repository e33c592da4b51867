//! The evaluator and the expressions: literals, collections, operators, conditionals and `for`
//! expressions.

use hcl_edit::expr::{
    Array, BinaryOp, BinaryOperator, Conditional, Expression, ForExpr, Object, ObjectKey, UnaryOp,
    UnaryOperator,
};

use crate::terraform::eval::conversion::{to_bool, to_number, to_text, wrong_type};
use crate::terraform::eval::value::{ObjectBuilder, check_size, measure, values_equal};
use crate::terraform::eval::{
    Eval, Halt, MAX_DEPTH, MAX_STEPS, MAX_VALUE_DEPTH, MAX_WEIGHT, NESTED_TOO_DEEPLY, Scope,
    TOO_LARGE, TOO_MANY_STEPS, TfValue, invalid,
};

pub(super) struct Evaluator<'s> {
    pub(super) scope: &'s dyn Scope,
    /// Iteration variables of enclosing `for` expressions and directives, innermost last.
    pub(super) bindings: Vec<(String, TfValue)>,
    pub(super) depth: usize,
    pub(super) steps: usize,
    pub(super) weight: usize,
}

impl Evaluator<'_> {
    pub(super) fn eval(&mut self, expr: &Expression) -> Eval {
        match self
            .nested(|this| this.eval_node(expr))
            .and_then(check_size)
        {
            Err(Halt::Unknown(reason)) => Ok(TfValue::Unknown(reason)),
            other => other,
        }
    }

    /// Runs `f` one nesting level deeper, within the depth and step bounds.
    pub(super) fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, Halt>,
    ) -> Result<T, Halt> {
        if self.depth >= MAX_DEPTH {
            return Err(Halt::Limit(NESTED_TOO_DEEPLY));
        }
        self.step()?;
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    pub(super) fn step(&mut self) -> Result<(), Halt> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Halt::Limit(TOO_MANY_STEPS));
        }
        Ok(())
    }

    /// Accounts for a value copied into the evaluation (from the scope, a binding, a function).
    pub(super) fn charge(&mut self, value: &TfValue) -> Result<(), Halt> {
        let (weight, depth) = measure(value);
        if depth > MAX_VALUE_DEPTH {
            return Err(Halt::Limit(NESTED_TOO_DEEPLY));
        }
        self.weight = self.weight.saturating_add(weight);
        if self.weight > MAX_WEIGHT {
            return Err(Halt::Limit(TOO_LARGE));
        }
        Ok(())
    }

    pub(super) fn eval_node(&mut self, expr: &Expression) -> Eval {
        match expr {
            Expression::Null(_) => Ok(TfValue::Null),
            Expression::Bool(value) => Ok(TfValue::Bool(*value.value())),
            Expression::Number(number) => number
                .value()
                .as_f64()
                .map(TfValue::Number)
                .ok_or_else(|| invalid("number literal out of range")),
            Expression::String(text) => Ok(TfValue::String(text.value().clone())),
            Expression::Array(array) => self.eval_array(array),
            Expression::Object(object) => self.eval_object(object),
            Expression::StringTemplate(template) => self.eval_template(template),
            Expression::HeredocTemplate(heredoc) => self.eval_template(&heredoc.template),
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            Expression::Variable(name) => self.eval_rooted(name.as_str(), &[]),
            Expression::Conditional(conditional) => self.eval_conditional(conditional),
            Expression::FuncCall(call) => self.eval_call(call),
            Expression::Traversal(traversal) => self.eval_traversal(traversal),
            Expression::UnaryOp(op) => self.eval_unary(op),
            Expression::BinaryOp(op) => self.eval_binary(op),
            Expression::ForExpr(for_expr) => self.eval_for(for_expr),
        }
    }

    pub(super) fn eval_array(&mut self, array: &Array) -> Eval {
        let mut items = Vec::with_capacity(array.len());
        for item in array {
            items.push(self.eval(item)?);
        }
        Ok(TfValue::List(items))
    }

    pub(super) fn eval_object(&mut self, object: &Object) -> Eval {
        let mut builder = ObjectBuilder::default();
        for (key, value) in object {
            let key = self.object_key(key)?;
            let value = self.eval(value.expr())?;
            builder.insert(key, value);
        }
        Ok(builder.finish())
    }

    pub(super) fn object_key(&mut self, key: &ObjectKey) -> Result<String, Halt> {
        match key {
            ObjectKey::Ident(ident) => Ok(ident.as_str().to_string()),
            // A bare `null` key is the word, as in Terraform.
            ObjectKey::Expression(Expression::Null(_)) => Ok("null".to_string()),
            ObjectKey::Expression(expr) => match self.eval(expr)? {
                TfValue::Null => Err(invalid("an object key is null")),
                key => to_text(&key),
            },
        }
    }

    pub(super) fn eval_conditional(&mut self, conditional: &Conditional) -> Eval {
        let condition = self.eval(&conditional.cond_expr)?;
        match to_bool(&condition) {
            Ok(true) => self.eval(&conditional.true_expr),
            Ok(false) => self.eval(&conditional.false_expr),
            Err(Halt::Unknown(reason)) => {
                let when_true = self.eval(&conditional.true_expr);
                let when_false = self.eval(&conditional.false_expr);
                match (when_true, when_false) {
                    (Err(Halt::Limit(limit)), _) | (_, Err(Halt::Limit(limit))) => {
                        Err(Halt::Limit(limit))
                    }
                    (Ok(a), Ok(b))
                        if a.is_wholly_known() && matches!(values_equal(&a, &b), Ok(true)) =>
                    {
                        Ok(a)
                    }
                    _ => Err(Halt::Unknown(reason)),
                }
            }
            Err(other) => Err(other),
        }
    }

    pub(super) fn eval_unary(&mut self, op: &UnaryOp) -> Eval {
        let value = self.eval(&op.expr)?;
        match op.operator.value() {
            UnaryOperator::Not => Ok(TfValue::Bool(!to_bool(&value)?)),
            UnaryOperator::Neg => finite(-to_number(&value)?),
        }
    }

    pub(super) fn eval_binary(&mut self, op: &BinaryOp) -> Eval {
        use BinaryOperator as Op;
        let operator = *op.operator.value();
        if let Op::And | Op::Or = operator {
            return self.eval_logical(operator == Op::Or, &op.lhs_expr, &op.rhs_expr);
        }
        let lhs = self.eval(&op.lhs_expr)?;
        let rhs = self.eval(&op.rhs_expr)?;
        match operator {
            Op::Eq => Ok(TfValue::Bool(values_equal(&lhs, &rhs)?)),
            Op::NotEq => Ok(TfValue::Bool(!values_equal(&lhs, &rhs)?)),
            _ => arithmetic(operator, to_number(&lhs)?, to_number(&rhs)?),
        }
    }

    /// `&&` (decisive `false`) and `||` (decisive `true`): a known decisive operand decides,
    /// whatever the other one is; the right operand is not evaluated when the left one decides.
    pub(super) fn eval_logical(
        &mut self,
        decisive: bool,
        lhs: &Expression,
        rhs: &Expression,
    ) -> Eval {
        let left = self.eval(lhs)?;
        let unknown_left = match to_bool(&left) {
            Ok(value) if value == decisive => return Ok(TfValue::Bool(value)),
            Ok(_) => None,
            Err(Halt::Unknown(reason)) => Some(reason),
            Err(other) => return Err(other),
        };
        let right = self.eval(rhs)?;
        match (to_bool(&right), unknown_left) {
            (Ok(value), _) if value == decisive => Ok(TfValue::Bool(value)),
            (Ok(_) | Err(Halt::Unknown(_)), Some(reason)) => Err(Halt::Unknown(reason)),
            (Ok(value), None) => Ok(TfValue::Bool(value)),
            (Err(other), _) => Err(other),
        }
    }

    pub(super) fn eval_for(&mut self, for_expr: &ForExpr) -> Eval {
        let collection = self.eval(&for_expr.intro.collection_expr)?;
        let entries = iteration_entries(collection)?;
        let key_var = for_expr.intro.key_var.as_ref().map(|var| var.as_str());
        let value_var = for_expr.intro.value_var.as_str();
        let mut list = Vec::new();
        let mut object = ObjectBuilder::default();
        for (key, value) in entries {
            self.step()?;
            let item = self.with_bindings(key_var, key, value_var, value, |this| {
                this.for_item(for_expr)
            })?;
            match item {
                None => {}
                Some((None, value)) => list.push(value),
                Some((Some(key), value)) => {
                    object.insert_for_item(key, value, for_expr.grouping)?;
                }
            }
        }
        if for_expr.key_expr.is_some() {
            Ok(object.finish())
        } else {
            Ok(TfValue::List(list))
        }
    }

    /// One iteration: None when the `if` filters it out, else the key (object form) and value.
    pub(super) fn for_item(
        &mut self,
        for_expr: &ForExpr,
    ) -> Result<Option<(Option<String>, TfValue)>, Halt> {
        if let Some(cond) = &for_expr.cond {
            let keep = self.eval(&cond.expr)?;
            if !to_bool(&keep)? {
                return Ok(None);
            }
        }
        let key = match &for_expr.key_expr {
            Some(key_expr) => match self.eval(key_expr)? {
                TfValue::Null => return Err(invalid("a `for` expression produced a null key")),
                key => Some(to_text(&key)?),
            },
            None => None,
        };
        let value = self.eval(&for_expr.value_expr)?;
        Ok(Some((key, value)))
    }

    /// Runs `f` with the iteration variables bound, shadowing outer names; unbinds afterwards.
    pub(super) fn with_bindings<T>(
        &mut self,
        key_var: Option<&str>,
        key: TfValue,
        value_var: &str,
        value: TfValue,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let mark = self.bindings.len();
        if let Some(key_var) = key_var {
            self.bindings.push((key_var.to_string(), key));
        }
        self.bindings.push((value_var.to_string(), value));
        let result = f(self);
        self.bindings.truncate(mark);
        result
    }
}

/// Comparison and arithmetic on numbers.
pub(super) fn arithmetic(operator: BinaryOperator, a: f64, b: f64) -> Eval {
    use BinaryOperator as Op;
    match operator {
        Op::Less => Ok(TfValue::Bool(a < b)),
        Op::LessEq => Ok(TfValue::Bool(a <= b)),
        Op::Greater => Ok(TfValue::Bool(a > b)),
        Op::GreaterEq => Ok(TfValue::Bool(a >= b)),
        Op::Plus => finite(a + b),
        Op::Minus => finite(a - b),
        Op::Mul => finite(a * b),
        Op::Div if b == 0.0 => Err(invalid("division by zero")),
        Op::Div => finite(a / b),
        Op::Mod if b == 0.0 => Err(invalid("modulo by zero")),
        Op::Mod => finite(a % b),
        Op::Eq | Op::NotEq | Op::And | Op::Or => Err(invalid(format!(
            "`{}` is not an arithmetic operator",
            operator.as_str()
        ))),
    }
}

pub(super) fn finite(number: f64) -> Eval {
    if number.is_finite() {
        Ok(TfValue::Number(number))
    } else {
        Err(invalid("the result is out of the range of numbers"))
    }
}

/// (key, value) pairs a `for` iterates: list index and item, or object key and value by key.
pub(super) fn iteration_entries(collection: TfValue) -> Result<Vec<(TfValue, TfValue)>, Halt> {
    match collection {
        TfValue::List(items) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(index, item)| (TfValue::Number(index as f64), item))
            .collect()),
        TfValue::Object(mut entries) => {
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            Ok(entries
                .into_iter()
                .map(|(key, value)| (TfValue::String(key), value))
                .collect())
        }
        other => Err(wrong_type(&other, "cannot be iterated over")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;
    use hcl_edit::expr::Parenthesis;

    #[test]
    fn literals() {
        assert_eq!(eval("null"), TfValue::Null);
        assert_eq!(eval("true"), TfValue::Bool(true));
        assert_eq!(eval("1.5"), n(1.5));
        assert_eq!(eval("\"a\\tb\""), s("a\tb"));
        assert_eq!(
            eval("[1, \"a\", false]"),
            TfValue::List(vec![n(1.0), s("a"), TfValue::Bool(false)])
        );
        assert_eq!(
            eval("{ zeta = 1, \"alpha\" = 2, (local.prefix) = 3, 4 = 4 }"),
            obj(&[
                ("zeta", n(1.0)),
                ("alpha", n(2.0)),
                ("acr", n(3.0)),
                ("4", n(4.0))
            ])
        );
        check_unknown(&[("{ (var.pending) = 1 }", PENDING)]);
        check_error(
            ErrorKind::Invalid,
            &[("{ (var.nothing) = 1 }", "key is null")],
        );
    }

    #[test]
    fn arithmetic_and_comparison() {
        check(&[
            ("1 + 2 * 3 - 4 / 2", "5"),
            ("7 % 3", "1"),
            ("-7 % 3", "-1"),
            ("\"5\" + 1", "6"),
            ("-var.replicas", "-3"),
            ("1 < 2", "true"),
            ("2 <= 2", "true"),
            ("3 > 4", "false"),
            ("\"10\" >= 9", "true"),
            ("1 == 1", "true"),
            ("1 == \"1\"", "false"),
            ("null == null", "true"),
            ("var.nothing != null", "false"),
            ("{ a = 1, b = [2] } == { b = [2], a = 1 }", "true"),
            ("[1, 2] == [1, 3]", "false"),
            ("!false", "true"),
            ("!var.enabled_text", "false"),
        ]);
        check_unknown(&[
            ("var.pending + 1", PENDING),
            ("1 < var.pending", PENDING),
            ("var.pending == 1", PENDING),
            ("-var.pending", PENDING),
            ("!var.pending", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("1 / 0", "division by zero"),
                ("1 % 0", "modulo by zero"),
                ("\"a\" + 1", "cannot be used as a number"),
                ("!1", "cannot be used as a bool"),
                ("true + 1", "bool cannot"),
            ],
        );
    }

    #[test]
    fn logical_operators_short_circuit() {
        check(&[
            ("true && \"true\"", "true"),
            ("true || false", "true"),
            ("false && var.pending", "false"),
            ("var.pending && false", "false"),
            ("true || var.pending", "true"),
            ("var.pending || true", "true"),
            ("var.nothing != null && var.nothing.x", "false"),
        ]);
        check_unknown(&[
            ("true && var.pending", PENDING),
            ("var.pending || false", PENDING),
            ("var.pending && var.enabled", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[("true && 1", "number cannot be used as a bool")],
        );
    }

    #[test]
    fn conditionals() {
        check(&[
            ("true ? 1 : 2", "1"),
            ("var.enabled_text ? \"on\" : \"off\"", "\"on\""),
            (
                "var.nothing == null ? \"none\" : var.nothing.missing",
                "\"none\"",
            ),
            ("var.pending ? \"same\" : \"same\"", "\"same\""),
        ]);
        check_unknown(&[
            ("var.pending ? \"a\" : \"b\"", PENDING),
            ("var.pending ? [var.pending] : [var.pending]", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[("null ? 1 : 2", "null value cannot be used as a bool")],
        );
    }

    #[test]
    fn for_expressions() {
        check(&[
            (
                "[for z in var.zones : \"zone-${z}\"]",
                "[\"zone-1\", \"zone-2\"]",
            ),
            ("[for i, z in var.zones : i]", "[0, 1]"),
            (
                "[for item in var.items : item.name if item.enabled]",
                "[\"a\"]",
            ),
            (
                "{for item in var.items : item.name => item.enabled}",
                "{ a = true, b = false }",
            ),
            (
                "{for k, v in { b = 1, a = 2 } : k => v * 10}",
                "{ a = 20, b = 10 }",
            ),
            ("[for v in { b = 1, a = 2 } : v]", "[2, 1]"),
            (
                "{for v in [\"x\", \"y\", \"x\"] : v => v...}",
                "{ x = [\"x\", \"x\"], y = [\"y\"] }",
            ),
            ("[for each in [1, 2] : each]", "[1, 2]"),
            ("[for x in [1] : [for x in [2] : x]]", "[[2]]"),
            (
                "[for x in [1, 2] : var.pending]",
                "[var.pending, var.pending]",
            ),
        ]);
        assert!(TestScope::default().asked.borrow().is_empty());
        check_unknown(&[
            ("[for z in var.pending : z]", PENDING),
            ("[for z in var.zones : z if var.pending]", PENDING),
            ("{for z in var.zones : var.pending => z}", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("{for v in [\"x\", \"x\"] : v => v}", "twice"),
                ("[for x in 5 : x]", "a number cannot be iterated over"),
                ("[for x in null : x]", "null"),
            ],
        );
    }

    fn nested_parentheses(depth: usize) -> Expression {
        let mut expr = parse("1");
        for _ in 0..depth {
            expr = Expression::Parenthesis(Box::new(Parenthesis::new(expr)));
        }
        expr
    }

    #[test]
    fn nesting_is_bounded() {
        let scope = TestScope::default();
        assert_eq!(evaluate(&nested_parentheses(MAX_DEPTH - 1), &scope), n(1.0));
        assert_eq!(
            evaluate(&nested_parentheses(MAX_DEPTH + 1), &scope),
            TfValue::Unknown(NESTED_TOO_DEEPLY.into())
        );
        let chain = vec!["1"; 100].join(" + ");
        let deep = format!("{}{chain}{}", "[".repeat(40), "]".repeat(40));
        check_unknown(&[(deep.as_str(), NESTED_TOO_DEEPLY)]);
        let kind = try_evaluate(&parse(&deep), &scope).map_err(|error| error.kind);
        assert_eq!(kind, Err(ErrorKind::Limit));
        // Bounds are not errors `try` can catch.
        check_unknown(&[(&format!("try({deep}, 1)"), NESTED_TOO_DEEPLY)]);
    }

    /// The deepest expressions allowed, built from the costliest nodes, fit a test thread's stack.
    #[test]
    fn deepest_expressions_fit_the_stack() {
        let wrappers: &[fn(&str) -> String] = &[
            |inner| format!("lower(format(\"%s\", {inner}))"),
            |inner| format!("\"%{{if true}}${{{inner}}}%{{endif}}\""),
            |inner| format!("[for x in [1] : {inner}][0]"),
            |inner| format!("true ? {inner} : 0"),
            |inner| format!("try({inner}, 1)"),
        ];
        for wrap in wrappers {
            let mut expr = parse("var.name");
            for _ in 0..MAX_DEPTH {
                let inner = "(PLACEHOLDER)";
                let mut outer = parse(&wrap(inner));
                replace_placeholder(&mut outer, &expr);
                expr = outer;
            }
            let value = evaluate(&expr, &TestScope::default());
            assert_eq!(value, TfValue::Unknown(NESTED_TOO_DEEPLY.into()));
        }
    }

    /// Replaces the variable `PLACEHOLDER` in `expr` by `with`.
    fn replace_placeholder(expr: &mut Expression, with: &Expression) {
        use hcl_edit::visit_mut::{VisitMut, visit_expr_mut};
        struct Replace<'a>(&'a Expression);
        impl VisitMut for Replace<'_> {
            fn visit_expr_mut(&mut self, node: &mut Expression) {
                if node
                    .as_variable()
                    .is_some_and(|name| name.as_str() == "PLACEHOLDER")
                {
                    *node = self.0.clone();
                } else {
                    visit_expr_mut(self, node);
                }
            }
        }
        Replace(with).visit_expr_mut(expr);
    }

    #[test]
    fn sizes_are_bounded() {
        check_unknown(&[
            ("format(\"%2000000s\", \"x\")", TOO_LARGE),
            (
                "replace(format(\"%1000s\", \"\"), \" \", format(\"%2000s\", \"\"))",
                TOO_LARGE,
            ),
            (
                "join(\"\", [for i in range(1000) : format(\"%2000s\", \"\")])",
                TOO_LARGE,
            ),
            (
                "\"%{for i in range(1000)}${format(\"%2000s\", \"\")}%{endfor}\"",
                TOO_LARGE,
            ),
            (
                "jsonencode([for i in range(1000) : format(\"%2000s\", \"\")])",
                TOO_LARGE,
            ),
            ("flatten([for i in range(1000) : range(1000)])", TOO_LARGE),
            ("concat([for i in range(1000) : range(1000)]...)", TOO_LARGE),
            ("range(2000)", TOO_LARGE),
            ("range(0, 1, 1e-9)", TOO_LARGE),
            ("split(\"\", format(\"%200000s\", \"\"))", TOO_LARGE),
        ]);
        check(&[
            ("length(format(\"%1048576s\", \"\"))", "1048576"),
            ("length(range(1024))", "1024"),
        ]);
    }

    #[test]
    fn steps_and_copied_data_are_bounded() {
        let many_steps = format!(
            "length([for i in range(1000) : length([{}])])",
            ["1"; 1100].join(", ")
        );
        check_unknown(&[
            (many_steps.as_str(), TOO_MANY_STEPS),
            (
                "[for i in range(1000) : [for j in range(1000) : j]]",
                TOO_LARGE,
            ),
            (
                "length([for i in range(1000) : [for j in range(100) : format(\"%1000s\", \"\")]])",
                TOO_LARGE,
            ),
        ]);
    }
}
