//! `cargo xtask serve | dist | test | bench`: installs what is missing, builds, serves, tests and
//! measures occam.
//!
//! Builds go to `$CARGO_TARGET_DIR`, by default `~/.cache/occam/target`, so that a fresh clone
//! on a machine that built occam before reuses its build cache.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

/// A page besides `index.html`: its file, `<title>` and description (what a tab and a link
/// preview show), and what its body carries beyond `index.html`'s.
struct Page {
    file: String,
    title: String,
    description: String,
    /// A chapter's prose, as inert templates the app copies into place.
    prose: String,
}

/// The pages besides `index.html`: every built chapter, with its prose (compiled from
/// `chapters/`), then the embed view and the classroom pages. They are all `index.html` (the app
/// routes on the file name), so the site needs no server rewrites.
fn extra_pages() -> Result<Vec<Page>> {
    let chapters = occam_chapters::compile_notebook(&root().join("chapters"), |path| {
        std::fs::read_to_string(path)
    })
    .map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        lines.join("\n")
    })?;
    let mut pages = Vec::new();
    for (index, chapter) in occam_demos::CHAPTERS.iter().enumerate() {
        if let Some(compiled) = chapters
            .iter()
            .find(|compiled| compiled.slug == chapter.slug)
        {
            pages.push(Page {
                file: format!("{}.html", chapter.slug),
                title: format!("{} · occam", chapter.title),
                description: format!("Chapter {} of occam: {}", index + 1, chapter.idea),
                prose: occam_chapters::prose_templates(compiled)
                    .map_err(|error| error.to_string())?,
            });
        }
    }
    let plain = |file: &str, title: &str, description: &str| Page {
        file: file.to_owned(),
        title: title.to_owned(),
        description: description.to_owned(),
        prose: String::new(),
    };
    pages.extend([
        plain(
            "embed.html",
            "occam demo",
            "A compression demo from occam that trains in your browser.",
        ),
        plain(
            "assign.html",
            "Make an assignment · occam",
            "Pick occam exercises from any chapter and share them as one link.",
        ),
        plain(
            "assignment.html",
            "Assignment · occam",
            "Exercises from occam, checked in your browser.",
        ),
        plain(
            "teacher.html",
            "Receipts · occam",
            "Check students' occam receipts: every answer checked again, every run run again, nothing uploaded.",
        ),
    ]);
    Ok(pages)
}

/// `page` with `extra` just before its `</body>`.
fn with_body_end(page: &str, extra: &str) -> Result<String> {
    let at = page.rfind("</body>").ok_or("index.html has no </body>")?;
    let mut out = page[..at].to_owned();
    out.push_str(extra);
    out.push_str(&page[at..]);
    Ok(out)
}

/// `index.html` with another `<title>` and description.
fn with_title(index: &str, title: &str, description: &str) -> Result<String> {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let start = index.find("<title>").ok_or("index.html has no <title>")?;
    let end = index[start..]
        .find("</title>")
        .ok_or("index.html has no </title>")?
        + start
        + "</title>".len();
    let mut page = index[..start].to_owned();
    page.push_str(&format!("<title>{}</title>", escape(title)));
    page.push_str(&index[end..]);
    let meta = "<meta name=\"description\" content=\"";
    let at = page
        .find(meta)
        .ok_or("index.html has no description meta tag")?
        + meta.len();
    let close = page[at..]
        .find('"')
        .ok_or("a broken description meta tag")?
        + at;
    page.replace_range(at..close, &escape(description));
    Ok(page)
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

/// Every build of the training worker (see `web/worker/Cargo.toml`): the CPU builds, then the
/// WebGPU build.
fn workers() -> impl Iterator<Item = &'static str> {
    occam_demos::builds::CPU_BUILDS
        .iter()
        .map(|build| build.bin)
        .chain([occam_demos::builds::WEBGPU_BIN])
}

