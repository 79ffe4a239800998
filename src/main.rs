//! The `secform` command: parse the command line, run the command, exit. The commands are in
//! `cli/` (one file each), the work in the library; this file only ties them together.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    cli::print::defects_in_japanese();
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            cli::print::failure(&failure);
            ExitCode::from(1)
        }
    }
}
