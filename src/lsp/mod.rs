//! `acr-lint lsp`: a language server over standard input and output.
//!
//! Open Terraform (`.tf`, `.tfvars`), JSON and Bicep documents are checked on open, change and
//! save. Each is scanned as a given file, so in its context (the rest of its Terraform module,
//! its template or parameters files, the Bicep files that call it), the unsaved text of every
//! open document in place of what is on disk. Diagnostics are published for the document itself, and each offers a quick fix
//! that adds a suppression with a reason to fill in. Files changed outside the editor
//! (`workspace/didChangeWatchedFiles`) check again the open documents whose last scan read them
//! or their directory.

mod convert;
pub mod fix;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{self, BufRead, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, mpsc};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response, ResponseError};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CodeDescription, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    InitializeResult, Location, NumberOrString, PositionEncodingKind, PublishDiagnosticsParams,
    Range, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::discover::Candidate;
use crate::model::Format;
use crate::rules::{Finding, Level};
use crate::source::{FileId, SourceFile, Span};
use crate::{Scan, ScanOptions};
use convert::Lines;

/// The files whose changes on disk can change a document's diagnostics.
const WATCHED_FILES: &str = "**/*.{tf,tfvars,json,jsonc,bicep,bicepparam}";

/// The configuration file, watched too: a change to it checks every open document again.
const CONFIGURATION_FILES: &str = "**/.acr-lint.yaml";

/// Messages larger than this are refused (and skipped).
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// Serves one client on standard input and output until it sends `exit`. `options` gives the
/// scan options (rules, configuration) for the paths to check. Returns the process exit code:
/// 0 after `shutdown` then `exit`, 1 otherwise.
pub fn run(options: impl Fn(Vec<PathBuf>) -> ScanOptions + 'static) -> u8 {
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::Builder::new().spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        while let Some(message) = read_message(&mut input) {
            if sender.send(message).is_err() {
                break;
            }
        }
    });
    if let Err(error) = reader {
        log(&format!("could not start: {error}"));
        return 1;
    }
    let mut server = Server {
        options: Box::new(options),
        documents: HashMap::new(),
        dirty: BTreeSet::new(),
        read_by: HashMap::new(),
        watch_files: false,
        initialized: false,
        shutting_down: false,
    };
    while let Ok(message) = receiver.recv() {
        if let Some(code) = server.handle(message) {
            return code;
        }
        // Check once the client has paused: a burst of changes is scanned once.
        while let Ok(message) = receiver.try_recv() {
            if let Some(code) = server.handle(message) {
                return code;
            }
        }
        server.check_dirty();
    }
    1
}

/// Longest header line read; a longer one is a framing error.
const MAX_HEADER_BYTES: u64 = 8 * 1024;

/// What the input holds next.
enum Frame {
    Message(Message),
    /// A frame that could not be read (bad header, too large, invalid JSON), with why.
    Malformed(String),
    End,
}

/// Reads the next message; for a malformed frame, logs it, answers it with a JSON-RPC parse
/// error and reads on from the next header. `None` at the end of the input.
fn read_message(input: &mut impl BufRead) -> Option<Message> {
    loop {
        match read_frame(input) {
            Frame::Message(message) => return Some(message),
            Frame::End => return None,
            Frame::Malformed(reason) => {
                log(&format!("malformed message: {reason}"));
                send_parse_error(&reason);
            }
        }
    }
}

fn read_frame(input: &mut impl BufRead) -> Frame {
    let mut length: Option<Result<usize, String>> = None;
    let mut headers = 0;
    let length = loop {
        let line = match read_header_line(input) {
            Ok(Some(line)) => line,
            Ok(None) => return Frame::End,
            Err(reason) => return Frame::Malformed(reason),
        };
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            match length {
                Some(Ok(length)) => break length,
                Some(Err(reason)) => return Frame::Malformed(reason),
                None if headers == 0 => continue,
                None => return Frame::Malformed("no Content-Length header".into()),
            }
        }
        headers += 1;
        let header = resynchronised(header);
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                let value = value.trim();
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("invalid Content-Length `{}`", shorten(value))),
                );
            }
            Some(_) => {}
            None => {
                return Frame::Malformed(format!("expected a header, got `{}`", shorten(header)));
            }
        }
    };
    if length > MAX_MESSAGE_BYTES {
        let skipped = io::copy(&mut input.by_ref().take(length as u64), &mut io::sink());
        if skipped.is_err() {
            return Frame::End;
        }
        return Frame::Malformed(format!(
            "a message of {length} bytes; messages are limited to {MAX_MESSAGE_BYTES}"
        ));
    }
    let mut body = vec![0; length];
    if input.read_exact(&mut body).is_err() {
        return Frame::End;
    }
    match serde_json::from_slice::<Message>(&body) {
        Ok(message) => Frame::Message(message),
        Err(error) => Frame::Malformed(format!("invalid JSON-RPC message: {error}")),
    }
}