/// Builds the static site into `dist/`.
fn dist() -> Result<PathBuf> {
    ensure_build_tools()?;
    run("trunk", &["build", "--release"])?;
    let dist = root().join("dist");
    // The workers' function names (a fifth of their size; 1.2 MB of the WebGPU build's gzip)
    // only make stack traces readable; panics still report their messages. Dropping that
    // custom section is instant and changes no code, where a `wasm-opt -Oz` pass takes minutes
    // and gains nothing compressed (ARCHITECTURE.md).
    let mut worker_sizes = Vec::new();
    for worker in workers() {
        let stripped = strip_names(&dist.join(format!("{worker}_bg.wasm")))?;
        worker_sizes.push((worker, stripped.len()));
    }
    // The page's wasm too; Trunk's `integrity` attribute for it is computed again.
    let mut index = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|error| format!("dist/index.html: {error}"))?;
    let page_wasm = std::fs::read_dir(&dist)
        .map_err(|error| format!("{}: {error}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("occam-web-") && name.ends_with("_bg.wasm"))
        })
        .ok_or("dist/ has no occam-web-*_bg.wasm")?;
    let before = integrity(&std::fs::read(&page_wasm).map_err(|error| format!("{error}"))?);
    let after = integrity(&strip_names(&page_wasm)?);
    if !index.contains(&before) {
        return Err("dist/index.html does not carry the page wasm's integrity hash".to_owned());
    }
    index = index.replace(&before, &after);
    index = without_inline_script(&dist, &index)?;
    std::fs::write(dist.join("index.html"), &index)
        .map_err(|error| format!("dist/index.html: {error}"))?;
    // Each worker's loader, which reports the download's progress to the page, over trunk's.
    let loader = std::fs::read_to_string(root().join("web/worker/loader.js"))
        .map_err(|error| format!("web/worker/loader.js: {error}"))?;
    for (worker, size) in worker_sizes {
        let path = dist.join(format!("{worker}_loader.js"));
        std::fs::write(
            &path,
            loader
                .replace("__NAME__", worker)
                .replace("__BYTES__", &size.to_string()),
        )
        .map_err(|error| format!("{}: {error}", path.display()))?;
    }
    for page in extra_pages()? {
        let text = with_body_end(
            &with_title(&index, &page.title, &page.description)?,
            &page.prose,
        )?;
        std::fs::write(dist.join(&page.file), text)
            .map_err(|error| format!("writing {}: {error}", page.file))?;
    }
    precompress(&dist, Some(&target_dir().join("precompressed")))?;
    println!("xtask: the site is in {}", dist.display());
    Ok(dist)
}

/// `index.html` with Trunk's inline start-up script moved to a file of its own beside it
/// (`occam-start-<hash>.js`, with its `integrity`), so that the site runs under a strict
/// Content-Security-Policy (`script-src 'self'`, no `'unsafe-inline'`). As a module it imports
/// the same files, relative to the same folder.
fn without_inline_script(dist: &Path, index: &str) -> Result<String> {
    let open = "<script type=\"module\">";
    let start = index
        .find(open)
        .ok_or("dist/index.html has no inline module script from Trunk")?;
    let end = index[start..]
        .find("</script>")
        .ok_or("dist/index.html: an unclosed <script>")?
        + start;
    let script = index[start + open.len()..end].trim();
    use sha2::Digest;
    let digest = sha2::Sha256::digest(script.as_bytes());
    let hex: String = digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let name = format!("occam-start-{hex}.js");
    std::fs::write(dist.join(&name), script).map_err(|error| format!("{name}: {error}"))?;
    let tag = format!(
        "<script type=\"module\" src=\"./{name}\" crossorigin=\"anonymous\" integrity=\"{}\"></script>",
        integrity(script.as_bytes())
    );
    let mut page = index[..start].to_owned();
    page.push_str(&tag);
    page.push_str(&index[end + "</script>".len()..]);
    if page.contains("<script>")
        || page.contains("<script type=\"module\">")
        || page.contains("<style")
    {
        return Err("dist/index.html still has an inline script or style".to_owned());
    }
    Ok(page)
}

/// The encodings `dist/` is precompressed in, most preferred first: (name in
/// `Accept-Encoding` and `Content-Encoding`, file suffix).
const ENCODINGS: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

/// Whether hosts serve a file of this kind compressed: text and wasm (images and fonts are
/// compressed already).
fn is_compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|extension| extension.to_str()),
        Some("html" | "js" | "mjs" | "css" | "wasm" | "svg" | "json" | "txt")
    )
}

/// `bytes` gzipped at level 9.
fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// `bytes` in brotli at quality 11 (window 2²⁴), as a host compresses once, ahead of time.
fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 1 << 16, 11, 24);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out)
}

/// `bytes` compressed for `suffix` (`br` or `gz`), from `cache` (a folder) when they were
/// compressed before: brotli at quality 11 takes two minutes for the worker, which changes
/// far less often than the page.
fn compressed(bytes: &[u8], suffix: &str, cache: Option<&Path>) -> std::io::Result<Vec<u8>> {
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let cached = cache.map(|dir| dir.join(format!("{digest}.{suffix}")));
    if let Some(packed) = cached.as_ref().and_then(|path| std::fs::read(path).ok()) {
        return Ok(packed);
    }
    let packed = match suffix {
        "br" => brotli(bytes)?,
        _ => gzip(bytes)?,
    };
    if let Some(path) = cached {
        // A cache that cannot be written only costs the next build some time.
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
            .and_then(|()| std::fs::write(&path, &packed));
    }
    Ok(packed)
}

