//! A whitespace token stream with line and column numbers, shared by the text readers.
//!
//! The benchmark formats are sequences of integers whose line breaks carry no meaning in some
//! files (Patterson successor lists wrap) and whose comments start with `#` in others (job
//! shop). Readers pull typed values one at a time; every failure is a
//! [`ParseError::Syntax`] naming the file, the line, the column and what was expected there.

use super::{ParseError, Source};

/// One whitespace-separated word of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// The text.
    pub text: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

/// A cursor over the tokens of (part of) a file.
#[derive(Debug, Clone)]
pub(crate) struct Tokens<'a> {
    file: &'a Source,
    tokens: Vec<Token<'a>>,
    next: usize,
    /// Where "end of input" is reported: the last line read, just after its last character.
    end_line: usize,
    end_column: usize,
    /// How the end is named in messages ("the end of the input", "the end of the line").
    end_name: &'static str,
}

impl<'a> Tokens<'a> {
    /// All tokens of `lines` (each `(1-based line number, text)`); with `comments`, a `#`
    /// starts a comment that runs to the end of its line.
    pub fn new(file: &'a Source, lines: impl IntoIterator<Item = (usize, &'a str)>, comments: bool) -> Self {
        let mut tokens = Vec::new();
        let (mut end_line, mut end_column) = (1, 0);
        for (number, line) in lines {
            end_line = number;
            end_column = line.trim_end().chars().count() + 1;
            let line = if comments { line.split('#').next().unwrap_or("") } else { line };
            let mut column = 0;
            let mut start: Option<(usize, usize)> = None; // (byte offset, column)
            for (offset, ch) in line.char_indices() {
                column += 1;
                if ch.is_whitespace() {
                    if let Some((from, col)) = start.take() {
                        tokens.push(Token { text: line.get(from..offset).unwrap_or(""), line: number, column: col });
                    }
                } else if start.is_none() {
                    start = Some((offset, column));
                }
            }
            if let Some((from, col)) = start {
                tokens.push(Token { text: line.get(from..).unwrap_or(""), line: number, column: col });
            }
        }
        Self { file, tokens, next: 0, end_line, end_column, end_name: "the end of the input" }
    }

    /// Every line of `text`, numbered from 1.
    pub fn whole(file: &'a Source, text: &'a str, comments: bool) -> Self {
        Self::new(file, numbered_lines(text), comments)
    }

    /// The tokens of one line, whose end is called "the end of the line" in messages.
    pub fn line(file: &'a Source, number: usize, text: &'a str) -> Self {
        let mut tokens = Self::new(file, [(number, text)], false);
        tokens.end_name = "the end of the line";
        tokens
    }

    /// Reports "end of the input" at this line (e.g. the line that closes a section).
    pub fn end_at(mut self, line: usize) -> Self {
        self.end_line = line;
        self.end_column = 0;
        self
    }

    /// Number of tokens not yet read.
    pub fn remaining(&self) -> usize {
        self.tokens.len().saturating_sub(self.next)
    }

    /// The next token without consuming it.
    pub fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.next).copied()
    }

    /// Consumes the next token, or fails saying `expected` was wanted.
    pub fn token(&mut self, expected: &str) -> Result<Token<'a>, ParseError> {
        match self.peek() {
            Some(token) => {
                self.next += 1;
                Ok(token)
            }
            None => Err(self.error_at_end(format!("expected {expected}, found {}", self.end_name))),
        }
    }

    /// Reads a non-negative integer (`u64`): too large or not a number is an error naming
    /// `expected`.
    pub fn u64(&mut self, expected: &str) -> Result<u64, ParseError> {
        let token = self.token(expected)?;
        parse_u64(token.text)
            .map_err(|why| self.error(token, format!("expected {expected}, found `{}`{why}", token.text)))
    }

    /// Reads a non-negative integer that must fit `usize` and be at most `max` (a count).
    pub fn count(&mut self, expected: &str, max: usize) -> Result<usize, ParseError> {
        let token = self.peek();
        let value = self.u64(expected)?;
        match usize::try_from(value) {
            Ok(v) if v <= max => Ok(v),
            _ => {
                let at = token.unwrap_or(Token { text: "", line: self.end_line, column: self.end_column });
                Err(self.error(at, format!("expected {expected} of at most {max}, found {value}")))
            }
        }
    }

    /// Reads an integer in `1..=max` (a 1-based reference) and returns it.
    pub fn index(&mut self, expected: &str, min: u64, max: u64) -> Result<u64, ParseError> {
        let token = self.peek();
        let value = self.u64(expected)?;
        if value < min || value > max {
            let at = token.unwrap_or(Token { text: "", line: self.end_line, column: self.end_column });
            return Err(self.error(at, format!("expected {expected} between {min} and {max}, found {value}")));
        }
        Ok(value)
    }

    /// Fails unless every token has been read.
    pub fn finish(&self, what: &str) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(token) => Err(self.error(token, format!("expected {what}, found `{}`", token.text))),
        }
    }

    /// A syntax error at a token.
    pub fn error(&self, token: Token<'_>, message: String) -> ParseError {
        ParseError::Syntax { file: self.file.clone(), line: token.line, column: token.column, message }
    }

    /// A syntax error at the end of the input.
    pub fn error_at_end(&self, message: String) -> ParseError {
        ParseError::Syntax { file: self.file.clone(), line: self.end_line, column: self.end_column, message }
    }
}

/// The lines of `text` numbered from 1 (a `\r` before a line break is dropped).
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, line)| (i + 1, line))
}

/// Parses a plain decimal integer; the error is a short explanation appended to the message.
fn parse_u64(text: &str) -> Result<u64, &'static str> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("");
    }
    text.parse::<u64>().map_err(|_| " (too large)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_line_and_column() {
        let source = Source::Text;
        let mut tokens = Tokens::whole(&source, "1 22\n\n  333 # four\n", true);
        assert_eq!(tokens.u64("a").unwrap(), 1);
        let t = tokens.token("b").unwrap();
        assert_eq!((t.text, t.line, t.column), ("22", 1, 3));
        let t = tokens.peek().unwrap();
        assert_eq!((t.text, t.line, t.column), ("333", 3, 3));
        assert_eq!(tokens.u64("c").unwrap(), 333);
        assert!(tokens.peek().is_none());
        tokens.finish("the end").unwrap();
    }

    #[test]
    fn errors_say_what_was_expected() {
        let source = Source::Text;
        let mut tokens = Tokens::whole(&source, "x 99999999999999999999999\n-1", false);
        let e = tokens.u64("an integer job count").unwrap_err().to_string();
        assert_eq!(e, "<input>:1:1: expected an integer job count, found `x`");
        let e = tokens.u64("a duration").unwrap_err().to_string();
        assert!(e.contains("1:3: expected a duration, found `99999999999999999999999` (too large)"), "{e}");
        let e = tokens.count("a count", 10).unwrap_err().to_string();
        assert!(e.contains("2:1: expected a count, found `-1`"), "{e}");
        let e = tokens.u64("a number").unwrap_err().to_string();
        assert!(e.contains("expected a number, found the end of the input"), "{e}");
    }

    #[test]
    fn ranges_are_checked() {
        let source = Source::Text;
        let mut tokens = Tokens::whole(&source, "7 0 4", false);
        assert!(tokens.count("a count", 5).unwrap_err().to_string().contains("at most 5, found 7"));
        assert!(tokens.index("a job", 1, 3).unwrap_err().to_string().contains("between 1 and 3, found 0"));
        assert_eq!(tokens.index("a job", 1, 4).unwrap(), 4);
    }
}
