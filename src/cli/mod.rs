//! The command line, beside the library that does the work: the arguments (`args`), help and usage
//! errors in Japanese (`help`), one file per command, and the helpers at the edge they share —
//! reading an answer file (`input`), writing an output (`output`), the check's options from the
//! arguments (`options`), printing (`print`), the progress bar (`progress`), the user's settings
//! (`settings`) and the failures of the command line itself (`failure`).

pub mod args;
mod failure;
pub mod help;
mod input;
mod options;
mod output;
pub mod print;
mod progress;
pub mod settings;

mod batch;
mod check;
mod clauses;
mod convert;
mod init;
mod next;
mod render;
mod serve;
mod summary;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

pub use failure::Failure;

use args::{Cli, Command};

/// The command line as given, or the exit code of one that cannot be run: help and version are
/// printed (0), a usage error is explained in Japanese (2).
pub fn parse() -> Result<Cli, ExitCode> {
    let mut command = help::localize(Cli::command());
    let args = help::arguments();
    let cli = command
        .try_get_matches_from_mut(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
        .map_err(|e| help::report(e, &mut command, &args))?;
    match usage_problem(&cli.command) {
        Some((subcommand, problem)) => Err(help::usage_error(&problem, &mut command, subcommand)),
        None => Ok(cli),
    }
}

/// What the command line asks that clap cannot check alone: the subcommand and the problem.
fn usage_problem(command: &Command) -> Option<(&'static str, String)> {
    match command {
        Command::Render(args) => render::usage_problem(args).map(|p| ("render", p)),
        Command::Clauses(args) => clauses::usage_problem(args).map(|p| ("clauses", p)),
        Command::Init(args) => init::usage_problem(args).map(|p| ("init", p)),
        Command::Next(args) => next::usage_problem(args).map(|p| ("next", p)),
        Command::Summary(args) => summary::usage_problem(args).map(|p| ("summary", p)),
        Command::Batch(args) => batch::usage_problem(args).map(|p| ("batch", p)),
        Command::Check(_) | Command::Convert(_) | Command::Serve(_) => None,
    }
}

/// Runs the command; its exit code, or the failure that stopped it (for `main` to say).
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Render(args) => render::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Clauses(args) => clauses::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Next(args) => next::run(&args),
        Command::Summary(args) => summary::run(&args),
        Command::Batch(args) => batch::run(args),
        Command::Serve(args) => serve::run(args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's own consistency checks, on the command line as localized.
    #[test]
    fn the_localized_command_line_is_consistent() {
        help::localize(Cli::command()).debug_assert();
    }
}
