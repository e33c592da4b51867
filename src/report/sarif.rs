use std::io::{self, Write};

use crate::Scan;

pub fn render(_scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{{}}")
}
