//! `iree/base/internal/file_path.h` core: lexical path manipulation on byte
//! strings (paths need not be UTF-8). Nothing here touches the file system.
//!
//! Every function that returns a piece of its input returns a sub-slice of
//! it, so callers can turn the result back into a view of the same buffer.

/// The separator the canonical form uses on this platform.
#[cfg(windows)]
pub const SEPARATOR: u8 = b'\\';
/// The separator the canonical form uses on this platform.
#[cfg(not(windows))]
pub const SEPARATOR: u8 = b'/';

/// Rewrites `path` in place into the platform form: `/` becomes the platform
/// separator and runs of separators collapse into one. Returns the new
/// length (never larger than before); bytes past it are left as they were.
pub fn canonicalize(path: &mut [u8]) -> usize {
    let mut write = 0;
    for read in 0..path.len() {
        let mut c = path[read];
        if cfg!(windows) && c == b'/' {
            c = b'\\';
        }
        if c == SEPARATOR && write > 0 && path[write - 1] == SEPARATOR {
            continue;
        }
        path[write] = c;
        write += 1;
    }
    write
}

/// Joins two paths with exactly one `/` between them when both are
/// non-empty: `foo`+`bar` and `foo/`+`/bar` both give `foo/bar`. Only one
/// separator is removed or added, so `foo//`+`bar` keeps its `//`.
pub fn join(lhs: &[u8], rhs: &[u8]) -> Vec<u8> {
    if lhs.is_empty() {
        return rhs.to_vec();
    }
    if rhs.is_empty() {
        return lhs.to_vec();
    }
    let lhs_slash = lhs.last() == Some(&b'/');
    let rhs_slash = rhs.first() == Some(&b'/');
    let mut out = Vec::with_capacity(lhs.len() + rhs.len() + 1);
    out.extend_from_slice(lhs);
    match (lhs_slash, rhs_slash) {
        (true, true) => out.extend_from_slice(&rhs[1..]),
        (false, false) => {
            out.push(b'/');
            out.extend_from_slice(rhs);
        }
        _ => out.extend_from_slice(rhs),
    }
    out
}

/// Splits at the last `/` into (dirname, basename). A path with no `/` is
/// all basename; a lone leading `/` stays with the dirname (`/foo` gives
/// `/` and `foo`).
pub fn split(path: &[u8]) -> (&[u8], &[u8]) {
    match path.iter().rposition(|&c| c == b'/') {
        None => (&path[..0], path),
        Some(0) => (&path[..1], &path[1..]),
        Some(pos) => (&path[..pos], &path[pos + 1..]),
    }
}

/// Everything before the last `/` (see [`split`]).
pub fn dirname(path: &[u8]) -> &[u8] {
    split(path).0
}

/// Everything after the last `/`.
pub fn basename(path: &[u8]) -> &[u8] {
    split(path).1
}

/// Splits the basename at its last `.` into (stem, extension); with no `.`
/// the extension is empty (and is also empty for a trailing `.`).
pub fn split_basename(path: &[u8]) -> (&[u8], &[u8]) {
    let name = basename(path);
    match name.iter().rposition(|&c| c == b'.') {
        None => (name, &name[name.len()..]),
        Some(pos) => (&name[..pos], &name[pos + 1..]),
    }
}

/// The basename before its last `.`.
pub fn stem(path: &[u8]) -> &[u8] {
    split_basename(path).0
}

/// The basename after its last `.`.
pub fn extension(path: &[u8]) -> &[u8] {
    split_basename(path).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        let mut bytes = s.as_bytes().to_vec();
        let n = canonicalize(&mut bytes);
        String::from_utf8(bytes[..n].to_vec()).unwrap()
    }

    #[cfg(not(windows))]
    #[test]
    fn canonicalize_collapses_slashes() {
        for (input, want) in [
            ("", ""),
            ("a", "a"),
            ("/", "/"),
            ("a//b", "a/b"),
            ("a////b", "a/b"),
            ("//a", "/a"),
            ("a//", "a/"),
        ] {
            assert_eq!(canon(input), want, "{input}");
        }
    }

    fn j(a: &str, b: &str) -> String {
        String::from_utf8(join(a.as_bytes(), b.as_bytes())).unwrap()
    }

    #[test]
    fn join_inserts_one_separator() {
        assert_eq!(j("", ""), "");
        assert_eq!(j("", "bar"), "bar");
        assert_eq!(j("foo", ""), "foo");
        assert_eq!(j("foo", "bar"), "foo/bar");
        assert_eq!(j("/foo/", "/bar/"), "/foo/bar/");
        assert_eq!(j("foo/", "bar"), "foo/bar");
        assert_eq!(j("foo", "/bar"), "foo/bar");
        assert_eq!(j("foo//", "bar"), "foo//bar");
        assert_eq!(j("foo", "//bar"), "foo//bar");
    }

    #[test]
    fn split_and_parts() {
        let s = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
        assert_eq!(s(dirname(b"/")), "/");
        assert_eq!(s(dirname(b"/foo")), "/");
        assert_eq!(s(dirname(b"/foo/bar/")), "/foo/bar");
        assert_eq!(s(dirname(b"foo")), "");
        assert_eq!(s(dirname(b"foo//")), "foo/");
        assert_eq!(s(basename(b"/foo/bar")), "bar");
        assert_eq!(s(basename(b"foo/")), "");
        assert_eq!(s(stem(b"foo..bar")), "foo.");
        assert_eq!(s(stem(b".bar")), "");
        assert_eq!(s(stem(b"dir.d/foo")), "foo");
        assert_eq!(s(extension(b"foo.")), "");
        assert_eq!(s(extension(b"..bar")), "bar");
        assert_eq!(s(extension(b"dir.d/foo")), "");
    }

    #[test]
    fn parts_are_subslices_of_the_input() {
        let path = b"/a/b.c".to_vec();
        let (dir, base) = split(&path);
        assert_eq!(dir.as_ptr(), path.as_ptr());
        assert_eq!(base.as_ptr(), path[3..].as_ptr());
        assert_eq!(extension(&path).as_ptr(), path[5..].as_ptr());
    }
}
