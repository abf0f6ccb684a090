//! Static files compressed once, not per request: `kabinet precompress` (run by `make build`
//! after `cargo leptos build`) writes brotli 11 and gzip 9 beside each of the build's assets,
//! and the server answers a request with the variant the browser accepts.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse as _, Response};
use bytes::Bytes;

/// The encodings a file is kept in, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn token(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gzip",
            Self::Identity => "identity",
        }
    }

    fn suffix(self) -> Option<&'static str> {
        match self {
            Self::Brotli => Some("br"),
            Self::Gzip => Some("gz"),
            Self::Identity => None,
        }
    }

    /// The best encoding `Accept-Encoding` allows (a `q=0` refuses one).
    pub fn preferred(headers: &HeaderMap) -> Self {
        let items: Vec<(String, f32)> = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|item| {
                let mut parts = item.split(';');
                let name = parts.next()?.trim().to_ascii_lowercase();
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((name, q))
            })
            .collect();
        // An explicit entry wins over `*`.
        let accepted = |token: &str| {
            let q = |name: &str| items.iter().find(|(n, _)| n == name).map(|(_, q)| *q);
            q(token).or_else(|| q("*")).is_some_and(|q| q > 0.0)
        };
        if accepted("br") {
            Self::Brotli
        } else if accepted("gzip") {
            Self::Gzip
        } else {
            Self::Identity
        }
    }
}

/// One file in the encodings it is served in.
#[derive(Debug, Clone)]
pub struct Compressed {
    pub content_type: &'static str,
    pub identity: Bytes,
    pub brotli: Bytes,
    pub gzip: Bytes,
}

impl Compressed {
    /// Compresses `bytes` now (the page script and the worker, filled in at start).
    pub fn new(content_type: &'static str, bytes: Vec<u8>) -> Self {
        Self {
            content_type,
            brotli: brotli_11(&bytes).into(),
            gzip: gzip_9(&bytes).into(),
            identity: bytes.into(),
        }
    }

    /// Reads `path` and the `.br` and `.gz` written beside it by `kabinet precompress`. A copy
    /// is used only if it decodes to the file's bytes (timestamps say nothing once a site is
    /// copied); one that is missing or does not is made now at a fast level, with a warning,
    /// so that a start never spends minutes compressing.
    pub fn read(path: &Path) -> std::io::Result<Self> {
        let identity = std::fs::read(path)?;
        let variant = |encoding: Encoding, make: fn(&[u8]) -> Vec<u8>| -> Bytes {
            match std::fs::read(sibling(path, encoding)) {
                Ok(bytes) if decodes_to(encoding, &bytes, &identity) => bytes.into(),
                _ => {
                    tracing::warn!(
                        file = %path.display(),
                        encoding = encoding.token(),
                        "сжатой копии нет или она от другого файла: сжимаем при запуске быстрым уровнем (make build делает это заранее)"
                    );
                    make(&identity).into()
                }
            }
        };
        let brotli = variant(Encoding::Brotli, |b| brotli(b, FAST_BROTLI));
        let gzip = variant(Encoding::Gzip, |b| {
            gzip(b, flate2::Compression::new(FAST_GZIP))
        });
        Ok(Self {
            content_type: content_type(path),
            identity: identity.into(),
            brotli,
            gzip,
        })
    }

    /// The variant for this request, with its encoding, length and `Vary`.
    pub fn respond(&self, request: &HeaderMap, cache_control: &'static str) -> Response {
        let encoding = Encoding::preferred(request);
        let body = match encoding {
            Encoding::Brotli => self.brotli.clone(),
            Encoding::Gzip => self.gzip.clone(),
            Encoding::Identity => self.identity.clone(),
        };
        let length = body.len();
        let mut res = Body::from(body).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        if encoding != Encoding::Identity {
            h.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(encoding.token()),
            );
        }
        res
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn sibling(path: &Path, encoding: Encoding) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    if let Some(suffix) = encoding.suffix() {
        name.push(".");
        name.push(suffix);
    }
    PathBuf::from(name)
}

