//! The CI formats as their consumers read them: GitHub workflow commands, JUnit XML, GitLab
//! Code Quality JSON and the Markdown report.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn acr_lint() -> Command {
    let mut cmd = Command::cargo_bin("acr-lint").expect("binary built");
    cmd.current_dir(common::repo()).env_remove("NO_COLOR");
    cmd
}

/// Runs acr-lint with `args` in `dir` and returns standard output.
fn stdout_in(dir: &Path, args: &[&str]) -> String {
    let output = acr_lint()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("ran");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

const ADMIN_CASE: &str = "testdata/terraform/acr001/fires-explicit";
const ADMIN_FILE: &str = "testdata/terraform/acr001/fires-explicit/main.tf";
const ADMIN_DOCS: &str = "https://github.com/acr-lint/acr-lint/blob/main/rules/ACR001.md";
/// A finding whose span covers lines 14 to 21.
const MULTILINE_CASE: &str = "testdata/arm/acr410/fires-missing-default-action";

/// Every rule but ACR001, so that each registry below yields exactly one finding.
const ONLY_ACR001: [&str; 2] = [
    "--ignore",
    "ACR002,ACR003,ACR004,ACR005,ACR006,ACR007,ACR008,ACR1,ACR2,ACR3,ACR4,ACR5",
];

fn registry_tf(name: &str, extra: &str) -> String {
    format!(
        r#"resource "azurerm_container_registry" "{name}" {{
  name                = "acr{name}"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = true
{extra}}}
"#
    )
}

/// A directory with `count` registries that enable the admin user, one per file.
fn admin_registries(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for i in 0..count {
        let text = registry_tf(&format!("r{i:02}"), "");
        fs::write(dir.path().join(format!("r{i:02}.tf")), text).expect("file written");
    }
    dir
}

fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, content) in files {
        fs::write(dir.path().join(name), content).expect("file written");
    }
    dir
}

/// An ARM registry whose name carries characters every format must escape.
const AWKWARD_ARM: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "a|b 50%,c:d<e>&'f\"\u0001\r\ng",
      "location": "westeurope",
      "sku": { "name": "Premium" },
      "properties": { "adminUserEnabled": true }
    }
  ]
}
"#;

// ---------------------------------------------------------------- github

#[test]
fn github_annotates_each_finding_most_severe_first() {
    let output = acr_lint()
        .args([ADMIN_CASE, "-f", "github"])
        .output()
        .expect("ran");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 9, "{stdout}");
    assert_eq!(
        lines[0],
        format!(
            "::error file={ADMIN_FILE},line=6,col=25,endLine=6,endColumn=29,\
             title=ACR001 admin-user-enabled::registry `azurerm_container_registry.acr` enables \
             the admin user: a shared username and password with push and pull rights\
             %0Ahelp: set `admin_enabled = false` (or remove it) and grant AcrPull/AcrPush to \
             identities%0Asee: {ADMIN_DOCS}"
        )
    );
    assert!(lines[1].starts_with(&format!(
        "::warning file={ADMIN_FILE},line=1,col=10,endLine=1,endColumn=38,title=ACR003 no-managed-identity::"
    )));
    let rank = |line: &str| {
        ["::error ", "::warning ", "::notice "]
            .iter()
            .position(|p| line.starts_with(p))
            .unwrap_or_else(|| panic!("not an annotation: {line}"))
    };
    let ranks: Vec<usize> = lines.iter().map(|l| rank(l)).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{stdout}");
    assert_eq!(ranks.iter().filter(|&&r| r == 2).count(), 4);
}

#[test]
fn github_gives_columns_only_on_one_line_spans() {
    let stdout = stdout_in(&common::repo(), &[MULTILINE_CASE, "-f", "github"]);
    let line = stdout
        .lines()
        .find(|l| l.contains("title=ACR410"))
        .expect("ACR410 annotation");
    assert!(
        line.starts_with(&format!(
            "::error file={MULTILINE_CASE}/azuredeploy.json,line=14,endLine=21,title=ACR410 invalid-enum-value::"
        )),
        "{line}"
    );
}