/// A header line from the next `Content-Length` on, when text precedes it (the rest of a
/// message whose length was given too short): reading resumes at the next frame.
fn resynchronised(line: &str) -> &str {
    let at = line.to_ascii_lowercase().find("content-length:");
    match at {
        Some(at) if at > 0 => {
            log(&format!("skipped {at} bytes before a header"));
            line.get(at..).unwrap_or(line)
        }
        _ => line,
    }
}

/// The next header line, at most [`MAX_HEADER_BYTES`] long; `None` at the end of the input.
fn read_header_line(input: &mut impl BufRead) -> Result<Option<String>, String> {
    let mut bytes = Vec::new();
    let Ok(read) = input
        .by_ref()
        .take(MAX_HEADER_BYTES)
        .read_until(b'\n', &mut bytes)
    else {
        return Ok(None);
    };
    if read == 0 {
        return Ok(None);
    }
    if !bytes.ends_with(b"\n") && read as u64 == MAX_HEADER_BYTES {
        discard_line(input);
        return Err(format!(
            "a header line longer than {MAX_HEADER_BYTES} bytes"
        ));
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Skips the input up to and including the next newline, without keeping it.
fn discard_line(input: &mut impl BufRead) {
    loop {
        let (consumed, done) = match input.fill_buf() {
            Ok([]) | Err(_) => return,
            Ok(buffer) => match memchr::memchr(b'\n', buffer) {
                Some(at) => (at + 1, true),
                None => (buffer.len(), false),
            },
        };
        input.consume(consumed);
        if done {
            return;
        }
    }
}

fn shorten(text: &str) -> String {
    let shown: String = text.chars().take(60).collect();
    let shown = crate::report::escape_controls(&shown).into_owned();
    if shown.len() < text.len() {
        format!("{shown}…")
    } else {
        shown
    }
}

/// Answers a frame that could not be read, as JSON-RPC answers a parse error: with a null id.
fn send_parse_error(reason: &str) {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": ErrorCode::ParseError as i32, "message": reason},
    })
    .to_string();
    let mut out = io::stdout().lock();
    let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
    let _ = out.flush();
}

fn log(message: &str) {
    let _ = writeln!(io::stderr(), "acr-lint lsp: {message}");
}

fn send(message: impl Into<Message>) {
    let _ = message.into().write(&mut io::stdout().lock());
}

fn respond(id: RequestId, result: impl Serialize) {
    let response_result = serde_json::to_value(result).map_err(|error| ResponseError {
        code: ErrorCode::InternalError as i32,
        message: error.to_string(),
        data: None,
    });
    send(Response {
        id,
        response_result,
    });
}

fn respond_error(id: RequestId, code: ErrorCode, message: String) {
    send(Response::new_err(id, code as i32, message));
}

fn notify(method: &str, params: impl Serialize) {
    match serde_json::to_value(params) {
        Ok(params) => send(Notification {
            method: method.to_string(),
            params,
        }),
        Err(error) => log(&format!("could not send {method}: {error}")),
    }
}

struct Server {
    options: Box<dyn Fn(Vec<PathBuf>) -> ScanOptions>,
    /// Open documents by path.
    documents: HashMap<PathBuf, Document>,
    /// Open documents to check again before the next answer.
    dirty: BTreeSet<PathBuf>,
    /// For each open document, the files and directories its last scan read.
    read_by: HashMap<PathBuf, HashSet<PathBuf>>,
    /// The client registers file watchers when asked (`client/registerCapability`).
    watch_files: bool,
    initialized: bool,
    shutting_down: bool,
}

struct Document {
    uri: Uri,
    version: i32,
    text: String,
    /// The diagnostics last published, each with what its quick fix needs.
    published: Vec<(Diagnostic, Option<PendingFix>)>,
}

