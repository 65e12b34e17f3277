// Reads the committed reference data under Tests/Fixtures (shared by the test targets).

import Foundation
import Records

public enum Fixtures {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func json(_ name: String) throws -> JSON {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSON(parsing: String(decoding: data, as: UTF8.self))
    }
}