#[test]
fn github_escapes_properties_and_data_as_the_toolkit_does() {
    let dir = scratch(&[("x,y:z%.json", AWKWARD_ARM.as_bytes())]);
    let stdout = stdout_in(dir.path(), &["-f", "github"]);
    let line = stdout
        .lines()
        .find(|l| l.contains("title=ACR001"))
        .expect("ACR001 annotation");
    // Properties: % \r \n : , escaped; data: % \r \n, and other control characters as `\u{1}`.
    assert!(
        line.starts_with(
            "::error file=x%2Cy%3Az%25.json,line=11,col=43,endLine=11,endColumn=47,title=ACR001 admin-user-enabled::\
             registry `a|b 50%25,c:d<e>&'f\"\\u{1}%0D%0Ag` enables the admin user"
        ),
        "{line}"
    );
    assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
}

#[test]
fn github_notes_what_it_cannot_annotate() {
    let dir = admin_registries(12);
    let stdout = stdout_in(
        dir.path(),
        &["-f", "github", ONLY_ACR001[0], ONLY_ACR001[1]],
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 13, "{stdout}");
    assert_eq!(
        lines[0],
        "::notice title=acr-lint::2 more findings not shown as annotations (2 errors): GitHub \
         shows 10 errors, 10 warnings and 10 notices per step. Every finding is in this step's \
         log; for all of them in one place, upload SARIF (-f sarif=FILE) to code scanning or \
         write the job summary (-f markdown=$GITHUB_STEP_SUMMARY)."
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error ")).count(),
        12
    );

    let ten = admin_registries(10);
    let stdout = stdout_in(
        ten.path(),
        &["-f", "github", ONLY_ACR001[0], ONLY_ACR001[1]],
    );
    assert_eq!(stdout.lines().count(), 10);
    assert!(!stdout.contains("title=acr-lint::"), "{stdout}");
}

#[test]
fn github_overflow_counts_every_level() {
    // Default rules: each of these registries has 1 error, 4 warnings and 4 notes.
    let dir = admin_registries(11);
    let stdout = stdout_in(dir.path(), &["-f", "github"]);
    let count = |prefix: &str| stdout.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("::error "), 11);
    assert_eq!(count("::warning "), 44);
    assert_eq!(count("::notice "), 44 + 1);
    // 1 error and 34 warnings over 10; the notice itself takes one of the 10 notices.
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with(
            "::notice title=acr-lint::70 more findings not shown as annotations \
             (1 error, 34 warnings, 35 notes)"
        ),
        "{first}"
    );
}

