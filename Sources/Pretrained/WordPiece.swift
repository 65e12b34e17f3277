// The BERT WordPiece tokenizer as Hugging Face `tokenizers` runs it for all-MiniLM-L6-v2
// (tokenizer.json: BertNormalizer with lowercase and accent stripping, BertPreTokenizer,
// WordPiece with "##" continuations, [CLS] … [SEP] template, truncation at 128 tokens).
//
//   normalize: drop control characters, whitespace → " ", space out CJK ideographs,
//              NFD and drop combining marks (Mn), lowercase
//   split:     on whitespace (dropped) and punctuation (each mark its own word)
//   WordPiece: greedy longest match from the left; a word with no full cover is [UNK]

import Foundation
import Records

public struct WordPiece: Sendable {
    public let vocabulary: [String: Int32]
    public let unknown: Int32, classToken: Int32, separator: Int32
    public var maxLength = 128
    let maxCharactersPerWord = 100

    public init(vocabulary: [String: Int32]) throws {
        guard let unk = vocabulary["[UNK]"], let cls = vocabulary["[CLS]"], let sep = vocabulary["[SEP]"] else {
            throw SafeTensorsError(description: "vocabulary lacks [UNK], [CLS] or [SEP]")
        }
        self.vocabulary = vocabulary; unknown = unk; classToken = cls; separator = sep
    }

    /// Reads model.vocab of a Hugging Face tokenizer.json (a WordPiece model).
    public init(tokenizerJSON path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw SafeTensorsError(description: "cannot read \(path)") }
        try self.init(tokenizerJSON: Array(data), name: path)
    }

    /// Parses the bytes of a tokenizer.json (`name` for errors): the bytes that were hashed.
    public init(tokenizerJSON bytes: [UInt8], name path: String) throws {
        guard let json = try? JSON(parsing: String(decoding: bytes, as: UTF8.self)) else {
            throw SafeTensorsError(description: "cannot read \(path) as JSON")
        }
        guard json["model"]?["type"]?.string == "WordPiece", let pairs = json["model"]?["vocab"]?.pairs else {
            throw SafeTensorsError(description: "\(path) holds no WordPiece vocabulary")
        }
        var vocabulary: [String: Int32] = [:]
        for (token, id) in pairs { if let id = id.int { vocabulary[token] = Int32(id) } }
        try self.init(vocabulary: vocabulary)
    }

    /// [CLS] pieces… [SEP], truncated to `maxLength` tokens.
    public func encode(_ text: String) -> [Int32] {
        let pieces = Self.words(Self.normalize(text)).flatMap(wordPieces)
        return [classToken] + pieces.prefix(maxLength - 2) + [separator]
    }

    /// The tokens' strings (for reading the tests and the report).
    public func tokens(_ ids: [Int32]) -> [String] {
        let inverse = Dictionary(vocabulary.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.map { inverse[$0] ?? "?" }
    }

    static func normalize(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s.value == 0 || s.value == 0xFFFD || isControl(s) { continue }
            if isWhitespace(s) { cleaned.append(" "); continue }
            if isCJK(s) { cleaned.append(" "); cleaned.append(s); cleaned.append(" "); continue }
            cleaned.append(s)
        }
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
        return String(String.UnicodeScalarView(decomposed)).lowercased()
    }

    /// Whitespace-separated words with every punctuation mark split off.
    static func words(_ text: String) -> [String] {
        var words: [String] = [], current = String.UnicodeScalarView()
        func flush() { if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() } }
        for s in text.unicodeScalars {
            if isWhitespace(s) { flush() } else if isPunctuation(s) { flush(); words.append(String(s)) } else { current.append(s) }
        }
        flush()
        return words
    }

    func wordPieces(_ word: String) -> [Int32] {
        let characters = Array(word.unicodeScalars)
        guard characters.count <= maxCharactersPerWord else { return [unknown] }
        var pieces: [Int32] = [], start = 0
        while start < characters.count {
            var end = characters.count, found: Int32?
            while start < end {
                let piece = (start > 0 ? "##" : "") + String(String.UnicodeScalarView(characters[start..<end]))
                if let id = vocabulary[piece] { found = id; break }
                end -= 1
            }
            guard let id = found else { return [unknown] }
            pieces.append(id)
            start = end
        }
        return pieces
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s.properties.generalCategory == .spaceSeparator
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B820...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}
