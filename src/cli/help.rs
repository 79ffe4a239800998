//! The command line in Japanese: clap's help layout and its usage errors, whose built-in wording is
//! English, for users who read the forms' Japanese and not necessarily English.

use std::error::Error as _;
use std::ffi::OsString;
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
pub fn arguments() -> Vec<OsString> {
    let mut args: Vec<_> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        // `help CMD` and nothing after; `help help` is help on the whole command.
        args.truncate(2);
        if args.get(1).is_some_and(|a| a == "help") {
            args.truncate(1);
        }
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
    let described = values.iter().any(|v| v.get_help().is_some());
    let named_in_help = values.iter().all(|v| help.contains(v.get_name()));
    if !arg.get_action().takes_values() || values.is_empty() || (!described && named_in_help) {
        // Nothing to list, or the sentence already names every value.
    } else if described {
        help.push_str("\n  値:");
        let width = values.iter().map(|v| v.get_name().len()).max().unwrap_or(0);
        for v in &values {
            match v.get_help() {
                Some(text) => help.push_str(&format!("\n    {:width$}  {text}", v.get_name())),
                None => help.push_str(&format!("\n    {}", v.get_name())),
            }
        }
    } else {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        help.push_str(&format!("\n  値: {}", names.join("、")));
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
/// `command` is the localized command that refused `args`.
pub fn report(error: clap::Error, command: &mut Command, args: &[OsString]) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let stdout = std::io::stdout();
            let text = styled(&error, stdout.is_terminal());
            let mut out = stdout.lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    let failure = secform::Error::Write {
                        path: "-".into(),
                        source: e,
                    };
                    super::print::note(&failure.to_string());
                    ExitCode::from(1)
                }
            }
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let text = styled(&error, std::io::stderr().is_terminal());
            super::print::note(&format!(
                "エラー: コマンドを指定してください\n\n{}",
                text.trim_end()
            ));
            ExitCode::from(USAGE_ERROR)
        }
        _ => {
            let usage = match error.get(ContextKind::Usage) {
                Some(ContextValue::StyledStr(usage)) => usage.to_string(),
                _ => usage_of(command, subcommand_in(command, args)),
            };
            super::print::note(&message(&explain(&error, command, args), &usage));
            ExitCode::from(USAGE_ERROR)
        }
    }
}

/// A problem with the command line that only secform can see (two options that do not go
/// together), reported as clap's are.
pub fn usage_error(problem: &str, command: &mut Command, subcommand: &str) -> ExitCode {
    let usage = usage_of(command, Some(subcommand.to_string()));
    super::print::note(&message(&format!("エラー: {problem}"), &usage));
    ExitCode::from(USAGE_ERROR)
}

/// The first argument that names a subcommand, if any.
fn subcommand_in(command: &Command, args: &[OsString]) -> Option<String> {
    args.iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| command.find_subcommand(a).is_some())
        .map(str::to_string)
}

/// The usage line of `subcommand` (or of the whole command), as clap writes it.
fn usage_of(command: &mut Command, subcommand: Option<String>) -> String {
    let target = match subcommand {
        Some(name) => command.find_subcommand_mut(name),
        None => None,
    };
    match target {
        Some(sub) => sub.render_usage().to_string(),
        None => command.render_usage().to_string(),
    }
}

/// The problem, the usage line and where to read more.
fn message(problem: &str, usage: &str) -> String {
    let mut lines = vec![problem.to_string()];
    if let Some(usage) = usage.trim().strip_prefix("Usage:") {
        lines.push(String::new());
        lines.push(format!("使い方: {}", japanese_usage(usage.trim())));
    }
    lines.push(String::new());
    lines.push("詳しくは --help を付けて実行してください".to_string());
    lines.join("\n")
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

/// Whether `arg` is the option `flag` (`--quiet`, `-j`).
fn is_option(arg: &Arg, flag: &str) -> bool {
    if arg.is_positional() {
        return false;
    }
    if let Some(long) = flag.strip_prefix("--") {
        return arg.get_long() == Some(long);
    }
    let mut short = flag.strip_prefix('-').unwrap_or("").chars();
    match (short.next(), short.next()) {
        (Some(c), None) => arg.get_short() == Some(c),
        _ => false,
    }
}

/// The subcommands that have the option `flag`, in the order the help lists them.
fn owners<'c>(command: &'c Command, flag: &str) -> Vec<&'c str> {
    command
        .get_subcommands()
        .filter(|c| c.get_arguments().any(|a| is_option(a, flag)))
        .map(Command::get_name)
        .collect()
}