#[test]
fn github_reports_input_errors_as_errors() {
    let dir = scratch(&[(
        "broken.tf",
        b"resource \"azurerm_container_registry\" \"x\" {\n  name = \n",
    )]);
    let output = acr_lint()
        .current_dir(dir.path())
        .args(["-f", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("::error file=broken.tf,line=2,col=10,title=acr-lint input error::"),
        "{stdout}"
    );
}

// ---------------------------------------------------------------- junit

#[test]
fn junit_has_one_failing_testcase_per_finding() {
    let stdout = stdout_in(&common::repo(), &[ADMIN_CASE, "-f", "junit"]);
    assert!(stdout.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    let root = xml::parse(&stdout).unwrap_or_else(|e| panic!("{e}\n{stdout}"));
    assert_eq!(root.name, "testsuites");
    let suite = root.only("testsuite");
    assert_eq!(suite.attr("name"), "acr-lint");
    assert_eq!(suite.attr("tests"), "9");
    assert_eq!(suite.attr("failures"), "9");
    assert_eq!(suite.attr("errors"), "0");
    assert_eq!(root.attr("tests"), "9");
    let cases = suite.all("testcase");
    assert_eq!(cases.len(), 9);
    let admin = cases
        .iter()
        .find(|c| c.attr("name") == "ACR001 admin-user-enabled at 6:25")
        .expect("ACR001 test case");
    assert_eq!(admin.attr("classname"), ADMIN_FILE);
    let failure = admin.only("failure");
    assert_eq!(failure.attr("type"), "ACR001");
    assert_eq!(
        failure.attr("message"),
        "registry `azurerm_container_registry.acr` enables the admin user: a shared username and password with push and pull rights"
    );
    let body: Vec<&str> = failure.text.lines().collect();
    assert_eq!(
        body,
        [
            "error[ACR001]: registry `azurerm_container_registry.acr` enables the admin user: a shared username and password with push and pull rights",
            &format!("file: {ADMIN_FILE}"),
            "line: 6",
            "column: 25",
            "resource: azurerm_container_registry.acr",
            "help: set `admin_enabled = false` (or remove it) and grant AcrPull/AcrPush to identities",
            &format!("docs: {ADMIN_DOCS}"),
        ]
    );
}

#[test]
fn junit_escapes_markup_and_drops_characters_xml_forbids() {
    let dir = scratch(&[("a&b<'\"\u{1}.json", AWKWARD_ARM.as_bytes())]);
    let stdout = stdout_in(dir.path(), &["-f", "junit"]);
    let root = xml::parse(&stdout).unwrap_or_else(|e| panic!("{e}\n{stdout}"));
    assert!(
        stdout.contains(r#"classname="a&amp;b&lt;&apos;&quot;.json""#),
        "{stdout}"
    );
    let cases = root.only("testsuite").all("testcase");
    let admin = cases
        .iter()
        .find(|c| c.attr("name").starts_with("ACR001 "))
        .expect("ACR001 test case");
    assert_eq!(admin.attr("classname"), "a&b<'\".json");
    // The line break in the name survives in the attribute; U+0001 does not.
    assert_eq!(
        admin.only("failure").attr("message"),
        "registry `a|b 50%,c:d<e>&'f\"\r\ng` enables the admin user: a shared username and password with push and pull rights"
    );
}

#[test]
fn junit_passes_a_clean_scan_and_errors_on_unreadable_input() {
    let clean = scratch(&[("main.tf", b"# nothing here\n")]);
    let stdout = stdout_in(clean.path(), &["-f", "junit"]);
    let root = xml::parse(&stdout).unwrap();
    let suite = root.only("testsuite");
    assert_eq!(
        (
            suite.attr("tests"),
            suite.attr("failures"),
            suite.attr("errors")
        ),
        ("1", "0", "0")
    );
    let case = suite.only("testcase");
    assert_eq!(case.attr("name"), "no problems found");
    assert!(case.children.is_empty());

    let broken = scratch(&[("broken.tf", b"resource {")]);
    let stdout = stdout_in(broken.path(), &["-f", "junit"]);
    let root = xml::parse(&stdout).unwrap();
    let suite = root.only("testsuite");
    assert_eq!(
        (
            suite.attr("tests"),
            suite.attr("failures"),
            suite.attr("errors")
        ),
        ("1", "0", "1")
    );
    let case = suite.only("testcase");
    assert_eq!(case.attr("classname"), "broken.tf");
    assert!(case.attr("name").starts_with("input error at 1:"));
    assert_eq!(case.only("error").attr("type"), "input-error");
}

// ---------------------------------------------------------------- gitlab

fn gitlab(dir: &Path, args: &[&str]) -> Vec<Value> {
    let stdout = stdout_in(dir, &[args, &["-f", "gitlab"]].concat());
    let doc: Value = serde_json::from_str(&stdout).expect("Code Quality report is JSON");
    doc.as_array().expect("an array of issues").clone()
}

#[test]
fn gitlab_issues_follow_the_code_quality_schema() {
    let issues = gitlab(&common::repo(), &[ADMIN_CASE]);
    assert_eq!(issues.len(), 9);
    for issue in &issues {
        for field in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[field].is_string(), "{field} in {issue}");
        }
        assert!(["critical", "major", "minor"].contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].is_u64());
    }
    let admin = issues
        .iter()
        .find(|i| i["check_name"] == "ACR001")
        .expect("ACR001 issue");
    assert_eq!(admin["severity"], "critical");
    assert_eq!(admin["location"]["path"], ADMIN_FILE);
    assert_eq!(admin["location"]["lines"]["begin"], 6);
    assert_eq!(admin["location"]["lines"]["end"], 6);
    assert!(
        admin["description"]
            .as_str()
            .unwrap()
            .starts_with("registry `azurerm_container_registry.acr` enables the admin user")
    );
    let severity =
        |rule: &str| issues.iter().find(|i| i["check_name"] == rule).unwrap()["severity"].clone();
    assert_eq!(severity("ACR003"), "major");
    assert_eq!(severity("ACR105"), "minor");
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
}

