// 1xxx: lexical and syntax errors. Reported by syntax/scanner.ts and syntax/parser.ts; the
// parser reports at most one of these per offset and always recovers.
import type { CatalogEntry } from './index.js';

export const syntaxCodes: CatalogEntry[] = [
  {
    code: 'MR1001',
    severity: 'error',
    message: "unexpected character '{char}'",
    explanation:
      'The character cannot start any token. Names are bare words (letters, digits and `_ . $ @ : -`, ' +
      'not starting with a digit, `:` or `-`) or double-quoted strings; numbers start with a digit; the ' +
      'operators are `| << + - * ^ ( ) = -> /` and braces. Quote a name that contains other characters.',
  },
  {
    code: 'MR1002',
    severity: 'error',
    message: 'unterminated string: a closing \'"\' is missing before the end of the line',
    explanation:
      'A quoted name must end on the line where it starts. Inside a string only `\\"` and `\\\\` are ' +
      'escapes. The string is taken to end at the end of the line.',
  },
  {
    code: 'MR1003',
    severity: 'warning',
    message: "unknown escape sequence '\\{char}' in a string: only \\\" and \\\\ are escapes",
    explanation:
      'Strings know two escapes, `\\"` and `\\\\`. Any other backslash sequence is kept as written ' +
      '(backslash included), which is probably not what was meant.',
  },
  {
    code: 'MR1004',
    severity: 'error',
    message: "malformed number '{text}'",
    explanation:
      'A number is decimal (`4096`), hexadecimal (`0xfee0_0000`) or binary (`0b1010`), with `_` allowed ' +
      'between digits. A prefix without digits (`0x`) or a digit outside the base (`0b102`) is an error; ' +
      'the value is taken as 0.',
  },
  {
    code: 'MR1005',
    severity: 'error',
    message: "unknown unit suffix '{suffix}': use K, M, G, T, P, E or KiB, MiB, GiB, TiB, PiB, EiB",
    explanation:
      'A unit suffix multiplies by a power of 1024 and must follow the digits directly. Only the listed ' +
      'suffixes exist (upper case; there is no `KB`, `k` or `m`). A name cannot start with a digit; quote ' +
      'it. The number is used without the suffix.',
  },
  {
    code: 'MR1010',
    severity: 'error',
    message: 'expected {expected}, found {found}',
    explanation:
      'A required part of a statement is missing: a region or address-space name after its keyword, the ' +
      '`=` of a `const`, `root` after an address-space name, the target after `->`, a name after `/` in a ' +
      'path. The statement is kept with the part missing. A statement keyword at the start of a new ' +
      'line is never taken as a name: it begins the next statement.',
  },
  {
    code: 'MR1011',
    severity: 'error',
    message: 'expected a statement (a region kind, const, address-space, include or a PCI statement), found {found}',
    explanation:
      'Every statement starts with a keyword: a region kind (`container io mmio ram rom romd ramd iommu ' +
      'alias`), `const`, `address-space`, `include`, or a PCI statement (`pci-host cpu iommu sequence`, ' +
      'docs/pci.md). The parser skips to the next such keyword or `}`. ' +
      'A line that does not start with one of them ends the statement above it, so its attributes ' +
      'are not attached to the wrong region.',
  },
  {
    code: 'MR1012',
    severity: 'error',
    message:
      'unexpected {found} in a region statement: expected an attribute (size, at, priority, offset, ->, id, ' +
      'disabled, enabled, readonly, nonvolatile, romd on|off) or a body',
    explanation:
      'After the kind and the name, a region statement consists of attributes and an optional `{ … }` body. ' +
      'The parser skips to the next attribute, brace or statement keyword. Remember that `-` may be part ' +
      'of a name: write `RAM - 1`, not `RAM-1`.',
  },
  {
    code: 'MR1013',
    severity: 'error',
    message: "missing '}': the region body is not closed before the end of the file",
    explanation:
      'Each `{` opening a region body needs a matching `}`. The related location shows the unclosed brace; ' +
      'everything after it up to the end of the file has been read as part of that body.',
  },
  {
    code: 'MR1014',
    severity: 'error',
    message: "unmatched '}'",
    explanation: 'This `}` closes no region body. It is ignored.',
  },
  {
    code: 'MR1015',
    severity: 'error',
    message: 'nesting deeper than {max} levels: this group is skipped',
    explanation:
      'Region bodies and parentheses may nest at most 256 levels deep. A deeper group is skipped entirely ' +
      '(up to its matching closing bracket) so that analysis stays bounded; nothing inside it is modelled.',
  },
  {
    code: 'MR1016',
    severity: 'error',
    message: "'{keyword}' is not allowed inside a region body: only regions are",
    explanation:
      '`const`, `address-space` and `include` are top-level statements. Inside `{ … }` only region ' +
      'statements (subregions) may appear. The statement is still read (and its constants and address ' +
      'spaces defined) so that one misplaced line does not cascade into more errors.',
  },
  {
    code: 'MR1017',
    severity: 'error',
    message: "'{name}' is a keyword and cannot name a constant",
    explanation:
      'In expressions a keyword ends the expression, so a constant named like a keyword (`size`, `at`, ' +
      '`ram`, …) could never be used. Choose another name; upper case names (`RAM_SIZE`) are customary.',
  },
  {
    code: 'MR1020',
    severity: 'error',
    message: 'expected an expression, found {found}',
    explanation:
      'An expression is a number (with optional unit), a constant, or parentheses, combined with ' +
      '`| << + - * ^` and unary `-`. Keywords are not constants, so `size at` is an expression missing.',
  },
  {
    code: 'MR1021',
    severity: 'error',
    message: "expected ')', found {found}",
    explanation: 'A parenthesis opened in an expression is not closed. The related location shows the `(`.',
  },
  {
    code: 'MR1030',
    severity: 'error',
    message: 'unexpected {found} in {where}: expected {expected}',
    explanation:
      'PCI bodies hold their own statements (docs/pci.md): a `pci-host` or `bridge` body holds `window`, ' +
      '`device` and `bridge` (a bridge also `bar` and `rom`), a `device` body `bar` and `rom`, an `iommu` ' +
      'body `devices`, a `sequence` or `on` body the steps `read write bar label reset on`. The parser ' +
      'skips to the next such keyword, statement keyword, line start or `}`.',
  },
  {
    code: 'MR1031',
    severity: 'error',
    message: 'unexpected {found} in a {what} statement: expected {expected}',
    explanation:
      'After its fixed parts (device address, name, BAR index and kind …) a PCI statement consists of ' +
      'attributes and, for `pci-host`, `bridge`, `device`, `iommu` and `sequence`, an optional `{ … }` ' +
      'body. The parser skips to the next attribute, brace or statement keyword.',
  },
  {
    code: 'MR1032',
    severity: 'error',
    message: "'{keyword}' is not allowed {where}",
    explanation:
      'Each PCI statement has its place: `pci-host`, `cpu`, `iommu … aw-bits` and `sequence` at the top ' +
      'level, `device` and `bridge` in a `pci-host` or `bridge` body, `window` in a `pci-host` or ' +
      '`bridge` body, `bar` and `rom` in a `device` or `bridge` body, steps in a `sequence` or `on` ' +
      'body; regions never inside PCI bodies. The statement is still read, so one misplaced line does ' +
      'not cascade, but it has no effect.',
  },
  {
    code: 'MR1033',
    severity: 'error',
    message: "malformed device address '{text}': {why}",
    explanation:
      'A PCI device address is `bb:ss.f`: bus and slot as one or two hex digits, the slot at most `1f`, ' +
      'the function `0`–`7` (`01:10.0`, `00:1f.3`). A number directly followed by `:` is read as one.',
  },
  {
    code: 'MR1098',
    severity: 'error',
    message: 'the document is too large to analyse: {length} characters, the limit is {max}',
    explanation:
      'Analysis takes time and memory in proportion to the text, and runs for every edit, so a larger ' +
      'document would stall the editor (50 MB of regions needs about 2 GB). The limit matches the command ' +
      'line\'s 16 MiB input limit; a real machine description is a few hundred kilobytes at most. Nothing ' +
      'in the document is analysed.',
  },
  {
    code: 'MR1099',
    severity: 'error',
    message: 'the parser gave up here (step limit exceeded); the rest of the file is not analysed',
    explanation:
      'A safety net: the parser counts its steps and stops if the count exceeds a bound proportional to ' +
      'the file size. This indicates a parser bug; please report the file.',
  },
];
