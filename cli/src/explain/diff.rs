//! A line diff (longest common subsequence; canonical requests are a few dozen lines).

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    /// In both.
    Same(&'a str),
    /// Only in ours.
    Ours(&'a str),
    /// Only in the server's.
    Theirs(&'a str),
}

/// The diff of `ours` against `theirs`, line by line.
pub fn lines<'a>(ours: &'a str, theirs: &'a str) -> Vec<Line<'a>> {
    let a: Vec<&str> = ours.split('\n').collect();
    let b: Vec<&str> = theirs.split('\n').collect();
    // Bounded: an answer of thousands of lines is not a canonical request; show it whole.
    if a.len() * b.len() > 4_000_000 {
        return a
            .iter()
            .map(|l| Line::Ours(l))
            .chain(b.iter().map(|l| Line::Theirs(l)))
            .collect();
    }
    let mut table = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(Line::Same(a[i]));
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            out.push(Line::Ours(a[i]));
            i += 1;
        } else {
            out.push(Line::Theirs(b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| Line::Ours(l)));
    out.extend(b[j..].iter().map(|l| Line::Theirs(l)));
    out
}

#[cfg(test)]
mod tests {
    use super::{lines, Line};

    #[test]
    fn diffs() {
        let d = lines("a\nb\nc", "a\nx\nc");
        assert_eq!(
            d,
            vec![
                Line::Same("a"),
                Line::Ours("b"),
                Line::Theirs("x"),
                Line::Same("c")
            ]
        );
        assert_eq!(lines("a", "a"), vec![Line::Same("a")]);
    }
}
