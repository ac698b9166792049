//! Splitting a sequence of bytes, shared by `bytes` and by `str` (which splits its UTF-8
//! text on bytes: a separator that is itself UTF-8 only matches at char boundaries, and an
//! ASCII whitespace byte never occurs inside a multi-byte char).
//!
//! Each function reports the pieces as byte ranges through `emit`, so that callers slice
//! their own type (`&str` or `&[u8]`) without an intermediate vector.

/// `hay.split(sep, limit)` for a non-empty `sep`: pieces from the left, at most `limit`
/// cuts.
pub fn split_on(hay: &[u8], sep: &[u8], limit: usize, mut emit: impl FnMut(usize, usize)) {
    let mut start = 0;
    let mut cut = |at: usize| {
        emit(start, at);
        start = at + sep.len();
    };
    match sep {
        &[b] => memchr::memchr_iter(b, hay).take(limit).for_each(&mut cut),
        needle => memchr::memmem::find_iter(hay, needle)
            .take(limit)
            .for_each(&mut cut),
    }
    emit(start, hay.len());
}

/// `hay.rsplit(sep, limit)` for a non-empty `sep`: pieces from the right, emitted last
/// first (the caller reverses them).
pub fn rsplit_on(hay: &[u8], sep: &[u8], limit: usize, mut emit: impl FnMut(usize, usize)) {
    let mut end = hay.len();
    let mut cuts = 0;
    while cuts < limit {
        let Some(at) = memchr::memmem::rfind(&hay[..end], sep) else {
            break;
        };
        emit(at + sep.len(), end);
        end = at;
        cuts += 1;
    }
    emit(0, end);
}

/// `split()` without a separator over bytes where `space` says what is whitespace: runs
/// of whitespace separate, leading whitespace is dropped; after `max` cuts the rest is kept
/// whole (minus its leading whitespace).
pub fn split_whitespace(
    b: &[u8],
    mut max: usize,
    space: impl Fn(u8) -> bool,
    mut emit: impl FnMut(usize, usize),
) {
    let n = b.len();
    let mut i = 0;
    while max > 0 {
        while i < n && space(b[i]) {
            i += 1;
        }
        if i == n {
            break;
        }
        let j = i;
        while i < n && !space(b[i]) {
            i += 1;
        }
        emit(j, i);
        max -= 1;
    }
    while i < n && space(b[i]) {
        i += 1;
    }
    if i < n {
        emit(i, n);
    }
}

/// `rsplit()` without a separator: `split_whitespace` from the right, pieces emitted last
/// first.
pub fn rsplit_whitespace(
    b: &[u8],
    mut max: usize,
    space: impl Fn(u8) -> bool,
    mut emit: impl FnMut(usize, usize),
) {
    let mut i = b.len();
    while max > 0 {
        while i > 0 && space(b[i - 1]) {
            i -= 1;
        }
        if i == 0 {
            break;
        }
        let j = i;
        while i > 0 && !space(b[i - 1]) {
            i -= 1;
        }
        emit(i, j);
        max -= 1;
    }
    while i > 0 && space(b[i - 1]) {
        i -= 1;
    }
    if i > 0 {
        emit(0, i);
    }
}
