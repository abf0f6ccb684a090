//! Uploaded scans: the type is decided by the content, never by the name.

pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKind {
    Pdf,
    Jpeg,
    Png,
}

impl ScanKind {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }
}

/// # Errors
/// A Russian sentence when the file is empty, too large, or not a PDF, JPEG or PNG.
pub fn sniff_scan(bytes: &[u8]) -> Result<ScanKind, &'static str> {
    if bytes.is_empty() {
        return Err("Файл пуст");
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err("Файл больше 10 МБ");
    }
    if bytes.starts_with(b"%PDF-") {
        Ok(ScanKind::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ScanKind::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok(ScanKind::Png)
    } else {
        Err("Можно приложить только PDF, JPEG или PNG")
    }
}

/// Keeps a file name printable and short; the path part is dropped.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !"<>:\"|?*".contains(*c))
        .take(100)
        .collect();
    if cleaned.trim().is_empty() {
        "файл".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_content() {
        assert_eq!(sniff_scan(b"%PDF-1.7 ..."), Ok(ScanKind::Pdf));
        assert_eq!(sniff_scan(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(ScanKind::Jpeg));
        assert_eq!(sniff_scan(b"\x89PNG\r\n\x1a\n...."), Ok(ScanKind::Png));
        assert!(sniff_scan(b"MZ\x90\x00 not a scan").is_err());
        assert!(sniff_scan(b"").is_err());
        assert!(sniff_scan(&vec![b'%'; MAX_UPLOAD_BYTES + 1]).is_err());
    }

    #[test]
    fn file_names_lose_their_paths() {
        assert_eq!(clean_file_name("C:\\scans\\паспорт.pdf"), "паспорт.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(""), "файл");
    }
}