/// Writes `<file>.gz` and `<file>.br` beside every compressible file of `dir` (and its
/// folders), for hosts that serve precompressed files, as `xtask serve` does. `cache` keeps
/// what was compressed, by content.
fn precompress(dir: &Path, cache: Option<&Path>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|error| format!("{error}"))?.path();
        if path.is_dir() {
            precompress(&path, cache)?;
            continue;
        }
        if !is_compressible(&path) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|error| format!("{}: {error}", path.display()))?;
        for (_, suffix) in ENCODINGS {
            let packed = compressed(&bytes, suffix, cache)
                .map_err(|error| format!("compressing {}: {error}", path.display()))?;
            let mut name = path.clone().into_os_string();
            name.push(format!(".{suffix}"));
            std::fs::write(&name, packed)
                .map_err(|error| format!("{}: {error}", Path::new(&name).display()))?;
        }
    }
    Ok(())
}

/// The encoding to serve for a request's `Accept-Encoding`: brotli, then gzip, when accepted
/// (a `q=0` refuses one); `None` for the file as it is.
fn pick_encoding(accept: &str) -> Option<(&'static str, &'static str)> {
    let accepted = |name: &str| {
        accept.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused = parts.any(|part| {
                part.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f64>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    ENCODINGS.into_iter().find(|(name, _)| accepted(name))
}

/// Drops a wasm file's function names (and producers): they only make stack traces readable,
/// and are a fifth of the file. Returns the new bytes.
fn strip_names(path: &Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let stripped = without_custom_sections(&bytes, &["name", "producers"])?;
    std::fs::write(path, &stripped).map_err(|error| format!("{}: {error}", path.display()))?;
    println!(
        "xtask: {} without its name section: {:.2} MB (was {:.2} MB)",
        path.display(),
        stripped.len() as f64 / 1e6,
        bytes.len() as f64 / 1e6
    );
    Ok(stripped)
}

/// A subresource-integrity value, as Trunk writes it: `sha384-<base64 of the digest>`.
fn integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes))
    )
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

