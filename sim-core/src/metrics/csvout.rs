//! CSV out and in, through the `csv` crate: fields holding a comma, a quote
//! or a line break (a population called `us, east`) are quoted, so every
//! row keeps its column count; plain fields are written as they are. One
//! place for every CSV the library writes (the series, a comparison, a
//! sweep) and reads back (`sweep::merge_csv`).

/// A CSV document being written, in memory (the library does no I/O).
pub(crate) struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

impl CsvOut {
    /// An empty document; rows end with `\n`.
    pub fn new() -> CsvOut {
        CsvOut {
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .flexible(false)
                .from_writer(Vec::new()),
        }
    }

    /// Appends one row. (All rows have the header's length: the writer
    /// refuses another, and the library only writes rows it built that way.)
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        // Writing to memory cannot fail on I/O; a wrong length is a bug,
        // caught by the round-trip tests.
        let r = self.w.write_record(cells);
        debug_assert!(r.is_ok(), "a CSV row of another length: {r:?}");
    }

    /// The document.
    pub fn finish(self) -> String {
        let bytes = self.w.into_inner().unwrap_or_else(|e| e.into_inner().get_ref().clone());
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// The rows of a CSV text (the header included), each a list of fields,
/// with the 1-based line each starts on; a text the reader cannot take is
/// refused with the line where it went wrong. (An unclosed quote runs to
/// the end of the text: the row it starts then has the wrong width, which
/// the caller checks.)
pub(crate) fn rows(text: &str) -> Result<Vec<(u64, Vec<String>)>, String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| match e.position() {
            Some(p) => format!("line {}: {e}", p.line()),
            None => e.to_string(),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        out.push((line, rec.iter().map(str::to_string).collect()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_fields_round_trip_and_plain_rows_stay_plain() {
        let mut w = CsvOut::new();
        w.row(["name", "value"]);
        w.row(["us, east", "1"]);
        w.row(["say \"hi\"\nthere", "2"]);
        w.row(["plain", "3"]);
        let text = w.finish();
        assert!(text.ends_with("plain,3\n"), "{text}");
        let back = rows(&text).expect("well formed");
        let fields: Vec<Vec<String>> = back.iter().map(|r| r.1.clone()).collect();
        assert_eq!(
            fields,
            vec![
                vec!["name".to_string(), "value".into()],
                vec!["us, east".into(), "1".into()],
                vec!["say \"hi\"\nthere".into(), "2".into()],
                vec!["plain".into(), "3".into()],
            ]
        );
        // The multi-line field's row starts on line 3, the next on line 5.
        assert_eq!(back.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 3, 5]);
    }
}
