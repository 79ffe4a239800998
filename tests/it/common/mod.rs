//! Helpers shared by the integration tests: reading PDFs back with lopdf, and the seed texts as the
//! oracle for the form's wording.

use std::path::PathBuf;

pub mod merged;
pub mod tagged;

use secform::{CheckOptions, FontSet, Renderer};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn renderer() -> Renderer {
    Renderer::new(FontSet::bundled())
}

pub fn opts() -> CheckOptions {
    CheckOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
}

pub fn sample(name: &str) -> serde_json::Value {
    serde_json::from_str(&read(&format!("samples/{name}"))).unwrap()
}

/// Renders answers given as JSON, panicking with the problems if it is refused.
pub fn render(value: &serde_json::Value) -> Vec<u8> {
    renderer()
        .render_json(&value.to_string(), &opts())
        .unwrap_or_else(|e| panic!("render failed: {e}"))
}

/// The text of every page, a line per text object, as a PDF reader extracts it (ToUnicode maps).
pub fn pdf_pages(pdf: &[u8]) -> Vec<Vec<String>> {
    let doc = lopdf::Document::load_mem(pdf).expect("PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|&n| {
            let text = doc.extract_text(&[n]).expect("text extracts");
            text.lines()
                .map(|l| l.trim_end().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .collect()
}

/// True when `expected` is printed as consecutive lines somewhere in `lines`: the lines joined
/// equal `expected`, except that a line break may replace spaces (ASCII or ideographic) of
/// `expected` (a soft break swallows the space it falls on). Every other character must match exactly.
pub fn printed(lines: &[String], expected: &str) -> bool {
    (0..lines.len()).any(|start| matches_from(&lines[start..], expected))
}

fn matches_from(lines: &[String], expected: &str) -> bool {
    let mut rest = expected;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            rest = rest.trim_start_matches([' ', '\u{3000}']);
        }
        if rest == line.as_str() {
            return true;
        }
        match rest.strip_prefix(line.as_str()) {
            Some(r) if !line.is_empty() => rest = r,
            _ => return false,
        }
    }
    false
}

/// The seed's 26 rows: number, text (row 14 joined as one text), whether it carries ※.
pub fn seed_rows() -> Vec<(u32, String, bool)> {
    let seed = read("tests/fixtures/seeds/004_faaeaf0efdfc754c.txt");
    let mut rows: Vec<(u32, String, bool)> = Vec::new();
    let mut in_table = false;
    for line in seed.lines() {
        if line.starts_with("番号\t") {
            in_table = true;
            continue;
        }
        if !in_table || line.trim().is_empty() {
            continue;
        }
        if line.starts_with("確認年月日") {
            break;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols[0].is_empty() {
            let last = rows.last_mut().expect("a continuation follows a row");
            last.1 = format!("{} {}", last.1, cols[1]);
        } else {
            rows.push((
                cols[0].parse().unwrap(),
                cols[1].to_string(),
                cols.get(2) == Some(&"※"),
            ));
        }
    }
    rows
}

/// The seed's table header cells.
pub fn seed_header() -> Vec<String> {
    let seed = read("tests/fixtures/seeds/004_faaeaf0efdfc754c.txt");
    let line = seed.lines().find(|l| l.starts_with("番号\t")).unwrap();
    line.split('\t').map(str::to_string).collect()
}

/// A pseudo-terminal: its master end and its slave end (what a command given it as standard
/// output or error takes for a real terminal).
#[expect(unsafe_code, reason = "a real terminal for the test: libc::openpty")]
pub fn pseudo_terminal() -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes two descriptors into the integers given; no name, termios or size.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0);
    // SAFETY: both descriptors were just opened and are owned here alone.
    unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(master),
            std::os::fd::OwnedFd::from_raw_fd(slave),
        )
    }
}

/// The memory a hostile run may take (its heap, its threads' stacks): a read that is not bounded
/// fails against it and the run aborts instead of exiting 1.
#[cfg(unix)]
pub const DATA_LIMIT: libc::rlim_t = 256 * 1024 * 1024;

/// How a child process ended, with what it printed and the most memory it held.
#[derive(Debug)]
pub struct Bounded {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident memory in kilobytes as wait4 reports it: the child's own, or the test
    /// process's at the spawn if that was more (the kernel keeps it across exec). Not a bound: the
    /// bound is [`DATA_LIMIT`].
    #[expect(
        dead_code,
        reason = "read only by Debug: a failed assertion prints it with the run"
    )]
    pub peak_kb: i64,
}

/// Runs `cmd` to its end, killing it and failing the test if it is still running after `limit`
/// (a guard against a hang, not a measure of speed), and returns its peak memory as the kernel
/// counted it: the child is reaped with `wait4`, whose usage is the child's own.
#[cfg(unix)]
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which std does not know"
)]
pub fn run_bounded(cmd: &mut std::process::Command, limit: std::time::Duration) -> Bounded {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    #[expect(
        unsafe_code,
        reason = "the memory limit is set in the child before exec"
    )]
    // SAFETY: setrlimit is async-signal-safe and touches nothing of the parent.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: DATA_LIMIT,
                rlim_max: DATA_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            String::from_utf8_lossy(&v).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let pid = child.id() as libc::pid_t;
    let start = std::time::Instant::now();
    loop {
        let mut status = 0;
        #[expect(
            unsafe_code,
            reason = "wait4 is the one way to the child's own peak memory"
        )]
        // SAFETY: a zeroed rusage is a valid value of a plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        #[expect(
            unsafe_code,
            reason = "wait4 is the one way to the child's own peak memory"
        )]
        // SAFETY: both pointers are to live locals; the pid is our own child's.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            return Bounded {
                code,
                stdout: out.join().unwrap(),
                stderr: err.join().unwrap(),
                peak_kb: usage.ru_maxrss,
            };
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// The user a permission test runs `secform` as when the tests run as root: `nobody`.
#[cfg(unix)]
pub const NOBODY: libc::uid_t = 65534;

/// `secform` as a user whom the mode bits bind, for the tests of what a file's or folder's mode
/// refuses. As any user but root, the binary as it is. As root (as CI runs), whom mode bits do not
/// stop, the child becomes [`NOBODY`] (its user and group, no other groups) before exec: `dir`,
/// the temporary folder holding the test's files, is opened to that user (mode 0777), the binary
/// is run from a link in it (the clone may lie under a folder `nobody` cannot enter), and HOME and
/// XDG_CONFIG_HOME point into it (root's own settings are not nobody's to read).
#[cfg(unix)]
pub fn secform_as_user(dir: &std::path::Path) -> std::process::Command {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_secform"));
    #[expect(unsafe_code, reason = "geteuid has no safe wrapper in std")]
    // SAFETY: geteuid takes nothing and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        return std::process::Command::new(bin);
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    // Once a folder (never a copy over the link: that would empty the binary itself).
    let linked = dir.join(".secform-as-nobody");
    if !linked.exists() && std::fs::hard_link(bin, &linked).is_err() {
        std::fs::copy(bin, &linked).unwrap();
    }
    let mut cmd = std::process::Command::new(&linked);
    cmd.env("HOME", dir).env("XDG_CONFIG_HOME", dir);
    #[expect(
        unsafe_code,
        reason = "the child drops root before exec: setgroups, setgid, setuid"
    )]
    // SAFETY: the three calls are async-signal-safe and change only the child.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setgroups(0, std::ptr::null()) != 0
                || libc::setgid(NOBODY) != 0
                || libc::setuid(NOBODY) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}
