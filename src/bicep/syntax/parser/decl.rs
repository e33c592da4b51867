//! Declarations: the statements of a file, one per line, with their decorators.

use super::{PResult, Parser, Stop};
use crate::bicep::syntax::Dialect;
use crate::bicep::syntax::ast::*;
use crate::bicep::syntax::lexer::Tok;

const DECLARATION_KEYWORDS: &[&str] = &[
    "targetScope",
    "metadata",
    "param",
    "type",
    "var",
    "func",
    "resource",
    "module",
    "output",
    "import",
    "extension",
    "provider",
    "extensionConfig",
    "assert",
    "test",
    "using",
    "extends",
];

impl Parser<'_> {
    /// Every declaration up to the end of the text.
    pub(super) fn declarations(&mut self) -> Vec<Declaration> {
        let mut declarations = Vec::new();
        loop {
            self.skip_newlines();
            if self.at(Tok::Eof) {
                return declarations;
            }
            let start = self.peek().span.start;
            let declaration = match self.declaration() {
                Ok(declaration) => {
                    if declaration.kind != DeclKind::Error {
                        self.end_of_line();
                    }
                    declaration
                }
                Err(Stop) => {
                    self.recover(&[]);
                    Declaration {
                        span: TextSpan::new(start, self.last_end()),
                        decorators: Vec::new(),
                        kind: DeclKind::Error,
                    }
                }
            };
            declarations.push(declaration);
        }
    }

    /// After a declaration: a newline or the end of the text (BCP019 and a skip otherwise).
    fn end_of_line(&mut self) {
        if !matches!(self.kind(), Tok::NewLine | Tok::Eof) {
            let _ = self.fail::<()>("BCP019", "Expected a new line character at this location.");
            self.recover(&[]);
        }
    }

    /// One declaration with its decorators (each on its own line).
    pub(super) fn declaration(&mut self) -> PResult<Declaration> {
        let start = self.peek().span.start;
        let decorators = self.decorators()?;
        if let Some(last) = decorators.last().filter(|_| !self.at_declaration_keyword()) {
            self.error(
                last.span,
                "BCP292",
                "Expected a parameter, output, or type declaration after the decorator.",
            );
            return Ok(Declaration {
                span: TextSpan::new(start, last.span.end),
                decorators,
                kind: DeclKind::Error,
            });
        }
        let kind = self.declaration_kind()?;
        Ok(Declaration {
            span: TextSpan::new(start, self.last_end()),
            decorators,
            kind,
        })
    }

    /// `@call(...)` lines before a declaration, a type member or a tuple item.
    pub(super) fn decorators(&mut self) -> PResult<Vec<Decorator>> {
        let mut decorators = Vec::new();
        while let Some(at) = self.eat(Tok::At) {
            let call = self.decorator_call()?;
            decorators.push(Decorator {
                span: at.span.cover(call.span),
                call,
            });
            self.skip_newlines();
        }
        Ok(decorators)
    }

    /// A declaration's name. A missing name is an error, but the declaration goes on (with an
    /// empty name) when something other than the end of the line follows.
    fn decl_name(&mut self, code: &'static str, message: &str) -> PResult<Ident> {
        if self.at(Tok::Ident) {
            let token = self.bump();
            return Ok(self.ident_of(token));
        }
        let at = self.peek();
        let _ = self.fail::<()>(code, message);
        match at.kind {
            Tok::NewLine | Tok::Eof => Err(Stop),
            _ => Ok(Ident {
                span: TextSpan::at(at.span.start),
                name: String::new(),
            }),
        }
    }

    fn at_declaration_keyword(&self) -> bool {
        DECLARATION_KEYWORDS.iter().any(|k| self.at_word(k))
    }

    fn declaration_kind(&mut self) -> PResult<DeclKind> {
        let token = self.peek();
        let keyword = if token.kind == Tok::Ident {
            self.slice(token.span)
        } else {
            ""
        };
        let parse = match keyword {
            "targetScope" => Self::target_scope,
            "metadata" => Self::metadata,
            "param" => Self::param,
            "type" => Self::type_decl,
            "var" => Self::var,
            "func" => Self::func,
            "resource" => Self::resource,
            "module" => Self::module,
            "output" => Self::output,
            "import" => Self::import,
            "extension" | "provider" => Self::extension,
            "extensionConfig" => Self::extension_config,
            "assert" => Self::assert,
            "test" => Self::test,
            "using" => Self::using,
            "extends" => Self::extends,
            _ if self.dialect == Dialect::Parameters => {
                return self.fail(
                    "BCP337",
                    "This declaration type is not valid for a Bicep Parameters file. Supported \
                     declarations: \"using\", \"extends\", \"param\", \"var\", \"type\".",
                );
            }
            _ => {
                return self.fail(
                    "BCP007",
                    "This declaration type is not recognized. Specify a metadata, parameter, \
                     variable, resource, or output declaration.",
                );
            }
        };
        self.bump();
        parse(self)
    }

    fn target_scope(&mut self) -> PResult<DeclKind> {
        self.expect(Tok::Assign, "=")?;
        Ok(DeclKind::TargetScope(Box::new(self.expr()?)))
    }

    fn metadata(&mut self) -> PResult<DeclKind> {
        let name = self.ident("BCP266", "Expected a metadata identifier at this location.")?;
        self.expect(Tok::Assign, "=")?;
        let value = self.expr()?;
        Ok(DeclKind::Metadata(Box::new(MetadataDecl { name, value })))
    }

    fn param(&mut self) -> PResult<DeclKind> {
        let name = self.ident(
            "BCP013",
            "Expected a parameter identifier at this location.",
        )?;
        if self.dialect == Dialect::Parameters {
            let ty = if self.at(Tok::Assign) {
                None
            } else {
                Some(self.type_expr()?)
            };
            self.expect(Tok::Assign, "=")?;
            let value = self.expr()?;
            return Ok(DeclKind::ParamAssignment(Box::new(ParamAssignment {
                name,
                ty,
                value,
            })));
        }
        let ty = self.type_expr()?;
        let default = match self.kind() {
            Tok::Assign => {
                self.bump();
                Some(self.expr()?)
            }
            Tok::NewLine | Tok::Eof => None,
            _ => {
                return self.fail(
                    "BCP008",
                    "Expected the \"=\" token, or a newline at this location.",
                );
            }
        };
        Ok(DeclKind::Param(Box::new(ParamDecl { name, ty, default })))
    }

    fn type_decl(&mut self) -> PResult<DeclKind> {
        let name = self.ident("BCP301", "Expected a type identifier at this location.")?;
        self.expect(Tok::Assign, "=")?;
        let ty = self.type_expr()?;
        Ok(DeclKind::Type(Box::new(TypeDecl { name, ty })))
    }

    fn var(&mut self) -> PResult<DeclKind> {
        let name = self.decl_name("BCP015", "Expected a variable identifier at this location.")?;
        let ty = if self.at(Tok::Assign) {
            None
        } else {
            Some(self.type_expr()?)
        };
        self.expect(Tok::Assign, "=")?;
        let value = self.expr()?;
        Ok(DeclKind::Var(Box::new(VarDecl { name, ty, value })))
    }

    fn func(&mut self) -> PResult<DeclKind> {
        let name = self.ident("BCP023", "Expected a function identifier at this location.")?;
        self.expect(Tok::LParen, "(")?;
        let params = self.typed_params()?;
        let return_ty = self.type_expr()?;
        self.expect(Tok::Arrow, "=>")?;
        self.skip_newlines();
        let body = self.expr()?;
        Ok(DeclKind::Func(Box::new(FuncDecl {
            name,
            params,
            return_ty,
            body,
        })))
    }

    /// `a int, b string)` after the `(` of a `func` or typed lambda.
    pub(super) fn typed_params(&mut self) -> PResult<Vec<FuncParam>> {
        let mut params = Vec::new();
        loop {
            self.skip_newlines();
            if self.eat(Tok::RParen).is_some() {
                return Ok(params);
            }
            if !params.is_empty() {
                self.expect(Tok::Comma, ",")?;
                self.skip_newlines();
            }
            let name = self.ident(
                "BCP013",
                "Expected a parameter identifier at this location.",
            )?;
            let ty = self.type_expr()?;
            params.push(FuncParam { name, ty: Some(ty) });
        }
    }

    fn resource(&mut self) -> PResult<DeclKind> {
        Ok(DeclKind::Resource(Box::new(self.resource_decl()?)))
    }

    /// `name 'type@api' [existing] = value` after `resource` (also a nested child resource).
    pub(super) fn resource_decl(&mut self) -> PResult<ResourceDecl> {
        let name = self.decl_name("BCP017", "Expected a resource identifier at this location.")?;
        let type_string = self.string_expected(
            "BCP068",
            "Expected a resource type string. Specify a valid resource type of format \
             \"<types>@<apiVersion>\".",
        )?;
        let existing = self.eat_word("existing").is_some();
        self.expect_assign_before_body()?;
        let value = self.declaration_body()?;
        if let Some(body) = Body::object(&value) {
            self.spreads_not_permitted(body);
        }
        Ok(ResourceDecl {
            name,
            type_string,
            existing,
            value,
        })
    }

    fn module(&mut self) -> PResult<DeclKind> {
        let name = self.decl_name("BCP096", "Expected a module identifier at this location.")?;
        let path = self.string_expected(
            "BCP097",
            "Expected a module path string. This should be a relative path to another bicep \
             file, e.g. 'myModule.bicep' or '../parent/myModule.bicep'",
        )?;
        self.expect_assign_before_body()?;
        let value = self.declaration_body()?;
        if let Some(body) = Body::object(&value) {
            self.module_spreads_not_permitted(body);
        }
        Ok(DeclKind::Module(Box::new(ModuleDecl { name, path, value })))
    }

    /// BCP401 for the spreads the compiler refuses in a module's body, its `params` and its
    /// `extensionConfigs` (and each configuration in them).
    fn module_spreads_not_permitted(&mut self, body: &Expr) {
        self.spreads_not_permitted(body);
        if let Some(params) = body.property("params") {
            self.spreads_not_permitted(params);
        }
        if let Some(configs) = body.property("extensionConfigs") {
            self.spreads_not_permitted(configs);
            for item in configs.as_object().unwrap_or_default() {
                if let ObjectItem::Property(config) = item {
                    self.spreads_not_permitted(&config.value);
                }
            }
        }
    }

    /// BCP401 for each spread (`...x`) directly in `object`, a place where the compiler does not
    /// allow one (a resource or module body, an extension's configuration).
    fn spreads_not_permitted(&mut self, object: &Expr) {
        for item in object.as_object().unwrap_or_default() {
            if let ObjectItem::Spread { span, .. } = item {
                self.error(
                    *span,
                    "BCP401",
                    "The spread operator \"...\" is not permitted in this location.",
                );
            }
        }
    }

    fn test(&mut self) -> PResult<DeclKind> {
        let name = self.decl_name("BCP346", "Expected a test identifier at this location.")?;
        let path =
            self.string_expected("BCP347", "Expected a test path string at this location.")?;
        self.expect_assign_before_body()?;
        let value = self.declaration_body()?;
        Ok(DeclKind::Test(Box::new(TestDecl { name, path, value })))
    }

    /// The `=` before a resource, module or test value; when it is missing but the value
    /// follows, the error is recorded and the value still read.
    fn expect_assign_before_body(&mut self) -> PResult<()> {
        if self.eat(Tok::Assign).is_some() {
            return Ok(());
        }
        let value_follows =
            matches!(self.kind(), Tok::LBrace | Tok::LBracket) || self.at_word("if");
        let result = self.expect(Tok::Assign, "=").map(|_| ());
        if value_follows { Ok(()) } else { result }
    }

    /// A resource, module or test value: `{...}`, `if (cond) {...}` or `[for ...]`.
    fn declaration_body(&mut self) -> PResult<Expr> {
        if self.word_after_newlines("if") {
            self.skip_newlines();
        }
        match self.kind() {
            Tok::LBrace => self.expr(),
            Tok::LBracket => self.nested(Self::declaration_loop),
            Tok::Ident if self.at_word("if") => self.if_expr(),
            _ => self.fail(
                "BCP118",
                "Expected the \"{\" character, the \"[\" character, or the \"if\" keyword at \
                 this location.",
            ),
        }
    }

    /// A string literal (possibly interpolated), or fails with `code`.
    fn string_expected(&mut self, code: &'static str, message: &str) -> PResult<Expr> {
        match self.kind() {
            Tok::String | Tok::StringLeft => self.primary(),
            _ => self.fail(code, message),
        }
    }

    fn output(&mut self) -> PResult<DeclKind> {
        let name = self.decl_name("BCP016", "Expected an output identifier at this location.")?;
        let ty = self.type_expr()?;
        self.expect(Tok::Assign, "=")?;
        let value = self.expr()?;
        Ok(DeclKind::Output(Box::new(OutputDecl { name, ty, value })))
    }

    fn import(&mut self) -> PResult<DeclKind> {
        let what = match self.kind() {
            Tok::LBrace => ImportKind::Names(self.imported_names()?),
            Tok::Star => {
                self.bump();
                self.expect_word("as")?;
                let alias = self.ident("BCP023", "Expected an alias name at this location.")?;
                ImportKind::Wildcard { alias }
            }
            Tok::String | Tok::StringLeft => {
                let extension = self.extension_decl()?;
                return Ok(DeclKind::Import(Box::new(ImportDecl {
                    what: ImportKind::Legacy(extension),
                    from: None,
                })));
            }
            _ => {
                return self.fail(
                    "BCP305",
                    "Expected the \"with\" keyword, \"as\" keyword, or a new line character at \
                     this location.",
                );
            }
        };
        self.expect_word("from")?;
        let from = self.string_expected("BCP097", "Expected an import path string.")?;
        Ok(DeclKind::Import(Box::new(ImportDecl {
            what,
            from: Some(from),
        })))
    }

    /// `{a, 'b-c' as d}`, newline- or comma-separated.
    fn imported_names(&mut self) -> PResult<Vec<ImportedName>> {
        self.expect(Tok::LBrace, "{")?;
        let mut names = Vec::new();
        loop {
            self.skip_newlines();
            if self.eat(Tok::RBrace).is_some() {
                return Ok(names);
            }
            let name = match self.kind() {
                Tok::Ident => {
                    let token = self.bump();
                    Expr {
                        span: token.span,
                        kind: ExprKind::Variable(self.ident_of(token)),
                    }
                }
                Tok::String => self.primary()?,
                _ => return self.fail("BCP023", "Expected an imported name at this location."),
            };
            let alias = match self.eat_word("as") {
                Some(_) => Some(self.ident("BCP023", "Expected an alias name at this location.")?),
                None => None,
            };
            let end = alias.as_ref().map_or(name.span.end, |a| a.span.end);
            names.push(ImportedName {
                span: TextSpan::new(name.span.start, end),
                name,
                alias,
            });
            match self.kind() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::NewLine | Tok::RBrace => {}
                _ => {
                    return self.fail(
                        "BCP236",
                        "Expected a new line or comma character at this location.",
                    );
                }
            }
        }
    }

    fn extension(&mut self) -> PResult<DeclKind> {
        Ok(DeclKind::Extension(Box::new(self.extension_decl()?)))
    }

    /// `name|'spec' [with {...}] [as alias]` after `extension` (or a legacy `import`).
    fn extension_decl(&mut self) -> PResult<ExtensionDecl> {
        let spec = match self.kind() {
            Tok::Ident => {
                let token = self.bump();
                Expr {
                    span: token.span,
                    kind: ExprKind::Variable(self.ident_of(token)),
                }
            }
            Tok::String | Tok::StringLeft => self.primary()?,
            _ => {
                return self.fail(
                    "BCP201",
                    "Expected an extension specification string or identifier at this location.",
                );
            }
        };
        let config = self.with_config()?;
        let alias = match self.eat_word("as") {
            Some(_) => Some(self.ident(
                "BCP202",
                "Expected an extension alias name at this location.",
            )?),
            None => None,
        };
        Ok(ExtensionDecl {
            spec,
            config,
            alias,
        })
    }

    /// An optional `with {...}`.
    fn with_config(&mut self) -> PResult<Option<Expr>> {
        if self.eat_word("with").is_none() {
            return Ok(None);
        }
        if !self.at(Tok::LBrace) {
            return self.fail("BCP018", "Expected the \"{\" character at this location.");
        }
        let config = self.expr()?;
        self.spreads_not_permitted(&config);
        Ok(Some(config))
    }

    fn extension_config(&mut self) -> PResult<DeclKind> {
        let name = self.ident(
            "BCP202",
            "Expected an extension alias name at this location.",
        )?;
        self.expect_word("with")?;
        if !self.at(Tok::LBrace) {
            return self.fail("BCP018", "Expected the \"{\" character at this location.");
        }
        let config = self.expr()?;
        self.spreads_not_permitted(&config);
        let config = Some(config);
        Ok(DeclKind::ExtensionConfig(Box::new(ExtensionConfigDecl {
            name,
            config,
        })))
    }

    fn assert(&mut self) -> PResult<DeclKind> {
        let name = self.ident("BCP023", "Expected an assert identifier at this location.")?;
        self.expect(Tok::Assign, "=")?;
        let value = self.expr()?;
        Ok(DeclKind::Assert(Box::new(AssertDecl { name, value })))
    }

    fn using(&mut self) -> PResult<DeclKind> {
        let path = if self.eat_word("none").is_some() {
            None
        } else {
            Some(self.string_expected(
                "BCP256",
                "The using declaration is missing a bicep template file path reference.",
            )?)
        };
        let config = self.with_config()?;
        Ok(DeclKind::Using(Box::new(UsingDecl { path, config })))
    }

    fn extends(&mut self) -> PResult<DeclKind> {
        let path = self.string_expected(
            "BCP404",
            "The \"extends\" declaration is missing a bicepparam file path reference.",
        )?;
        Ok(DeclKind::Extends(Box::new(ExtendsDecl { path })))
    }
}
