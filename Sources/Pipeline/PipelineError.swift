// The errors of the pipeline: a file that cannot be used, a file that is not the run's, a write
// that failed, a usage mistake. Each names the path and the reason.

public enum PipelineError: Error, CustomStringConvertible {
    case corrupt(String, String)
    /// A readable file that is not this run's result (another configuration, another program).
    case foreign(String, String)
    case io(String, String)
    case usage(String)

    public var description: String {
        switch self {
        case let .corrupt(path, why): "corrupt result file \(path): \(why)"
        case let .foreign(path, why): "\(path) is not this run's result: \(why)"
        case let .io(path, why): "cannot write \(path): \(why)"
        case let .usage(why): why
        }
    }
}