/// What the quick fix of a diagnostic needs; the edit is worked out when the client asks for
/// code actions, since finding where it goes parses the file again.
struct PendingFix {
    /// The file the suppression goes in, as the check read it.
    file: Arc<SourceFile>,
    target: usize,
    /// Where the declaration of the finding's resource starts, if it has one.
    decl: Option<usize>,
    rule: &'static str,
    resource: String,
}

impl Server {
    /// Handles one message; `Some(code)` when the server must exit.
    fn handle(&mut self, message: Message) -> Option<u8> {
        match message {
            Message::Request(request) => self.request(request),
            Message::Notification(notification) => return self.notification(notification),
            Message::Response(_) => {}
        }
        None
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if !self.initialized {
            if method == "initialize" {
                self.initialized = true;
                self.watch_files = can_register_file_watchers(&params);
                respond(id, capabilities());
            } else {
                let message = format!("`{method}` before `initialize`");
                respond_error(id, ErrorCode::ServerNotInitialized, message);
            }
            return;
        }
        if self.shutting_down {
            let message = format!("`{method}` after `shutdown`");
            return respond_error(id, ErrorCode::InvalidRequest, message);
        }
        match method.as_str() {
            "shutdown" => {
                self.shutting_down = true;
                respond(id, ());
            }
            "textDocument/codeAction" => match parse::<CodeActionParams>(params) {
                Ok(params) => {
                    self.check_dirty();
                    respond(id, self.code_actions(&params));
                }
                Err(message) => respond_error(id, ErrorCode::InvalidParams, message),
            },
            "initialize" => {
                respond_error(id, ErrorCode::InvalidRequest, "already initialized".into());
            }
            _ => {
                let message = format!("`{method}` is not supported");
                respond_error(id, ErrorCode::MethodNotFound, message);
            }
        }
    }

    fn notification(&mut self, notification: Notification) -> Option<u8> {
        let Notification { method, params } = notification;
        if method == "exit" {
            return Some(if self.shutting_down { 0 } else { 1 });
        }
        if !self.initialized || self.shutting_down {
            return None;
        }
        let outcome = match method.as_str() {
            "initialized" => {
                self.register_file_watchers();
                Ok(())
            }
            "workspace/didChangeWatchedFiles" => {
                parse::<DidChangeWatchedFilesParams>(params).map(|p| self.files_changed(p))
            }
            "textDocument/didOpen" => {
                parse::<DidOpenTextDocumentParams>(params).map(|p| self.did_open(p))
            }
            "textDocument/didChange" => {
                parse::<DidChangeTextDocumentParams>(params).map(|p| self.did_change(p))
            }
            "textDocument/didSave" => {
                parse::<DidSaveTextDocumentParams>(params).map(|p| self.did_save(p))
            }
            "textDocument/didClose" => {
                parse::<DidCloseTextDocumentParams>(params).map(|p| self.did_close(p))
            }
            _ => Ok(()),
        };
        if let Err(message) = outcome {
            log(&message);
        }
        None
    }

    fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let Some(path) = lintable_path(&item.uri) else {
            return;
        };
        self.documents.insert(
            path.clone(),
            Document {
                uri: item.uri,
                version: item.version,
                text: item.text,
                published: Vec::new(),
            },
        );
        self.touch_directory(&path);
    }

    fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let Some(path) = lintable_path(&params.text_document.uri) else {
            return;
        };
        let Some(document) = self.documents.get_mut(&path) else {
            return;
        };
        document.version = params.text_document.version;
        for change in params.content_changes {
            match change.range {
                Some(range) => {
                    let start = convert::offset(&document.text, range.start);
                    let end = convert::offset(&document.text, range.end).max(start);
                    document.text.replace_range(start..end, &change.text);
                }
                None => document.text = change.text,
            }
        }
        self.touch_directory(&path);
    }

    fn did_save(&mut self, params: DidSaveTextDocumentParams) {
        if let Some(path) = lintable_path(&params.text_document.uri) {
            if let (Some(text), Some(document)) = (params.text, self.documents.get_mut(&path)) {
                document.text = text;
            }
            self.touch_directory(&path);
        }
    }

    fn did_close(&mut self, params: DidCloseTextDocumentParams) {
        let Some(path) = lintable_path(&params.text_document.uri) else {
            return;
        };
        self.read_by.remove(&path);
        if self.documents.remove(&path).is_some() {
            publish(params.text_document.uri, Vec::new(), None);
        }
        self.dirty.remove(&path);
        // The others in its directory now see the file as it is on disk.
        self.touch_directory(&path);
    }

    /// Asks the client to report changes to the files a scan reads, when it can.
    fn register_file_watchers(&self) {
        if !self.watch_files {
            return;
        }
        let params = serde_json::json!({
            "registrations": [{
                "id": "acr-lint/watched-files",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": {"watchers": [
                    {"globPattern": WATCHED_FILES},
                    {"globPattern": CONFIGURATION_FILES}
                ]}
            }]
        });
        send(Request {
            id: RequestId::from("acr-lint/register-watchers".to_string()),
            method: "client/registerCapability".into(),
            params,
        });
    }

    /// Files changed on disk: the open documents whose last scan read one of them, or read
    /// the directory it is in (a file added to a module), are checked again.
    fn files_changed(&mut self, params: DidChangeWatchedFilesParams) {
        crate::discover::forget_parameters_listings();
        let changed: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|event| convert::path_of(&event.uri))
            .collect();
        let configuration =
            |path: &PathBuf| path.file_name() == Some(crate::config::FILE_NAME.as_ref());
        if changed.iter().any(configuration) {
            self.dirty.extend(self.documents.keys().cloned());
            return;
        }
        let affected = self.documents.keys().filter(|document| {
            changed.iter().any(|path| {
                read_together(path, document)
                    || self.read_by.get(*document).is_some_and(|read| {
                        read.contains(path) || path.parent().is_some_and(|dir| read.contains(dir))
                    })
            })
        });
        self.dirty.extend(affected.cloned());
    }

    /// Marks the open documents of `path`'s directory for checking (they share its module),
    /// and those whose last check read `path` (a YAML file a module reads).
    fn touch_directory(&mut self, path: &Path) {
        let touched = self.documents.keys().filter(|p| {
            p.as_path() == path
                || read_together(p, path)
                || self.read_by.get(*p).is_some_and(|read| read.contains(path))
        });
        self.dirty.extend(touched.cloned());
    }

    fn check_dirty(&mut self) {
        for path in std::mem::take(&mut self.dirty) {
            let (published, read) = self.check(&path);
            self.read_by.insert(path.clone(), read);
            if let Some(document) = self.documents.get_mut(&path) {
                let diagnostics = published.iter().map(|(d, _)| d.clone()).collect();
                publish(document.uri.clone(), diagnostics, Some(document.version));
                document.published = published;
            }
        }
    }

    /// Scans the document with its module, the open documents' text overriding the disk; also
    /// gives the files the scan read and their directories.
    fn check(&self, path: &Path) -> (Vec<(Diagnostic, Option<PendingFix>)>, HashSet<PathBuf>) {
        let mut options = (self.options)(vec![path.to_path_buf()]);
        let last_read = self.read_by.get(path);
        options.overlays = self
            .documents
            .iter()
            .filter(|(p, _)| {
                read_together(p, path)
                    || last_read.is_some_and(|r| r.contains(*p))
                    || crate::discover::is_data_file(p)
            })
            .map(|(p, d)| (p.clone(), d.text.clone()))
            .collect();
        match catch_unwind(AssertUnwindSafe(|| crate::scan(&options))) {
            Ok(scan) => (self.diagnostics(&scan, path), files_read(&scan)),
            Err(_) => {
                log(&format!("checking {} failed", path.display()));
                (Vec::new(), HashSet::new())
            }
        }
    }

    fn diagnostics(&self, scan: &Scan, path: &Path) -> Vec<(Diagnostic, Option<PendingFix>)> {
        // A parameters file paired explicitly is read a second time, for its template.
        let ids: Vec<FileId> = scan
            .sources
            .iter()
            .enumerate()
            .filter(|(_, f)| f.path == path)
            .map(|(id, _)| id)
            .collect();
        let Some(file) = ids.first().and_then(|&id| scan.sources.get(id)) else {
            return Vec::new();
        };
        let is_this = |span_file: FileId| ids.contains(&span_file);
        let mut published = Vec::new();
        let mut fix_files = HashMap::new();
        for error in &scan.errors {
            let in_file = match error.span {
                Some(span) => is_this(span.file),
                None => error.path == file.name,
            };
            if !in_file {
                continue;
            }
            let lines = self.lines(file);
            let range = error.span.map_or_else(Range::default, |s| {
                lines.range(s.start, s.end.max(s.start + 1))
            });
            let diagnostic = Diagnostic {
                range,
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("acr-lint".into()),
                message: error.message.clone(),
                ..Diagnostic::default()
            };
            published.push((diagnostic, None));
        }
        for finding in &scan.findings {
            // A finding on a resource of this document whose value is set elsewhere (a variable
            // default in another file) is shown where this document uses the value.
            let at = match finding.resource_decl {
                _ if is_this(finding.primary.span.file) => finding.primary.span,
                Some(decl) if is_this(decl.file) => finding
                    .secondary
                    .iter()
                    .find(|label| is_this(label.span.file))
                    .map_or(decl, |label| label.span),
                _ => continue,
            };
            let diagnostic = self.diagnostic(scan, file, finding, at);
            published.push((diagnostic, pending_fix(scan, finding, &mut fix_files)));
        }
        published
    }

    fn diagnostic(
        &self,
        scan: &Scan,
        file: &SourceFile,
        finding: &Finding,
        at: Span,
    ) -> Diagnostic {
        let severity = match finding.level {
            Level::Error => DiagnosticSeverity::ERROR,
            Level::Warning => DiagnosticSeverity::WARNING,
            Level::Note => DiagnosticSeverity::INFORMATION,
        };
        let mut message = finding.message.clone();
        for note in &finding.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        message.push_str(&format!("\nhelp: {}", finding.help));
        let labels = std::iter::once(&finding.primary).chain(&finding.secondary);
        let related: Vec<DiagnosticRelatedInformation> = labels
            .filter(|label| label.span != at)
            .filter_map(|label| {
                Some(DiagnosticRelatedInformation {
                    location: self.location(scan, label.span)?,
                    message: label.message.to_string(),
                })
            })
            .collect();
        Diagnostic {
            range: self.lines(file).range(at.start, at.end),
            severity: Some(severity),
            code: Some(NumberOrString::String(finding.rule.id.into())),
            code_description: Uri::from_str(&finding.rule.docs_url())
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some("acr-lint".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        }
    }

    /// The quick fix that suppresses the finding: on its resource when it has one, else on
    /// the block or template that holds it.
    fn quick_fix(&self, pending: &PendingFix, diagnostic: &Diagnostic) -> Option<CodeAction> {
        let file = pending.file.as_ref();
        let rule = pending.rule;
        let candidate = Candidate::of(&file.path)?;
        let insertion = match candidate {
            Candidate::Terraform | Candidate::TfVars => {
                fix::terraform(&file.text, pending.target, rule)?
            }
            Candidate::TerraformJson => fix::terraform_json(&file.text, &pending.resource, rule)?,
            Candidate::Bicep | Candidate::BicepParams => {
                let parameters = candidate == Candidate::BicepParams;
                fix::bicep(&file.text, pending.target, rule, parameters)?
            }
            Candidate::Json => fix::arm(&file.text, pending.decl, rule)?,
            Candidate::TfVarsJson => return None,
        };
        let position = self.lines(file).position(insertion.offset);
        let edit = TextEdit {
            range: Range::new(position, position),
            new_text: insertion.text,
        };
        let uri = self.uri(&file.path)?;
        let subject = if pending.resource.is_empty() {
            String::new()
        } else {
            format!(" on `{}`", pending.resource)
        };
        Some(CodeAction {
            title: format!("Suppress {rule}{subject} (acr-lint:ignore with a reason)"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri, vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        })
    }

    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        if let Some(only) = &params.context.only
            && !only
                .iter()
                .any(|kind| kind.as_str().is_empty() || *kind == CodeActionKind::QUICKFIX)
        {
            return Vec::new();
        }
        let Some(document) =
            convert::path_of(&params.text_document.uri).and_then(|path| self.documents.get(&path))
        else {
            return Vec::new();
        };
        let mut actions: Vec<CodeAction> = Vec::new();
        for (diagnostic, pending) in &document.published {
            if !overlaps(diagnostic.range, params.range) {
                continue;
            }
            let Some(action) = pending
                .as_ref()
                .and_then(|pending| self.quick_fix(pending, diagnostic))
            else {
                continue;
            };
            if !actions
                .iter()
                .any(|a| a.title == action.title && a.edit == action.edit)
            {
                actions.push(action);
            }
        }
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }

    fn lines<'a>(&self, file: &'a SourceFile) -> Lines<'a> {
        let bom = match self.documents.get(&file.path) {
            Some(document) => document.text.starts_with('\u{feff}'),
            None => starts_with_bom(&file.path),
        };
        Lines { file, bom }
    }

    /// The URI of a file: the client's own for an open document.
    fn uri(&self, path: &Path) -> Option<Uri> {
        match self.documents.get(path) {
            Some(document) => Some(document.uri.clone()),
            None => convert::uri_of(path),
        }
    }

    fn location(&self, scan: &Scan, span: Span) -> Option<Location> {
        let file = scan.sources.get(span.file)?;
        let range = self.lines(file).range(span.start, span.end);
        Some(Location::new(self.uri(&file.path)?, range))
    }
}

