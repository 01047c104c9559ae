//! `cargo xtask serve | dist | test | bench`: installs what is missing, builds, serves, tests and
//! measures occam.
//!
//! Builds go to `$CARGO_TARGET_DIR`, by default `~/.cache/occam/target`, so that a fresh clone
//! on a machine that built occam before reuses its build cache.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

/// The built chapters' pages and the embed view are copies of `index.html` (the app routes on
/// the file name), so the site needs no server rewrites.
/// The pages besides `index.html`: the embed view and each built chapter (all the same file).
fn extra_pages() -> Vec<String> {
    occam_demos::CHAPTERS
        .iter()
        .filter(|chapter| chapter.is_built)
        .map(|chapter| format!("{}.html", chapter.slug))
        .chain(["embed.html".to_owned()])
        .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("dist") => dist().map(|_| ()),
        Some("test") => test(),
        Some("bench") => bench(),
        _ => Err("usage: cargo xtask serve | dist | test | bench".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from("."))
}

fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".cache/occam/target"),
        None => root().join("target"),
    }
}

fn run(program: &str, args: &[&str]) -> Result {
    run_with(program, args, &[])
}

fn run_with(program: &str, args: &[&str], env: &[(&str, PathBuf)]) -> Result {
    println!("xtask: {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(root())
        .env("CARGO_TARGET_DIR", target_dir())
        .envs(env.iter().map(|(name, value)| (*name, value)))
        .status()
        .map_err(|error| format!("could not run {program}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} {} failed ({status})", args.join(" ")))
    }
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn has(program: &str) -> bool {
    output(program, &["--version"]).is_some()
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|line| line.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".to_owned())
}

fn apt_install(packages: &[&str]) -> Result {
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend_from_slice(packages);
    let sudo = output("id", &["-u"]).is_some_and(|uid| uid.trim() != "0");
    if sudo {
        run("sudo", &["apt-get", "update"])?;
        let mut with_sudo = vec!["apt-get"];
        with_sudo.extend(args);
        run("sudo", &with_sudo)
    } else {
        run("apt-get", &["update"])?;
        run("apt-get", &args)
    }
}

/// Installs the wasm32 target, trunk, the matching wasm-bindgen CLI and binaryen if missing.
fn ensure_build_tools() -> Result {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|line| line.trim() == "wasm32-unknown-unknown")
    {
        run("rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    if !output("trunk", &["--version"]).is_some_and(|version| version.contains("0.21.14")) {
        run("cargo", &["install", "--locked", "trunk@0.21.14"])?;
    }
    let version = locked_wasm_bindgen()?;
    if output("wasm-bindgen", &["--version"])
        .is_none_or(|installed| installed.split_whitespace().nth(1) != Some(version.as_str()))
    {
        run(
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &version],
        )?;
    }
    if !has("wasm-opt") {
        apt_install(&["binaryen"])?;
    }
    Ok(())
}

/// Builds the static site into `dist/`.
fn dist() -> Result<PathBuf> {
    ensure_build_tools()?;
    run("trunk", &["build", "--release"])?;
    let dist = root().join("dist");
    for page in extra_pages() {
        std::fs::copy(dist.join("index.html"), dist.join(&page))
            .map_err(|error| format!("copying {page}: {error}"))?;
    }
    println!("xtask: the site is in {}", dist.display());
    Ok(dist)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Builds, then serves `dist/` on http://127.0.0.1:8080 (or `$OCCAM_PORT`).
fn serve() -> Result {
    let dist = dist()?;
    let port = std::env::var("OCCAM_PORT").unwrap_or_else(|_| "8080".to_owned());
    let address = format!("127.0.0.1:{port}");
    let server = tiny_http::Server::http(&address)
        .map_err(|error| format!("cannot listen on {address}: {error}"))?;
    println!("xtask: occam is at http://{address}/ (Ctrl-C stops)");
    for request in server.incoming_requests() {
        let path = request
            .url()
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .trim_start_matches('/')
            .to_owned();
        let relative = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        };
        let file = dist.join(&relative);
        let is_inside = !relative.split('/').any(|part| part == "..");
        let response = match std::fs::read(&file) {
            Ok(bytes) if is_inside => {
                let header = tiny_http::Header::from_bytes("Content-Type", content_type(&file))
                    .map_err(|_| "bad header".to_owned())?;
                request.respond(tiny_http::Response::from_data(bytes).with_header(header))
            }
            _ => {
                request.respond(tiny_http::Response::from_string("not found").with_status_code(404))
            }
        };
        if let Err(error) = response {
            eprintln!("xtask: {error}");
        }
    }
    Ok(())
}

/// Chromium and the npm packages the browser suite needs.
fn ensure_browser_tools() -> Result {
    if !Path::new("/usr/bin/chromium").exists() {
        apt_install(&["chromium"])?;
    }
    if root().join("package-lock.json").exists() {
        run("npm", &["ci", "--no-audit", "--no-fund"])
    } else {
        run("npm", &["install", "--no-audit", "--no-fund"])
    }
}

/// Every suite: formatting, lints (native and wasm32), native tests, the site, browser tests.
fn test() -> Result {
    ensure_build_tools()?;
    run("cargo", &["fmt", "--all", "--check"])?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--exclude",
            "occam-web",
            "--exclude",
            "occam-worker",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    run_with(
        "cargo",
        &[
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
            "-p",
            "occam-web",
            "-p",
            "occam-worker",
            "--",
            "-D",
            "warnings",
        ],
        &[("CLIPPY_CONF_DIR", root().join("lints/wasm"))],
    )?;
    run(
        "cargo",
        &[
            "test",
            "--workspace",
            "--exclude",
            "occam-web",
            "--exclude",
            "occam-worker",
        ],
    )?;
    dist()?;
    ensure_browser_tools()?;
    run("node", &["--test", "--test-concurrency=1", "tests/"])
}

/// Benchmarks: native (coder throughput, training speed) and in Chromium on each backend, as a
/// Markdown table on stdout and JSON in `target/bench/results.json`. Never part of `test`.
fn bench() -> Result {
    ensure_build_tools()?;
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|error| format!("{}: {error}", out.display()))?;
    let native = out.join("native.json");
    let native_arg = native.to_string_lossy().into_owned();
    run(
        "cargo",
        &[
            "bench",
            "-p",
            "occam-demos",
            "--bench",
            "native",
            "--",
            &native_arg,
        ],
    )?;
    dist()?;
    ensure_browser_tools()?;
    let results = out.join("results.json");
    run(
        "node",
        &[
            "tests/bench/run.mjs",
            &native_arg,
            &results.to_string_lossy(),
        ],
    )
}
