// Reads the committed reference data under Tests/Fixtures.

import Experiments
import Foundation

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func json(_ name: String) throws -> JSON {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSON(parsing: String(decoding: data, as: UTF8.self))
    }
}
