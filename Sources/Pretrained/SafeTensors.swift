// SafeTensors: the weight format of Hugging Face models (huggingface/safetensors). A file is an
// 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}}
// (plus an optional "__metadata__"), then the raw little-endian tensor bytes; offsets are
// relative to the end of the header. Only F32 tensors are read as numbers (MiniLM's are F32);
// everything is bounds-checked, so a truncated or corrupt file is an error naming the problem.

import Foundation
import Records

public struct SafeTensorsError: Error, CustomStringConvertible {
    public let description: String
}

public struct SafeTensors: Sendable {
    public struct Entry: Sendable {
        public var dtype: String
        public var shape: [Int]
        /// Byte range in the file.
        var range: Range<Int>
    }

    public let entries: [String: Entry]
    let bytes: [UInt8]

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SafeTensorsError(description: "cannot read \(path)")
        }
        try self.init(bytes: [UInt8](data), name: path)
    }

    public init(bytes: [UInt8], name: String = "safetensors") throws {
        func fail(_ why: String) -> SafeTensorsError { SafeTensorsError(description: "\(name): \(why)") }
        guard bytes.count >= 8 else { throw fail("shorter than its 8-byte header length") }
        let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        guard headerLength > 0, headerLength <= bytes.count - 8 else { throw fail("header length \(headerLength) exceeds the file") }
        let header: JSON
        do { header = try JSON(parsing: String(decoding: bytes[8..<8 + headerLength], as: UTF8.self)) } catch {
            throw fail("header is not JSON: \(error)")
        }
        guard let pairs = header.pairs else { throw fail("header is not a JSON object") }
        var entries: [String: Entry] = [:]
        let dataStart = 8 + headerLength
        for (key, value) in pairs where key != "__metadata__" {
            guard let dtype = value["dtype"]?.string, let shape = value["shape"]?.array?.compactMap(\.int),
                  let offsets = value["data_offsets"]?.array?.compactMap(\.int), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1], dataStart + offsets[1] <= bytes.count else {
                throw fail("tensor \(key): bad dtype, shape or data_offsets (or the file is truncated)")
            }
            let elementSize = ["F32": 4, "I64": 8, "F16": 2, "BF16": 2, "F64": 8, "I32": 4][dtype] ?? 1
            guard shape.reduce(1, *) * elementSize == offsets[1] - offsets[0] else {
                throw fail("tensor \(key): shape \(shape) does not match its \(offsets[1] - offsets[0]) bytes")
            }
            entries[key] = Entry(dtype: dtype, shape: shape, range: dataStart + offsets[0]..<dataStart + offsets[1])
        }
        self.entries = entries
        self.bytes = bytes
    }

    /// An F32 tensor, row-major, checked against the expected shape.
    public func floats(_ name: String, shape expected: [Int]) throws -> [Float] {
        guard let entry = entries[name] else { throw SafeTensorsError(description: "no tensor \(name)") }
        guard entry.dtype == "F32" else { throw SafeTensorsError(description: "tensor \(name) is \(entry.dtype), expected F32") }
        guard entry.shape == expected else { throw SafeTensorsError(description: "tensor \(name) has shape \(entry.shape), expected \(expected)") }
        let count = entry.range.count / 4
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    buffer[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: entry.range.lowerBound + 4 * i, as: UInt32.self)))
                }
            }
            initialized = count
        }
    }

    /// A file holding F32 tensors (names sorted, as the reference writer does): for tests and fixtures.
    public static func encode(_ tensors: [(name: String, shape: [Int], values: [Float])]) -> [UInt8] {
        var offset = 0
        var fields: [(String, JSON)] = []
        for t in tensors.sorted(by: { $0.name < $1.name }) {
            fields.append((t.name, .object([("dtype", .string("F32")), ("shape", .array(t.shape.map { .int($0) })),
                                            ("data_offsets", .array([.int(offset), .int(offset + 4 * t.values.count)]))])))
            offset += 4 * t.values.count
        }
        var header = Array(JSON.object(fields).compact().utf8)
        while header.count % 8 != 0 { header.append(0x20) }   // the format pads the header with spaces
        var out = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) } + header
        for t in tensors.sorted(by: { $0.name < $1.name }) {
            for v in t.values { out += (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
        }
        return out
    }
}
