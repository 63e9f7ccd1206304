/// How much of a module's public API carries a doc comment, from ``DocGenerator/validateDocs(_:)``.
///
/// Counted: `public` and `open` symbols declared in source. Not counted: compiler-synthesized members
/// (`init(rawValue:)`, `hashValue`, protocol extension members), extension blocks and `_`-prefixed names.
/// A doc comment inherited from another module's protocol does not count as documented.
public struct DocCoverageReport: Codable, Sendable, Equatable {
    /// The module's name.
    public var module: String
    /// The number of public symbols counted.
    public var totalSymbols: Int
    /// The number of those with their own doc comment.
    public var documentedSymbols: Int
    /// The qualified names of the public symbols without a doc comment, sorted (e.g. `Greeter.shout(_:)`).
    public var undocumented: [String]

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - module: the module's name.
    ///   - totalSymbols: the public symbols counted.
    ///   - documentedSymbols: those with a doc comment.
    ///   - undocumented: the names of the others.
    public init(module: String, totalSymbols: Int, documentedSymbols: Int, undocumented: [String]) {
        self.module = module
        self.totalSymbols = totalSymbols
        self.documentedSymbols = documentedSymbols
        self.undocumented = undocumented
    }

    /// The documented share, from 0 to 1; 1 for a module without public symbols.
    public var coverage: Double {
        totalSymbols == 0 ? 1 : Double(documentedSymbols) / Double(totalSymbols)
    }

    /// One issue line per undocumented symbol: `Greeter.shout(_:): public symbol has no doc comment`.
    public var issues: [String] {
        undocumented.map { "\($0): public symbol has no doc comment" }
    }

    /// A one-line summary, e.g. `Greeter: 8/9 public symbols documented (88.9 %)`.
    public var summary: String {
        let percent = (coverage * 1000).rounded() / 10
        return "\(module): \(documentedSymbols)/\(totalSymbols) public symbols documented (\(percent) %)"
    }
}