fn capabilities() -> InitializeResult {
    InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "acr-lint".into(),
            version: Some(crate::rules::VERSION.into()),
        }),
    }
}

/// Whether the client said it accepts file watchers registered by the server.
fn can_register_file_watchers(initialize: &serde_json::Value) -> bool {
    initialize
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// Whether a scan of one file may read the other with it: they share a directory, or one is a
/// parameters file read with the templates of the directory above its own (see
/// [`crate::source::group_directory`]).
fn read_together(a: &Path, b: &Path) -> bool {
    a.parent() == b.parent()
        || crate::source::group_directory(a) == crate::source::group_directory(b)
}

/// The files a scan read, absolute, with their directories.
fn files_read(scan: &Scan) -> HashSet<PathBuf> {
    let mut read = HashSet::new();
    for file in scan.sources.iter() {
        let path = std::path::absolute(&file.path).unwrap_or_else(|_| file.path.clone());
        let path = crate::source::normalize(&path);
        if let Some(dir) = path.parent() {
            read.insert(dir.to_path_buf());
        }
        read.insert(path);
    }
    read
}

fn parse<T: DeserializeOwned>(params: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|error| format!("invalid parameters: {error}"))
}

fn publish(uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    notify("textDocument/publishDiagnostics", params);
}

/// The path of a document acr-lint reads: Terraform, JSON or Bicep.
fn lintable_path(uri: &Uri) -> Option<PathBuf> {
    convert::path_of(uri)
        .filter(|path| Candidate::of(path).is_some() || crate::discover::is_data_file(path))
}

