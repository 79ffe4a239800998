//! `secform batch --next`: `secform next` for every entity of a batch, one answer set per input
//! (JSON, or with `--format xlsx` the workbook to send to each entity), the file names kept
//! (`01_株式会社A.pdf` → `01_株式会社A.json`). Nothing is rendered, so the entries are simply
//! taken one after another.

use std::collections::HashSet;
use std::path::Path;
use std::process::ExitCode;

use secform::batch::{NameStyle, Namer, Source};
use secform::error::Visible;
use secform::{Error, FormSpec};

use crate::{note, CheckArgs};

/// What `batch --next` writes for each entity.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NextFormat {
    /// 回答セット（JSON）
    Json,
    /// 記入用の Excel ブック（secform init --format xlsx と同じ形）
    Xlsx,
}

impl NextFormat {
    fn extension(self) -> &'static str {
        match self {
            NextFormat::Json => "json",
            NextFormat::Xlsx => "xlsx",
        }
    }
}

/// What `batch --next` is asked.
pub struct NextBatch<'a> {
    pub input: &'a Path,
    pub out_dir: &'a Path,
    pub checked_on: Option<chrono::NaiveDate>,
    pub names: NameStyle,
    pub quiet: bool,
    pub check: &'a CheckArgs,
    pub format: NextFormat,
}

pub fn run(job: NextBatch<'_>, source: Source, base: &str) -> Result<ExitCode, Error> {
    let r = crate::renderer(job.check)?;
    let opts = crate::options(job.check, base);
    let date = job.checked_on.unwrap_or(opts.today);
    if job.input.is_dir() && secform::output::same_file(job.input, job.out_dir) {
        return Err(Error::Usage(format!(
            "{}: 読み込むフォルダと同じフォルダには書き出せません（前回の回答が上書きされます）。--out-dir に別のフォルダを指定してください",
            job.out_dir.display()
        )));
    }
    std::fs::create_dir_all(job.out_dir).map_err(|source| Error::Write {
        path: job.out_dir.display().to_string(),
        source,
    })?;
    let mut namer = Namer::new(job.names, source.len());
    let mut used = HashSet::new();
    let (mut written, mut refused, mut unreadable) = (0, 0, 0);
    let mut source = source;
    for entry in source.by_ref() {
        let at = match &entry.label {
            Some(label) => format!("{} 件目（{}）: ", entry.position, Visible(label)),
            None => format!("{} 件目: ", entry.position),
        };
        let file = entry.file;
        let next = entry
            .value
            .map_err(Error::Invalid)
            .and_then(|value| secform::next::next(&r, &value.to_string(), date, &opts));
        let next = match next {
            Ok(next) => next,
            Err(Error::Invalid(problems)) => {
                unreadable += 1;
                for p in problems {
                    note(&format!("{at}{p}"));
                }
                continue;
            }
            Err(e) => {
                unreadable += 1;
                note(&format!("{at}{e}"));
                continue;
            }
        };
        // The input's own name where it has one; else the name batch gives its PDF.
        let stem = match file.as_deref().and_then(Path::file_stem) {
            Some(stem) => stem.to_string_lossy().into_owned(),
            None => {
                let title = secform::input::answers::parse(&next.json)
                    .ok()
                    .and_then(|a| {
                        let form = FormSpec::get(&a.layout).ok()?;
                        Some(a.company_display(&form.target.subcontractor_suffix))
                    })
                    .unwrap_or_default();
                let pdf = namer.name(entry.position, &title);
                pdf.trim_end_matches(".pdf").to_string()
            }
        };
        // a.json and a.pdf in one folder: the second is a_2.json.
        let ext = job.format.extension();
        let mut name = format!("{stem}.{ext}");
        let mut n = 2;
        while !used.insert(name.to_lowercase()) {
            name = format!("{stem}_{n}.{ext}");
            n += 1;
        }
        let path = job.out_dir.join(&name);
        let bytes = match job.format {
            NextFormat::Json => next.json.into_bytes(),
            NextFormat::Xlsx => match crate::to_xlsx(&next.json, &path) {
                Ok(bytes) => bytes,
                // One entity's workbook that cannot be made is one failure of the batch.
                Err(e) => {
                    unreadable += 1;
                    note(&format!("{at}{e}"));
                    continue;
                }
            },
        };
        secform::output::write_atomic(&path, &bytes)?;
        written += 1;
        for p in &next.problems {
            note(&format!("{at}{p}"));
        }
        if next.problems.iter().any(secform::Problem::is_error) {
            refused += 1;
        }
    }
    let unread = source.unread();
    for line in crate::cli_batch::folder_lines(&unread, source.passed_over()) {
        note(&line);
    }
    unreadable += unread.len();
    if !job.quiet {
        note(&format!(
            "次回の{} {written} 件を {} に書き出しました（確認を通らないもの {refused} 件、読めなかったもの {unreadable} 件）",
            match job.format {
                NextFormat::Json => "回答セット",
                NextFormat::Xlsx => "記入用 Excel ブック",
            },
            job.out_dir.display()
        ));
    }
    Ok(if refused + unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