#[test]
fn gitlab_fingerprints_ignore_line_numbers_and_match_sarif() {
    let original = registry_tf("acr", "");
    let moved = format!("\n\n\n\n\n# moved down\n{original}");
    let admin = |text: &str| {
        let dir = scratch(&[("main.tf", text.as_bytes())]);
        let issue = gitlab(dir.path(), &[])
            .into_iter()
            .find(|i| i["check_name"] == "ACR001")
            .expect("ACR001 issue");
        let sarif: Value =
            serde_json::from_str(&stdout_in(dir.path(), &["-f", "sarif"])).expect("SARIF");
        let result = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "ACR001")
            .unwrap()
            .clone();
        assert_eq!(
            issue["fingerprint"],
            result["partialFingerprints"]["acrLintFinding/v1"]
        );
        (
            issue["fingerprint"].clone(),
            issue["location"]["lines"]["begin"].clone(),
        )
    };
    let (before, line_before) = admin(&original);
    let (after, line_after) = admin(&moved);
    assert_eq!(before, after);
    assert_eq!((line_before, line_after), (6.into(), 12.into()));
}

#[test]
fn gitlab_reports_input_errors() {
    let dir = scratch(&[("broken.tf", b"resource {")]);
    let issues = gitlab(dir.path(), &[]);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["check_name"], "acr-lint/input-error");
    assert_eq!(issues[0]["severity"], "critical");
    assert_eq!(issues[0]["location"]["path"], "broken.tf");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 1);
}

// ---------------------------------------------------------------- markdown