/// Whether the option `flag` (of the command or a subcommand) takes no value.
fn takes_no_value(command: &Command, flag: &str) -> bool {
    std::iter::once(command)
        .chain(command.get_subcommands())
        .flat_map(Command::get_arguments)
        .find(|a| is_option(a, flag))
        .is_some_and(|a| !a.get_action().takes_values())
}

/// The subcommand that `flag` was written after on the command line, if any.
fn written_after(command: &Command, args: &[OsString], flag: &str) -> Option<String> {
    let text = |a: &OsString| a.to_str().map(str::to_string);
    let at_flag = args
        .iter()
        .position(|a| text(a).is_some_and(|a| a == flag || a.starts_with(&format!("{flag}="))))?;
    args.iter()
        .take(at_flag)
        .skip(1)
        .filter_map(text)
        .find(|a| command.find_subcommand(a).is_some())
}

/// The Japanese sentence for a usage error, with clap's suggestion when it has one.
///
/// Long on purpose: one arm per clap error kind, a table kept whole so that every wording of the
/// command line's errors is read (and reviewed) in one place.
fn explain(error: &clap::Error, command: &Command, args: &[OsString]) -> String {
    let one = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = one(ContextKind::InvalidArg);
    let value = one(ContextKind::InvalidValue);
    let flag = arg.split([' ', '=']).next().unwrap_or(&arg).to_string();
    let owners = owners(command, &flag);
    let after = written_after(command, args, &flag);
    let mut lines = vec![match error.kind() {
        ErrorKind::UnknownArgument if !owners.is_empty() => match after.as_deref() {
            // Written before the command's name, where only --help and --version go: the
            // command named later on the line if it has the option, else the first that does.
            None => {
                let named = subcommand_in(command, args).filter(|c| owners.contains(&c.as_str()));
                let owner = named.as_deref().unwrap_or(owners[0]);
                format!(
                    "エラー: {arg} は {} のオプションです。コマンド名のあとに書いてください（secform {owner} {arg} …）",
                    owners.join("、")
                )
            }
            Some(current) => format!(
                "エラー: {arg} は {} のオプションで、{current} にはありません",
                owners.join("、")
            ),
        },
        ErrorKind::UnknownArgument if command.find_subcommand(&arg).is_some() => {
            format!("エラー: コマンド名 {arg} の前の -- を取ってください")
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') && arg.len() > 1 => format!(
            "エラー: 使えない引数です: {arg}（「-」で始まるファイル名なら、前に「-- 」を置くか ./ を付けてください）"
        ),
        ErrorKind::UnknownArgument => format!("エラー: 使えない引数です: {arg}"),
        ErrorKind::InvalidSubcommand => format!(
            "エラー: そのコマンドはありません: {}",
            one(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue if value.is_empty() => match one(ContextKind::ValidValue) {
            valid if valid.is_empty() => format!("エラー: {arg} に値がありません"),
            valid => format!("エラー: {arg} に値がありません（使える値: {valid}）"),
        },
        ErrorKind::InvalidValue => format!(
            "エラー: {arg} に '{value}' は使えません（使える値: {}）",
            one(ContextKind::ValidValue)
        ),
        // secform's own value parsers name the option themselves.
        ErrorKind::ValueValidation
            if error
                .source()
                .is_some_and(|s| s.to_string().starts_with(&format!("{flag}:"))) =>
        {
            format!("エラー: {}", error.source().map(|s| s.to_string()).unwrap_or_default())
        }
        ErrorKind::ValueValidation => {
            let why = match error.source() {
                Some(s) if s.is::<std::num::ParseIntError>() => {
                    "1 以上の整数を書いてください".to_string()
                }
                Some(s) => s.to_string(),
                None => String::new(),
            };
            let why = if why.is_empty() { why } else { format!("（{why}）") };
            format!("エラー: {arg} の値 '{value}' が正しくありません{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("エラー: 必要な引数がありません: {arg}"),
        ErrorKind::ArgumentConflict if one(ContextKind::PriorArg) == arg => {
            format!("エラー: {flag} は1回だけ指定してください")
        }
        ErrorKind::ArgumentConflict => format!(
            "エラー: {arg} と {} は一緒に使えません",
            one(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals => format!("エラー: {arg} には = で値を付けてください"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues
            if takes_no_value(command, &flag) =>
        {
            format!("エラー: {flag} は値を取りません")
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("エラー: {arg} の値の数が正しくありません")
        }
        ErrorKind::MissingSubcommand => "エラー: コマンドを指定してください".to_string(),
        ErrorKind::InvalidUtf8 => {
            "エラー: 引数に UTF-8 として読めない文字があります（ファイル名なら、UTF-8 の名前に変えてください）"
                .to_string()
        }
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
    lines.join("\n")
}