/// The Content-Security-Policy `serve` sends, as a strict host would: the site needs nothing
/// more (the browser suite serves `dist/` under the same policy).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; worker-src 'self'; object-src 'none'; base-uri 'none'";

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
        // As a well-configured host: the precompressed file where the browser accepts it.
        let accept = request
            .headers()
            .iter()
            .find(|header| header.field.equiv("Accept-Encoding"))
            .map(|header| header.value.as_str().to_owned())
            .unwrap_or_default();
        let encoded = pick_encoding(&accept)
            .filter(|_| is_compressible(&file))
            .and_then(|(name, suffix)| {
                let mut path = file.clone().into_os_string();
                path.push(format!(".{suffix}"));
                std::fs::read(path).ok().map(|bytes| (name, bytes))
            });
        let header = |name: &str, value: &str| {
            tiny_http::Header::from_bytes(name, value).map_err(|_| "bad header".to_owned())
        };
        let response = match (encoded, std::fs::read(&file)) {
            (Some((encoding, bytes)), Ok(_)) if is_inside => request.respond(
                tiny_http::Response::from_data(bytes)
                    .with_header(header("Content-Type", content_type(&file))?)
                    .with_header(header("Content-Encoding", encoding)?)
                    .with_header(header("Vary", "Accept-Encoding")?)
                    .with_header(header("Content-Security-Policy", CONTENT_SECURITY_POLICY)?),
            ),
            (None, Ok(bytes)) if is_inside => request.respond(
                tiny_http::Response::from_data(bytes)
                    .with_header(header("Content-Type", content_type(&file))?)
                    .with_header(header("Vary", "Accept-Encoding")?)
                    .with_header(header("Content-Security-Policy", CONTENT_SECURITY_POLICY)?),
            ),
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

/// The source files of `crates/occam-demos/src`, which `cargo fmt` does not reach.
fn demo_modules() -> Result<Vec<String>> {
    let directory = root().join("crates/occam-demos/src");
    let mut files: Vec<String> = std::fs::read_dir(&directory)
        .map_err(|error| format!("{}: {error}", directory.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    files.sort();
    Ok(files)
}

/// Every suite: formatting, lints (native and wasm32), native tests, the site, browser tests.
fn test() -> Result {
    ensure_build_tools()?;
    run("cargo", &["fmt", "--all", "--check"])?;
    // The demo modules are declared by a macro (`with_demos!`), where `cargo fmt` does not
    // follow: check them by name.
    let demos = demo_modules()?;
    let mut args = vec!["--edition", "2024", "--check"];
    args.extend(demos.iter().map(String::as_str));
    run("rustfmt", &args)?;
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
            "-p",
            "occam-side",
            // The WebGPU build: the CPU builds are the same code less one function and some demos.
            "--features",
            "occam-worker/webgpu",
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
    // The page's pure helpers (ticks, labels, projections, thinning, formatting), natively.
    run("cargo", &["test", "-p", "occam-web", "--lib"])?;
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
    side_by_side(&out)?;
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

/// The occam half of the side-by-side page (`tests/bench/side/`): the `occam-side` crate built
/// for the browser, with its JavaScript bindings, into `<out>/side/`.
fn side_by_side(out: &Path) -> Result {
    run(
        "cargo",
        &[
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "occam-side",
        ],
    )?;
    let wasm = target_dir().join("wasm32-unknown-unknown/release/occam-side.wasm");
    run(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            &out.join("side").to_string_lossy(),
            &wasm.to_string_lossy(),
        ],
    )
}

/// An unsigned LEB128 number at `bytes[at..]`: its value and where it ends.
fn leb128(bytes: &[u8], mut at: usize) -> Result<(usize, usize)> {
    let mut value = 0usize;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at).ok_or("wasm: a section runs past the end")?;
        at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
    }
    Err("wasm: a section length is too long".to_owned())
}

/// A WebAssembly module without the custom sections called `names` (sections are id, LEB128
/// size, contents; a custom section, id 0, starts its contents with its LEB128-length name).
/// Custom sections carry no code, so dropping them changes nothing the module does.
fn without_custom_sections(bytes: &[u8], names: &[&str]) -> Result<Vec<u8>> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err("not a WebAssembly module".to_owned());
    }
    let mut kept = bytes[..8].to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let id = bytes[at];
        let (size, contents) = leb128(bytes, at + 1)?;
        let end = contents + size;
        if end > bytes.len() {
            return Err("wasm: a section runs past the end".to_owned());
        }
        let is_dropped = id == 0 && {
            let (length, name) = leb128(bytes, contents)?;
            bytes
                .get(name..name + length)
                .is_some_and(|name| names.iter().any(|dropped| dropped.as_bytes() == name))
        };
        if !is_dropped {
            kept.extend_from_slice(&bytes[at..end]);
        }
        at = end;
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted values that follow `key` (which ends with the opening quote) in `text`.
    fn values_of<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
        text.match_indices(key)
            .filter_map(|(at, _)| {
                let rest = &text[at + key.len()..];
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    #[test]
    fn index_and_the_worker_crate_build_exactly_the_table_of_workers() {
        let mut expected: Vec<&str> = workers().collect();
        expected.sort_unstable();
        let index = std::fs::read_to_string(root().join("index.html")).expect("index.html");
        let mut linked: Vec<&str> = values_of(&index, "data-bin=\"")
            .into_iter()
            .filter(|bin| bin.starts_with("occam-worker"))
            .collect();
        linked.sort_unstable();
        assert_eq!(linked, expected, "index.html's worker links");
        let manifest =
            std::fs::read_to_string(root().join("web/worker/Cargo.toml")).expect("the manifest");
        let mut bins: Vec<&str> = manifest
            .split("[[bin]]")
            .skip(1)
            .filter_map(|section| values_of(section, "name = \"").first().copied())
            .collect();
        bins.sort_unstable();
        assert_eq!(bins, expected, "web/worker's bins");
    }

    #[test]
    fn each_page_gets_its_own_title_and_description() {
        let index = "<head><meta name=\"description\" content=\"home\"><title>occam</title></head>";
        let page = with_title(index, "A & B", "says \"hi\" <3").expect("a page");
        assert_eq!(
            page,
            "<head><meta name=\"description\" content=\"says &quot;hi&quot; &lt;3\"><title>A &amp; B</title></head>"
        );
        assert!(with_title("<head></head>", "t", "d").is_err());
        let pages = extra_pages().expect("the chapters compile");
        let entropy = pages
            .iter()
            .find(|page| page.file == "entropy.html")
            .expect("a page for chapter 1");
        assert_eq!(entropy.title, "Entropy of coins · occam");
        // Its own prose and no other chapter's: its first words, and not chapter 2's.
        assert!(entropy.prose.starts_with("<template data-prose=\"0\">"));
        assert!(entropy.prose.contains("<math"));
        let pca = pages
            .iter()
            .find(|page| page.file == "pca-sparse.html")
            .expect("chapter 2");
        let first_piece = |prose: &str| {
            let piece = prose.split("</template>").next().unwrap_or_default();
            piece
                .trim_start_matches("<template data-prose=\"0\">")
                .to_owned()
        };
        assert!(!entropy.prose.contains(&first_piece(&pca.prose)));
        for file in [
            "embed.html",
            "assign.html",
            "assignment.html",
            "teacher.html",
        ] {
            let page = pages.iter().find(|page| page.file == file).expect(file);
            assert!(page.prose.is_empty(), "{file}");
        }
    }

    #[test]
    fn extra_markup_goes_just_before_the_body_ends() {
        assert_eq!(
            with_body_end("<body><p>a</p></body></html>", "<template>b</template>")
                .expect("a body"),
            "<body><p>a</p><template>b</template></body></html>"
        );
        assert!(with_body_end("<body>", "x").is_err());
    }

    #[test]
    fn brotli_then_gzip_as_the_browser_accepts_them() {
        assert_eq!(pick_encoding("gzip, deflate, br, zstd"), Some(("br", "br")));
        assert_eq!(pick_encoding("gzip, deflate"), Some(("gzip", "gz")));
        assert_eq!(pick_encoding("br;q=0, gzip;q=0.5"), Some(("gzip", "gz")));
        assert_eq!(pick_encoding("BR"), Some(("br", "br")));
        assert_eq!(pick_encoding("identity"), None);
        assert_eq!(pick_encoding(""), None);
        // A coding whose name only starts like one is another coding.
        assert_eq!(pick_encoding("gzipped"), None);
    }

    #[test]
    fn precompressed_files_decompress_to_the_originals() {
        use std::io::Read;
        let dir = std::env::temp_dir().join(format!("occam-precompress-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        let text = "compression is intelligence. ".repeat(500);
        std::fs::write(dir.join("index.html"), &text).unwrap();
        std::fs::write(dir.join("assets/app.wasm"), [0u8, 97, 115, 109, 1, 0, 0, 0]).unwrap();
        std::fs::write(dir.join("icon.png"), [137u8, 80, 78, 71]).unwrap();
        let cache = dir.join("cache");
        precompress(&dir, None).unwrap();
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&std::fs::read(dir.join("index.html.gz")).unwrap()[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, text);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(
            &std::fs::read(dir.join("assets/app.wasm.br")).unwrap()[..],
            4096,
        )
        .read_to_end(&mut unbrotlied)
        .unwrap();
        assert_eq!(unbrotlied, [0u8, 97, 115, 109, 1, 0, 0, 0]);
        // 14,500 bytes of one phrase: both codes find the repetition.
        assert!(std::fs::metadata(dir.join("index.html.br")).unwrap().len() < 200);
        assert!(
            !dir.join("icon.png.gz").exists(),
            "images are compressed already"
        );
        // From the cache, by content: the same bytes as compressing again.
        let first = compressed(text.as_bytes(), "br", Some(&cache)).unwrap();
        assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 1);
        assert_eq!(
            compressed(text.as_bytes(), "br", Some(&cache)).unwrap(),
            first
        );
        assert_eq!(first, std::fs::read(dir.join("index.html.br")).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // The SHA-384 of "abc" (FIPS 180-2, appendix D.1), in base64.
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn only_the_named_custom_sections_are_dropped() {
        let header = b"\0asm\x01\0\0\0".to_vec();
        // A type section (id 1) with one function type () -> (), then custom sections
        // "name" (dropped) and "keep" (kept), written out by hand.
        let types = [1u8, 4, 1, 0x60, 0, 0];
        let name = [0u8, 7, 4, b'n', b'a', b'm', b'e', 0xAA, 0xBB];
        let keep = [0u8, 6, 4, b'k', b'e', b'e', b'p', 0xCC];
        let module = [header.as_slice(), &types, &name, &keep].concat();
        let stripped = without_custom_sections(&module, &["name"]).expect("a module");
        assert_eq!(stripped, [header.as_slice(), &types, &keep].concat());
        assert!(without_custom_sections(b"not wasm", &["name"]).is_err());
        // A section claiming more bytes than there are is an error, not a panic.
        let truncated = [header.as_slice(), &[1u8, 9, 1]].concat();
        assert!(without_custom_sections(&truncated, &["name"]).is_err());
    }
}
