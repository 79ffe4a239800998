//! `secform convert`: an answer set from one shape into another, by the output's extension.

use std::process::ExitCode;

use secform::Error;

use super::args::ConvertArgs;
use super::{input, output, Failure};

pub fn run(args: &ConvertArgs) -> Result<ExitCode, Failure> {
    let (source, target) = (&args.input, &args.output);
    let file = input::read(source)?;
    let value = file.value().map_err(|problems| Error::Decode {
        path: source.clone(),
        source: secform::error::ReadError::Invalid(problems),
    })?;
    if output::is_workbook(target) {
        output::write(target, &output::workbook(&value.to_string(), target)?)?;
    } else {
        let form = secform::FormSpec::get(
            value
                .get("layout")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(secform::spec::DEFAULT_LAYOUT),
        )?;
        let text = secform::export::json::plain_text(&value, form);
        output::write(target, text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}