#[test]
fn markdown_has_a_summary_and_a_table_per_file() {
    let stdout = stdout_in(&common::repo(), &[ADMIN_CASE, "-f", "markdown"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "## acr-lint");
    assert_eq!(
        lines[2],
        "1 error, 4 warnings, 4 notes in 1 file (1 registry); 3 not applicable, 0 unknown."
    );
    assert_eq!(lines[4], format!("### `{ADMIN_FILE}`"));
    assert_eq!(lines[6], "| level | rule | line:col | message |");
    assert_eq!(lines[7], "|---|---|---|---|");
    assert!(
        lines.contains(
            &format!(
                "| error | [ACR001]({ADMIN_DOCS} \"admin-user-enabled\") | 6:25 | registry \
         `azurerm_container_registry.acr` enables the admin user: a shared username and \
         password with push and pull rights |"
            )
            .as_str()
        )
    );
    assert_eq!(lines.iter().filter(|l| l.starts_with("| ")).count(), 10);
    assert!(!stdout.contains("No problems found"));
}

#[test]
fn markdown_groups_by_file() {
    let dir = admin_registries(3);
    let stdout = stdout_in(
        dir.path(),
        &["-f", "markdown", ONLY_ACR001[0], ONLY_ACR001[1]],
    );
    let headings: Vec<&str> = stdout.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(headings, ["### `r00.tf`", "### `r01.tf`", "### `r02.tf`"]);
    assert!(stdout.contains("\n3 errors, 0 warnings, 0 notes in 3 files (3 registries);"));
}

#[test]
fn markdown_escapes_pipes_and_line_breaks_in_cells() {
    let dir = scratch(&[("t.json", AWKWARD_ARM.as_bytes())]);
    let stdout = stdout_in(dir.path(), &["-f", "markdown"]);
    let row = stdout
        .lines()
        .find(|l| l.contains("[ACR001]"))
        .expect("ACR001 row");
    assert!(
        row.ends_with(
            "| 11:43 | registry `a\\|b 50%,c:d<e>&'f\"\\u{1}<br>g` enables the admin user: a shared \
             username and password with push and pull rights |"
        ),
        "{row}"
    );
    // Four cells: five unescaped pipes.
    let unescaped = row
        .match_indices('|')
        .filter(|(i, _)| !row[..*i].ends_with('\\'))
        .count();
    assert_eq!(unescaped, 5, "{row}");
}

#[test]
fn markdown_says_when_clean_and_lists_input_errors() {
    let clean = scratch(&[("main.tf", b"# nothing here\n")]);
    let stdout = stdout_in(clean.path(), &["-f", "markdown"]);
    assert_eq!(
        stdout,
        "## acr-lint\n\n0 errors, 0 warnings, 0 notes in 1 file (0 registries); 0 not applicable, 0 unknown.\n\nNo problems found.\n"
    );

    let broken = scratch(&[("broken.tf", b"resource {")]);
    let stdout = stdout_in(broken.path(), &["-f", "markdown"]);
    assert!(
        stdout.starts_with(
            "## acr-lint\n\n**1 input could not be read** and was not checked (listed at the end).\n\n\
             0 errors, 0 warnings, 0 notes in 0 files"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("\nNo file was checked.\n"), "{stdout}");
    assert!(
        stdout
            .contains("<details>\n<summary>1 input could not be read</summary>\n\n- `broken.tf:1:"),
        "{stdout}"
    );
    assert!(stdout.ends_with("\n\n</details>\n"), "{stdout}");
    let empty = scratch(&[("README.md", b"# docs\n")]);
    let stdout = stdout_in(empty.path(), &["-f", "markdown"]);
    assert!(
        stdout.contains(
            "No files checked: the paths hold none of the files acr-lint reads: Terraform (`.tf`"
        ),
        "{stdout}"
    );
}

// ---------------------------------------------------------------- together

#[test]
fn sarif_github_and_markdown_from_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("a.sarif");
    let summary = dir.path().join("summary.md");
    let output = acr_lint()
        .arg(ADMIN_CASE)
        .arg("-f")
        .arg(format!("sarif={}", sarif.display()))
        .args(["-f", "github", "-f"])
        .arg(format!("markdown={}", summary.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 9);
    assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
    let sarif: Value = serde_json::from_str(&fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 9);
    let summary = fs::read_to_string(summary).unwrap();
    assert!(summary.starts_with("## acr-lint\n"));
    assert!(summary.contains("[ACR001]"));
}

#[test]
fn help_lists_every_format() {
    let output = acr_lint().arg("--help").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains(
            "pretty, concise, json, sarif, github, junit, gitlab, markdown, azure-devops"
        ),
        "{help}"
    );
    for format in acr_lint::report::Format::ALL {
        assert_eq!(
            acr_lint::report::Format::parse(format.name()),
            Some(*format)
        );
    }
}

#[test]
fn the_xml_check_rejects_what_is_not_well_formed() {
    assert!(xml::parse(r#"<a x="1"><b/>t &amp; &#10;</a>"#).is_ok());
    for bad in [
        "<a>&</a>",
        "<a>&nbsp;</a>",
        "<a><b></a>",
        r#"<a x="<"/>"#,
        r#"<a x="1" x="2"/>"#,
        "<a>\u{1}</a>",
        "<a>&#1;</a>",
        "<a/><b/>",
        "<a>",
    ] {
        assert!(xml::parse(bad).is_err(), "{bad}");
    }
}

/// Just enough of an XML 1.0 parser to prove the JUnit output well-formed and read it back:
/// elements, attributes, character data and references; nothing the report does not emit.
mod xml {
    #[derive(Debug)]
    pub struct Element {
        pub name: String,
        pub attributes: Vec<(String, String)>,
        pub children: Vec<Element>,
        pub text: String,
    }

    impl Element {
        pub fn attr(&self, name: &str) -> &str {
            self.attributes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
        }

        pub fn all(&self, name: &str) -> Vec<&Element> {
            self.children.iter().filter(|c| c.name == name).collect()
        }

        pub fn only(&self, name: &str) -> &Element {
            let found = self.all(name);
            assert_eq!(found.len(), 1, "<{}> children named {name}", self.name);
            found[0]
        }
    }

    pub fn parse(text: &str) -> Result<Element, String> {
        if let Some(bad) = text.chars().find(|&c| !is_xml_char(c)) {
            return Err(format!(
                "character U+{:04X} is not allowed in XML",
                bad as u32
            ));
        }
        let mut parser = Parser { rest: text };
        if parser.rest.starts_with("<?xml") {
            let end = parser.rest.find("?>").ok_or("unterminated declaration")?;
            parser.rest = &parser.rest[end + 2..];
        }
        parser.skip_space();
        let root = parser.element()?;
        parser.skip_space();
        if !parser.rest.is_empty() {
            return Err(format!("content after the root element: {:?}", parser.rest));
        }
        Ok(root)
    }

    fn is_xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }

    struct Parser<'a> {
        rest: &'a str,
    }

    impl<'a> Parser<'a> {
        fn skip_space(&mut self) {
            self.rest = self.rest.trim_start_matches([' ', '\t', '\r', '\n']);
        }

        fn eat(&mut self, token: &str) -> Result<(), String> {
            match self.rest.strip_prefix(token) {
                Some(rest) => {
                    self.rest = rest;
                    Ok(())
                }
                None => Err(format!("expected {token:?} at {:?}", head(self.rest))),
            }
        }

        fn name(&mut self) -> Result<&'a str, String> {
            let end = self
                .rest
                .find(|c: char| !(c.is_alphanumeric() || "_-.:".contains(c)))
                .unwrap_or(self.rest.len());
            if end == 0 {
                return Err(format!("expected a name at {:?}", head(self.rest)));
            }
            let (name, rest) = self.rest.split_at(end);
            self.rest = rest;
            Ok(name)
        }

        fn element(&mut self) -> Result<Element, String> {
            self.eat("<")?;
            let name = self.name()?.to_string();
            let mut element = Element {
                name,
                attributes: Vec::new(),
                children: Vec::new(),
                text: String::new(),
            };
            loop {
                self.skip_space();
                if self.rest.starts_with("/>") {
                    self.rest = &self.rest[2..];
                    return Ok(element);
                }
                if self.rest.starts_with('>') {
                    self.rest = &self.rest[1..];
                    break;
                }
                let attribute = self.name()?.to_string();
                self.eat("=")?;
                let quote = if self.rest.starts_with('"') {
                    "\""
                } else {
                    "'"
                };
                self.eat(quote)?;
                let end = self.rest.find(quote).ok_or("unterminated attribute")?;
                let raw = &self.rest[..end];
                if raw.contains('<') {
                    return Err(format!("`<` in attribute {attribute}"));
                }
                if element.attributes.iter().any(|(n, _)| *n == attribute) {
                    return Err(format!("duplicate attribute {attribute}"));
                }
                element.attributes.push((attribute, unescape(raw)?));
                self.rest = &self.rest[end + 1..];
            }
            loop {
                let end = self.rest.find('<').ok_or("unterminated element")?;
                let raw = &self.rest[..end];
                if raw.contains("]]>") {
                    return Err("`]]>` in character data".into());
                }
                element.text.push_str(&unescape(raw)?);
                self.rest = &self.rest[end..];
                if self.rest.starts_with("</") {
                    self.rest = &self.rest[2..];
                    let closing = self.name()?;
                    if closing != element.name {
                        return Err(format!("</{closing}> closes <{}>", element.name));
                    }
                    self.skip_space();
                    self.eat(">")?;
                    return Ok(element);
                }
                if self.rest.starts_with("<!") || self.rest.starts_with("<?") {
                    return Err(
                        "comments, CDATA and processing instructions are not expected".into(),
                    );
                }
                element.children.push(self.element()?);
            }
        }
    }

    /// Character data with references resolved; a bare `&` is an error.
    fn unescape(raw: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = raw;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            let end = rest[at..].find(';').ok_or("`&` without `;`")? + at;
            let entity = &rest[at + 1..end];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let code = if let Some(hex) = entity.strip_prefix("#x") {
                        u32::from_str_radix(hex, 16)
                    } else if let Some(decimal) = entity.strip_prefix('#') {
                        decimal.parse()
                    } else {
                        return Err(format!("unknown entity &{entity};"));
                    };
                    let c = code
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or(format!("bad reference &{entity};"))?;
                    if !is_xml_char(c) {
                        return Err(format!("reference to a forbidden character &{entity};"));
                    }
                    c
                }
            };
            out.push(c);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn head(text: &str) -> String {
        text.chars().take(30).collect()
    }
}

