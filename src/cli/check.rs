//! `secform check`: every problem of every answer set given, as text or JSON; exit 1 with errors.
//!
//! A folder is read as `batch` reads it (the same kinds of file, the same junk left out, every
//! file not read reported as a problem of its own), and a batch file (`defaults` + `forms`) or a
//! JSON Lines file is checked entry by entry, each entry named by its position and company.

use std::path::Path;
use std::process::ExitCode;

use secform::batch::Source;
use secform::error::Visible;
use secform::{Error, Problem};

use super::args::{CheckArgs, CheckingArgs, ReportFormat};
use super::print::{self, note};
use super::{input, options, output, Failure};

/// What was checked (a file, or an entry of a folder or batch file) and what was found.
struct Report {
    name: String,
    problems: Vec<Problem>,
}

pub fn run(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let (answers, format, check) = (&args.answers, args.format, &args.check);
    let r = options::renderer(check)?;
    let mut reports = Vec::with_capacity(answers.len());
    // A program reading `--format json` gets JSON whatever went wrong; with several files or
    // entries, one that cannot be read does not stop the others.
    let keep_going = matches!(format, ReportFormat::Json) || answers.len() > 1;
    for answers in answers {
        let checked = check_one(&r, answers, check, &mut reports);
        match checked {
            Ok(()) => {}
            Err(e) if keep_going => reports.push(Report {
                name: answers.clone(),
                problems: vec![Problem::error("$", e.to_string())],
            }),
            Err(e) => return Err(e.into()),
        }
    }
    let text = match (format, reports.as_slice()) {
        (ReportFormat::Json, [one]) if answers.len() == 1 && one.name == answers[0] => {
            json_text(&one.problems)
        }
        (ReportFormat::Json, _) => {
            let files: Vec<_> = reports
                .iter()
                .map(|r| serde_json::json!({ "file": r.name, "problems": r.problems }))
                .collect();
            json_text(&files)
        }
        (ReportFormat::Text, [one]) if answers.len() == 1 && one.name == answers[0] => {
            problem_lines("", &one.problems)
        }
        (ReportFormat::Text, _) => reports
            .iter()
            .map(|r| problem_lines(&format!("{}: ", Visible(&r.name)), &r.problems))
            .collect(),
    };
    output::write(Path::new("-"), text.as_bytes())?;
    let errors = reports
        .iter()
        .flat_map(|r| &r.problems)
        .any(Problem::is_error);
    Ok(if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks `path` (a file, `-`, a folder, a batch file or a JSON Lines file) into `reports`.
fn check_one(
    r: &secform::Renderer,
    path: &str,
    check: &CheckingArgs,
    reports: &mut Vec<Report>,
) -> Result<(), Error> {
    let as_path = Path::new(path);
    let lines_file = as_path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
    if path != "-" && (as_path.is_dir() || lines_file) {
        let source = Source::open(as_path)?;
        let opts = options::check_entries(check, as_path);
        return entries(r, path, source, &opts, reports);
    }
    let file = input::read_within(path, secform::files::Limit::BATCH_FILE)?;
    let opts = options::check(check, path);
    if is_batch_file(&file.json) {
        let source = Source::from_batch_json(&file.json)?;
        return entries(r, path, source, &opts, reports);
    }
    reports.push(Report {
        name: path.to_string(),
        problems: r.assess(file, &opts).problems().to_vec(),
    });
    Ok(())
}

/// A batch file (`{"defaults": …, "forms": […]}`), by its keys: an answer set has neither.
fn is_batch_file(json: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Keys {
        forms: Option<serde::de::IgnoredAny>,
        defaults: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_str::<Keys>(json).is_ok_and(|k| k.forms.is_some() || k.defaults.is_some())
}

/// Checks every entry of `source` (read from `input`), then reports its files not read.
fn entries(
    r: &secform::Renderer,
    input: &str,
    mut source: Source,
    opts: &secform::CheckOptions,
    reports: &mut Vec<Report>,
) -> Result<(), Error> {
    let folder = source.folder_read().is_some();
    for entry in source.by_ref() {
        // A folder's entry by its path; a batch file's by its position and company.
        let name = match (&entry.file, &entry.label) {
            (Some(file), _) if folder => file.display().to_string(),
            (_, Some(label)) => format!("{input} {} 件目（{label}）", entry.position),
            (_, None) => format!("{input} {} 件目", entry.position),
        };
        let mut problems = match entry.value {
            Ok(value) => entry
                .notes
                .into_iter()
                .chain(r.check(&value.to_string(), opts))
                .collect(),
            Err(problems) => problems,
        };
        entry.cells.locate(&mut problems);
        reports.push(Report { name, problems });
    }
    for passed in source.passed_over() {
        note(&format!(
            "{}: {}",
            Visible(&passed.file.display().to_string()),
            passed.reason
        ));
    }
    for unread in source.unread() {
        reports.push(Report {
            name: unread.file.display().to_string(),
            problems: vec![Problem::error("$", unread.reason)],
        });
    }
    Ok(())
}

/// `check`'s text report of one file, each line after `prefix` (the file's name when several).
fn problem_lines(prefix: &str, problems: &[Problem]) -> String {
    if problems.is_empty() {
        return format!("{prefix}問題はありません\n");
    }
    problems
        .iter()
        .map(|p| format!("{prefix}{p}\n"))
        .chain(print::hint(problems).map(|h| format!("{prefix}{h}\n")))
        .collect()
}

fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "[]".into()) + "\n"
}
