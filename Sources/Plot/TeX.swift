// TeX: the small subset of LaTeX the paper's labels use, turned into Pango markup.
//
// Outside math: `\textbf{…}` is bold. Inside `$…$`: Latin and Greek letters are italic (as with
// usetex and mathptmx), digits and punctuation upright; `_x`, `_{…}`, `^{…}` are sub- and
// superscripts drawn with explicit span sizes and rises (Pango 1.50's <sub>/<sup> are mis-sized
// under a scaled CTM); `\sigma \alpha \kappa \nabla \| \times \mathdefault{}` are known; a binary
// `=` gets spaces. Unknown commands are kept verbatim, so a typo shows instead of vanishing.

import Foundation

public enum TeX {
    static let symbols: [String: (String, italic: Bool)] = [
        "sigma": ("σ", true), "alpha": ("α", true), "beta": ("β", true), "kappa": ("κ", true),
        "nabla": ("∇", false), "|": ("‖", false), "times": ("×", false), "cdot": ("·", false),
    ]

    /// Pango markup for `text` set at `size` points.
    public static func markup(_ text: String, size: Double) -> String {
        var parser = Parser(chars: Array(text), size: size)
        return parser.run()
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private struct Parser {
        let chars: [Character]
        let size: Double
        var i = 0
        /// Whether the current math run has an operand yet: a binary operator without one is not spaced.
        var operand = false

        mutating func run() -> String {
            var out = ""
            var math = false
            while i < chars.count {
                let c = chars[i]
                if c == "$" { math.toggle(); operand = false; i += 1; continue }
                out += math ? mathAtom(level: 0) : textAtom()
            }
            return out
        }

        /// One unit of text mode.
        mutating func textAtom() -> String {
            let c = chars[i]
            if c == "\\", let name = peekCommand(), name == "textbf" {
                i += 1 + name.count
                return "<b>" + TeX.markup(group(), size: size) + "</b>"
            }
            i += 1
            return escape(String(c))
        }

        /// One unit of math mode at script `level` (0 = base size).
        mutating func mathAtom(level: Int) -> String {
            let c = chars[i]
            defer { if c != " " { operand = true } }
            switch c {
            case "_", "^":
                i += 1
                let inner: String
                if i < chars.count && chars[i] == "{" {
                    inner = convertMath(group(), level: level + 1)
                } else {
                    inner = convertMath(String(chars[i]), level: level + 1)
                    i += 1
                }
                let base = size * pow(0.7, Double(level))
                let scriptSize = Int((base * 0.7 * 1024).rounded())
                let rise = Int(((c == "_" ? -0.2 : 0.38) * base * 1024).rounded())
                return "<span size=\"\(scriptSize)\" rise=\"\(rise)\">\(inner)</span>"
            case "\\":
                guard let name = peekCommand() else { i += 1; return "\\" }
                i += 1 + name.count
                if name == "mathdefault" || name == "mathrm" { return convertMath(group(), level: level, italic: name == "mathdefault") }
                // A binary operator after an operand gets mathtext's 0.2 em on each side.
                if name == "times" || name == "cdot" {
                    let gap = operand ? space(em: 0.2 * 0.778, level: level) : ""   // mathtext's em is the advance of 'm'
                    return gap + TeX.symbols[name]!.0 + gap
                }
                if let (glyph, italic) = TeX.symbols[name] { return italic ? "<i>\(glyph)</i>" : glyph }
                if name == "," { return space(em: 1.0 / 6, level: level) }
                return escape("\\" + name)
            case " ":
                i += 1
                return ""
            case "=", "+":
                i += 1
                return " \(c) "
            case ",":
                i += 1
                return "," + space(em: 1.0 / 6, level: level)   // TeX's thin space after punctuation
            case "-":
                i += 1
                return "\u{2212}"
            default:
                i += 1
                return c.isLetter ? "<i>\(escape(String(c)))</i>" : escape(String(c))
            }
        }

        /// A space `em` wide at script `level`: Termes has no thin spaces (U+2009 would come from a
        /// fallback font), so this is its word space (0.25 em) set at the size that gives the width.
        func space(em: Double, level: Int) -> String {
            let base = size * pow(0.7, Double(level))
            return "<span size=\"\(Int((base * em / 0.25 * 1024).rounded()))\"> </span>"
        }

        func convertMath(_ s: String, level: Int, italic: Bool = true) -> String {
            var inner = Parser(chars: Array(s), size: size)
            var out = ""
            while inner.i < inner.chars.count {
                if !italic, inner.chars[inner.i].isLetter {
                    out += escape(String(inner.chars[inner.i])); inner.i += 1
                } else {
                    out += inner.mathAtom(level: level)
                }
            }
            return out
        }

        /// The name after a backslash: letters, or one symbol character.
        func peekCommand() -> String? {
            guard i + 1 < chars.count else { return nil }
            if !chars[i + 1].isLetter { return String(chars[i + 1]) }
            var j = i + 1
            var name = ""
            while j < chars.count && chars[j].isLetter { name.append(chars[j]); j += 1 }
            return name
        }

        /// A `{…}` group (nesting respected) as raw text.
        mutating func group() -> String {
            guard i < chars.count, chars[i] == "{" else { return "" }
            var depth = 0
            var out = ""
            repeat {
                let c = chars[i]
                if c == "{" { depth += 1; if depth > 1 { out.append(c) } } else if c == "}" { depth -= 1; if depth > 0 { out.append(c) } } else { out.append(c) }
                i += 1
            } while depth > 0 && i < chars.count
            return out
        }
    }
}