/// A checkout written by hand: `.git` with a branch, its commit and an `origin` remote.
fn checkout_with_registry() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let git = dir.path().join(".git");
    fs::create_dir_all(git.join("refs/heads")).expect("git directory");
    fs::write(git.join("HEAD"), "ref: refs/heads/main\n").expect("HEAD");
    fs::write(git.join("refs/heads/main"), format!("{COMMIT}\n")).expect("ref");
    fs::write(
        git.join("config"),
        "[remote \"origin\"]\n\turl = https://token@github.com/contoso/infra.git\n",
    )
    .expect("config");
    fs::create_dir_all(dir.path().join("infra/acr")).expect("infra");
    fs::write(
        dir.path().join("infra/acr/main.tf"),
        registry_tf("main", ""),
    )
    .expect("main.tf");
    dir
}

const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

fn sarif_in(cwd: &Path, path: &str) -> Value {
    let output = acr_lint()
        .current_dir(cwd)
        .env_remove("TF_BUILD")
        .env_remove("ACR_LINT_SARIF_CATEGORY")
        .args([path, "-f", "sarif"])
        .output()
        .expect("ran");
    serde_json::from_slice(&output.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_uris_are_relative_to_the_checkout_from_anywhere() {
    let repo = checkout_with_registry();
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    let absolute = repo.path().join("infra").to_string_lossy().into_owned();
    for (cwd, path) in [
        (elsewhere.path(), absolute.as_str()),
        (repo.path(), "infra"),
        (&repo.path().join("infra/acr"), "."),
        (&repo.path().join("infra/acr"), "../acr/main.tf"),
    ] {
        let sarif = sarif_in(cwd, path);
        let run = &sarif["runs"][0];
        let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(location["uri"], "infra/acr/main.tf", "{path} from {cwd:?}");
        assert_eq!(location["uriBaseId"], "%SRCROOT%");
        let provenance = &run["versionControlProvenance"][0];
        assert_eq!(
            provenance["repositoryUri"],
            "https://github.com/contoso/infra"
        );
        assert_eq!(provenance["revisionId"], COMMIT);
        assert_eq!(provenance["branch"], "refs/heads/main");
        assert_eq!(run["automationDetails"]["id"], "acr-lint/");
        let driver = &run["tool"]["driver"];
        assert!(
            driver["fullName"]
                .as_str()
                .unwrap()
                .starts_with("acr-lint ")
        );
        assert_eq!(driver["rules"][0]["id"], "ACR001");
        assert_eq!(driver["rules"][0]["name"], "AdminUserEnabled");
    }
}

#[test]
fn sarif_outside_a_checkout_is_relative_to_the_working_directory() {
    let dir = admin_registries(1);
    let sarif = sarif_in(dir.path(), ".");
    let run = &sarif["runs"][0];
    let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "r00.tf");
    assert!(
        run.get("versionControlProvenance").is_none()
            || run["versionControlProvenance"] == serde_json::json!([])
    );
}

#[test]
fn sarif_locates_input_errors_in_files_no_result_points_into() {
    let dir = admin_registries(1);
    fs::create_dir(dir.path().join("sub")).expect("directory");
    fs::write(
        dir.path().join("sub/broken.tf"),
        "resource \"a\" \"b\" {\n  x = \n",
    )
    .expect("broken.tf");
    let sarif = sarif_in(dir.path(), ".");
    let run = &sarif["runs"][0];
    let result = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(result["uri"], "r00.tf");
    let notifications = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notifications.len(), 1, "{notifications:?}");
    let physical = &notifications[0]["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "sub/broken.tf");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(physical["region"]["startLine"], 2);
}

#[test]
fn azure_devops_logs_one_issue_per_finding() {
    let stdout = stdout_in(&common::repo(), &[ADMIN_CASE, "-f", "azure-devops"]);
    let first = stdout
        .lines()
        .find(|line| line.contains("code=ACR001;"))
        .expect("ACR001 issue");
    assert!(
        first.starts_with(&format!(
            "##vso[task.logissue type=error;sourcepath={ADMIN_FILE};linenumber="
        )),
        "{first}"
    );
    assert!(first.contains("%0Asee: "), "{first}");
    assert!(
        stdout
            .lines()
            .all(|line| line.starts_with("##vso[task.logissue type="))
    );
}

#[test]
fn azure_devops_shows_notes_as_warnings_only_when_they_block() {
    let issue = |fail_on: &str| {
        let stdout = stdout_in(
            &common::repo(),
            &[NOTE_CASE, "-f", "azure-devops", "--fail-on", fail_on],
        );
        stdout
            .lines()
            .find(|line| line.contains("code=ACR004;"))
            .map(str::to_string)
    };
    assert_eq!(issue("error"), None);
    let shown = issue("note").expect("ACR004 shown when notes block");
    assert!(
        shown.starts_with("##vso[task.logissue type=warning;"),
        "{shown}"
    );
}

/// A registry with the note-level ACR004 finding.
const NOTE_CASE: &str = "testdata/arm/acr001/coalesce-try-get";

#[test]
fn pretty_summary_says_first_what_could_not_be_read_and_plainly_when_nothing_was_checked() {
    let broken = scratch(&[("broken.tf", b"resource {")]);
    let stdout = stdout_in(broken.path(), &[]);
    assert_eq!(
        stdout,
        "1 input could not be read (errors above), so no file was checked.\n"
    );
    let mixed = scratch(&[("broken.tf", b"resource {")]);
    fs::create_dir(mixed.path().join("ok")).expect("directory");
    fs::write(mixed.path().join("ok/main.tf"), "variable \"x\" {}\n").expect("written");
    let stdout = stdout_in(mixed.path(), &[]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "1 input could not be read (errors above) and was not checked; the results below cover the rest."
    );
    assert!(
        lines[1].starts_with("No problems found in 1 file (0 registries)"),
        "{stdout}"
    );
    let empty = scratch(&[("notes.txt", b"nothing\n"), ("package.json", b"{}")]);
    let stdout = stdout_in(empty.path(), &[]);
    assert!(
        stdout.starts_with("No files checked: the paths hold none of the files acr-lint reads: Terraform (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`)"),
        "{stdout}"
    );
}

/// Literal secrets in a webhook URI, a webhook header and a task token.
const SECRETS_CASE: &str = "testdata/terraform/acr502/fires-uri-header-and-token";

#[test]
fn no_format_prints_a_literal_secret_that_a_rule_reports() {
    let dir = common::repo().join(SECRETS_CASE);
    let secrets = [
        "Sup3rS3cretPassw0rd",
        "tok3n-abcdefghijklmnop",
        "0123456789abcdefghijklmnopqrstuvwxyz",
    ];
    for format in acr_lint::report::Format::ALL.iter().map(|f| f.name()) {
        let stdout = stdout_in(&dir, &["-f", format, "--fail-on", "never"]);
        assert!(stdout.contains("ACR502"), "{format}: {stdout}");
        for secret in secrets {
            assert!(
                !stdout.contains(secret),
                "{format} prints {secret}:\n{stdout}"
            );
        }
    }
    let pretty = stdout_in(&dir, &["--select", "ACR502"]);
    assert!(
        pretty.contains(r#"context_access_token = "ghp*************************************""#),
        "{pretty}"
    );
    assert!(pretty.contains(r#"service_uri         = "htt"#), "{pretty}");
}

/// A scan that finds nothing to check says so, naming every kind of file it reads (Bicep
/// too), in each human format: on standard output where the report has a summary, on
/// standard error where it has one line per finding or is made for a tool.
#[test]
fn an_empty_scan_names_the_kinds_it_looked_for_in_every_human_format() {
    let empty = scratch(&[("README.md", b"# docs\n"), ("package.json", b"{}")]);
    let kinds = "Terraform (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`), ARM templates, \
                 parameters files and Terraform plans (`.json`, `.jsonc`), and Bicep (`.bicep`, `.bicepparam`)";
    for format in [
        "pretty",
        "concise",
        "markdown",
        "github",
        "azure-devops",
        "json",
    ] {
        let output = acr_lint()
            .current_dir(empty.path())
            .args(["-f", format])
            .output()
            .expect("ran");
        assert_eq!(output.status.code(), Some(0), "{format}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let said = if matches!(format, "pretty" | "markdown") {
            assert!(stderr.is_empty(), "{format}: {stderr}");
            &stdout
        } else {
            &stderr
        };
        assert!(
            said.contains("o files checked: the paths hold none of the files acr-lint reads: ")
                && said.contains(kinds),
            "{format}:\n{stdout}\n{stderr}"
        );
        assert!(!stdout.contains("No problems"), "{format}: {stdout}");
    }
}
