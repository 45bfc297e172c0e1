//! Files and standard output: reading a scenario (a file or a bundled
//! name), checking output paths before any work, writing files atomically,
//! and writing to a pipe that may close.

use crate::CliError;
use regionsim::{bundled, bundled_by_name, Scenario};
use std::path::{Path, PathBuf};

pub(crate) fn load(arg: &str) -> Result<Scenario, CliError> {
    let path = Path::new(arg);
    let (text, label) = if path.exists() {
        let t = std::fs::read_to_string(path).map_err(|source| CliError::Read {
            path: arg.to_string(),
            source,
        })?;
        (t, arg.to_string())
    } else if let Some(b) = bundled_by_name(arg.trim_end_matches(".toml")) {
        (b.text.to_string(), format!("{} (bundled)", b.name))
    } else {
        let names: Vec<&str> = bundled().iter().map(|b| b.name).collect();
        return Err(CliError::Usage(format!(
            "{arg}: no such file, and not a bundled scenario; bundled: {}",
            names.join(", ")
        )));
    };
    Scenario::parse(&text).map_err(|source| CliError::Scenario { path: label, source })
}

/// Checks, before any work, that each output can be placed: its directory
/// exists and it is not itself a directory.
pub(crate) fn check_outputs(paths: &[Option<&PathBuf>]) -> Result<(), CliError> {
    for p in paths.iter().flatten() {
        let fail = |why: String| CliError::Write {
            path: p.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, why),
        };
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(fail(format!("its directory {} does not exist", dir.display())));
        }
        if p.is_dir() {
            return Err(fail("it is a directory".into()));
        }
    }
    Ok(())
}

/// Writes `text` to `path` atomically: into a temporary file beside it,
/// flushed to disk, then renamed over `path`. A failed write (a full disk, a
/// file-size limit) leaves whatever was at `path` untouched and no temporary
/// file behind.
pub(crate) fn write(path: &Path, text: &str) -> Result<(), CliError> {
    write_with(path, |w| w.write_all(text.as_bytes()))
}

/// [`write`] for output streamed by `fill` (a report's JSON is written as it
/// is serialised, never held whole in memory).
pub(crate) fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let fail = |source| CliError::Write {
        path: path.display().to_string(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()
    });
    if let Err(e) = result.and_then(|_| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// Streams `fill` to standard output, ending quietly on a closed pipe like [`out!`].
pub(crate) fn stream_out(fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) {
    use std::io::Write;
    let mut o = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let r = fill(&mut o).and_then(|_| o.flush());
    if let Err(e) = r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}

/// Writes `args` (and a newline) to standard output: see `out!`.
pub(crate) fn emit(args: std::fmt::Arguments, newline: bool) {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    let r = o
        .write_fmt(args)
        .and_then(|_| if newline { o.write_all(b"\n") } else { Ok(()) });
    if let Err(e) = r {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        // (stderr may be unwritable too, e.g. the same full disk: no panic.)
        let _ = writeln!(std::io::stderr(), "error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