/// Levels for a copy made at start: a second or so for the WASM, where the best levels take
/// minutes.
const FAST_BROTLI: u32 = 5;
const FAST_GZIP: u32 = 6;

/// Brotli at its best ratio, with the largest window browsers accept.
pub fn brotli_11(bytes: &[u8]) -> Vec<u8> {
    brotli(bytes, 11)
}

pub fn gzip_9(bytes: &[u8]) -> Vec<u8> {
    gzip(bytes, flate2::Compression::best())
}

fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, 22);
        // Writing into a Vec cannot fail.
        let _ = w.write_all(bytes);
    }
    out
}

fn gzip(bytes: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
    let _ = w.write_all(bytes);
    w.finish().unwrap_or_default()
}

/// Whether `compressed` decodes to exactly `identity` (a few milliseconds even for the WASM).
fn decodes_to(encoding: Encoding, compressed: &[u8], identity: &[u8]) -> bool {
    use std::io::Read as _;
    let mut back = Vec::with_capacity(identity.len());
    let read = match encoding {
        Encoding::Brotli => brotli::Decompressor::new(compressed, 64 * 1024).read_to_end(&mut back),
        Encoding::Gzip => flate2::read::GzDecoder::new(compressed).read_to_end(&mut back),
        Encoding::Identity => return compressed == identity,
    };
    read.is_ok() && back == identity
}

/// `kabinet precompress`: writes `.br` and `.gz` beside each WASM, JS and CSS file of the
/// site's package folder; prints each file's sizes.
///
/// # Errors
/// A message naming the file that could not be read or written.
pub fn write_beside(pkg: &Path) -> Result<Vec<(String, usize, usize, usize)>, String> {
    let entries = std::fs::read_dir(pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("wasm" | "js" | "css")
            )
        })
        .collect();
    files.sort();
    let mut sizes = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let br = brotli_11(&bytes);
        let gz = gzip_9(&bytes);
        for (encoding, data) in [(Encoding::Brotli, &br), (Encoding::Gzip, &gz)] {
            let beside = sibling(&path, encoding);
            std::fs::write(&beside, data).map_err(|e| format!("{}: {e}", beside.display()))?;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        sizes.push((name, bytes.len(), br.len(), gz.len()));
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        assert_eq!(
            Encoding::preferred(&accept("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::preferred(&accept("gzip")), Encoding::Gzip);
        assert_eq!(
            Encoding::preferred(&accept("br;q=0, gzip;q=0.5")),
            Encoding::Gzip
        );
        assert_eq!(Encoding::preferred(&accept("*")), Encoding::Brotli);
        assert_eq!(Encoding::preferred(&accept("br;q=0, *")), Encoding::Gzip);
        assert_eq!(Encoding::preferred(&accept("*, br;q=0")), Encoding::Gzip);
        assert_eq!(Encoding::preferred(&accept("identity")), Encoding::Identity);
        assert_eq!(Encoding::preferred(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_variants_decode_to_the_file() {
        use std::io::Read as _;
        let text = "Кабинет ".repeat(500).into_bytes();
        let c = Compressed::new("text/javascript; charset=utf-8", text.clone());
        assert!(c.brotli.len() < text.len() / 10 && c.gzip.len() < text.len() / 10);
        let mut back = Vec::new();
        brotli::Decompressor::new(&c.brotli[..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&c.gzip[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn a_copy_counts_only_if_it_decodes_to_the_file() {
        let text = b"body { color: #123; }".repeat(40);
        let mut other = text.clone();
        other.extend_from_slice(b"\n/* the next deployment */\n");
        for (encoding, make) in [
            (Encoding::Brotli, brotli_11 as fn(&[u8]) -> Vec<u8>),
            (Encoding::Gzip, gzip_9),
        ] {
            assert!(decodes_to(encoding, &make(&text), &text));
            assert!(!decodes_to(encoding, &make(&text), &other));
            assert!(!decodes_to(encoding, b"not compressed", &text));
        }
    }
}
