/// Why ``DocGenerator`` could not read symbol graphs.
public enum DocHelperError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `<module>.symbols.json` (or `<module>@*.symbols.json`) in the folder.
    case noSymbolGraphs(directory: String, module: String)
    /// The file is not a symbol graph.
    case invalidSymbolGraph(path: String, reason: String)
    /// The file could not be read.
    case unreadable(FileUtilitiesError)

    /// What failed and what to do.
    public var description: String {
        switch self {
        case .noSymbolGraphs(let directory, let module):
            "No symbol graph for \(module) in \(directory). Run `swift package dump-symbol-graph` first."
        case .invalidSymbolGraph(let path, let reason):
            "\(path) is not a valid symbol graph: \(reason)"
        case .unreadable(let error):
            error.description
        }
    }
}
