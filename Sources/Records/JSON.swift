// JSON: a small value type with a deterministic writer and a strict parser.
//
// Why not Foundation's coders: result files are hashed byte for byte, so key order and number
// formatting must be fixed. Numbers are written in Swift's shortest round-trip form (parsing gives
// back the same Double, bit for bit, −0.0 included); non-finite values are written as the bare
// tokens NaN, Infinity and -Infinity, as Python's json module writes and reads them (the strings
// "NaN", … of files written before are still read as numbers). Objects keep insertion order.

public enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(key: String, value: JSON)])

    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.number(x), .number(y)): return x.bitPattern == y.bitPattern
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public subscript(key: String) -> JSON? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    public var double: Double? {
        switch self {
        case let .number(x): return x
        case let .int(x): return Double(x)
        case let .string(s): return ["NaN": .nan, "Infinity": .infinity, "-Infinity": -.infinity][s]
        default: return nil
        }
    }

    public var int: Int? { if case let .int(x) = self { x } else { nil } }
    public var bool: Bool? { if case let .bool(x) = self { x } else { nil } }
    public var string: String? { if case let .string(x) = self { x } else { nil } }
    public var array: [JSON]? { if case let .array(x) = self { x } else { nil } }
    public var pairs: [(key: String, value: JSON)]? { if case let .object(x) = self { x } else { nil } }

    public static func doubles(_ values: [Double]) -> JSON { .array(values.map { .number($0) }) }
    /// A table of numbers as nested arrays ([layer][head] in the summaries).
    public static func matrix(_ rows: [[Double]]) -> JSON { .array(rows.map(doubles)) }

    /// The value at a dotted path ("kappa1.final_a"). Keys may contain dots themselves (run ids
    /// such as "softmax_add_shift_aux0.2_lr0.001_h4_s0"): at each level the key that matches is used.
    public func value(at path: String) -> JSON? { Self.value(at: path[...], in: self) }

    private static func value(at path: Substring, in json: JSON) -> JSON? {
        if path.isEmpty { return json }
        guard let pairs = json.pairs else { return nil }
        for (key, value) in pairs where path.hasPrefix(key) {
            let rest = path.dropFirst(key.count)
            if rest.isEmpty { return value }
            if rest.first == ".", let found = Self.value(at: rest.dropFirst(), in: value) { return found }
        }
        return nil
    }
}

// MARK: - Writing

extension JSON {
    /// Pretty output: containers of scalars on one line, nested containers indented.
    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    /// One-line output (for hashing configurations).
    public func compact() -> String {
        var out = ""
        write(to: &out, indent: nil)
        return out
    }

    /// Not an array or object.
    public var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(to out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .number(x):
            if x.isNaN { out += "NaN" } else if x.isInfinite { out += x > 0 ? "Infinity" : "-Infinity" } else { out += "\(x)" }
        case let .string(s): JSON.writeString(s, to: &out)
        case let .array(items):
            let inline = indent == nil || items.allSatisfy(\.isScalar)
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += inline ? ", " : "," }
                if !inline { out += "\n" + String(repeating: " ", count: indent! + 2) }
                item.write(to: &out, indent: indent.map { $0 + 2 })
            }
            if !inline && !items.isEmpty { out += "\n" + String(repeating: " ", count: indent!) }
            out += "]"
        case let .object(pairs):
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: " ", count: indent + 2) }
                JSON.writeString(pair.key, to: &out)
                out += ": "
                pair.value.write(to: &out, indent: indent.map { $0 + 2 })
            }
            if let indent, !pairs.isEmpty { out += "\n" + String(repeating: " ", count: indent) }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

// MARK: - Parsing

public struct JSONParseError: Error, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSON {
    public init(parsing text: String) throws {
        var parser = Parser(bytes: Array(text.utf8))
        self = try parser.value()
        parser.skipSpace()
        if parser.index != parser.bytes.count { throw parser.error("trailing characters") }
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ literal: String) throws {
            for byte in literal.utf8 {
                guard index < bytes.count, bytes[index] == byte else { throw error("expected \(literal)") }
                index += 1
            }
        }

        mutating func value() throws -> JSON {
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end of input (truncated file?)") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "N"): try expect("NaN"); return .number(.nan)
            case UInt8(ascii: "I"): try expect("Infinity"); return .number(.infinity)
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "I"):
                try expect("-Infinity"); return .number(-.infinity)
            default: return try number()
            }
        }

        mutating func object() throws -> JSON {
            index += 1
            var pairs: [(key: String, value: JSON)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try string()
                skipSpace()
                try expect(":")
                pairs.append((key, try value()))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end of input in object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
                throw error("expected , or }")
            }
        }

        mutating func array() throws -> JSON {
            index += 1
            var items: [JSON] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                items.append(try value())
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end of input in array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw error("expected , or ]")
            }
        }

        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw = [] }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard index < bytes.count else { throw error("unterminated escape") }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                              let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(code) else { throw error("bad \\u escape") }
                        index += 4
                        scalars.append(scalar)
                    default: scalars.append(Unicode.Scalar(escaped))
                    }
                default:
                    raw.append(byte)
                }
            }
            throw error("unterminated string")
        }

        mutating func number() throws -> JSON {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if !text.contains(where: { ".eE".contains($0) }), let i = Int(text) { return .int(i) }
            guard let x = Double(text) else {
                index = start
                throw error("unexpected character")
            }
            return .number(x)
        }
    }
}
