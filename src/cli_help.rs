//! The command line in Japanese: clap's help layout and its usage errors, whose built-in wording is
//! English, for users who read the forms' Japanese and not necessarily English.

use std::error::Error as _;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// Help output: clap's layout with Japanese headings (`{all-args}` would print English ones).
const TEMPLATE: &str = "\
{about-with-newline}
使い方: {usage}

{all-args}{after-help}";

/// Exit code of a command line that cannot be used, as clap's own (and most tools') is.
const USAGE_ERROR: u8 = 2;

/// The command line, with `secform help [COMMAND]` read as `secform [COMMAND] --help` (clap's own
/// help subcommand would describe itself in English).
pub fn arguments() -> Vec<std::ffi::OsString> {
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.truncate(3);
        args.push("--help".into());
    }
    args
}

/// `command` with Japanese headings, help flags and value lists, in every subcommand.
pub fn localize(command: Command) -> Command {
    let command = command
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("バージョンを表示する"),
        );
    localize_one(command)
}

fn localize_one(command: Command) -> Command {
    command
        .help_template(TEMPLATE)
        .subcommand_help_heading("コマンド")
        .subcommand_value_name("コマンド")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("この説明を表示する"),
        )
        .mut_args(localize_arg)
        .mut_subcommands(localize_one)
}

/// Puts an argument under a Japanese heading and writes its values and default in Japanese
/// (clap would append "[default: …]" and "[possible values: …]").
fn localize_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        "引数"
    } else {
        "オプション"
    };
    let mut help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if !values.is_empty() && arg.get_action().takes_values() {
        help.push_str("\n  値:");
        let width = values.iter().map(|v| v.get_name().len()).max().unwrap_or(0);
        for v in &values {
            let text = v.get_help().map(|h| h.to_string()).unwrap_or_default();
            help.push_str(&format!("\n    {:width$}  {text}", v.get_name()));
        }
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        help.push_str(&format!("\n  既定: {}", defaults.join(",")));
    }
    let arg = match arg.get_help_heading() {
        Some(_) => arg,
        None => arg.help_heading(heading),
    };
    if arg.get_action().takes_values() {
        arg.help(help)
            .hide_default_value(true)
            .hide_possible_values(true)
    } else {
        arg.help(help)
    }
}

/// What `main` does with a command line clap refused: help and version are printed as asked (exit
/// 0); anything else is explained in Japanese on standard error, with the usage (exit 2).
pub fn report(error: clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let stdout = std::io::stdout();
            let text = styled(&error, stdout.is_terminal());
            let _ = stdout.lock().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let text = styled(&error, std::io::stderr().is_terminal());
            eprint!("エラー: コマンドを指定してください\n\n{text}");
            ExitCode::from(USAGE_ERROR)
        }
        _ => {
            eprintln!("{}", explain(&error));
            ExitCode::from(USAGE_ERROR)
        }
    }
}

/// Help or version text as clap renders it, styled for a terminal or plain, with the usage's
/// `[OPTIONS]` in Japanese.
fn styled(error: &clap::Error, terminal: bool) -> String {
    let rendered = error.render();
    let text = if terminal {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    japanese_usage(&text)
}

/// The one English word clap's usage lines keep.
fn japanese_usage(text: &str) -> String {
    text.replace("[OPTIONS]", "[オプション]")
}

/// The Japanese message for a usage error: the problem, a suggestion when clap has one, the usage
/// line and where to read more.
pub fn explain(error: &clap::Error) -> String {
    let one = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = one(ContextKind::InvalidArg);
    let value = one(ContextKind::InvalidValue);
    let mut lines = vec![match error.kind() {
        ErrorKind::UnknownArgument => format!("エラー: 使えない引数です: {arg}"),
        ErrorKind::InvalidSubcommand => format!(
            "エラー: そのコマンドはありません: {}",
            one(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("エラー: {arg} に値がありません")
        }
        ErrorKind::InvalidValue => format!(
            "エラー: {arg} に '{value}' は使えません（使える値: {}）",
            one(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => {
            let number = error
                .source()
                .is_some_and(|s| s.is::<std::num::ParseIntError>());
            let hint = if number {
                "（1 以上の整数を書いてください）"
            } else {
                ""
            };
            format!("エラー: {arg} の値 '{value}' が正しくありません{hint}")
        }
        ErrorKind::MissingRequiredArgument => format!("エラー: 必要な引数がありません: {arg}"),
        ErrorKind::ArgumentConflict => format!(
            "エラー: {arg} と {} は一緒に使えません",
            one(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals => format!("エラー: {arg} には = で値を付けてください"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("エラー: {arg} の値の数が正しくありません")
        }
        ErrorKind::MissingSubcommand => "エラー: コマンドを指定してください".to_string(),
        // Not reachable from secform's arguments; clap's own words are better than none.
        _ => format!(
            "エラー: コマンドラインを読めません: {}",
            error.kind().as_str().unwrap_or("")
        ),
    }];
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(one)
    .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        lines.push(format!("  {s} のことですか"));
    }
    let usage = one(ContextKind::Usage);
    if let Some(usage) = usage.trim().strip_prefix("Usage:") {
        lines.push(String::new());
        lines.push(format!("使い方: {}", japanese_usage(usage.trim())));
    }
    lines.push(String::new());
    lines.push("詳しくは --help を付けて実行してください".to_string());
    lines.join("\n")
}