/// What the quick fix of `finding` needs, sharing one copy of each file among the findings
/// of a check (`files`, by file id); none for a diagnostic about a suppression, which is fixed,
/// not suppressed.
fn pending_fix(
    scan: &Scan,
    finding: &Finding,
    files: &mut HashMap<usize, Arc<SourceFile>>,
) -> Option<PendingFix> {
    if crate::rules::tool::ALL
        .iter()
        .any(|tool| tool.id == finding.rule.id)
    {
        return None;
    }
    let target = suppression_target(scan, finding);
    let file = match files.get(&target.file) {
        Some(file) => Arc::clone(file),
        None => {
            let read = scan.sources.get(target.file)?;
            let copy = SourceFile::new(read.path.clone(), read.name.clone(), read.text.clone());
            Arc::clone(files.entry(target.file).or_insert(Arc::new(copy)))
        }
    };
    Some(PendingFix {
        file,
        target: target.start,
        decl: finding.resource_decl.map(|s| s.start),
        rule: finding.rule.id,
        resource: finding.resource.to_string(),
    })
}

/// Where the quick fix suppresses a finding: at the declaration of its resource, or where its
/// value is written when that is Bicep text for a resource a JSON template declares (a registry
/// module from the restore cache, never to be edited), or else at the finding.
fn suppression_target(scan: &Scan, finding: &Finding) -> Span {
    let primary = finding.primary.span;
    let format = |span: Span| {
        let file = scan.sources.get(span.file)?;
        format_of(&file.path)
    };
    match finding.resource_decl {
        Some(decl)
            if format(primary) == Some(Format::Bicep) && format(decl) == Some(Format::Arm) =>
        {
            primary
        }
        Some(decl) => decl,
        None => primary,
    }
}

fn format_of(path: &Path) -> Option<Format> {
    match Candidate::of(path)? {
        Candidate::Terraform | Candidate::TfVars => Some(Format::Terraform),
        Candidate::Json => Some(Format::Arm),
        Candidate::Bicep | Candidate::BicepParams => Some(Format::Bicep),
        Candidate::TfVarsJson | Candidate::TerraformJson => None,
    }
}

fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn starts_with_bom(path: &Path) -> bool {
    let mut head = [0; 3];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == [0xEF, 0xBB, 0xBF])
}
