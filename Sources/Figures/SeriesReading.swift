// Reading plotted series out of a stored result, with errors that name what is missing.

import Experiments
import Plot
import Records

public struct FigureDataError: Error, CustomStringConvertible {
    public let description: String
}

extension JSON {
    /// A path like "kappa1.loss" as an array of numbers.
    func series(_ path: String) throws -> [Double] {
        guard let values = try node(path).array?.compactMap(\.double), values.count == (try node(path).array?.count) else {
            throw FigureDataError(description: "history '\(path)' is not a list of numbers")
        }
        return values
    }

    /// A path holding a list of equally long rows, returned as columns.
    func columns(_ path: String) throws -> [[Double]] {
        guard let rows = try node(path).array?.map({ $0.array?.compactMap(\.double) ?? [] }), let width = rows.first?.count,
              rows.allSatisfy({ $0.count == width }) else {
            throw FigureDataError(description: "history '\(path)' is not a list of equal-length rows")
        }
        return (0..<width).map { j in rows.map { $0[j] } }
    }

    func node(_ path: String) throws -> JSON {
        guard let found = value(at: path) else { throw FigureDataError(description: "result has no history '\(path)'") }
        return found
    }
}

extension Axes {
    /// One line per column of `columns`, coloured by `colors`.
    mutating func plotColumns(x: [Double], _ columns: [[Double]], colors: [Color], width: Double = 1, alpha: Double = 0.8,
                              labels: ((Int) -> String)? = nil) {
        for (d, column) in columns.enumerated() {
            lines.append(Line(x: x, y: column, color: colors[d % colors.count], width: width, alpha: alpha, label: labels?(d)))
        }
    }
}

extension Array where Element == Double {
    /// The mean in index order (NaN for no values): what every bar and score of the figures averages with.
    var mean: Double { isEmpty ? .nan : reduce(0, +) / Double(count) }
}
